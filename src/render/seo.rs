//! What search engines and share previews read from a page: Open Graph and Twitter card
//! values, and schema.org structured data (JSON-LD) — `NewsArticle` on articles, `ProfilePage`
//! on author pages, `BreadcrumbList` on articles and lists.
//!
//! JSON-LD is built with serde_json, never by templates, and then made safe to sit inside a
//! `<script>` element: `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, so a
//! headline containing `</script>` or `<!--` cannot end the script early.

use serde::Serialize;
use serde_json::{Value, json};

/// Share-preview values of a page.
#[derive(Debug, Serialize)]
pub struct OpenGraph {
    /// `article` or `website`.
    pub kind: &'static str,
    /// `ar_EG` style.
    pub locale: String,
    /// Absolute URL of the image (a 1200×630 crop of a photo), when the page has one.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// The image's size, when known.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
}

/// `ar-EG` → `ar_EG`, as Open Graph wants it.
pub fn og_locale(language: &str) -> String {
    language.replace('-', "_")
}

/// Serialises structured data for a `<script type="application/ld+json">`.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    if !text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return text;
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

/// One step of a breadcrumb trail: name and absolute URL.
pub type Crumb<'a> = (&'a str, String);

/// A `BreadcrumbList` for a trail of pages.
pub fn breadcrumbs(trail: &[Crumb]) -> Value {
    let items: Vec<Value> = trail
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    json!({ "@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items })
}

/// A person, as an article's author or a profile's subject.
pub struct Person<'a> {
    pub name: &'a str,
    pub url: String,
    pub role: Option<&'a str>,
    pub image: Option<String>,
    pub same_as: Vec<&'a str>,
}

impl Person<'_> {
    fn json(&self) -> Value {
        let mut person = json!({ "@type": "Person", "name": self.name, "url": self.url });
        if let Some(role) = self.role {
            person["jobTitle"] = json!(role);
        }
        if let Some(image) = &self.image {
            person["image"] = json!(image);
        }
        if !self.same_as.is_empty() {
            person["sameAs"] = json!(self.same_as);
        }
        person
    }
}

/// A `ProfilePage` about an author.
pub fn profile_page(person: &Person) -> Value {
    json!({ "@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person.json() })
}

/// What a `NewsArticle` says.
pub struct NewsArticle<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    /// The lead photo in the shapes news search asks for (16:9, 4:3, 1:1).
    pub images: Vec<String>,
    pub published: &'a str,
    pub modified: &'a str,
    pub authors: Vec<Person<'a>>,
    pub section: &'a str,
    pub keywords: Vec<&'a str>,
    pub language: &'a str,
    pub publisher: &'a str,
    pub publisher_url: &'a str,
    pub logo: Option<String>,
}

impl NewsArticle<'_> {
    /// The JSON-LD object.
    pub fn json(&self) -> Value {
        let mut publisher =
            json!({ "@type": "Organization", "name": self.publisher, "url": self.publisher_url });
        if let Some(logo) = &self.logo {
            publisher["logo"] = json!({ "@type": "ImageObject", "url": logo });
        }
        let mut article = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": { "@type": "WebPage", "@id": self.url },
            "url": self.url,
            "headline": self.headline,
            "description": self.description,
            "datePublished": self.published,
            "dateModified": self.modified,
            "author": self.authors.iter().map(Person::json).collect::<Vec<_>>(),
            "publisher": publisher,
            "articleSection": self.section,
            "keywords": self.keywords,
            "inLanguage": self.language,
        });
        if !self.images.is_empty() {
            article["image"] = json!(self.images);
        }
        article
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_break_out() {
        let value = json!({ "headline": "</script><script>alert(1)</script> <!-- & x" });
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn locales_use_underscores() {
        assert_eq!(og_locale("ar-EG"), "ar_EG");
    }
}
