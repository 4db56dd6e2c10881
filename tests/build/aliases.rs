//! Old links stay alive: `aliases:` writes a redirect page at every old path (under the base
//! path, as every site path), kept out of the sitemap and the feeds; collisions name both
//! files; `qissa check` follows the redirects.

use std::process::Command;

use crate::support::{Workspace, attr, one, select};

const ARTICLE: &str = "---
title: تعادل مثير في ديربي المدينة
date: 2026-03-01
author: karim-nabil
category: sports
tags: [كرة القدم]
aliases: [/2019/05/derby/, /old/derby.html, /قديم/ديربي]
---

انتهت مباراة ديربي المدينة بالتعادل بهدفين لكل فريق.
";

fn site_with_aliases() -> Workspace {
    Workspace::minimal_with("content/articles/derby-draw.md", ARTICLE)
}

#[test]
fn every_alias_is_a_redirect_page_to_the_article() {
    let ws = site_with_aliases();
    let out = ws.build_ok(&["--base-url", "https://e.com/news/"]);
    let target = "/news/sports/%D8%AA%D8%B9%D8%A7%D8%AF%D9%84-%D9%85%D8%AB%D9%8A%D8%B1-%D9%81%D9%8A-%D8%AF%D9%8A%D8%B1%D8%A8%D9%8A-%D8%A7%D9%84%D9%85%D8%AF%D9%8A%D9%86%D8%A9/";
    for file in [
        "2019/05/derby/index.html",
        "old/derby.html",
        "قديم/ديربي/index.html",
    ] {
        let page = out.parse(std::path::Path::new(file));
        let refresh = one(&page, "meta[http-equiv=refresh]");
        assert_eq!(
            attr(refresh, "content"),
            format!("0; url={target}"),
            "{file}"
        );
        let canonical = one(&page, "link[rel=canonical]");
        assert_eq!(attr(canonical, "href"), format!("https://e.com{target}"));
        let link = one(&page, "body a");
        assert_eq!(attr(link, "href"), target);
        assert!(!select(&page, "meta[name=description]").is_empty());
    }
}

#[test]
fn aliases_stay_out_of_the_sitemap_and_the_feeds() {
    let ws = site_with_aliases();
    let out = ws.build_ok(&[]);
    for file in ["sitemap.xml", "atom.xml", "sports/atom.xml"] {
        let text = std::fs::read_to_string(out.root.join(file)).unwrap();
        assert!(
            !text.contains("2019/05") && !text.contains("old/derby"),
            "{file}"
        );
    }
}

#[test]
fn an_alias_on_a_real_page_names_both_files() {
    let ws = site_with_aliases();
    ws.write(
        "content/articles/market-fire.md",
        "---\ntitle: خبر\ndate: 2026-03-02\nauthor: sara-ali\ncategory: security\naliases: [/sports/]\n---\nنص.\n",
    );
    let run = ws.build(&[]);
    assert!(!run.success, "{}", run.stdout);
    assert!(
        run.stderr.contains("content/articles/market-fire.md:6")
            && run.stderr.contains(
                "the alias /sports/ is already taken by the generated list page /sports/"
            ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_alias_is_an_error_with_its_line() {
    let ws = Workspace::minimal_with(
        "content/articles/derby-draw.md",
        &ARTICLE.replace("/2019/05/derby/", "../up/"),
    );
    let run = ws.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("derby-draw.md:7") && run.stderr.contains("alias `../up/`"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_follows_the_redirects() {
    let ws = site_with_aliases();
    let out = ws.build_ok(&[]);
    let check = |expect_ok: bool| {
        let run = Command::new(env!("CARGO_BIN_EXE_qissa"))
            .args(["check", "--root"])
            .arg(ws.site())
            .arg("--output")
            .arg(&out.root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
        assert_eq!(run.status.success(), expect_ok, "{stdout}");
        stdout
    };
    check(true);
    // The article goes away by hand: every redirect now leads nowhere.
    let article = out.root.join("sports");
    std::fs::remove_dir_all(&article).unwrap();
    let report = check(false);
    assert!(
        report.contains("error: 2019/05/derby/index.html: broken link"),
        "{report}"
    );
}
