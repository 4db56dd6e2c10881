//! What search engines read: `sitemap.xml` (split under a sitemap index past 50,000 URLs),
//! a Google News sitemap of the last 48 hours, and `robots.txt` pointing at both.
//!
//! Written directly rather than through templates: their shape is fixed by the protocols, not
//! by a theme. URLs are absolute and percent-encoded, text is XML-escaped.

use std::fmt::Write as _;

use super::context::{Rendered, Renderer};
use super::escape::escape;
use super::plan::Job;
use crate::site::layout::{NEWS_SITEMAP_FILE, ROBOTS_FILE, Urls, sitemap_file};

/// One URL of the sitemap.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

impl Renderer<'_> {
    /// `sitemap.xml` (n = 0) or one of its parts: every HTML page of the plan but the 404.
    /// Only the URLs of the file itself are made: a part is a fraction of a large site.
    pub(super) fn sitemap(&self, n: usize) -> Rendered {
        let xml = if n == 0 && self.plan.sitemap_part_count() > 1 {
            render_index(self.plan.sitemap_part_count(), &self.urls)
        } else {
            urlset(&self.sitemap_urls(self.plan.sitemap_part(n)))
        };
        Ok((sitemap_file(n), xml))
    }

    /// `news-sitemap.xml`: the articles of the last 48 hours.
    pub(super) fn news_sitemap(&self) -> Rendered {
        let xml = render_news(self, &self.plan.news_entries());
        Ok((NEWS_SITEMAP_FILE.into(), xml))
    }

    /// `robots.txt`: everything may be crawled; here are the sitemaps.
    pub(super) fn robots(&self) -> Rendered {
        let text = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
            self.urls.permalink(&format!("/{}", sitemap_file(0))),
            self.urls.permalink(&format!("/{NEWS_SITEMAP_FILE}"))
        );
        Ok((ROBOTS_FILE.into(), text.into_bytes()))
    }

    /// The sitemap entries of `jobs`, in order.
    fn sitemap_urls(&self, jobs: &[Job]) -> Vec<SitemapUrl> {
        jobs.iter()
            .map(|job| SitemapUrl {
                loc: self.urls.permalink(&self.plan.path_of(*job)),
                lastmod: self.plan.lastmod(*job),
            })
            .collect()
    }
}

/// The sitemap index: `sitemap.xml` of a site too big for one file, naming its `parts`.
fn render_index(parts: usize, site_urls: &Urls) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let loc = site_urls.permalink(&format!("/{}", sitemap_file(n)));
        let _ = writeln!(xml, "  <sitemap><loc>{}</loc></sitemap>", escape(&loc));
    }
    xml.push_str("</sitemapindex>\n");
    xml.into_bytes()
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

/// The news sitemap of `entries`.
fn render_news(renderer: &Renderer, entries: &[usize]) -> Vec<u8> {
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
    fn the_index_names_every_part_and_a_urlset_lists_every_url() {
        let site = Urls::new("https://e.com/news/", "/news/");
        let index = String::from_utf8(render_index(2, &site)).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://e.com/news/sitemap-1.xml</loc>"));
        assert!(index.contains("<loc>https://e.com/news/sitemap-2.xml</loc>"));
        assert!(!index.contains("sitemap-3.xml"));
        let set = String::from_utf8(urlset(&urls(3))).unwrap();
        assert!(set.contains("<urlset") && set.matches("<url>").count() == 3);
    }
}
