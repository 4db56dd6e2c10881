#!/usr/bin/env python3
"""Turns a sample of SaudiNewsNet (real Saudi newspaper articles, 2015) into a qissa site.

usage: prepare.py DATASET_DIR OUT [--articles 2000] [--skip 0]

DATASET_DIR holds the dataset's daily zip files (https://github.com/parallelfold/SaudiNewsNet,
`dataset/*.zip`); nothing of it is kept in this repository. The sample is deterministic:
articles ordered by the SHA-1 of their URL, the first N with a body of at least 300
characters and a title not seen before (after skipping the first `--skip` of them: a
second, disjoint sample to tune on, so the first stays a fair test). Each newspaper becomes a category and an author
desk, both named in Latin letters so that no Arabic query matches an article by its
newspaper's name (الرياض the city, not every article of the newspaper Al Riyadh).
The body keeps the dataset's paragraphs; lines that Markdown would read as markup are
escaped, so the text a reader sees is the dataset's text.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import zipfile

NEWSPAPERS = {
    "3alyoum": "Anhaa",
    "aawsat": "Asharq Al-Awsat",
    "aleqtisadiya": "Aleqtisadiya",
    "aljazirah": "Al Jazirah",
    "almadina": "Al Madina",
    "alriyadh": "Al Riyadh",
    "alwatan": "Al Watan",
    "alweeam": "Alweeam",
    "alyaum": "Al Yaum",
    "arreyadi": "Arreyadi",
    "arriyadiyah": "Arriyadiyah",
    "okaz": "Okaz",
    "sabq": "Sabq",
    "was": "SPA",
}

MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>*+\-=|`~]|\d+[.)])")


def read_articles(dataset_dir):
    for path in sorted(glob.glob(os.path.join(dataset_dir, "*.zip"))):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                yield from json.loads(archive.read(name))


def sample(articles, count, skip=0):
    ordered = sorted(articles, key=lambda a: hashlib.sha1(a["url"].encode()).hexdigest())
    seen_titles, chosen = set(), []
    for article in ordered:
        title = " ".join(article["title"].split())
        if len(article["content"]) < 300 or not title or title in seen_titles:
            continue
        if article["source"] not in NEWSPAPERS:
            continue
        seen_titles.add(title)
        if skip:
            skip -= 1
            continue
        chosen.append(article)
        if len(chosen) == count:
            break
    return chosen


def markdown_body(content):
    paragraphs = []
    for block in re.split(r"\n\s*\n", content):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        text = " ".join(lines)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace("*", r"\*").replace("_", r"\_").replace("[", r"\[").replace("`", r"\`")
        text = MARKDOWN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
        paragraphs.append(text)
    return "\n\n".join(paragraphs) + "\n"


def slug_key(title):
    """Roughly what qissa's slug keeps of a title (its first words); a repeat gets `slug:`."""
    return "-".join(re.findall(r"\w+", title)[:5])


def front_matter(article, number, repeated):
    date = article["date_extracted"].replace(" ", "T") + "+03:00"
    fields = {
        "title": " ".join(article["title"].split()),
        "date": date,
        "author": article["source"] + "-desk",
        "category": article["source"],
    }
    if repeated:
        # Two headlines that start alike would share a URL; a newsroom gives one a slug.
        fields["slug"] = f"{slug_key(fields['title'])}-{number}"
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def write_site(chosen, out):
    os.makedirs(os.path.join(out, "content", "articles"), exist_ok=True)
    os.makedirs(os.path.join(out, "content", "authors"), exist_ok=True)
    sources = sorted({a["source"] for a in chosen})
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as site:
        site.write("title: صحف سعودية\ndescription: عينة من SaudiNewsNet\n")
        site.write("base_url: https://example.org/\nlanguage: ar\ntimezone: Asia/Riyadh\n")
        site.write("theme: qissa\nper_page: 20\ncategories:\n")
        for source in sources:
            site.write(f"  - {{ slug: {source}, name: {json.dumps(NEWSPAPERS[source])} }}\n")
    for source in sources:
        with open(os.path.join(out, "content", "authors", f"{source}-desk.md"), "w", encoding="utf-8") as f:
            f.write(f"---\nname: {json.dumps(NEWSPAPERS[source] + ' desk')}\n---\nNewsroom of {NEWSPAPERS[source]}.\n")
    index, slugs_seen = [], set()
    for number, article in enumerate(chosen, start=1):
        key = slug_key(article["title"])
        repeated = key in slugs_seen
        slugs_seen.add(key)
        name = f"snn-{number:04d}.md"
        with open(os.path.join(out, "content", "articles", name), "w", encoding="utf-8") as f:
            f.write(front_matter(article, number, repeated))
            f.write("\n")
            f.write(markdown_body(article["content"]))
        index.append({"id": f"snn-{number:04d}", "source": article["source"],
                      "url": article["url"], "title": " ".join(article["title"].split()),
                      "text": article["content"]})
    # What the judging reads: the same title and text, outside the site.
    with open(os.path.join(out, "articles.json"), "w", encoding="utf-8") as f:
        json.dump(index, f, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset_dir")
    parser.add_argument("out")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--skip", type=int, default=0)
    args = parser.parse_args()
    chosen = sample(read_articles(args.dataset_dir), args.articles, args.skip)
    write_site(chosen, args.out)
    print(f"{len(chosen)} articles from {len({a['source'] for a in chosen})} newspapers in {args.out}")


if __name__ == "__main__":
    main()
