//! Counts in words: "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال".
//!
//! Arabic has six plural forms (zero, one, two, few, many, other); which one a number takes
//! comes from CLDR's plural rules through ICU4X, never from a hand-written table. Numbers are
//! written in the site's digits.

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

use crate::arabic::digits::Digits;

/// The six forms of a counted noun; `{n}` stands for the number.
#[derive(Debug, Clone)]
pub struct Forms<'a> {
    pub zero: &'a str,
    pub one: &'a str,
    pub two: &'a str,
    pub few: &'a str,
    pub many: &'a str,
    pub other: &'a str,
}

/// "article", in all six forms.
pub const ARTICLES: Forms<'static> = Forms {
    zero: "لا مقالات",
    one: "مقال واحد",
    two: "مقالان",
    few: "{n} مقالات",
    many: "{n} مقالًا",
    other: "{n} مقال",
};

/// Writes counts for one site.
pub struct Counter {
    rules: PluralRules,
    digits: Digits,
}

impl Counter {
    /// Plural rules for `language` (BCP 47), numbers in `digits`.
    pub fn new(language: &str, digits: Digits) -> Result<Counter, String> {
        let locale: Locale = language
            .parse()
            .map_err(|e| format!("`{language}` is not a BCP 47 language tag: {e}"))?;
        let rules = PluralRules::try_new_cardinal(locale.into())
            .map_err(|e| format!("no plural rules for `{language}`: {e}"))?;
        Ok(Counter { rules, digits })
    }

    /// The number in the site's digits.
    pub fn number(&self, n: usize) -> String {
        self.digits.format(n)
    }

    /// `n` with its noun in the right plural form.
    pub fn phrase(&self, n: usize, forms: &Forms) -> String {
        let form = match self.rules.category_for(n) {
            PluralCategory::Zero => forms.zero,
            PluralCategory::One => forms.one,
            PluralCategory::Two => forms.two,
            PluralCategory::Few => forms.few,
            PluralCategory::Many => forms.many,
            PluralCategory::Other => forms.other,
        };
        form.replace("{n}", &self.number(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_plural_forms() {
        let c = Counter::new("ar-EG", Digits::Latn).unwrap();
        let said: Vec<String> = [0, 1, 2, 3, 10, 11, 99, 100, 102]
            .iter()
            .map(|n| c.phrase(*n, &ARTICLES))
            .collect();
        assert_eq!(
            said,
            [
                "لا مقالات",
                "مقال واحد",
                "مقالان",
                "3 مقالات",
                "10 مقالات",
                "11 مقالًا",
                "99 مقالًا",
                "100 مقال",
                "102 مقال"
            ]
        );
    }

    #[test]
    fn arabic_indic_digits() {
        let c = Counter::new("ar", Digits::Arab).unwrap();
        assert_eq!(c.phrase(3, &ARTICLES), "٣ مقالات");
        assert_eq!(c.phrase(11, &ARTICLES), "١١ مقالًا");
    }
}
