//! Dates: reading them from front matter and showing them to Arabic readers.
//!
//! Front matter may give a date (`2026-11-27`), a date and time (`2026-11-27 14:30`) or an RFC
//! 3339 timestamp with an offset. Without an offset the time is read in the site's time zone,
//! with daylight saving from the tz database (Egypt observes it). Machine-readable dates stay
//! ISO 8601 with their offset; the visible ones come from ICU4X's compiled CLDR data, so month
//! names follow the site's locale (يناير in Egypt, كانون الثاني in the Levant) and digits
//! follow `digits:`. The Umm al-Qura Hijri date is added when the site asks for it.

use icu_datetime::fieldsets::{T, YMD, YMDE};
use icu_datetime::input::{Date, Time};
use icu_datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu_locale_core::Locale;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime, civil};

/// A moment from front matter, resolved in the site's time zone.
pub type Moment = ZonedDateTime;

/// Parses a front-matter date. Returns a message for the writer on failure.
pub fn parse_moment(text: &str, tz: &TimeZone) -> Result<Moment, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned_datetime(tz.clone()));
    }
    let civil = match text.parse::<civil::DateTime>() {
        Ok(dt) if looks_like_date_time(text) => dt,
        _ => text
            .parse::<civil::Date>()
            .map_err(|e| date_error(text, &e.to_string()))?
            .to_datetime(civil::Time::midnight()),
    };
    tz.to_ambiguous_zoned_datetime(civil)
        .compatible()
        .map_err(|e| date_error(text, &e.to_string()))
}

/// jiff reads `2026-11-27` as a DateTime at midnight too; tell the two apart by a time part.
fn looks_like_date_time(text: &str) -> bool {
    text.len() > 10 && matches!(text.as_bytes()[10], b'T' | b't' | b' ')
}

fn date_error(text: &str, why: &str) -> String {
    format!(
        "`{text}` is not a date this site can read ({why}); write `2026-11-27`, `2026-11-27 14:30` \
         or `2026-11-27T14:30:00+02:00`"
    )
}

/// ISO 8601 with offset, for `<time datetime>`, feeds and JSON-LD.
pub fn iso(moment: &Moment) -> String {
    moment
        .timestamp()
        .display_with_offset(moment.offset())
        .to_string()
}

/// Formats dates for readers in the site's locale, digits and calendars.
pub struct DateFormatter {
    long: DateTimeFormatter<YMDE>,
    short: DateTimeFormatter<YMD>,
    time: NoCalendarFormatter<T>,
    hijri: Option<HijriFormatter>,
}

struct HijriFormatter {
    format: DateTimeFormatter<YMD>,
    day_offset: i32,
}

/// Visible forms of one moment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DisplayDate {
    /// ISO 8601 with offset (machine-readable).
    pub iso: String,
    /// Weekday, day, month name, year: "الخميس، 27 نوفمبر 2026".
    pub long: String,
    /// Day, month name, year: "27 نوفمبر 2026".
    pub short: String,
    /// Hours and minutes in the site's clock convention.
    pub time: String,
    /// The Umm al-Qura date, when the site shows it: "7 جمادى الآخرة 1448 هـ".
    pub hijri: Option<String>,
}

impl DateFormatter {
    /// Builds formatters for `language` (BCP 47) with the given digits (`latn` or `arab`).
    pub fn new(
        language: &str,
        digits: &str,
        hijri_day_offset: Option<i32>,
    ) -> Result<Self, String> {
        let gregorian = locale_with(language, &format!("-u-ca-gregory-nu-{digits}"))?;
        let err = |e: &dyn std::fmt::Display| format!("cannot format dates for `{language}`: {e}");
        let hijri = match hijri_day_offset {
            None => None,
            Some(day_offset) => {
                let locale = locale_with(language, &format!("-u-ca-islamic-umalqura-nu-{digits}"))?;
                let format =
                    DateTimeFormatter::try_new(locale.into(), YMD::long()).map_err(|e| err(&e))?;
                Some(HijriFormatter { format, day_offset })
            }
        };
        Ok(DateFormatter {
            long: DateTimeFormatter::try_new(gregorian.clone().into(), YMDE::long())
                .map_err(|e| err(&e))?,
            short: DateTimeFormatter::try_new(gregorian.clone().into(), YMD::long())
                .map_err(|e| err(&e))?,
            time: NoCalendarFormatter::try_new(gregorian.into(), T::hm()).map_err(|e| err(&e))?,
            hijri,
        })
    }

    /// All the visible forms of `moment`.
    pub fn display(&self, moment: &Moment) -> DisplayDate {
        let date = icu_date(moment.date());
        let time = Time::try_new(moment.hour() as u8, moment.minute() as u8, 0, 0)
            .unwrap_or(Time::start_of_day());
        DisplayDate {
            iso: iso(moment),
            long: self.long.format(&date).to_string(),
            short: self.short.format(&date).to_string(),
            time: self.time.format(&time).to_string(),
            hijri: self.hijri.as_ref().map(|h| h.format(moment.date())),
        }
    }
}

