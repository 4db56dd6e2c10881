//! Filling the slots a body left for the render stage: an «اقرأ أيضًا» box gets the linked
//! article's title and URL (resolved when the site was assembled), and a theme or site block
//! is rendered by its template `blocks/<name>.html`, which sees each parameter by name
//! (absent optional ones as empty text) and, for blocks that hold Markdown, `content`.

use std::path::Path;

use tera::Context;

use super::context::Renderer;
use super::escape::escape;
use crate::content::markdown::{Slot, fill_slots};
use crate::error::Diagnostic;
use crate::theme::strings::keys;

impl Renderer<'_> {
    /// The body of article `i` (`html`: its body HTML) with its slots filled.
    pub(super) fn article_body(&self, i: usize, html: &str) -> Result<String, Diagnostic> {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        self.filled(&a.source, html, &a.body.slots, &entry.read_also)
    }

    /// The body of page `i` (`html`: its body HTML) with its slots filled.
    pub(super) fn page_body(&self, i: usize, html: &str) -> Result<String, Diagnostic> {
        let p = &self.site.pages[i];
        self.filled(&p.page.source, html, &p.page.body.slots, &p.read_also)
    }

    /// The fingerprints of the articles the «اقرأ أيضًا» boxes of a body show.
    pub(super) fn read_also_prints(&self, links: &[Option<usize>]) -> Vec<u64> {
        links.iter().flatten().map(|e| self.card_of(*e)).collect()
    }

    fn filled(
        &self,
        source: &Path,
        html: &str,
        slots: &[Slot],
        links: &[Option<usize>],
    ) -> Result<String, Diagnostic> {
        if slots.is_empty() {
            return Ok(html.to_string());
        }
        fill_slots(html, slots.len(), |n| match &slots[n] {
            Slot::ReadAlso { .. } => Ok(links
                .get(n)
                .copied()
                .flatten()
                .map(|e| self.read_also_box(e))
                .unwrap_or_default()),
            Slot::Custom {
                name,
                args,
                body_html,
                ..
            } => self.custom_block(source, name, args, body_html.as_deref()),
        })
    }

    fn read_also_box(&self, entry: usize) -> String {
        let entry = &self.site.entries[entry];
        let label = escape(self.label(keys::READ_ALSO));
        let mut html = format!(
            "<aside class=\"read-also\" aria-label=\"{label}\">\n<p><span class=\"read-also-label\">{label}:</span> <a href=\""
        );
        let _ = pulldown_cmark_escape::escape_href(&mut html, &self.urls.href(&entry.path));
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, &entry.article.title);
        html.push_str("</a></p>\n</aside>\n");
        html
    }

    fn custom_block(
        &self,
        source: &Path,
        name: &str,
        args: &[(String, String)],
        body_html: Option<&str>,
    ) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        for (key, value) in args {
            ctx.insert(key.clone(), value);
        }
        ctx.insert("content", body_html.unwrap_or(""));
        let bytes = self.templates.render(
            &format!("blocks/{name}.html"),
            &ctx,
            &source.display().to_string(),
        )?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
