//! Text cut into *pieces*: what lies between spaces and line breaks (usually one word,
//! sometimes with punctuation). Analysis remembers pieces, and an article being indexed
//! adds them up, so every occurrence of a piece is looked up in a table: that lookup is
//! most of what indexing costs per word.
//!
//! A piece of fewer than [`SHORT_BYTES`] bytes (nearly every piece of Arabic news: seven
//! letters in 15 bytes, eleven in 23) also comes as a [`ShortKey`]: its bytes as three
//! `u64`s, padded with spaces. A piece never holds a space, so the key names exactly one
//! piece, and the tables compare and hash three numbers instead of following a pointer to
//! text. The same loads find where the piece ends: breaks are found eight bytes at a time
//! (a SIMD search would pay its setup again every few bytes).

/// Pieces shorter than this many bytes have a [`ShortKey`].
pub const SHORT_BYTES: usize = 24;

/// The bytes of a short piece, little-endian, padded with spaces to [`SHORT_BYTES`].
pub type ShortKey = (u64, u64, u64);

/// One piece of text, with its key when it is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub short: Option<ShortKey>,
}

/// The pieces of `text` between spaces and line breaks, empty ones left out. (Other
/// separators, tabs included, are cut within a piece with the runs.)
pub fn pieces(text: &str) -> Pieces<'_> {
    Pieces { text, at: 0 }
}

/// The iterator of [`pieces`].
pub struct Pieces<'a> {
    text: &'a str,
    at: usize,
}

const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
const LINE_BREAKS: u64 = u64::from_ne_bytes([b'\n'; 8]);

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    // Inlined into the loops that look each piece up: called once per word of the site,
    // it costs a third less there than through a call returning the piece in memory.
    #[inline(always)]
    fn next(&mut self) -> Option<Piece<'a>> {
        let bytes = self.text.as_bytes();
        let start = self.at + bytes[self.at..].iter().position(|&b| !is_break(b))?;
        let [a, b, c] = three_words(bytes, start);
        // The padding past the text is spaces: a piece at the end stops there.
        let (length, short) = if let Some(n) = first_break(a) {
            (n, Some((keep_low_bytes(a, n), SPACES, SPACES)))
        } else if let Some(n) = first_break(b) {
            (8 + n, Some((a, keep_low_bytes(b, n), SPACES)))
        } else if let Some(n) = first_break(c) {
            (16 + n, Some((a, b, keep_low_bytes(c, n))))
        } else {
            (next_break(bytes, start + SHORT_BYTES) - start, None)
        };
        let end = start + length;
        self.at = end;
        // Spaces and line breaks are ASCII: `start` and `end` are at characters.
        let text = self.text.get(start..end)?;
        Some(Piece { text, short })
    }
}

fn is_break(byte: u8) -> bool {
    byte == b' ' || byte == b'\n'
}

/// The 24 bytes from `start` as three little-endian words, spaces past the end.
fn three_words(bytes: &[u8], start: usize) -> [u64; 3] {
    let mut padded = [b' '; SHORT_BYTES];
    let from = match bytes.get(start..start + SHORT_BYTES) {
        Some(whole) => whole,
        None => {
            let rest = &bytes[start..];
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        }
    };
    let word = |n: usize| {
        let mut eight = [0; 8];
        eight.copy_from_slice(&from[8 * n..8 * n + 8]);
        u64::from_le_bytes(eight)
    };
    [word(0), word(1), word(2)]
}

/// The high bit set in the bytes of `word` that are a space or a line break.
fn breaks(word: u64) -> u64 {
    zero_bytes(word ^ SPACES) | zero_bytes(word ^ LINE_BREAKS)
}

/// The place (0–7) of the first space or line break in `word`, if any.
fn first_break(word: u64) -> Option<usize> {
    match breaks(word) {
        0 => None,
        found => Some(found.trailing_zeros() as usize / 8),
    }
}

/// The first `count` (0–7) bytes of `word`, the others spaces.
fn keep_low_bytes(word: u64, count: usize) -> u64 {
    let kept = (1u64 << (8 * count)) - 1;
    (word & kept) | (SPACES & !kept)
}

/// The place of the first space or line break at or after `from`, or the end.
fn next_break(bytes: &[u8], from: usize) -> usize {
    let mut at = from.min(bytes.len());
    while let Some(eight) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        if let Some(n) = first_break(word) {
            return at + n;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| is_break(b))
        .unwrap_or(bytes.len() - at)
}

/// The high bit set in exactly the bytes of `word` that are zero (no carry crosses a byte:
/// the low seven bits are added apart from the high one).
fn zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a short key must be: the piece's bytes, then spaces.
    fn expected_key(text: &str) -> Option<ShortKey> {
        if text.len() >= SHORT_BYTES {
            return None;
        }
        let mut padded = [b' '; SHORT_BYTES];
        padded[..text.len()].copy_from_slice(text.as_bytes());
        let word = |n: usize| u64::from_le_bytes(padded[8 * n..8 * n + 8].try_into().unwrap());
        Some((word(0), word(1), word(2)))
    }

    #[test]
    fn keys_of_pieces_at_each_length_around_the_words() {
        for length in 1..=40 {
            let piece = "ب".repeat(length / 2) + &"a".repeat(length % 2);
            for text in [
                piece.clone(),
                format!("{piece} x"),
                format!("\n{piece}\n\n"),
            ] {
                let found: Vec<Piece> = pieces(&text).collect();
                assert_eq!(found[0].text, piece, "{text:?}");
                assert_eq!(found[0].short, expected_key(&piece), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        /// Pieces are cut where splitting at spaces and line breaks cuts, at any place
        /// within eight bytes; bytes one bit away from a space or line break are not taken;
        /// a short piece's key is its bytes padded with spaces, a long one has none.
        #[test]
        fn pieces_are_what_lies_between_spaces_and_line_breaks(
            text in "[ \n\t\x0b\x00!*\u{a0}a-zب-ي،«»0-9]{0,80}",
        ) {
            let expected: Vec<Piece> = text
                .split([' ', '\n'])
                .filter(|p| !p.is_empty())
                .map(|text| Piece { text, short: expected_key(text) })
                .collect();
            proptest::prop_assert_eq!(pieces(&text).collect::<Vec<_>>(), expected);
        }
    }
}
