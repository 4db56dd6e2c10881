//! Digits: numbers written in Latin (0123456789) or Arabic-Indic (٠١٢٣٤٥٦٧٨٩) digits, as
//! `site.yaml` chooses, for dates, counts and page numbers. Reading Arabic-Indic digits back
//! (in slugs) is [`crate::arabic::text::slugify`]'s business.

/// Which digits numbers are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// 0123456789
    Latn,
    /// Arabic-Indic ٠١٢٣٤٥٦٧٨٩
    Arab,
}

impl Digits {
    /// Writes `n` in these digits.
    pub fn format(self, n: usize) -> String {
        let latin = n.to_string();
        match self {
            Digits::Latn => latin,
            Digits::Arab => latin
                .chars()
                .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
                .collect(),
        }
    }

    /// The Unicode numbering-system id, for locale extensions (`-u-nu-latn`).
    pub fn as_str(self) -> &'static str {
        match self {
            Digits::Latn => "latn",
            Digits::Arab => "arab",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_digits() {
        assert_eq!(Digits::Arab.format(2026), "٢٠٢٦");
        assert_eq!(Digits::Latn.format(2026), "2026");
    }
}
