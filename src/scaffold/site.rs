//! `qissa new site DIR`: a complete small site that builds and serves at once — `site.yaml`
//! with every key explained in Arabic and English, one example article, one author and an
//! about page. The theme is the one built into the binary, so nothing else is needed.

use std::path::Path;

use super::{Created, write_new, yaml_string};
use crate::error::Diagnostic;

/// The settings of a new site.
#[derive(Debug, Clone)]
pub struct NewSite {
    pub title: String,
    pub language: String,
    pub base_url: String,
    /// The example article's date (`YYYY-MM-DD HH:MM`) and year, in the site's timezone.
    pub date: String,
    pub year: i16,
}

/// The usual timezone of a language's region, for the new site's `timezone:`.
pub fn timezone_for(language: &str) -> &'static str {
    let region = language.split(['-', '_']).nth(1).unwrap_or("");
    match region.to_ascii_uppercase().as_str() {
        "EG" => "Africa/Cairo",
        "SA" => "Asia/Riyadh",
        "AE" => "Asia/Dubai",
        "JO" => "Asia/Amman",
        "LB" => "Asia/Beirut",
        "SY" => "Asia/Damascus",
        "IQ" => "Asia/Baghdad",
        "KW" => "Asia/Kuwait",
        "QA" => "Asia/Qatar",
        "BH" => "Asia/Bahrain",
        "OM" => "Asia/Muscat",
        "YE" => "Asia/Aden",
        "PS" => "Asia/Gaza",
        "SD" => "Africa/Khartoum",
        "LY" => "Africa/Tripoli",
        "TN" => "Africa/Tunis",
        "DZ" => "Africa/Algiers",
        "MA" => "Africa/Casablanca",
        _ => "UTC",
    }
}

/// Writes a new site into `dir`, which must not exist or be empty.
pub fn new_site(dir: &Path, site: &NewSite) -> Result<Created, Diagnostic> {
    refuse_non_empty(dir)?;
    write_new(&dir.join("site.yaml"), &site_yaml(site))?;
    let article = dir.join(format!("content/articles/{}/welcome.md", site.year));
    write_new(&article, &example_article(&site.date))?;
    write_new(&dir.join("content/authors/editor.md"), EXAMPLE_AUTHOR)?;
    write_new(&dir.join("content/pages/about.md"), ABOUT_PAGE)?;
    write_new(&dir.join(".gitignore"), "public/\n.qissa-cache/\n")?;
    Ok(Created {
        path: dir.to_path_buf(),
        preview: Some("http://127.0.0.1:1111/".into()),
    })
}

fn refuse_non_empty(dir: &Path) -> Result<(), Diagnostic> {
    if dir.is_file() {
        return Err(Diagnostic::new(dir, "a file of this name already exists")
            .help("choose a new folder name for the site"));
    }
    let has_entries = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_entries {
        return Err(Diagnostic::new(dir, "this folder is not empty").help(
            "a new site goes into a new or empty folder, so nothing of yours is overwritten",
        ));
    }
    Ok(())
}

fn site_yaml(site: &NewSite) -> String {
    let language = &site.language;
    format!(
        "# إعدادات الموقع — the site's settings. Every key is explained; unknown keys are errors.
# بعد أي تعديل: qissa serve يعيد البناء تلقائيًا — qissa serve rebuilds after every save.

# اسم الموقع كما يظهر في الترويسة وعنوان الصفحات — the site name, in the header and page titles.
title: {title}
# وصف قصير لمحركات البحث والمشاركة — a short description for search engines and share previews.
description: {description}
# عنوان الموقع المنشور؛ قد يتضمن مسارًا فرعيًا — the published address; may include a sub-path.
base_url: {base_url}
# لغة الموقع (BCP 47)؛ منها يُحدَّد الاتجاه — the language; the direction follows it (ar → rtl).
language: {language}
# المنطقة الزمنية للتواريخ التي بلا فارق توقيت — the timezone of dates written without an offset.
timezone: {timezone}
# القالب: qissa (الافتراضي) أو jarida (جريدة) أو قالب في themes/ — the theme: qissa, jarida or one in themes/.
theme: qissa
# عدد المقالات في كل صفحة من القوائم — articles per list page.
per_page: 10
# الأرقام: latn (0-9) أو arab (٠-٩) — digits in dates and counts: latn (0-9) or arab (٠-٩).
digits: latn
# إظهار التاريخ الهجري (أم القرى) أيضًا — also show the Umm al-Qura Hijri date.
hijri: false
# إزاحة التاريخ الهجري بالأيام عند اختلاف الإعلان المحلي — shift the Hijri date by days.
hijri_offset: 0
# نمط روابط المقالات: :year :month :day :category :slug — the article URL pattern.
permalink: /:category/:slug/
# كلمات في الدقيقة لحساب وقت القراءة — words per minute, for the reading time.
words_per_minute: 200
# عدد المقالات في كل خلاصة Atom — articles per Atom feed.
feed_limit: 20
# شعار الناشر تحت static/ (اختياري) — the publisher's logo under static/ (optional).
# logo: images/logo.png
# نشر HTML المكتوب داخل Markdown (لغرف الأخبار الموثوقة فقط) — publish raw HTML (trusted newsrooms only).
allow_raw_html: false
# دمج صيغ كتابة الوسم الواحد (هيئة/هيئه) — fold spellings of one tag together.
merge_tag_variants: true
# نصوص الواجهة: أعد صياغة أي عبارة من strings.yaml في القالب (المفاتيح في THEMES.md)
# — reword any of the theme's labels (keys: the theme's strings.yaml, see THEMES.md).
# strings:
#   summary_heading: باختصار
#   share_label: \"شارك الخبر:\"
# الأقسام؛ كل مقال ينتمي إلى واحد منها — the sections; every article belongs to one of them.
categories:
  - {{ slug: local, name: محليات }}
  - {{ slug: politics, name: سياسة }}
  - {{ slug: sports, name: رياضة }}
",
        title = yaml_string(&site.title),
        description = yaml_string("أخبار المدينة والمنطقة أولًا بأول"),
        base_url = yaml_string(&site.base_url),
        timezone = timezone_for(language),
    )
}

fn example_article(date: &str) -> String {
    format!(
        "---
title: \"أهلًا بكم في موقعنا الإخباري\"
date: {date}
author: editor
category: local
tags: [الموقع, أخبار]
summary:
  - كل مقال ملف Markdown في content/articles/
  - الترويسة بين سطري --- تحمل العنوان والتاريخ والقسم
slug: welcome
---

هذا أول مقال في الموقع. الفقرة الأولى هي المقدمة، وتظهر بخط أكبر تحت العنوان.

## كيف تكتب مقالًا جديدًا

اكتب في الطرفية: `qissa new article \"عنوان الخبر\" --category local`، ثم افتح الملف واكتب.

| البند | التفصيل |
|---|---|
| المعاينة | qissa serve |
| النشر | qissa build |
"
    )
}

const EXAMPLE_AUTHOR: &str = "---
name: \"فريق التحرير\"
role: \"هيئة التحرير\"
# avatar: images/editor.jpg
links:
  x: https://x.com/example
  website: https://example.com/
---

فريق التحرير يكتب أخبار المدينة ويراجعها قبل النشر.
";

const ABOUT_PAGE: &str = "---
title: \"من نحن\"
description: \"موقع إخباري محلي\"
---

موقع إخباري محلي يغطي أخبار المدينة والمنطقة.
";
