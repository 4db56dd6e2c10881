//! `search:` in `site.yaml`: `false` turns site search off (no index, no search page, no box
//! in the header); `true` or no key keeps it on with the built-in word lists; a mapping keeps
//! it on and adds the site's own words to those lists:
//!
//! ```yaml
//! search:
//!   names: [الشارقة, نيوم]            # proper names the stemmer leaves alone
//!   variants:                        # spellings of one name, searched as one
//!     - [هواوي, هواوى, huawei]
//!   joined: [تيك توك, سناب شات]        # loanwords written split or joined
//! ```
//!
//! The value is read as plain YAML and checked here by hand, so every fault names its own
//! line and says what to write instead (serde's messages for a "bool or mapping" are vague).

use serde_yaml::Value;

use super::Faults;
use crate::search::SiteLexicon;

/// The keys a `search:` mapping may hold.
pub const SEARCH_KEYS: &[&str] = &["names", "variants", "joined"];

const SHAPE_HELP: &str = "write `search: false` to turn search off, or a mapping such as\n\
     search:\n  names: [نيوم]\n  variants: [[هواوي, هواوى]]\n  joined: [تيك توك]";

/// The site's search setting: `None` when search is off, else the site's word lists.
pub(super) fn checked_search(
    value: Option<&Value>,
    text: &str,
    faults: &mut Faults,
) -> Option<SiteLexicon> {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(true)) => Some(SiteLexicon::default()),
        Some(Value::Bool(false)) => None,
        Some(Value::Mapping(map)) => Some(lexicon(map, text, faults)),
        Some(_) => {
            faults.push(
                faults
                    .at("search", "`search` must be true, false or a mapping")
                    .help(SHAPE_HELP),
            );
            Some(SiteLexicon::default())
        }
    }
}

/// The word lists of a `search:` mapping; every fault is reported at its key's line.
fn lexicon(map: &serde_yaml::Mapping, text: &str, faults: &mut Faults) -> SiteLexicon {
    let mut lexicon = SiteLexicon::default();
    for (key, value) in map {
        let name = key.as_str().unwrap_or("");
        let mut fault = |message: String, help: &str| {
            let line = nested_line(text, "search", name).or(faults.lines.get("search").copied());
            let d = faults.at("search", message).at_optional_line(line);
            faults.push(d.help(help));
        };
        match name {
            "names" => match words(value) {
                Some(names) => lexicon.names = names,
                None => fault(
                    "`search.names` must be a list of words".into(),
                    "e.g. names: [الشارقة, نيوم]",
                ),
            },
            "variants" => match variant_groups(value) {
                Some(groups) => lexicon.variants = groups,
                None => fault(
                    "`search.variants` must be a list of groups of two or more spellings".into(),
                    "e.g. variants: [[هواوي, هواوى, huawei], [غوغل, جوجل]]",
                ),
            },
            "joined" => match split_words(value) {
                Some(pairs) => lexicon.joined = pairs,
                None => fault(
                    "`search.joined` must be a list of loanwords written as two or more words"
                        .into(),
                    "write each in its split form, e.g. joined: [تيك توك, سناب شات]; the joined form (تيكتوك) is found too",
                ),
            },
            unknown => fault(
                format!("unknown key `{unknown}` under `search`"),
                &crate::error::choices_help(unknown, SEARCH_KEYS.iter().copied()),
            ),
        }
    }
    lexicon
}

/// A list of non-empty strings (numbers written bare count as their text).
fn words(value: &Value) -> Option<Vec<String>> {
    let list = value.as_sequence()?;
    list.iter()
        .map(|v| {
            let word = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            (!word.is_empty()).then_some(word)
        })
        .collect()
}

/// A list of groups of at least two spellings.
fn variant_groups(value: &Value) -> Option<Vec<Vec<String>>> {
    let groups = value.as_sequence()?;
    groups
        .iter()
        .map(|g| words(g).filter(|g| g.len() >= 2))
        .collect()
}

/// A list of split loanwords, each as (joined form, split form).
fn split_words(value: &Value) -> Option<Vec<(String, String)>> {
    let split = words(value)?;
    split
        .into_iter()
        .map(|s| {
            let parts: Vec<&str> = s.split_whitespace().collect();
            (parts.len() >= 2).then(|| (parts.concat(), parts.join(" ")))
        })
        .collect()
}

/// The line of `child:` inside the top-level mapping `parent:` (1-based), when written on
/// a line of its own.
pub(super) fn nested_line(text: &str, parent: &str, child: &str) -> Option<usize> {
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if top_level {
            inside = line.split(':').next().map(str::trim) == Some(parent);
            continue;
        }
        let key = line.trim_start().split(':').next().unwrap_or("").trim();
        if inside && key == child {
            return Some(index + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::search::SiteLexicon;

    const MINIMAL: &str = "title: خبر\nbase_url: https://example.com/\n";

    fn parse(extra: &str) -> Result<Config, Vec<crate::error::Diagnostic>> {
        Config::parse(&format!("{MINIMAL}{extra}"))
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        assert_eq!(parse("").unwrap().search, Some(SiteLexicon::default()));
        assert_eq!(
            parse("search: true\n").unwrap().search,
            Some(SiteLexicon::default())
        );
        assert_eq!(parse("search: false\n").unwrap().search, None);
    }

    #[test]
    fn a_mapping_adds_names_variants_and_joined_words() {
        let config = parse(
            "search:\n  names: [نيوم, الشارقة]\n  variants:\n    - [هواوي, هواوى, huawei]\n  joined: [تيك  توك]\n",
        )
        .unwrap();
        let lexicon = config.search.expect("search stays on");
        assert_eq!(lexicon.names, ["نيوم", "الشارقة"]);
        assert_eq!(lexicon.variants, [vec!["هواوي", "هواوى", "huawei"]]);
        assert_eq!(
            lexicon.joined,
            [("تيكتوك".to_string(), "تيك توك".to_string())]
        );
    }

    #[test]
    fn faults_name_the_line_and_what_to_write() {
        let errors = parse(
            "search:\n  names: نيوم\n  variants: [[وحيد]]\n  joined: [تيكتوك]\n  nmaes: []\n",
        )
        .unwrap_err();
        let found: Vec<(Option<usize>, &str, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str(), e.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, Some(4));
        assert!(found[0].1.contains("search.names"), "{found:?}");
        assert_eq!(found[1].0, Some(5));
        assert!(found[1].1.contains("search.variants"));
        assert_eq!(found[2].0, Some(6));
        assert!(found[2].2.contains("تيك توك"));
        assert_eq!(found[3].0, Some(7));
        assert!(found[3].1.contains("unknown key `nmaes`"));
        assert!(
            found[3].2.contains("did you mean `names`?"),
            "{}",
            found[3].2
        );
        assert!(
            found[3]
                .2
                .contains("valid choices: names, variants, joined")
        );
    }

    #[test]
    fn a_value_of_the_wrong_shape_says_what_search_takes() {
        let errors = parse("search: yes please\n").unwrap_err();
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].key.as_deref(), Some("search"));
        assert!(errors[0].help.as_deref().unwrap().contains("search: false"));
    }
}
