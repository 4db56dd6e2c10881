//! The blocks from Markdown to HTML, and their faults with lines and choices.

use std::path::Path;
use std::sync::Arc;

use scraper::{Html, Selector};

use super::spec::BlockSpec;
use crate::content::markdown::{MarkdownOptions, Origin, Rendered, Slot, render};
use crate::error::Diagnostic;

fn options() -> MarkdownOptions {
    MarkdownOptions {
        base_path: "/news/".into(),
        custom_blocks: Arc::new(vec![BlockSpec::new("poll", &["question", "votes?"], true)]),
        ..MarkdownOptions::default()
    }
}

fn rendered(body: &str) -> Result<Rendered, Vec<Diagnostic>> {
    let origin = Origin {
        file: Path::new("content/articles/a.md"),
        first_line: 10,
    };
    render(&format!("مقدمة.\n\n{body}"), &options(), origin)
}

fn html(body: &str) -> Html {
    Html::parse_fragment(&rendered(body).expect("no faults").body_html)
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attr(doc: &Html, css: &str, name: &str) -> String {
    let selector = Selector::parse(css).unwrap();
    let element = doc
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no {css}"));
    element.value().attr(name).unwrap_or_default().to_string()
}

fn only_fault(body: &str) -> Diagnostic {
    let faults = rendered(body).expect_err("a fault");
    assert_eq!(faults.len(), 1, "{faults:?}");
    faults.into_iter().next().unwrap()
}

#[test]
fn a_figure_has_a_plain_image_a_caption_and_a_credit() {
    let doc = html(
        ":::figure /images/port.jpg alt=\"سفن\" caption=\"الميناء صباحًا\" credit=\"تصوير: أحمد علي\"\n",
    );
    assert_eq!(
        attr(&doc, "figure.photo > img", "src"),
        "/news/images/port.jpg"
    );
    assert_eq!(attr(&doc, "figure.photo > img", "alt"), "سفن");
    assert_eq!(texts(&doc, "figcaption .caption"), ["الميناء صباحًا"]);
    assert_eq!(texts(&doc, "figcaption .credit"), ["تصوير: أحمد علي"]);
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure() {
    let doc = html("![سفن في الميناء](/images/port.jpg \"الميناء صباحًا | أحمد علي\")\n");
    assert_eq!(attr(&doc, "figure.photo > img", "alt"), "سفن في الميناء");
    assert_eq!(attr(&doc, "figure.photo > img", "title"), "");
    assert_eq!(texts(&doc, "figcaption .caption"), ["الميناء صباحًا"]);
    assert_eq!(texts(&doc, "figcaption .credit"), ["تصوير: أحمد علي"]);
    let inline = html("نص ![صورة](/a.jpg) ونص.\n");
    assert!(texts(&inline, "figure").is_empty());
}

#[test]
fn a_gallery_holds_one_figure_per_image() {
    let doc = html(
        ":::gallery caption=\"من المباراة\"\n![أ](/a.jpg \"الأولى\")\n![ب](/b.jpg)\n\n![ج](/c.jpg)\n:::\n",
    );
    assert_eq!(texts(&doc, "figure.gallery > figure.photo").len(), 3);
    assert_eq!(texts(&doc, "figure.gallery > figcaption"), ["من المباراة"]);
    assert_eq!(
        texts(&doc, "figure.gallery > figure.photo figcaption"),
        ["الأولى"]
    );
}

#[test]
fn quotes_and_notices() {
    let doc = html(
        ":::quote by=\"وزير الداخلية\"\nلن نتهاون مع **أحد**.\n:::\n\n:::notice correction\nصُحّح اسم الوزير.\n:::\n",
    );
    assert_eq!(texts(&doc, "figure.pull-quote blockquote strong"), ["أحد"]);
    assert_eq!(
        texts(&doc, "figure.pull-quote figcaption"),
        ["وزير الداخلية"]
    );
    assert_eq!(
        attr(&doc, "div.notice", "class"),
        "notice notice-correction"
    );
    assert_eq!(attr(&doc, "div.notice", "role"), "note");
    assert_eq!(texts(&doc, ".notice-title"), ["تصحيح"]);
    let plain = html(":::notice\nنص.\n:::\n");
    assert_eq!(texts(&plain, ".notice-info .notice-title"), ["ملاحظة"]);
}

#[test]
fn blocks_nest_and_languages_still_work() {
    let doc = html(":::notice warning\n:::en\nBreaking.\n:::\n:::\n");
    assert_eq!(
        texts(&doc, "div.notice div[lang=en][dir=ltr] p"),
        ["Breaking."]
    );
}

#[test]
fn read_also_and_theme_blocks_leave_slots() {
    let r =
        rendered(":::read-also ../2025/x.md\n\n:::poll \"هل تؤيد القرار؟\"\n**نعم** أو لا\n:::\n")
            .unwrap();
    assert_eq!(
        r.slots[0],
        Slot::ReadAlso {
            file: "../2025/x.md".into(),
            line: 12
        }
    );
    let Slot::Custom {
        name,
        args,
        body_html,
        line,
    } = &r.slots[1]
    else {
        panic!("{:?}", r.slots)
    };
    assert_eq!((name.as_str(), *line), ("poll", 14));
    let question = ("question".to_string(), "هل تؤيد القرار؟".to_string());
    assert_eq!(args, &[question, ("votes".to_string(), String::new())]);
    assert_eq!(
        body_html.as_deref(),
        Some("<p><strong>نعم</strong> أو لا</p>\n")
    );
    let filled = crate::content::markdown::fill_slots(&r.body_html, r.slots.len(), |i| {
        Ok::<_, ()>(format!("[{i}]"))
    })
    .unwrap();
    assert_eq!(filled, "[0][1]");
}

#[test]
fn lone_provider_links_become_placeholders_and_others_stay_links() {
    let doc = html(
        "https://youtu.be/dQw4w9WgXcQ?t=90\n\n<https://www.openstreetmap.org/#map=15/30.0444/31.2357>\n\nhttps://example.com/video\n\nشاهد https://youtu.be/dQw4w9WgXcQ هنا.\n",
    );
    let selector = Selector::parse("figure.embed").unwrap();
    let embeds: Vec<_> = doc.select(&selector).collect();
    assert_eq!(embeds.len(), 2);
    assert_eq!(
        embeds[0].value().attr("data-embed-src"),
        Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90&autoplay=1")
    );
    assert_eq!(
        attr(&doc, "figure.embed-youtube a", "href"),
        "https://youtu.be/dQw4w9WgXcQ?t=90"
    );
    assert_eq!(
        texts(&doc, "figure.embed-youtube .embed-provider"),
        ["يوتيوب"]
    );
    assert_eq!(
        texts(&doc, "figure.embed-youtube button"),
        ["▶ تشغيل الفيديو من يوتيوب"]
    );
    assert_eq!(
        attr(&doc, "figure.embed-youtube", "data-embed-title"),
        "فيديو من يوتيوب"
    );
    assert!(
        attr(&doc, "figure.embed-openstreetmap", "data-embed-src").contains("export/embed.html")
    );
    assert!(
        texts(&doc, "p")
            .iter()
            .any(|p| p == "https://example.com/video")
    );
}

#[test]
fn an_explicit_embed_takes_a_start_and_a_caption() {
    let doc = html(
        ":::embed https://www.youtube.com/watch?v=dQw4w9WgXcQ start=1:30 caption=\"المؤتمر الصحفي\"\n",
    );
    assert!(attr(&doc, "figure.embed", "data-embed-src").contains("start=90"));
    assert_eq!(texts(&doc, "figure.embed figcaption"), ["المؤتمر الصحفي"]);
}

#[test]
fn unknown_blocks_name_the_choices_and_the_line() {
    let fault = only_fault("نص.\n\n:::qoute by=x\nكلام\n:::\n");
    assert_eq!(fault.line, Some(14));
    assert_eq!(fault.message, "unknown block `:::qoute`");
    let help = fault.help.unwrap();
    assert!(help.contains("did you mean `quote`?"), "{help}");
    assert!(
        help.contains("embed, figure, gallery, notice, poll, quote, read-also"),
        "{help}"
    );
}

#[test]
fn bad_parameters_are_faults_with_lines() {
    let fault = only_fault(":::figure /a.jpg captoin=x\n");
    assert_eq!(
        (fault.line, fault.message.as_str()),
        (Some(12), "`:::figure` has no parameter `captoin`")
    );
    let fault = only_fault(":::notice urgent\nx\n:::\n");
    assert!(
        fault
            .help
            .unwrap()
            .contains("info, warning, correction, update")
    );
    assert!(
        only_fault(":::embed https://example.com/v\n")
            .message
            .contains("not a link qissa can embed")
    );
    assert!(
        only_fault(":::embed https://youtu.be/abc start=soon\n")
            .message
            .contains("not a time")
    );
    assert!(
        only_fault(":::embed https://x.com/a/status/1 start=5\n")
            .message
            .contains("videos only")
    );
    assert!(
        only_fault(":::read-also\n")
            .message
            .contains("needs `file`")
    );
    assert!(
        only_fault(":::read-also x.html\n")
            .message
            .contains("article file")
    );
    assert!(
        only_fault(":::poll\n:::\n")
            .message
            .contains("needs `question`")
    );
    assert!(
        only_fault(":::quote by=\"x\n")
            .message
            .contains("never closed with")
    );
    let unclosed = only_fault(":::quote\nكلام\n");
    assert_eq!(
        (unclosed.line, unclosed.message.as_str()),
        (Some(12), "`:::quote` is never closed")
    );
}

#[test]
fn fences_in_code_are_left_alone() {
    let doc = html("```\n:::nonsense\n```\n");
    assert_eq!(texts(&doc, "code"), [":::nonsense"]);
}
