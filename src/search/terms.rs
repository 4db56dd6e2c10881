//! The words of one analysed article, packed: what a preview keeps of every article between
//! saves and what the index reads its postings from, so it is a few bytes a word.
//!
//! The bytes are a run of stem groups, each `stem, form count, then per form: key, weight`,
//! every number an unsigned LEB128 varint; stems and keys are [`Sym`]s of the process's
//! vocabulary, and a weight is `sum of field weights × 2 + 1 if in the headline`.

use super::index::encode::push_varint;
use super::vocab::Sym;

/// An article's distinct words, the forms of one stem together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms(Box<[u8]>);

/// One form (whole-word key) of a stem in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    pub key: Sym,
    /// The sum of the field weights of its occurrences.
    pub weight: u32,
    /// Whether it occurs in the headline.
    pub in_headline: bool,
}

/// Writes [`Terms`] one stem group at a time.
#[derive(Default)]
pub struct TermsBuilder {
    bytes: Vec<u8>,
}

impl TermsBuilder {
    /// A builder with room for about `bytes` bytes of terms.
    pub fn with_capacity(bytes: usize) -> TermsBuilder {
        TermsBuilder {
            bytes: Vec::with_capacity(bytes),
        }
    }

    /// Starts the group of `stem`, which has `forms` forms ([`TermsBuilder::form`] follows
    /// that many times).
    pub fn stem(&mut self, stem: Sym, forms: usize) {
        push_varint(&mut self.bytes, u64::from(stem));
        push_varint(&mut self.bytes, forms as u64);
    }

    pub fn form(&mut self, form: Form) {
        push_varint(&mut self.bytes, u64::from(form.key));
        let weight = u64::from(form.weight) << 1 | u64::from(form.in_headline);
        push_varint(&mut self.bytes, weight);
    }

    pub fn finish(self) -> Terms {
        Terms(self.bytes.into_boxed_slice())
    }
}

impl Terms {
    /// Packs `(stem, form)` pairs, the forms of each stem together.
    pub fn from_grouped(pairs: &[(Sym, Form)]) -> Terms {
        let mut builder = TermsBuilder::default();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            builder.stem(group[0].0, group.len());
            for (_, form) in group {
                builder.form(*form);
            }
        }
        builder.finish()
    }

    /// Every (stem, form) pair, the forms of each stem together, into `pairs` (cleared
    /// first).
    pub fn grouped_into(&self, pairs: &mut Vec<(Sym, Form)>) {
        pairs.clear();
        self.for_each_stem(|stem, forms| pairs.extend(forms.iter().map(|f| (stem, *f))));
    }

    /// Calls `each` with every stem and its forms.
    pub fn for_each_stem(&self, mut each: impl FnMut(Sym, &[Form])) {
        let mut bytes: &[u8] = &self.0;
        let mut forms = Vec::new();
        while !bytes.is_empty() {
            let (Some(stem), Some(count)) = (varint(&mut bytes), varint(&mut bytes)) else {
                return;
            };
            forms.clear();
            for _ in 0..count {
                let (Some(key), Some(weight)) = (varint(&mut bytes), varint(&mut bytes)) else {
                    return;
                };
                forms.push(Form {
                    key: key as Sym,
                    weight: (weight >> 1).min(u64::from(u32::MAX)) as u32,
                    in_headline: weight & 1 == 1,
                });
            }
            each(stem as Sym, &forms);
        }
    }
}

/// Reads an unsigned LEB128 varint off the front of `bytes`; `None` at the end or on a
/// number too long.
pub fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_read_back_as_written() {
        let form = |key, weight, in_headline| Form {
            key,
            weight,
            in_headline,
        };
        let pairs = [
            (3, form(7, 1, false)),
            (3, form(300, 200, true)),
            (9, form(9, 12, false)),
        ];
        let mut read = Vec::new();
        Terms::from_grouped(&pairs).for_each_stem(|stem, forms| {
            read.extend(forms.iter().map(|f| (stem, *f)));
        });
        assert_eq!(read, pairs);
        let mut bytes: &[u8] = &[0xAC, 0x02, 0x80];
        assert_eq!(varint(&mut bytes), Some(300));
        assert_eq!(varint(&mut bytes), None);
    }
}
