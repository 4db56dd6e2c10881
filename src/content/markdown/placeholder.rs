//! The click-to-load placeholder an embed becomes. Privacy first: the page holds nothing
//! from the provider — no thumbnail, no script, no preconnect — only a `<figure>` with the
//! provider's name, a real link to the original (so without JavaScript it is a plain link), a
//! notice that playing loads content from the provider, and a play `<button>` (hidden until
//! the theme's inline script is there to make it work). The script reads `data-embed-src` and
//! `data-embed-title` and puts the provider's iframe in the placeholder's place on click.

use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use super::blocks::figcaption;
use super::embeds::{Embed, Kind};

/// The placeholder for `embed` of `url`, with an optional caption under it.
pub(super) fn embed_placeholder(url: &str, embed: &Embed, caption: Option<&str>) -> String {
    let name = embed.provider.arabic_name();
    let (kind, play, title) = labels(embed.kind, name);
    let mut html = format!(
        "<figure class=\"embed embed-{kind} embed-{}\" data-embed-src=\"",
        embed.provider.slug()
    );
    let _ = escape_href(&mut html, &embed.player);
    html.push_str(&format!(
        "\" data-embed-title=\"{title}\">\n<div class=\"embed-placeholder\">\n\
         <p class=\"embed-provider\">{name}</p>\n<p class=\"embed-link\"><a href=\""
    ));
    let _ = escape_href(&mut html, url);
    html.push_str("\" dir=\"ltr\">");
    let _ = escape_html_body_text(&mut html, url);
    html.push_str("</a></p>\n<button type=\"button\" class=\"embed-play\" aria-label=\"");
    let _ = escape_html(&mut html, &play);
    html.push_str("\" hidden><span aria-hidden=\"true\">▶</span> ");
    let _ = escape_html_body_text(&mut html, &play);
    html.push_str(&format!(
        "</button>\n<p class=\"embed-notice\">يُحمَّل هذا المحتوى من {name} عند الضغط على الزر فقط، وتنطبق عليه سياسة الخصوصية الخاصة بـ{name}.</p>\n</div>\n"
    ));
    html.push_str(&figcaption(caption, None));
    html.push_str("</figure>\n");
    html
}

/// The kind's class, the play button's label and the iframe's title.
fn labels(kind: Kind, name: &str) -> (&'static str, String, String) {
    match kind {
        Kind::Video => (
            "video",
            format!("تشغيل الفيديو من {name}"),
            format!("فيديو من {name}"),
        ),
        Kind::Vertical => (
            "vertical",
            format!("تشغيل الفيديو من {name}"),
            format!("فيديو من {name}"),
        ),
        Kind::Post => (
            "post",
            format!("عرض المنشور من {name}"),
            format!("منشور من {name}"),
        ),
        Kind::Audio => (
            "audio",
            format!("تشغيل المقطع الصوتي من {name}"),
            format!("مقطع صوتي من {name}"),
        ),
        Kind::Map => (
            "map",
            format!("عرض الخريطة من {name}"),
            format!("خريطة من {name}"),
        ),
    }
}
