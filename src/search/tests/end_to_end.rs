//! Queries through the browser module over a real index: a dozen short articles written
//! for this test, one or more per failure class of issue 13 (hamza seats, ات plurals, broken
//! plurals, one-letter prefixes, split and joined loanwords, name variants, prefix false
//! positives), and the ranking rules.

use std::collections::HashMap;
use std::process::Command;

use serde_json::Value;

use super::{module_dir, node};
use crate::search::{Analyzed, SearchDoc, SiteLexicon, analyze_doc, index_files};

/// (slug, date, headline, tags, lead)
const ARTICLES: &[(&str, &str, &str, &[&str], &str)] = &[
    (
        "resign",
        "2026-05-01T10:00:00+03:00",
        "استقالة المسؤول عن ملف الطاقة",
        &["الطاقة"],
        "قدم المسؤول الأول عن ملف الطاقة استقالته صباح اليوم.",
    ),
    (
        "startups",
        "2026-05-02T10:00:00+03:00",
        "شركات ناشئة تجمع تمويلا جديدا",
        &["الاستثمار"],
        "جمعت شركات ناشئة في القاهرة تمويلا كبيرا هذا الشهر.",
    ),
    (
        "phones",
        "2026-05-03T10:00:00+03:00",
        "ارتفاع أسعار الهواتف الذكية",
        &["التقنية"],
        "ارتفعت أسعار الهواتف في الأسواق بنسبة ملحوظة.",
    ),
    (
        "schools",
        "2026-05-04T10:00:00+03:00",
        "خطة جديدة للتعليم",
        &["التعليم"],
        "أعلنت الوزارة خطة لتطوير المدارس وللمدارس الريفية نصيب منها.",
    ),
    (
        "facebook",
        "2026-05-05T10:00:00+03:00",
        "حملة توعية على فيس بوك",
        &["التواصل"],
        "أطلقت الجمعية حملة توعية عبر فيس بوك للشباب.",
    ),
    (
        "youtube",
        "2026-05-06T10:00:00+03:00",
        "يوتيوب يطلق ميزة للمبدعين",
        &["التقنية"],
        "أطلقت منصة يوتيوب ميزة جديدة لصناع المحتوى.",
    ),
    (
        "google",
        "2026-05-07T10:00:00+03:00",
        "جوجل تكشف عن نظارة ذكية",
        &["التقنية"],
        "كشفت جوجل عن نظارتها الجديدة في مؤتمرها السنوي.",
    ),
    (
        "microsoft",
        "2026-05-08T10:00:00+03:00",
        "ميكروسوفت تحدث نظام التشغيل",
        &["التقنية"],
        "أصدرت ميكروسوفت تحديثا لنظام التشغيل.",
    ),
    (
        "bank",
        "2026-05-09T10:00:00+03:00",
        "المصرف المركزي يثبت الفائدة",
        &["الاقتصاد"],
        "قرر المصرف المركزي تثبيت سعر الفائدة.",
    ),
    (
        "egypt",
        "2026-05-10T10:00:00+03:00",
        "مصر تفتتح محطة كهرباء",
        &["الطاقة"],
        "افتتحت مصر محطة كهرباء جديدة في الصعيد.",
    ),
    (
        "egyptian",
        "2026-05-11T10:00:00+03:00",
        "الحكومة المصرية تعلن موازنة العام",
        &["الاقتصاد"],
        "أعلنت الحكومة المصرية موازنة العام المقبل.",
    ),
    (
        "gold-title",
        "2026-05-12T10:00:00+03:00",
        "الذهب يرتفع مع قلق الأسواق",
        &["الاقتصاد"],
        "ارتفع سعر المعدن الأصفر اليوم.",
    ),
    (
        "gold-body",
        "2026-05-13T10:00:00+03:00",
        "الأسواق تترقب قرار الفائدة",
        &["الاقتصاد"],
        "ترقب المستثمرون القرار بينما استقر الذهب.",
    ),
    (
        "palestinian",
        "2026-05-14T10:00:00+03:00",
        "الحكومة الفلسطينية تجتمع",
        &["السياسة"],
        "اجتمعت الحكومة الفلسطينية في رام الله.",
    ),
    (
        "palestine",
        "2026-05-01T09:00:00+03:00",
        "فلسطين تستضيف مؤتمرا للشباب",
        &["السياسة"],
        "تستضيف فلسطين مؤتمرا للشباب العربي.",
    ),
    (
        "minister",
        "2026-05-15T10:00:00+03:00",
        "لقاء مع الوزير",
        &["السياسة"],
        "التقى الوفد بالوزير ولوزير الخارجية كلمة.",
    ),
];

