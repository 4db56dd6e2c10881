//! What search engines read: `sitemap.xml` (split under a sitemap index past 50,000 URLs),
//! a Google News sitemap of the last 48 hours, and `robots.txt` pointing at both.
//!
//! Written directly rather than through templates: their shape is fixed by the protocols, not
//! by a theme. URLs are absolute and percent-encoded, text is XML-escaped.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

use crate::render::{Job, Renderer};
use crate::site::layout::Urls;

/// Most URLs one sitemap file may list (sitemaps.org).
pub const URLS_PER_SITEMAP: usize = 50_000;

/// How far back the news sitemap reaches, and how many articles it may hold (Google News).
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_LIMIT: usize = 1000;

/// One URL of the sitemap.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// Number of sitemap files for `urls` pages: 1, or the parts under an index.
pub fn parts_for(urls: usize) -> usize {
    urls.div_ceil(URLS_PER_SITEMAP).max(1)
}

/// The file of sitemap part `n` (0 is `sitemap.xml`: the only sitemap, or the index).
pub fn part_file(n: usize) -> String {
    if n == 0 {
        "sitemap.xml".into()
    } else {
        format!("sitemap-{n}.xml")
    }
}

/// `sitemap.xml` itself when everything fits, else the index of the parts.
pub fn render_main(urls: &[SitemapUrl], site_urls: &Urls) -> Vec<u8> {
    let parts = parts_for(urls.len());
    if parts == 1 {
        return urlset(urls);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let loc = site_urls.permalink(&format!("/{}", part_file(n)));
        let _ = writeln!(xml, "  <sitemap><loc>{}</loc></sitemap>", escape(&loc));
    }
    xml.push_str("</sitemapindex>\n");
    xml.into_bytes()
}

/// Part `n` (1-based) of a sitemap too big for one file.
pub fn render_part(urls: &[SitemapUrl], n: usize) -> Vec<u8> {
    let start = (n - 1) * URLS_PER_SITEMAP;
    let end = (start + URLS_PER_SITEMAP).min(urls.len());
    urlset(&urls[start.min(end)..end])
}

fn urlset(urls: &[SitemapUrl]) -> Vec<u8> {
    let mut xml = String::with_capacity(urls.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(&url.loc));
        if let Some(lastmod) = &url.lastmod {
            let _ = write!(xml, "<lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// The articles a news sitemap lists at `now`: published in the last 48 hours, newest first.
pub fn news_entries(renderer: &Renderer, now: Timestamp) -> Vec<usize> {
    let since = now - NEWS_WINDOW;
    renderer
        .site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let t = e.article.date.timestamp();
            t >= since && t <= now
        })
        .map(|(i, _)| i)
        .take(NEWS_LIMIT)
        .collect()
}

/// `news-sitemap.xml`.
pub fn render_news(renderer: &Renderer, entries: &[usize]) -> Vec<u8> {
    let config = renderer.config;
    let language = config.language.split('-').next().unwrap_or("ar");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for i in entries {
        let entry = &renderer.site.entries[*i];
        let _ = writeln!(
            xml,
            "  <url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
            escape(&renderer.urls.permalink(&entry.path)),
            escape(&config.title),
            escape(language),
            renderer.dates[*i].iso,
            escape(&entry.article.title),
        );
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// `robots.txt`: everything may be crawled; here are the sitemaps.
pub fn render_robots(renderer: &Renderer) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        renderer.urls.permalink("/sitemap.xml"),
        renderer.urls.permalink("/news-sitemap.xml")
    )
    .into_bytes()
}

/// The sitemap entries for every HTML page a build writes, in job order.
pub fn sitemap_urls(renderer: &Renderer, jobs: &[Job]) -> Vec<SitemapUrl> {
    jobs.iter()
        .filter_map(|job| {
            let path = renderer.page_path(*job)?;
            Some(SitemapUrl {
                loc: renderer.urls.permalink(&path),
                lastmod: renderer.lastmod(*job),
            })
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (0..n)
            .map(|i| SitemapUrl {
                loc: format!("https://e.com/a/{i}/"),
                lastmod: None,
            })
            .collect()
    }

    #[test]
    fn past_50000_urls_the_sitemap_becomes_an_index() {
        let site = Urls::new("https://e.com/news/", "/news/");
        let small = String::from_utf8(render_main(&urls(3), &site)).unwrap();
        assert!(small.contains("<urlset") && small.matches("<url>").count() == 3);
        let many = urls(URLS_PER_SITEMAP + 1);
        assert_eq!(parts_for(many.len()), 2);
        let index = String::from_utf8(render_main(&many, &site)).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://e.com/news/sitemap-1.xml</loc>"));
        assert!(index.contains("<loc>https://e.com/news/sitemap-2.xml</loc>"));
        let first = String::from_utf8(render_part(&many, 1)).unwrap();
        let second = String::from_utf8(render_part(&many, 2)).unwrap();
        assert_eq!(first.matches("<url>").count(), URLS_PER_SITEMAP);
        assert_eq!(second.matches("<url>").count(), 1);
    }
}
