//! Writers' tools on a built site: every block, embeds from a pasted link, figures from an
//! image with a caption and credit, theme blocks from a template, author links as a map — and
//! the faults a writer can make with them, each naming the file and line.

use crate::support::{Workspace, attr, one, select, text};

/// An article of `minimal` with `body`, at `/sports/writing/`.
fn article(body: &str) -> String {
    format!(
        "---\ntitle: أدوات الكتابة\ndate: 2026-03-03\nauthor: karim-nabil\ncategory: sports\nslug: writing\n---\nمقدمة الخبر.\n\n{body}"
    )
}

const ARTICLE: &str = "content/articles/writing.md";

/// A small JPEG for the blocks' photos.
fn small_jpeg() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(80, 60, image::Rgb([120, 90, 60]))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

#[test]
fn every_block_renders_its_elements() {
    let ws = Workspace::minimal_with(
        ARTICLE,
        &article(concat!(
            ":::figure /images/a.jpg alt=\"ملعب\" caption=\"الملعب قبل المباراة\" credit=\"كريم نبيل\"\n\n",
            ":::gallery\n![أ](/images/b.jpg \"الجمهور | سارة علي\")\n![ب](/images/c.jpg)\n:::\n\n",
            ":::quote by=\"المدرب\"\nسنعود أقوى.\n:::\n\n",
            ":::notice warning title=\"تنبيه للجماهير\"\nالأبواب تُغلق قبل المباراة بساعة.\n:::\n\n",
            ":::read-also derby-draw.md\n\n",
            "![المدرجات](/images/d.jpg \"المدرجات ممتلئة | تصوير: سارة علي\")\n",
        )),
    );
    for name in ["a", "b", "c", "d"] {
        ws.write_bytes(&format!("static/images/{name}.jpg"), &small_jpeg());
    }
    let out = ws.build_ok(&[]);
    let page = out.page("/sports/writing/");
    let figure = select(&page, "figure.photo")[0];
    let image = crate::support::select_in(figure, "img")[0];
    // A photo comes out through the photo engine, as a responsive picture.
    assert!(
        attr(image, "src").starts_with("/photos/"),
        "{}",
        figure.html()
    );
    assert_eq!(crate::support::select_in(figure, "picture source").len(), 1);
    assert_eq!(attr(image, "alt"), "ملعب");
    assert!(text(figure).contains("الملعب قبل المباراة"));
    let credit = crate::support::select_in(figure, ".credit")[0];
    assert_eq!(text(credit), "تصوير: كريم نبيل");
    assert_eq!(select(&page, ".gallery > figure.photo img").len(), 2);
    assert_eq!(text(one(&page, ".gallery .credit")), "تصوير: سارة علي");
    assert_eq!(
        text(one(&page, "figure.pull-quote blockquote")),
        "سنعود أقوى."
    );
    assert_eq!(text(one(&page, "figure.pull-quote figcaption")), "المدرب");
    assert_eq!(
        text(one(&page, ".notice-warning .notice-title")),
        "تنبيه للجماهير"
    );
    let read_also = one(&page, "aside.read-also a");
    assert_eq!(text(read_also), "تعادل مثير في ديربي المدينة");
    assert!(out.has_page(&crate::support::decode_href(attr(read_also, "href"))));
    let last = select(&page, "figure.photo").pop().unwrap();
    assert_eq!(
        text(crate::support::select_in(last, ".caption")[0]),
        "المدرجات ممتلئة"
    );
    assert_eq!(
        text(crate::support::select_in(last, ".credit")[0]),
        "تصوير: سارة علي"
    );
    let feed = std::fs::read_to_string(out.root.join("atom.xml")).unwrap();
    assert!(
        feed.contains("read-also") && !feed.contains("qissa-slot"),
        "{feed}"
    );
}

#[test]
fn pasted_links_become_placeholders_that_load_nothing() {
    let ws = Workspace::minimal_with(
        ARTICLE,
        &article(concat!(
            "https://youtu.be/dQw4w9WgXcQ?t=42\n\n",
            "<https://x.com/someone/status/1850000000000000000>\n\n",
            ":::embed https://vimeo.com/76979871 start=1m caption=\"المؤتمر الصحفي\"\n\n",
            "https://example.com/not-a-provider\n",
        )),
    );
    let page = ws.build_ok(&[]).page("/sports/writing/");
    let embeds = select(&page, "figure.embed");
    assert_eq!(embeds.len(), 3);
    assert_eq!(
        attr(embeds[0], "data-embed-src"),
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42&autoplay=1"
    );
    assert_eq!(attr(embeds[0], "data-embed-title"), "فيديو من يوتيوب");
    let link = crate::support::select_in(embeds[0], "a")[0];
    assert_eq!(attr(link, "href"), "https://youtu.be/dQw4w9WgXcQ?t=42");
    let button = crate::support::select_in(embeds[0], "button.embed-play")[0];
    assert_eq!(attr(button, "type"), "button");
    assert!(text(button).contains("تشغيل الفيديو من يوتيوب"));
    assert!(
        attr(embeds[1], "data-embed-src")
            .starts_with("https://platform.twitter.com/embed/Tweet.html?id=1850000000000000000")
    );
    assert!(attr(embeds[2], "data-embed-src").ends_with("#t=60s"));
    assert_eq!(
        text(crate::support::select_in(embeds[2], "figcaption")[0]),
        "المؤتمر الصحفي"
    );
    // Nothing from a provider in the page itself: no iframe, no picture, no script.
    assert!(select(&page, "iframe").is_empty());
    for el in select(&page, "img[src], script[src], link[href]") {
        let url = el
            .value()
            .attr("src")
            .or(el.value().attr("href"))
            .unwrap_or("");
        assert!(
            !url.starts_with("http") || url.starts_with("https://example.com/"),
            "{url}"
        );
    }
    let plain = select(&page, "p a[href='https://example.com/not-a-provider']");
    assert!(
        plain.is_empty(),
        "an unknown provider stays text, as written"
    );
    assert!(crate::support::all_text(&page).contains("https://example.com/not-a-provider"));
}