fn fixture_docs() -> Vec<Analyzed> {
    let mut docs: Vec<Analyzed> = ARTICLES
        .iter()
        .map(|(slug, date, title, tags, lead)| {
            let doc = SearchDoc {
                url: format!("/news/{slug}/"),
                title: title.to_string(),
                date: date.to_string(),
                date_label: date[..10].to_string(),
                category: "أخبار".into(),
                category_url: "/news/".into(),
                authors: vec![("كاتب الاختبار".into(), "/authors/tester/".into())],
                tags: tags.iter().map(|t| t.to_string()).collect(),
                summary: Vec::new(),
                body: format!("{lead}\nفقرة ثانية بلا كلمات البحث."),
            };
            analyze_doc(doc, &SiteLexicon::default())
        })
        .collect();
    docs.sort_by(|a, b| b.doc.date.cmp(&a.doc.date));
    docs
}

/// Runs `queries` through qissa-search.js; `None` when node is missing.
fn run(queries: &[&str]) -> Option<HashMap<String, Vec<Value>>> {
    run_served(queries, false)
}

/// [`run`], with the data files served gzipped as stored, or inflated (`inflated`: a host
/// that sets `Content-Encoding: gzip`).
fn run_served(queries: &[&str], inflated: bool) -> Option<HashMap<String, Vec<Value>>> {
    let node = node()?;
    let docs = fixture_docs();
    let refs: Vec<&Analyzed> = docs.iter().collect();
    let site = tempfile::tempdir().expect("temp dir");
    for (path, bytes) in index_files(&refs, &SiteLexicon::default()) {
        let file = site.path().join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, bytes).expect("write");
    }
    let out = Command::new(node)
        .arg(module_dir().join("tests/run_queries.mjs"))
        .arg(site.path())
        .args(queries)
        .env("QISSA_SERVE_INFLATED", if inflated { "1" } else { "0" })
        .output()
        .expect("run node");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON from node");
    let results = report["results"].as_object().expect("results").clone();
    Some(
        results
            .into_iter()
            .map(|(q, list)| (q, list.as_array().cloned().unwrap_or_default()))
            .collect(),
    )
}

fn slugs(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap_or_default();
            url.trim_matches('/')
                .trim_start_matches("news/")
                .to_string()
        })
        .collect()
}

#[test]
fn each_failure_class_of_the_issue_is_found() {
    let expected: &[(&str, &[&str])] = &[
        ("مسئول", &["resign"]),
        ("شركة", &["startups"]),
        ("هاتف", &["phones"]),
        ("سعر الهاتف", &["phones"]),
        ("مدرسة", &["schools"]),
        ("فيسبوك", &["facebook"]),
        ("يو تيوب", &["youtube"]),
        ("غوغل", &["google"]),
        ("مايكروسوفت", &["microsoft"]),
        ("مصر", &["egypt", "egyptian"]),
        ("مصرف", &["bank"]),
        ("وزير", &["minister"]),
        ("الذهب", &["gold-title", "gold-body"]),
        ("فلسطين", &["palestine", "palestinian"]),
        ("ﻣﺼﺮ", &["egypt", "egyptian"]),
        ("في", &[]),
        ("مصر هاتف", &[]),
    ];
    let queries: Vec<&str> = expected.iter().map(|(q, _)| *q).collect();
    let Some(results) = run(&queries) else { return };
    for (query, want) in expected {
        assert_eq!(slugs(&results[*query]), *want, "query {query}");
    }
}

#[test]
fn results_carry_what_a_page_shows_with_the_matches_marked() {
    let Some(results) = run(&["الهواتف", "فيسبوك"]) else {
        return;
    };
    let phones = &results["الهواتف"][0];
    assert_eq!(phones["title"], "ارتفاع أسعار الهواتف الذكية");
    assert_eq!(phones["date"], "2026-05-03T10:00:00+03:00");
    assert_eq!(phones["date_label"], "2026-05-03");
    assert_eq!(phones["category"], "أخبار");
    assert_eq!(phones["category_url"], "/news/");
    assert_eq!(phones["authors"][0]["name"], "كاتب الاختبار");
    assert_eq!(
        phones["excerpt"],
        "ارتفعت أسعار <mark>الهواتف</mark> في الأسواق بنسبة ملحوظة."
    );
    let facebook = results["فيسبوك"][0]["excerpt"].as_str().unwrap_or_default();
    assert!(facebook.contains("<mark>فيس بوك</mark>"), "{facebook}");
}

#[test]
fn files_a_host_already_inflated_are_read_as_they_come() {
    let Some(results) = run_served(&["هاتف"], true) else {
        return;
    };
    assert_eq!(slugs(&results["هاتف"]), ["phones"]);
}

#[test]
fn the_index_is_deterministic() {
    let docs = fixture_docs();
    let refs: Vec<&Analyzed> = docs.iter().collect();
    let first = index_files(&refs, &SiteLexicon::default());
    assert_eq!(first, index_files(&refs, &SiteLexicon::default()));
    let names: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"search/qissa-search.js"));
    assert!(names.contains(&"search/index/meta.json.gz"));
    assert!(names.contains(&"search/index/docs-s0.json.gz"));
    let empty = index_files(&[], &SiteLexicon::default());
    let names: Vec<&str> = empty.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"search/index/meta.json.gz"));
    assert!(names.contains(&"search/index/terms-0.bin.gz"));
}
