//! The links on an author's profile, `links:` in `content/authors/<id>.md`, written either
//! as a map from platform to address —
//!
//! ```yaml
//! links: { x: "@ahmed", facebook: https://facebook.com/ahmed, email: ahmed@example.com }
//! ```
//!
//! — which shows each platform's name in Arabic, or as a list of `{ name, url }` for
//! anything else. A handle (`@ahmed`) is enough for X, Instagram, TikTok, Telegram and
//! YouTube; an e-mail address becomes a `mailto:` link. Unknown platforms are errors that
//! list the valid ones.

use serde_yaml::Value;

use crate::arabic::text::clean_label;
use crate::content::fields::{Fields, scalar_text};
use crate::error::choices_help;

/// A link on an author's profile (X, Facebook, e-mail…).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuthorLink {
    /// What readers see: the platform's Arabic name, or the name written in the list.
    pub name: String,
    pub url: String,
    /// The platform's key (`x`, `facebook`…) when the link came from the map, for icons.
    pub platform: Option<&'static str>,
}

/// The platforms of the map form: key, Arabic name, and the address a handle goes to.
pub const PLATFORMS: &[(&str, &str, Option<&str>)] = &[
    ("x", "إكس", Some("https://x.com/")),
    ("facebook", "فيسبوك", None),
    ("instagram", "إنستغرام", Some("https://www.instagram.com/")),
    ("youtube", "يوتيوب", Some("https://www.youtube.com/@")),
    ("linkedin", "لينكدإن", None),
    ("telegram", "تيليغرام", Some("https://t.me/")),
    ("tiktok", "تيك توك", Some("https://www.tiktok.com/@")),
    ("website", "الموقع", None),
    ("email", "البريد", None),
];

/// Reads `links:`, a map or a list; faults go to `f`.
pub fn read_links(f: &mut Fields) -> Vec<AuthorLink> {
    match f.raw("links") {
        None => Vec::new(),
        Some(Value::Mapping(map)) => map_links(f, &map),
        Some(Value::Sequence(items)) => list_links(f, &items),
        Some(_) => {
            let e = f.error("links", "must be a map or a list").help(
                "write `links: { x: \"@name\", facebook: https://facebook.com/name }`, or one `  - { name: …, url: https://… }` line per link",
            );
            f.errors.push(e);
            Vec::new()
        }
    }
}

fn map_links(f: &mut Fields, map: &serde_yaml::Mapping) -> Vec<AuthorLink> {
    let mut links = Vec::new();
    for (key, value) in map {
        let key = scalar_text(key).unwrap_or_default();
        let Some(&(platform, name, handle_base)) = PLATFORMS.iter().find(|p| p.0 == key) else {
            let valid = PLATFORMS.iter().map(|p| p.0);
            let e = f
                .error("links", format!("unknown platform `{key}`"))
                .help(format!(
                    "{}\nother links go in the list form: `  - {{ name: …, url: https://… }}`",
                    choices_help(&key, valid)
                ));
            f.errors.push(e);
            continue;
        };
        let value = value.as_str().map(str::trim).unwrap_or_default();
        match platform_url(platform, handle_base, value) {
            Some(url) => links.push(AuthorLink {
                name: name.to_string(),
                url,
                platform: Some(platform),
            }),
            None => {
                let e = f
                    .error("links", format!("`{platform}: {value}` is not an address"))
                    .help(match platform {
                        "email" => "write an e-mail address, e.g. `email: ahmed@example.com`",
                        _ if handle_base.is_some() => {
                            "write an https:// address or a handle such as \"@ahmed\" (quoted)"
                        }
                        _ => "write an https:// address",
                    });
                f.errors.push(e);
            }
        }
    }
    links
}

/// The address for `value` on `platform`: a URL as given, a handle on the platform's site,
/// or a `mailto:` link.
fn platform_url(platform: &str, handle_base: Option<&str>, value: &str) -> Option<String> {
    if platform == "email" {
        let address = value.strip_prefix("mailto:").unwrap_or(value);
        let plausible = address.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !address.contains(char::is_whitespace)
        });
        return plausible.then(|| format!("mailto:{address}"));
    }
    if value.starts_with("https://") || value.starts_with("http://") {
        return Some(value.to_string());
    }
    let handle = value.strip_prefix('@')?;
    let valid = !handle.is_empty()
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    Some(format!("{}{handle}", handle_base?)).filter(|_| valid)
}

fn list_links(f: &mut Fields, items: &[Value]) -> Vec<AuthorLink> {
    let mut links = Vec::new();
    for item in items {
        let get = |k: &str| {
            item.get(k)
                .and_then(scalar_text)
                .map(|s| s.trim().to_string())
        };
        match (get("name"), get("url")) {
            (Some(name), Some(url)) if is_safe_link(&url) => links.push(AuthorLink {
                name: clean_label(&name),
                url,
                platform: None,
            }),
            _ => {
                let e = f
                    .error(
                        "links",
                        "each link needs a `name` and an http(s) or mailto `url`",
                    )
                    .help("e.g. `  - { name: X, url: https://x.com/ahmed }`");
                f.errors.push(e);
            }
        }
    }
    links
}

fn is_safe_link(url: &str) -> bool {
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| url.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_addresses_and_mail() {
        let x = Some("https://x.com/");
        assert_eq!(
            platform_url("x", x, "@ahmed").unwrap(),
            "https://x.com/ahmed"
        );
        assert_eq!(
            platform_url("x", x, "https://x.com/a").unwrap(),
            "https://x.com/a"
        );
        assert_eq!(
            platform_url("email", None, "a@b.com").unwrap(),
            "mailto:a@b.com"
        );
        assert!(platform_url("email", None, "nobody").is_none());
        assert!(platform_url("facebook", None, "@ahmed").is_none());
        assert!(platform_url("x", x, "javascript:alert(1)").is_none());
    }
}
