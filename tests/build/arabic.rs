//! Arabic done right (issue 3), read off the built pages the way a reader in each region sees
//! them: month names per locale and digits per `digits:` in every date, count and page label;
//! Egypt's daylight saving in `<time datetime>`; the Umm al-Qura date and its offset; CLDR
//! plural forms on the tag, author and home lists; tag spellings folded into one tag; slugs
//! that never give one article two URLs and never keep invisible characters; `<bdi>` and
//! `lang`/`dir` for mixed-direction text; the reading time; and the theme's typography.
//!
//! Fixtures: `arabic-locales` (three articles dated 2025-03-15 14:30, 2025-07-15 09:00 and
//! 2025-12-15 09:00 in Africa/Cairo, two a page), `arabic-bidi` (a Latin author name, Latin
//! tags, code, an English passage and phrase) and `arabic-typography` (a space typed before
//! ، ؛ ؟ in every kind of block). The other sites are generated here, with any invisible or
//! decomposed character written as an escape so that it can be seen in this file.

use std::collections::{BTreeMap, BTreeSet};

use scraper::{ElementRef, Html};
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::links::assert_links_resolve;
use crate::model::{articles, checked_list};
use crate::support::{
    Output, Run, Workspace, attr, decode_href, inside_class, instant, one, path_for_file, select,
    select_in, text,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The `digits:` settings of `site.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Digits {
    Latn,
    Arab,
}

const BOTH_DIGITS: [Digits; 2] = [Digits::Latn, Digits::Arab];

impl Digits {
    fn setting(self) -> &'static str {
        match self {
            Digits::Latn => "latn",
            Digits::Arab => "arab",
        }
    }

    /// `n` as a reader of this setting expects it.
    fn num(self, n: usize) -> String {
        let latin = n.to_string();
        match self {
            Digits::Latn => latin,
            Digits::Arab => latin
                .chars()
                .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap()).unwrap())
                .collect(),
        }
    }

    /// Whether `c` is a digit of this setting.
    fn owns(self, c: char) -> bool {
        match self {
            Digits::Latn => c.is_ascii_digit(),
            Digits::Arab => ('\u{0660}'..='\u{0669}').contains(&c),
        }
    }

    /// Panics unless `text` has digits and every one of them is of this setting.
    fn assert_all_in(self, what: &str, text: &str) {
        let found: Vec<char> = text.chars().filter(|c| c.is_numeric()).collect();
        assert!(!found.is_empty(), "{what}: no digits in {text:?}");
        assert!(
            found.iter().all(|c| self.owns(*c)),
            "{what}: {text:?} must be written in `digits: {}` only",
            self.setting()
        );
    }
}

/// "n articles" as CLDR's Arabic plural rules say it, for the counts these tests use.
fn articles_phrase(n: usize, digits: Digits) -> String {
    match n {
        1 => "مقال واحد".to_string(),
        2 => "مقالان".to_string(),
        3..=10 => format!("{} مقالات", digits.num(n)),
        11..=99 => format!("{} مقالًا", digits.num(n)),
        _ => panic!("no expected phrase for {n} in these tests"),
    }
}

/// Sets top-level keys of the site's `site.yaml`, replacing the lines they had.
fn configure(ws: &Workspace, settings: &[(&str, &str)]) {
    let path = ws.site().join("site.yaml");
    let old = std::fs::read_to_string(&path).unwrap();
    let mut yaml: String = old
        .lines()
        .filter(|line| {
            !settings
                .iter()
                .any(|(key, _)| line.starts_with(&format!("{key}:")))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    for (key, value) in settings {
        yaml.push_str(&format!("{key}: {value}\n"));
    }
    std::fs::write(path, yaml).unwrap();
}

/// A generated site with one category (`local`) and one author (`noura`).
fn generated_site(extra_config: &str) -> Workspace {
    let ws = Workspace::empty();
    ws.write(
        "site.yaml",
        &format!(
            "title: أخبار مولدة\ndescription: موقع للاختبار\nbase_url: https://example.com/\n\
             language: ar-EG\ntimezone: Africa/Cairo\n{extra_config}categories:\n  - {{ slug: local, name: محليات }}\n"
        ),
    );
    ws.write(
        "content/authors/noura.md",
        "---\nname: نورا سمير\n---\n\nمراسلة محلية.\n",
    );
    ws
}

/// An article of the generated sites; `tags` is the YAML list as written (`[أ, ب]`).
fn article_source(title: &str, date: &str, tags: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nauthor: noura\ncategory: local\ntags: {tags}\n---\n\n{body}\n"
    )
}

/// Builds and expects a failure.
fn build_fails(ws: &Workspace) -> Run {
    let run = ws.build(&[]);
    assert!(
        !run.success,
        "the build must fail\n--- stdout\n{}\n--- stderr\n{}",
        run.stdout, run.stderr
    );
    run
}

/// The article page's own `time[datetime]` (not one of a card).
fn own_time<'a>(doc: &'a Html, path: &str) -> ElementRef<'a> {
    select(doc, "main time[datetime]")
        .into_iter()
        .find(|t| !inside_class(*t, "card"))
        .unwrap_or_else(|| panic!("{path}: no time[datetime] of its own"))
}

/// The site path of the article titled `title`.
fn path_of(out: &Output, title: &str) -> String {
    articles(out)
        .into_iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("no article page titled {title}"))
        .path
}

/// The words of a visible text: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `phrase` (one or more words) occurs as whole words in `text`.
fn has_words(text: &str, phrase: &str) -> bool {
    let text = words(text);
    let phrase = words(phrase);
    text.windows(phrase.len()).any(|w| w == phrase.as_slice())
}

/// The `/tags/` index as (name, count text, tag page path) in page order.
fn tag_index(out: &Output) -> Vec<(String, String, String)> {
    let doc = out.page("/tags/");
    select(&doc, "ul.terms li")
        .into_iter()
        .map(|li| {
            let link = select_in(li, "a");
            assert_eq!(link.len(), 1, "a term needs one link: {}", li.html());
            let count = select_in(li, ".count");
            assert_eq!(count.len(), 1, "a term needs one count: {}", li.html());
            (
                text(link[0]),
                text(count[0]),
                decode_href(attr(link[0], "href")),
            )
        })
        .collect()
}

/// The count phrase in a list page's header.
fn header_count(out: &Output, path: &str) -> String {
    text(one(&out.page(path), ".list-header .count"))
}

/// Characters no URL, file name or id may keep: C0/C1 controls, bidi marks, embeddings,
/// overrides and isolates, the Arabic letter mark, zero-width characters.
fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

// ---------------------------------------------------------------------------------------------
// 1. Dates and digits in every locale
// ---------------------------------------------------------------------------------------------

const MARCH_TITLE: &str = "المجلس البلدي يقر موازنة العام الجديد";
const JULY_TITLE: &str = "موجة حر تضرب المدينة في منتصف الصيف";
const DECEMBER_TITLE: &str = "أمطار غزيرة تغلق طرقا فرعية في الأحياء الشرقية";

/// Each locale with the names its readers use for March, July and December.
const LOCALES: &[(&str, &str, &str, &str)] = &[
    ("ar-EG", "مارس", "يوليو", "ديسمبر"),
    ("ar-SY", "آذار", "تموز", "كانون الأول"),
    ("ar-LB", "آذار", "تموز", "كانون الأول"),
    ("ar-JO", "آذار", "تموز", "كانون الأول"),
    // Not in the list, but README names ar-IQ with the Levant.
    ("ar-IQ", "آذار", "تموز", "كانون الأول"),
    ("ar-MA", "مارس", "يوليوز", "دجنبر"),
    ("ar-DZ", "مارس", "جويلية", "ديسمبر"),
    ("ar-TN", "مارس", "جويلية", "ديسمبر"),
];

#[test]
fn dates_counts_and_pages_follow_the_locale_and_digits() {
    let ws = Workspace::fixture("arabic-locales");
    for &(language, march, july, december) in LOCALES {
        for digits in BOTH_DIGITS {
            configure(&ws, &[("language", language), ("digits", digits.setting())]);
            let out = ws.build_ok(&[]);
            let case = format!("{language}, digits {}", digits.setting());

            // Wall time in Cairo, the instant, and the month each region expects.
            let expected = [
                (
                    MARCH_TITLE,
                    "2025-03-15T14:30",
                    "2025-03-15T12:30:00Z",
                    march,
                ),
                (JULY_TITLE, "2025-07-15T09:00", "2025-07-15T06:00:00Z", july),
                (
                    DECEMBER_TITLE,
                    "2025-12-15T09:00",
                    "2025-12-15T07:00:00Z",
                    december,
                ),
            ];
            for (title, local, utc, month) in expected {
                let path = path_of(&out, title);
                let doc = out.page(&path);
                assert_eq!(attr(one(&doc, "html"), "lang"), language, "{case}: {path}");
                assert_eq!(attr(one(&doc, "html"), "dir"), "rtl", "{case}: {path}");

                let time = own_time(&doc, &path);
                let datetime = attr(time, "datetime");
                assert!(
                    datetime.is_ascii() && datetime.starts_with(local),
                    "{case}: {path}: datetime {datetime:?} is not ISO 8601 in Latin digits \
                     starting {local}"
                );
                assert_eq!(instant(datetime), instant(utc), "{case}: {path}");

                let shown = text(time);
                assert!(
                    has_words(&shown, month),
                    "{case}: {path}: the date {shown:?} should name the month {month}"
                );
                let day_and_year = [digits.num(15), digits.num(2025)];
                for part in &day_and_year {
                    assert!(
                        words(&shown).contains(part),
                        "{case}: {path}: the date {shown:?} should show {part}"
                    );
                }
                digits.assert_all_in(&format!("{case}: {path}: date"), &shown);

                let reading = text(one(&doc, ".reading-time"));
                assert_eq!(
                    reading,
                    format!("دقائق القراءة: {}", digits.num(1)),
                    "{case}: {path}"
                );
            }

            // Egypt's summer time: +03:00 in July, +02:00 in December and mid-March.
            for (title, offset) in [
                (MARCH_TITLE, "+02:00"),
                (JULY_TITLE, "+03:00"),
                (DECEMBER_TITLE, "+02:00"),
            ] {
                let path = path_of(&out, title);
                let doc = out.page(&path);
                let datetime = attr(own_time(&doc, &path), "datetime");
                assert!(
                    datetime.ends_with(offset),
                    "{case}: {path}: datetime {datetime:?} should end {offset}"
                );
            }

            // Card dates on the home page are in the same digits.
            for time in select(&out.page("/"), "main .card time") {
                digits.assert_all_in(&format!("{case}: card date on /"), &text(time));
            }

            // Counts on /tags/: المدينة is on all three articles.
            let index = tag_index(&out);
            let city = index
                .iter()
                .find(|(name, _, _)| name == "المدينة")
                .unwrap_or_else(|| panic!("{case}: /tags/ lacks المدينة: {index:?}"));
            assert_eq!(city.1, articles_phrase(3, digits), "{case}: /tags/ count");
            for (name, count, _) in &index {
                assert!(
                    count.chars().all(|c| !c.is_numeric() || digits.owns(c)),
                    "{case}: /tags/ count of {name}: {count:?}"
                );
            }

            // Pagination: three articles at two a page.
            let second = out.page("/page/2/");
            assert_eq!(
                text(one(&second, "nav.pagination .page-of")),
                format!("صفحة {} من {}", digits.num(2), digits.num(2)),
                "{case}: /page/2/"
            );
            let labels: Vec<String> = select(&second, "nav.pagination a:not([rel])")
                .into_iter()
                .map(text)
                .collect();
            assert_eq!(
                labels,
                [digits.num(1), digits.num(2)],
                "{case}: page numbers on /page/2/"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Hijri
// ---------------------------------------------------------------------------------------------

#[test]
fn hijri_date_shows_umm_al_qura_with_its_offset() {
    let ws = Workspace::fixture("arabic-locales");
    for digits in BOTH_DIGITS {
        for (offset, day) in [("0", 15), ("-1", 14), ("1", 16)] {
            configure(
                &ws,
                &[
                    ("digits", digits.setting()),
                    ("hijri", "true"),
                    ("hijri_offset", offset),
                ],
            );
            let out = ws.build_ok(&[]);
            let path = path_of(&out, MARCH_TITLE);
            let doc = out.page(&path);
            assert_eq!(
                text(one(&doc, ".hijri")),
                format!("{} رمضان {} هـ", digits.num(day), digits.num(1446)),
                "digits {}, hijri_offset {offset}",
                digits.setting()
            );
            // The Gregorian date and the machine date are untouched by the offset.
            assert_eq!(
                instant(attr(own_time(&doc, &path), "datetime")),
                instant("2025-03-15T12:30:00Z")
            );
        }
    }

    configure(&ws, &[("hijri", "false"), ("hijri_offset", "0")]);
    let out = ws.build_ok(&[]);
    for (path, doc) in out.pages() {
        assert!(
            select(&doc, ".hijri").is_empty(),
            "{path}: a Hijri date with `hijri: false`"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Plural forms on the pages
// ---------------------------------------------------------------------------------------------

#[test]
fn counts_use_the_six_arabic_plural_forms() {
    // Tags used by 11, 3, 2 and 1 of eleven articles.
    let uses = [
        ("الاقتصاد", 11),
        ("الرياضة", 3),
        ("الصحة", 2),
        ("التعليم", 1),
    ];
    for digits in BOTH_DIGITS {
        let ws = generated_site(&format!("digits: {}\n", digits.setting()));
        for i in 1..=11usize {
            let tags: Vec<&str> = uses
                .iter()
                .filter(|(_, n)| i <= *n)
                .map(|(tag, _)| *tag)
                .collect();
            ws.write(
                &format!("content/articles/market-{i:02}.md"),
                &article_source(
                    &format!("تقرير السوق الأسبوعي رقم {i}"),
                    &format!("2025-01-{i:02} 10:00"),
                    &format!("[{}]", tags.join(", ")),
                    "ارتفعت أسعار الخضار في الأسواق هذا الأسبوع.",
                ),
            );
        }
        // An author with nothing published yet: the zero form.
        ws.write(
            "content/authors/rami.md",
            "---\nname: رامي فؤاد\n---\n\nينضم قريبا.\n",
        );
        let out = ws.build_ok(&[]);
        let case = format!("digits {}", digits.setting());

        let index = tag_index(&out);
        let listed: BTreeMap<&str, &str> = index
            .iter()
            .map(|(name, count, _)| (name.as_str(), count.as_str()))
            .collect();
        let expected: BTreeMap<&str, String> = uses
            .iter()
            .map(|(tag, n)| (*tag, articles_phrase(*n, digits)))
            .collect();
        assert_eq!(
            listed,
            expected
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<BTreeMap<_, _>>(),
            "{case}: /tags/"
        );
        if digits == Digits::Latn {
            assert_eq!(expected["الرياضة"], "3 مقالات");
            assert_eq!(expected["الاقتصاد"], "11 مقالًا");
        } else {
            assert_eq!(expected["الرياضة"], "٣ مقالات");
            assert_eq!(expected["الاقتصاد"], "١١ مقالًا");
        }

        // Each tag page says the same in its header.
        for (name, count, path) in &index {
            assert_eq!(&header_count(&out, path), count, "{case}: {path} ({name})");
        }

        // The author, home and category lists count the same way.
        assert_eq!(
            header_count(&out, "/authors/noura/"),
            articles_phrase(11, digits),
            "{case}"
        );
        // (The home's first page is the front page; its list header is on page 2.)
        assert_eq!(
            header_count(&out, "/page/2/"),
            articles_phrase(11, digits),
            "{case}"
        );
        assert_eq!(
            header_count(&out, "/local/"),
            articles_phrase(11, digits),
            "{case}"
        );
        let authors: BTreeMap<String, String> = select(&out.page("/authors/"), "ul.terms li")
            .into_iter()
            .map(|li| {
                (
                    text(select_in(li, "a")[0]),
                    text(select_in(li, ".count")[0]),
                )
            })
            .collect();
        assert_eq!(
            authors,
            BTreeMap::from([
                ("نورا سمير".to_string(), articles_phrase(11, digits)),
                ("رامي فؤاد".to_string(), "لا مقالات".to_string()),
            ]),
            "{case}: /authors/"
        );
        assert_eq!(header_count(&out, "/authors/rami/"), "لا مقالات", "{case}");

        // Eleven articles at ten a page: "صفحة ٢ من ٢" on the second page of the big tag.
        let economy = &index.iter().find(|(n, _, _)| n == "الاقتصاد").unwrap().2;
        let second = out.page(&format!("{economy}page/2/"));
        assert_eq!(
            text(one(&second, ".page-of")),
            format!("صفحة {} من {}", digits.num(2), digits.num(2)),
            "{case}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Tag variants
// ---------------------------------------------------------------------------------------------

/// Seven articles; the tags as written in each (YAML flow lists).
const VARIANT_TAGS: [&str; 7] = [
    "[السعودية, الإمارات, مستشفى]",
    "[السعودية, الإمارات, مستشفى]",
    "[السعودية, الامارات, مستشفي]",
    "[السعوديه, الأمارات]",
    "[السعوديّة, آسيا]",
    "[الـسعودية, آسيا]",
    "[\" السعودية \", اسيا]",
];

fn tag_variant_site(merge: bool) -> Workspace {
    let ws = generated_site(&format!("merge_tag_variants: {merge}\n"));
    for (i, tags) in VARIANT_TAGS.iter().enumerate() {
        ws.write(
            &format!("content/articles/gulf-{}.md", i + 1),
            &article_source(
                &format!("زيارة رسمية جديدة رقم {}", i + 1),
                &format!("2025-02-{:02} 10:00", i + 1),
                tags,
                "وصل الوفد الرسمي صباح اليوم في زيارة تستمر يومين.",
            ),
        );
    }
    ws
}

/// Tag name → (count text, path) from `/tags/`.
fn tags_by_name(out: &Output) -> BTreeMap<String, (String, String)> {
    let index = tag_index(out);
    let map: BTreeMap<String, (String, String)> = index
        .iter()
        .map(|(name, count, path)| (name.clone(), (count.clone(), path.clone())))
        .collect();
    assert_eq!(map.len(), index.len(), "two tags share a name: {index:?}");
    map
}

/// The article paths a tag's list holds.
fn tag_members(out: &Output, path: &str) -> BTreeSet<String> {
    checked_list(out, path, 10)
        .into_iter()
        .map(|c| c.path)
        .collect()
}

#[test]
fn tag_spellings_fold_into_one_tag_named_by_the_most_used() {
    let ws = tag_variant_site(true);
    let run = ws.build(&[]);
    run.expect_success();
    let out = Output::new(ws.output());
    let all: BTreeSet<String> = articles(&out).into_iter().map(|a| a.path).collect();
    assert_eq!(all.len(), 7);

    let tags = tags_by_name(&out);
    let names: Vec<&str> = tags.keys().map(String::as_str).collect();
    assert_eq!(
        names.iter().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(["السعودية", "الإمارات", "آسيا", "مستشفى"]),
        "one tag per group, named by its most used spelling"
    );

    let saudi = &tags["السعودية"];
    assert_eq!(saudi.0, "7 مقالات");
    assert_eq!(saudi.1, "/tags/السعودية/");
    let page = out.page(&saudi.1);
    assert_eq!(text(one(&page, "main h1")), "السعودية");
    assert_eq!(tag_members(&out, &saudi.1), all, "the tag lists all seven");

    // Every article shows the one tag under its shown name, whatever was typed.
    for info in articles(&out) {
        let doc = out.page(&info.path);
        let shown: Vec<(String, String)> = select(&doc, "nav.tags a")
            .into_iter()
            .map(|a| (text(a), decode_href(attr(a, "href"))))
            .collect();
        assert!(
            shown.contains(&("السعودية".to_string(), "/tags/السعودية/".to_string())),
            "{}: tags {shown:?}",
            info.path
        );
    }

    for (name, articles_n) in [("الإمارات", 4), ("آسيا", 3), ("مستشفى", 3)] {
        let (count, path) = &tags[name];
        assert_eq!(count, &articles_phrase(articles_n, Digits::Latn), "{name}");
        assert_eq!(tag_members(&out, path).len(), articles_n, "{path}");
    }

    // The build names each merged group, so editors can tidy up.
    let groups: [(&str, &[&str]); 4] = [
        ("السعودية", &["السعوديه", "السعوديّة"]),
        ("الإمارات", &["الامارات", "الأمارات"]),
        ("آسيا", &["اسيا"]),
        ("مستشفى", &["مستشفي"]),
    ];
    for (name, others) in groups {
        assert!(
            run.stderr
                .lines()
                .any(|line| line.contains(name) && others.iter().all(|o| line.contains(o))),
            "stderr should name the spellings {others:?} merged into {name}:\n{}",
            run.stderr
        );
    }
}

#[test]
fn merge_tag_variants_false_keeps_letter_variants_apart() {
    let ws = tag_variant_site(false);
    let out = ws.build_ok(&[]);
    let tags = tags_by_name(&out);
    let names: BTreeSet<&str> = tags.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "السعودية",
            "السعوديه",
            "الإمارات",
            "الامارات",
            "الأمارات",
            "آسيا",
            "اسيا",
            "مستشفى",
            "مستشفي",
        ]),
    );
    // Tashkeel, tatweel and spaces still fold: they share a slug.
    let saudi = &tags["السعودية"];
    assert_eq!(saudi.0, "6 مقالات");
    assert_eq!(tag_members(&out, &saudi.1).len(), 6);
    let ha = &tags["السعوديه"];
    assert_eq!(ha.1, "/tags/السعوديه/");
    assert_eq!(ha.0, "مقال واحد");
    let members = tag_members(&out, &ha.1);
    assert_eq!(members.len(), 1);
    assert!(tag_members(&out, &saudi.1).is_disjoint(&members));
}

// ---------------------------------------------------------------------------------------------
// 5. Slugs
// ---------------------------------------------------------------------------------------------

#[test]
fn titles_that_differ_only_invisibly_collide_and_name_both_files() {
    let nfc = "آخر أخبار الطقس في الإسكندرية";
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfc, nfd);
    let pairs: [(&str, &str, &str); 5] = [
        (
            "tashkeel",
            "مُحَمَّد صلاح يعود إلى التدريبات",
            "محمد صلاح يعود إلى التدريبات",
        ),
        (
            "tatweel",
            "الـمـنـتـخـب يـفـوز بالـلـقـب",
            "المنتخب يفوز باللقب",
        ),
        ("NFC/NFD", nfc, nfd.as_str()),
        ("dagger alef", "هٰذا هو الحل الأخير", "هذا هو الحل الأخير"),
        (
            "bidi mark",
            "\u{200F}خبر عاجل من القاهرة\u{200E}",
            "خبر عاجل من القاهرة",
        ),
    ];
    for (why, first, second) in pairs {
        let ws = generated_site("");
        ws.write(
            "content/articles/first.md",
            &article_source(first, "2025-05-01 10:00", "[]", "نص الخبر الأول."),
        );
        ws.write(
            "content/articles/second.md",
            &article_source(second, "2025-05-02 10:00", "[]", "نص الخبر الثاني."),
        );
        let run = build_fails(&ws);
        for file in ["content/articles/first.md", "content/articles/second.md"] {
            assert!(
                run.stderr.contains(file),
                "{why}: stderr must name {file}:\n{}",
                run.stderr
            );
        }
        assert!(
            run.stderr.contains("slug"),
            "{why}: stderr should suggest a `slug:`:\n{}",
            run.stderr
        );
    }
}

#[test]
fn title_without_letters_asks_for_a_slug() {
    let ws = generated_site("");
    ws.write(
        "content/articles/question.md",
        &article_source("؟؟؟ !!!", "2025-05-01 10:00", "[]", "نص."),
    );
    ws.write(
        "content/articles/party.md",
        &article_source("🎉🎉 ✨", "2025-05-02 10:00", "[]", "نص."),
    );
    let run = build_fails(&ws);
    for file in ["content/articles/question.md", "content/articles/party.md"] {
        assert!(
            run.stderr.contains(file),
            "stderr must name {file}:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("slug:"),
        "stderr must ask for `slug:`:\n{}",
        run.stderr
    );

    // With a `slug:` each gets its URL.
    ws.write(
        "content/articles/question.md",
        "---\ntitle: \"؟؟؟ !!!\"\nslug: questions\ndate: 2025-05-01 10:00\nauthor: noura\ncategory: local\n---\n\nنص.\n",
    );
    ws.write(
        "content/articles/party.md",
        "---\ntitle: \"🎉🎉 ✨\"\nslug: احتفال\ndate: 2025-05-02 10:00\nauthor: noura\ncategory: local\n---\n\nنص.\n",
    );
    let out = ws.build_ok(&[]);
    assert_eq!(path_of(&out, "؟؟؟ !!!"), "/local/questions/");
    assert_eq!(path_of(&out, "🎉🎉 ✨"), "/local/احتفال/");
}

#[test]
fn arabic_indic_digits_in_titles_become_ascii_in_urls() {
    let ws = generated_site("");
    ws.write(
        "content/articles/riyadh.md",
        &article_source("الرياض ٢٠٢٥", "2025-05-01 10:00", "[]", "نص."),
    );
    ws.write(
        "content/articles/cup.md",
        &article_source(
            "كأس العالم ۲۰۳۴",
            "2025-05-02 10:00",
            "[\"موسم ٢٠٢٥\"]",
            "نص.",
        ),
    );
    let out = ws.build_ok(&[]);
    assert_eq!(path_of(&out, "الرياض ٢٠٢٥"), "/local/الرياض-2025/");
    assert_eq!(path_of(&out, "كأس العالم ۲۰۳۴"), "/local/كأس-العالم-2034/");
    assert!(
        out.has_page("/tags/موسم-2025/"),
        "tag slug keeps ASCII digits"
    );
}

#[test]
fn every_path_and_id_is_nfc_without_invisible_controls() {
    let nfd = |s: &str| s.nfd().collect::<String>();
    let ws = generated_site("");
    // An author whose file name a Mac wrote decomposed.
    ws.write(
        &format!("content/authors/{}.md", nfd("أحمد-سامي")),
        "---\nname: \"\u{200F}أحمد سامي\"\n---\n\nمراسل.\n",
    );
    ws.write(
        &format!("content/pages/{}.md", nfd("إعلانات")),
        "---\ntitle: إعلانات\n---\n\nللإعلان في الموقع.\n",
    );
    ws.write(
        "content/articles/port.md",
        &format!(
            "---\ntitle: \"\u{202B}عاجل\u{202C}: انفجار في \u{2067}الميناء\u{2069} الشرقي\"\n\
             date: 2025-06-01 10:00\nauthor: أحمد-سامي\ncategory: local\n\
             tags: [\"\u{200F}القاهرة\u{200E}\", \"{}\", \"\u{061C}الجيزة\", \"الأقصر\u{2066}\"]\n---\n\n\
             وقع انفجار في الميناء صباح اليوم.\n\n## \u{202E}نتائج\u{202C} التحقيق\n\nنص.\n\n\
             ## {} المستجدات\n\nنص.\n\n## \u{2068}ماذا\u{2069} بعد\u{200D}؟\n\nنص.\n\n## أول\tثاني\n\nنص.\n",
            nfd("الإسكندرية"),
            nfd("آخر")
        ),
    );
    ws.write(
        "content/articles/road.md",
        &article_source(
            &nfd("إِعَادَة فَتْح الطَّرِيق السَّرِيع"),
            "2025-06-02 10:00",
            &format!("[\"{}\"]", nfd("الإسكندرية")),
            &format!("## {}\n\nنص.", nfd("آخِر الأخبار")),
        ),
    );
    let out = ws.build_ok(&[]);
    assert_links_resolve(&out, "https://example.com/");
    assert!(out.has_page("/authors/أحمد-سامي/"));
    assert!(out.has_page("/إعلانات/"));
    assert!(out.has_page("/tags/الإسكندرية/"));

    for file in out.files() {
        let path = path_for_file(&file);
        assert!(is_nfc(&path), "output path {path:?} is not NFC");
        assert!(
            !path.chars().any(is_invisible_control),
            "output path {path:?} keeps a control or bidi character"
        );
    }
    let mut id_count = 0;
    for (path, doc) in out.pages() {
        for el in select(&doc, "[id]") {
            let id = attr(el, "id");
            id_count += 1;
            assert!(is_nfc(id), "{path}: id {id:?} is not NFC");
            assert!(
                !id.chars().any(is_invisible_control),
                "{path}: id {id:?} keeps a control or bidi character"
            );
        }
    }
    assert!(id_count > 0);
    // One article, one URL: both articles are there, once each.
    assert_eq!(articles(&out).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// 6. Bidi
// ---------------------------------------------------------------------------------------------

/// Panics unless every element matching `selector` on every page has its whole text inside
/// one `<bdi>`; returns how many there were.
fn assert_isolated(out: &Output, selector: &str) -> usize {
    let mut seen = 0;
    for (path, doc) in out.pages() {
        for el in select(&doc, selector) {
            seen += 1;
            let full = text(el);
            assert!(!full.is_empty(), "{path}: empty `{selector}`");
            let bdis = select_in(el, "bdi");
            assert!(
                bdis.len() == 1 && text(bdis[0]) == full,
                "{path}: `{selector}` {full:?} is not wrapped in one <bdi>: {}",
                el.html()
            );
        }
    }
    seen
}

#[test]
fn names_tags_and_titles_are_isolated_and_code_reads_left_to_right() {
    let ws = Workspace::fixture("arabic-bidi");
    let out = ws.build_ok(&[]);

    for selector in [
        ".author-name",
        ".card-author",
        "nav.tags a",
        ".card-title",
        "ul.terms a",
    ] {
        assert!(
            assert_isolated(&out, selector) > 0,
            "no `{selector}` anywhere: the check saw nothing"
        );
    }
    let squash = path_of(&out, "لاعبة مصرية تفوز ببطولة Jeddah Squash Open 2025");
    let doc = out.page(&squash);
    let authors: Vec<String> = select(&doc, ".author-name bdi")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(authors, ["Lina Haddad", "عمر فاروق"]);
    let tags: Vec<String> = select(&doc, "nav.tags a bdi")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(tags, ["PSA", "الإسكواش", "Jeddah 2025"]);

    // `:::en` … `:::` is one element lang="en" dir="ltr" holding its paragraph.
    let english = select(&doc, ".prose [lang=en]");
    let passage: Vec<&ElementRef> = english
        .iter()
        .filter(|el| el.value().name() != "span")
        .collect();
    assert_eq!(passage.len(), 1, "one English passage");
    assert_eq!(attr(*passage[0], "dir"), "ltr");
    let paragraphs: Vec<String> = select_in(*passage[0], "p").into_iter().map(text).collect();
    assert_eq!(
        paragraphs,
        ["The champion said the final \"was the hardest match of my career\"."]
    );
    assert!(
        !text(one(&doc, ".prose")).contains(":::"),
        "the fence markers are published"
    );

    // `[Jeddah Open](lang:en)` is a span, not a link.
    let span = one(&doc, ".prose span[lang=en]");
    assert_eq!(attr(span, "dir"), "ltr");
    assert_eq!(text(span), "Jeddah Open");
    assert!(select(&doc, "a[href^='lang:']").is_empty());

    // Code: inline and both kinds of blocks.
    let release = out.page(&path_of(
        &out,
        "إطلاق الإصدار 2.0 من أداة qissa لبناء المواقع",
    ));
    let blocks = select(&release, ".prose pre");
    assert_eq!(blocks.len(), 2, "a fenced and an indented block");
    for pre in &blocks {
        assert_eq!(attr(*pre, "dir"), "ltr", "{}", pre.html());
    }
    let inline: Vec<ElementRef> = select(&release, ".prose code")
        .into_iter()
        .filter(|c| {
            !c.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "pre")
        })
        .collect();
    let inline_text: Vec<String> = inline.iter().map(|c| text(*c)).collect();
    assert_eq!(inline_text, ["cargo install qissa", "qissa build"]);
    for code in inline {
        assert_eq!(attr(code, "dir"), "ltr", "{}", code.html());
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Reading time
// ---------------------------------------------------------------------------------------------

/// 800 Arabic words: 80 sentences of ten words, eight to a paragraph.
fn long_body() -> String {
    let sentence = "أعلنت الحكومة اليوم خطة جديدة لتطوير النقل العام في المدينة.";
    assert_eq!(words(sentence).len(), 10);
    let paragraph = [sentence; 8].join(" ");
    [paragraph.as_str(); 10].join("\n\n")
}

#[test]
fn reading_time_counts_arabic_words() {
    for (wpm, minutes) in [(200, 4), (100, 8)] {
        for digits in BOTH_DIGITS {
            let ws = generated_site(&format!(
                "words_per_minute: {wpm}\ndigits: {}\n",
                digits.setting()
            ));
            ws.write(
                "content/articles/transport.md",
                &article_source(
                    "خطة جديدة للنقل العام",
                    "2025-05-01 10:00",
                    "[]",
                    &long_body(),
                ),
            );
            let out = ws.build_ok(&[]);
            let doc = out.page(&path_of(&out, "خطة جديدة للنقل العام"));
            assert_eq!(
                text(one(&doc, ".reading-time")),
                format!("دقائق القراءة: {}", digits.num(minutes)),
                "words_per_minute {wpm}, digits {}",
                digits.setting()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Typography
// ---------------------------------------------------------------------------------------------

/// One declaration of a style sheet and the selector of its rule.
#[derive(Debug)]
struct Declaration {
    selector: String,
    property: String,
    value: String,
}

/// The declarations of a style sheet (comments removed; at-rules only group their rules).
fn declarations(css: &str) -> Vec<Declaration> {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        plain.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("unclosed CSS comment");
        rest = &rest[start + end + 2..];
    }
    plain.push_str(rest);

    let mut out = Vec::new();
    let mut rules: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut flush = |rules: &[String], buffer: &mut String| {
        if let (Some(selector), Some((property, value))) = (rules.last(), buffer.split_once(':')) {
            out.push(Declaration {
                selector: selector.clone(),
                property: property.trim().to_ascii_lowercase(),
                value: value
                    .trim()
                    .trim_end_matches("!important")
                    .trim()
                    .to_ascii_lowercase(),
            });
        }
        buffer.clear();
    };
    for c in plain.chars() {
        match c {
            '{' => {
                rules.push(buffer.split_whitespace().collect::<Vec<_>>().join(" "));
                buffer.clear();
            }
            ';' => flush(&rules, &mut buffer),
            '}' => {
                flush(&rules, &mut buffer);
                rules.pop();
            }
            c => buffer.push(c),
        }
    }
    out
}

/// Physical left/right declarations the theme may keep, with why.
const ALLOWED_PHYSICAL: &[(&str, &str, &str)] = &[(
    // Code blocks are `direction: ltr` (and `dir="ltr"`), so their start is their left: this
    // only spells out what `start` would mean inside them.
    ".prose pre",
    "text-align",
    "left",
)];

#[test]
fn theme_css_never_spaces_justifies_or_uses_physical_sides() {
    for css in ["qissa/static/css/qissa.css", "jarida/static/css/jarida.css"] {
        let themes = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        check_theme_css(&themes.join(css));
    }
}

/// The rules of [`theme_css_never_spaces_justifies_or_uses_physical_sides`] for one theme.
fn check_theme_css(css_path: &std::path::Path) {
    let css = std::fs::read_to_string(css_path).unwrap();
    let decls = declarations(&css);
    assert!(
        decls.len() > 50,
        "the CSS parser found too little: {decls:?}"
    );

    let mut faults = Vec::new();
    for d in &decls {
        let value_words: Vec<&str> = d
            .value
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        let fault = if d.property == "letter-spacing" && d.value != "normal" {
            Some("letter-spacing other than normal")
        } else if d.property.starts_with("text-align") && value_words.contains(&"justify") {
            Some("justified text")
        } else if d.property == "text-justify" {
            Some("text-justify")
        } else if d.property.split('-').any(|p| p == "left" || p == "right") {
            Some("a physical left/right property")
        } else if matches!(d.property.as_str(), "float" | "clear" | "text-align")
            && value_words.iter().any(|w| *w == "left" || *w == "right")
        {
            Some("a physical left/right value")
        } else {
            None
        };
        let allowed = ALLOWED_PHYSICAL
            .iter()
            .any(|(s, p, v)| d.selector == *s && d.property == *p && d.value == *v);
        if let Some(why) = fault
            && !allowed
        {
            faults.push(format!(
                "{why}: {} {{ {}: {} }}",
                d.selector, d.property, d.value
            ));
        }
    }
    assert!(
        faults.is_empty(),
        "{}: {}",
        css_path.display(),
        faults.join("\n")
    );

    let body: Vec<f64> = decls
        .iter()
        .filter(|d| d.selector == "body" && d.property == "line-height")
        .map(|d| {
            d.value
                .parse()
                .unwrap_or_else(|_| panic!("body line-height {:?} is not a number", d.value))
        })
        .collect();
    assert!(!body.is_empty(), "body sets no line-height");
    assert!(
        body.iter().all(|lh| *lh >= 1.6),
        "body line-height {body:?} is too tight for Naskh/Kufi faces"
    );
}

const MARKS: [char; 3] = ['،', '؛', '؟'];

/// The raw text (no white space collapsed) of the lead and body of an article page.
fn prose_text(doc: &Html) -> String {
    select(doc, "main .lead, main .prose")
        .into_iter()
        .map(|el| el.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// For each ، ؛ ؟ in `text` preceded by white space: the white space run before it.
fn space_before_marks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !MARKS.contains(c) {
            continue;
        }
        let start = (0..i)
            .rev()
            .take_while(|j| chars[*j].is_whitespace())
            .last();
        if let Some(start) = start {
            runs.push(chars[start..i].iter().collect());
        }
    }
    runs
}

#[test]
fn space_before_arabic_punctuation_becomes_no_break() {
    let ws = Workspace::fixture("arabic-typography");
    let source =
        std::fs::read_to_string(ws.site().join("content/articles/coach-silence.md")).unwrap();
    let body = source.splitn(3, "---\n").nth(2).unwrap();
    let typed = MARKS
        .iter()
        .map(|m| body.matches(&format!(" {m}")).count())
        .sum::<usize>();
    assert!(
        typed >= 10,
        "the fixture types a space before {typed} marks"
    );

    let out = ws.build_ok(&[]);
    let doc = out.page(&path_of(&out, "المدرب يلتزم الصمت بعد الخسارة الثالثة"));
    let prose = prose_text(&doc);
    let runs = space_before_marks(&prose);
    assert_eq!(
        runs.len(),
        typed,
        "every mark typed after a space is still after one: {runs:?}"
    );
    for run in &runs {
        assert_eq!(
            run, "\u{a0}",
            "a mark after {run:?} may start a line; it needs exactly one no-break space"
        );
    }

    // «» and English quotes, `--` and `...` stay as typed (smart punctuation is off).
    let quotes = select(&doc, ".prose p")
        .into_iter()
        .map(text)
        .find(|t| t.starts_with("قال:"))
        .expect("the quotes paragraph");
    assert_eq!(quotes, "قال: «نعم» وقال بالإنجليزية \"yes\" -- ثم سكت...");
}

#[test]
fn several_spaces_before_arabic_punctuation_leave_no_break_point() {
    // A line may break at an ordinary space even before U+00A0 (UAX #14), so the whole run
    // of spaces typed before ، ؛ ؟ must become one no-break space.
    let ws = generated_site("");
    ws.write(
        "content/articles/spaces.md",
        &article_source(
            "قارئ يكتب بمسافتين",
            "2025-05-01 10:00",
            "[]",
            "مقدمة الخبر.\n\nكتب أحد القراء بمسافتين  ، ثم سأل بثلاث   ؟ وأنهى هكذا.",
        ),
    );
    let out = ws.build_ok(&[]);
    let doc = out.page(&path_of(&out, "قارئ يكتب بمسافتين"));
    let runs = space_before_marks(&prose_text(&doc));
    assert_eq!(runs.len(), 2, "{runs:?}");
    for run in &runs {
        assert_eq!(
            run, "\u{a0}",
            "a mark after {run:?} may start a line; it needs exactly one no-break space"
        );
    }
}

#[test]
fn space_before_arabic_punctuation_in_titles_is_no_break() {
    // Headlines are where Arabic news puts ؟ most: the <h1> and every card title must keep
    // the mark with its word too.
    let title = "هل تعود الموازنة ؟ وماذا بعد ، يا مجلس";
    let ws = generated_site("");
    ws.write(
        "content/articles/budget.md",
        &article_source(title, "2025-05-01 10:00", "[]", "نص الخبر."),
    );
    ws.write(
        "content/articles/other.md",
        &article_source("خبر آخر من المجلس", "2025-05-02 10:00", "[]", "نص."),
    );
    let out = ws.build_ok(&[]);
    let path = path_of(&out, title);
    let article = out.page(&path);
    let other = out.page(&path_of(&out, "خبر آخر من المجلس"));
    let home = out.page("/");
    let shown: Vec<(String, String)> = [
        (format!("{path} h1"), one(&article, "main h1")),
        ("/ card title".to_string(), {
            let cards = select(&home, ".story-title, .card-title");
            *cards
                .iter()
                .find(|c| text(**c).starts_with("هل تعود"))
                .expect("the card on /")
        }),
        (
            "more card title".to_string(),
            one(&other, ".more .card-title"),
        ),
    ]
    .into_iter()
    .map(|(what, el)| (what, el.text().collect::<String>()))
    .collect();
    for (what, raw) in shown {
        let runs = space_before_marks(&raw);
        assert_eq!(runs.len(), 2, "{what}: {raw:?}");
        for run in &runs {
            assert_eq!(
                run, "\u{a0}",
                "{what}: {raw:?}: a mark after {run:?} may start a line"
            );
        }
    }
}
