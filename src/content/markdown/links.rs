//! Just enough URL parsing to recognise a provider's link: scheme, host, path segments,
//! query pairs and fragment, with the `www.` and `m.` prefixes hosts add left off. Embeds
//! only ever read well-known shapes, so a full WHATWG parser would buy nothing here.

/// An `http(s)` URL taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct WebLink {
    /// Lowercased, without `www.`, `m.` or `mobile.`.
    pub host: String,
    /// Non-empty path segments, percent-encoding kept.
    pub segments: Vec<String>,
    /// `key=value` pairs of the query, in order.
    pub query: Vec<(String, String)>,
    /// What follows `#`, if anything.
    pub fragment: String,
}

impl WebLink {
    /// Parses `text` when it is one `http://` or `https://` URL without spaces.
    pub fn parse(text: &str) -> Option<WebLink> {
        let text = text.trim();
        if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let lower = text.get(..8)?.to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &text[8..]
        } else if lower.starts_with("http://") {
            &text[7..]
        } else {
            return None;
        };
        let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host
            .rsplit('@')
            .next()?
            .split(':')
            .next()?
            .to_ascii_lowercase();
        if host.is_empty() || !host.contains('.') {
            return None;
        }
        let host = ["www.", "m.", "mobile."]
            .iter()
            .find_map(|p| host.strip_prefix(p))
            .map(str::to_string)
            .unwrap_or(host);
        Some(WebLink {
            host,
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            query: query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (k.to_string(), v.to_string())
                })
                .collect(),
            fragment: fragment.to_string(),
        })
    }

    /// The value of query key `key`, if present.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Path segment `i`, if present.
    pub fn segment(&self, i: usize) -> Option<&str> {
        self.segments.get(i).map(String::as_str)
    }

    /// Whether the host is `domain` or one of its subdomains.
    pub fn is_on(&self, domain: &str) -> bool {
        self.host == domain
            || self
                .host
                .strip_suffix(domain)
                .is_some_and(|sub| sub.ends_with('.'))
    }
}

/// An id made of letters, digits, `-` and `_` only: safe to put in any URL or attribute.
pub(super) fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Seconds from a start time written `90`, `90s`, `1m30s`, `1h2m3s` or `1:30` / `1:02:03`.
pub(super) fn parse_seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.contains(':') {
        return text.split(':').try_fold(0u32, |total, part| {
            let n: u32 = part.parse().ok()?;
            total.checked_mul(60)?.checked_add(n)
        });
    }
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let mut total = 0u32;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        let n: u32 = std::mem::take(&mut number).parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    number.is_empty().then_some(total)
}

/// Percent-encodes `text` for use as one query value.
pub(super) fn encode_component(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_a_url_apart() {
        let l = WebLink::parse("https://www.YouTube.com/watch?v=abc&t=90#x").unwrap();
        assert_eq!(l.host, "youtube.com");
        assert_eq!(l.segments, ["watch"]);
        assert_eq!(l.param("v"), Some("abc"));
        assert_eq!(l.param("t"), Some("90"));
        assert_eq!(l.fragment, "x");
        assert!(l.is_on("youtube.com"));
        assert!(WebLink::parse("ftp://x.com/").is_none());
        assert!(WebLink::parse("https://x.com/a b").is_none());
        assert!(WebLink::parse("https://localhost/").is_none());
    }

    #[test]
    fn reads_start_times() {
        assert_eq!(parse_seconds("90"), Some(90));
        assert_eq!(parse_seconds("90s"), Some(90));
        assert_eq!(parse_seconds("1m30s"), Some(90));
        assert_eq!(parse_seconds("1h0m5s"), Some(3605));
        assert_eq!(parse_seconds("1:30"), Some(90));
        assert_eq!(parse_seconds("1:02:03"), Some(3723));
        assert_eq!(parse_seconds("1m30"), None);
        assert_eq!(parse_seconds("soon"), None);
    }
}
