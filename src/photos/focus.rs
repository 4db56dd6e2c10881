//! The crop focus a writer gives with `image_focus:`, read the way CSS reads
//! `object-position`.
//!
//! `30% 20%` means: the point 30 % across and 20 % down the photo stays at 30 % across and
//! 20 % down the crop, so `0% 0%` keeps the top-left corner, `100% 100%` the bottom-right,
//! and `50% 50%` (the default) the middle. Keywords are the usual ones: `top`, `bottom`,
//! `left`, `right`, `center`, alone or in pairs (`top left`).

use std::fmt;

/// Where a crop is anchored, each axis from 0 (left/top) to 100 (right/bottom) percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Focus {
    pub x_percent: u8,
    pub y_percent: u8,
}

impl Default for Focus {
    fn default() -> Self {
        Self::CENTER
    }
}

/// Why an `image_focus:` value was not understood; its Display says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusError {
    pub value: String,
}

impl fmt::Display for FocusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`image_focus: {}` is not understood; write `top`, `bottom`, `left`, `right`, \
             `center`, a pair such as `top left`, or two percentages such as `30% 20%` \
             (across, then down)",
            self.value
        )
    }
}

impl std::error::Error for FocusError {}

/// One word or number of a focus value, before we know which axis it belongs to.
enum Part {
    Horizontal(u8),
    Vertical(u8),
    Center,
    Percent(u8),
}

impl Focus {
    pub const CENTER: Focus = Focus {
        x_percent: 50,
        y_percent: 50,
    };

    /// Reads `top`, `left`, `center`, `top left`, `30% 20%`, … (case-insensitive).
    pub fn parse(value: &str) -> Result<Focus, FocusError> {
        let error = || FocusError {
            value: value.to_string(),
        };
        let parts: Vec<Part> = value
            .split_whitespace()
            .map(parse_part)
            .collect::<Option<_>>()
            .ok_or_else(error)?;
        match parts.as_slice() {
            [one] => Ok(single(one)),
            [first, second] => pair(first, second).ok_or_else(error),
            _ => Err(error()),
        }
    }

    /// The position as fractions, for the crop geometry.
    pub fn fractions(self) -> (f64, f64) {
        (
            f64::from(self.x_percent) / 100.0,
            f64::from(self.y_percent) / 100.0,
        )
    }
}

fn parse_part(word: &str) -> Option<Part> {
    match word.to_ascii_lowercase().as_str() {
        "left" => Some(Part::Horizontal(0)),
        "right" => Some(Part::Horizontal(100)),
        "top" => Some(Part::Vertical(0)),
        "bottom" => Some(Part::Vertical(100)),
        "center" | "centre" => Some(Part::Center),
        other => {
            let number: f64 = other.strip_suffix('%')?.parse().ok()?;
            (0.0..=100.0)
                .contains(&number)
                .then(|| Part::Percent(number.round() as u8))
        }
    }
}

/// One word: the other axis stays centred (`top` = `50% 0%`).
fn single(part: &Part) -> Focus {
    match *part {
        Part::Horizontal(x) | Part::Percent(x) => Focus {
            x_percent: x,
            y_percent: 50,
        },
        Part::Vertical(y) => Focus {
            x_percent: 50,
            y_percent: y,
        },
        Part::Center => Focus::CENTER,
    }
}

/// Two parts: percentages are across then down (`30% 20%`, `right 10%`); two keywords may
/// come in either order (`top left` = `left top`).
fn pair(first: &Part, second: &Part) -> Option<Focus> {
    let in_order = || {
        Some(Focus {
            x_percent: as_x(first)?,
            y_percent: as_y(second)?,
        })
    };
    let swapped = || {
        Some(Focus {
            x_percent: as_x(second)?,
            y_percent: as_y(first)?,
        })
    };
    let has_percent = matches!(first, Part::Percent(_)) || matches!(second, Part::Percent(_));
    in_order().or_else(|| if has_percent { None } else { swapped() })
}

fn as_x(part: &Part) -> Option<u8> {
    match *part {
        Part::Horizontal(x) | Part::Percent(x) => Some(x),
        Part::Center => Some(50),
        Part::Vertical(_) => None,
    }
}

fn as_y(part: &Part) -> Option<u8> {
    match *part {
        Part::Vertical(y) | Part::Percent(y) => Some(y),
        Part::Center => Some(50),
        Part::Horizontal(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(x: u8, y: u8) -> Focus {
        Focus {
            x_percent: x,
            y_percent: y,
        }
    }

    #[test]
    fn reads_keywords_and_percentages() {
        assert_eq!(Focus::parse("top").unwrap(), at(50, 0));
        assert_eq!(Focus::parse("bottom").unwrap(), at(50, 100));
        assert_eq!(Focus::parse("left").unwrap(), at(0, 50));
        assert_eq!(Focus::parse("Right").unwrap(), at(100, 50));
        assert_eq!(Focus::parse("center").unwrap(), Focus::CENTER);
        assert_eq!(Focus::parse("top left").unwrap(), at(0, 0));
        assert_eq!(Focus::parse("left top").unwrap(), at(0, 0));
        assert_eq!(Focus::parse("center bottom").unwrap(), at(50, 100));
        assert_eq!(Focus::parse("30% 20%").unwrap(), at(30, 20));
        assert_eq!(Focus::parse(" 12.4%  80% ").unwrap(), at(12, 80));
        assert_eq!(Focus::parse("25%").unwrap(), at(25, 50));
        assert_eq!(Focus::parse("right 10%").unwrap(), at(100, 10));
    }

    #[test]
    fn refuses_nonsense_with_a_helpful_message() {
        for bad in [
            "",
            "middle",
            "150% 0%",
            "top bottom",
            "left right",
            "1 2 3",
            "30 20",
        ] {
            let error = Focus::parse(bad).unwrap_err();
            assert!(error.to_string().contains("30% 20%"), "{bad}");
        }
    }
}