impl HijriFormatter {
    /// Umm al-Qura is a table; local moon sightings may start a month a day apart, which the
    /// site corrects with `hijri_offset`.
    fn format(&self, date: civil::Date) -> String {
        let shifted = date
            .checked_add(jiff::Span::new().days(self.day_offset))
            .unwrap_or(date);
        self.format.format(&icu_date(shifted)).to_string()
    }
}

fn icu_date(date: civil::Date) -> Date<icu_calendar::Iso> {
    // A jiff civil date is always a valid ISO date, so this cannot fail; fall back to the
    // epoch rather than panic all the same.
    Date::try_new_iso(date.year() as i32, date.month() as u8, date.day() as u8)
        .unwrap_or_else(|_| Date::try_new_iso(1970, 1, 1).expect("1970-01-01 is a valid date"))
}

/// Parses `language` and appends Unicode extension keywords (`-u-…`) at run time; the
/// `locale!` macro rejects several keywords at once.
fn locale_with(language: &str, extension: &str) -> Result<Locale, String> {
    let base: Locale = language
        .parse()
        .map_err(|e| format!("`{language}` is not a BCP 47 language tag: {e}"))?;
    let mut id = base.id.to_string();
    id.push_str(extension);
    id.parse()
        .map_err(|e| format!("`{language}` is not a BCP 47 language tag: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cairo() -> TimeZone {
        TimeZone::get("Africa/Cairo").unwrap()
    }

    #[test]
    fn reads_all_three_forms_in_the_site_zone() {
        let tz = cairo();
        assert_eq!(
            iso(&parse_moment("2026-11-27", &tz).unwrap()),
            "2026-11-27T00:00:00+02:00"
        );
        assert_eq!(
            iso(&parse_moment("2026-11-27 14:30", &tz).unwrap()),
            "2026-11-27T14:30:00+02:00"
        );
        // Egypt's summer time gives +03:00 in July.
        assert_eq!(
            iso(&parse_moment("2025-07-15T09:00", &tz).unwrap()),
            "2025-07-15T09:00:00+03:00"
        );
        let utc = parse_moment("2026-11-22T16:05:00Z", &tz).unwrap();
        assert_eq!(iso(&utc), "2026-11-22T18:05:00+02:00");
    }

    #[test]
    fn rejects_impossible_dates() {
        let err = parse_moment("2024-02-30", &cairo()).unwrap_err();
        assert!(err.contains("2024-02-30"), "{err}");
        assert!(parse_moment("yesterday", &cairo()).is_err());
    }

    #[test]
    fn egyptian_month_names_and_digits() {
        let m = parse_moment("2026-11-27 14:30", &cairo()).unwrap();
        let latn = DateFormatter::new("ar-EG", "latn", None)
            .unwrap()
            .display(&m);
        assert_eq!(latn.short, "27 نوفمبر 2026");
        assert!(latn.long.contains("الجمعة"), "{}", latn.long);
        let arab = DateFormatter::new("ar-EG", "arab", Some(0))
            .unwrap()
            .display(&m);
        assert_eq!(arab.short, "٢٧ نوفمبر ٢٠٢٦");
        assert!(arab.hijri.unwrap().ends_with("هـ"));
    }

    #[test]
    fn maghreb_month_names() {
        let m = parse_moment("2025-07-15", &cairo()).unwrap();
        let short = |lang: &str| {
            DateFormatter::new(lang, "latn", None)
                .unwrap()
                .display(&m)
                .short
        };
        assert_eq!(short("ar-MA"), "15 يوليوز 2025");
        assert_eq!(short("ar-DZ"), "15 جويلية 2025");
        assert_eq!(short("ar-TN"), "15 جويلية 2025");
        assert_eq!(short("ar-JO"), "15 تموز 2025");
    }

    #[test]
    fn umm_al_qura_with_offset() {
        let m = parse_moment("2025-03-15", &cairo()).unwrap();
        let hijri = |offset| {
            DateFormatter::new("ar-EG", "arab", Some(offset))
                .unwrap()
                .display(&m)
                .hijri
                .unwrap()
        };
        assert_eq!(hijri(0), "١٥ رمضان ١٤٤٦ هـ");
        assert_eq!(hijri(-1), "١٤ رمضان ١٤٤٦ هـ");
    }

    #[test]
    fn levantine_month_names() {
        let m = parse_moment("2025-03-15", &cairo()).unwrap();
        let f = DateFormatter::new("ar-SY", "latn", None).unwrap();
        assert_eq!(f.display(&m).short, "15 آذار 2025");
    }
}