#[test]
fn theme_blocks_are_declared_in_templates_and_checked() {
    let ws = Workspace::minimal_with(
        ARTICLE,
        &article(":::poll \"هل تؤيد القرار؟\" votes=120\nصوّت **الآن**.\n:::\n"),
    );
    ws.write(
        "templates/blocks/poll.html",
        "{# params: question, votes?\n   body: yes #}\n<section class=\"poll\"><h3>{{ question }}</h3>{% if votes %}<p class=\"votes\">{{ votes }}</p>{% endif %}{{ content | safe }}</section>\n",
    );
    let page = ws.build_ok(&[]).page("/sports/writing/");
    assert_eq!(text(one(&page, "section.poll h3")), "هل تؤيد القرار؟");
    assert_eq!(text(one(&page, "section.poll .votes")), "120");
    assert_eq!(text(one(&page, "section.poll p strong")), "الآن");

    ws.write(ARTICLE, &article(":::poll votes=3\n:::\n"));
    let failed = ws.build(&[]);
    assert!(!failed.success);
    assert!(
        failed.stderr.contains("content/articles/writing.md:10")
            && failed.stderr.contains("`:::poll` needs `question`"),
        "{}",
        failed.stderr
    );
}

#[test]
fn block_faults_name_the_file_the_line_and_the_choices() {
    for (body, line, wanted) in [
        (":::qoute by=x\nكلام\n:::\n", 10, "unknown block `:::qoute`"),
        (
            ":::figure /a.jpg captoin=x\n",
            10,
            "`:::figure` has no parameter `captoin`",
        ),
        (
            "نص.\n\n:::read-also missing.md\n",
            12,
            "no article `missing.md`",
        ),
        (
            ":::notice urgent\nx\n:::\n",
            10,
            "`:::notice` has no kind `urgent`",
        ),
    ] {
        let ws = Workspace::minimal_with(ARTICLE, &article(body));
        let run = ws.build(&[]);
        assert!(!run.success, "{body}");
        let at = format!("content/articles/writing.md:{line}");
        assert!(
            run.stderr.contains(&at) && run.stderr.contains(wanted),
            "{body}\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("help:"), "{}", run.stderr);
    }
    let ws = Workspace::minimal_with(ARTICLE, &article(":::qoute\n:::\n"));
    let stderr = ws.build(&[]).stderr;
    assert!(
        stderr.contains("did you mean `quote`?")
            && stderr.contains("valid choices: embed, figure, gallery, notice, quote, read-also"),
        "{stderr}"
    );
}

#[test]
fn author_links_as_a_map_show_arabic_platform_names() {
    let ws = Workspace::minimal_with(
        "content/authors/karim-nabil.md",
        "---\nname: كريم نبيل\nlinks: { x: \"@karim\", facebook: https://facebook.com/karim, email: karim@example.com }\n---\nمحرر رياضي.\n",
    );
    let page = ws.build_ok(&[]).page("/authors/karim-nabil/");
    let links: Vec<(String, String)> = select(&page, ".author-links a")
        .into_iter()
        .map(|a| (text(a), attr(a, "href").to_string()))
        .collect();
    assert_eq!(
        links,
        [
            ("إكس".to_string(), "https://x.com/karim".to_string()),
            (
                "فيسبوك".to_string(),
                "https://facebook.com/karim".to_string()
            ),
            ("البريد".to_string(), "mailto:karim@example.com".to_string()),
        ]
    );
    ws.write(
        "content/authors/karim-nabil.md",
        "---\nname: كريم نبيل\nlinks:\n  twitter: https://x.com/karim\n---\n",
    );
    let run = ws.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("content/authors/karim-nabil.md:3")
            && run.stderr.contains("unknown platform `twitter`")
            && run.stderr.contains("x, facebook, instagram"),
        "{}",
        run.stderr
    );
}
