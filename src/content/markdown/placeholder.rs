//! The click-to-load placeholder an embed becomes. Privacy first: the page holds nothing
//! from the provider — no thumbnail, no script, no preconnect — only a `<figure>` with the
//! provider's name, a real link to the original (so without JavaScript it is a plain link), a
//! notice that playing loads content from the provider, and a play `<button>` (hidden until
//! the theme's inline script is there to make it work). The script reads `data-embed-src` and
//! `data-embed-title` and puts the provider's iframe in the placeholder's place on click.

use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use super::blocks::figcaption;
use super::embeds::{Embed, Kind};
use super::labels::BodyLabels;

/// The placeholder for `embed` of `url`, with an optional caption under it; `words` are the
/// theme's labels.
pub(super) fn embed_placeholder(
    url: &str,
    embed: &Embed,
    caption: Option<&str>,
    words: &BodyLabels,
) -> String {
    let name = embed.provider.arabic_name();
    let (kind, play, title) = labels(embed.kind, name, words);
    let mut html = format!(
        "<figure class=\"embed embed-{kind} embed-{}\" data-embed-src=\"",
        embed.provider.slug()
    );
    let _ = escape_href(&mut html, &embed.player);
    html.push_str("\" data-embed-title=\"");
    let _ = escape_html(&mut html, &title);
    html.push_str(&format!(
        "\">\n<div class=\"embed-placeholder\">\n\
         <p class=\"embed-provider\">{name}</p>\n<p class=\"embed-link\"><a href=\""
    ));
    let _ = escape_href(&mut html, url);
    html.push_str("\" dir=\"ltr\">");
    let _ = escape_html_body_text(&mut html, url);
    html.push_str("</a></p>\n<button type=\"button\" class=\"embed-play\" aria-label=\"");
    let _ = escape_html(&mut html, &play);
    html.push_str("\" hidden><span aria-hidden=\"true\">▶</span> ");
    let _ = escape_html_body_text(&mut html, &play);
    html.push_str("</button>\n<p class=\"embed-notice\">");
    let _ = escape_html_body_text(&mut html, &words.embed_notice.replace("{name}", name));
    html.push_str("</p>\n</div>\n");
    html.push_str(&figcaption(caption, None, words));
    html.push_str("</figure>\n");
    html
}

/// The kind's class, the play button's label and the iframe's title (`{name}`: the
/// provider).
fn labels(kind: Kind, name: &str, words: &BodyLabels) -> (&'static str, String, String) {
    let (class, index) = match kind {
        Kind::Video => ("video", 0),
        Kind::Vertical => ("vertical", 0),
        Kind::Post => ("post", 1),
        Kind::Audio => ("audio", 2),
        Kind::Map => ("map", 3),
    };
    let (play, title) = &words.embeds[index];
    (
        class,
        play.replace("{name}", name),
        title.replace("{name}", name),
    )
}
