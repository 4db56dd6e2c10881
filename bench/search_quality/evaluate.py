#!/usr/bin/env python3
"""Recall and precision of qissa's search (and Pagefind's) on a site made by prepare.py.

usage:
  evaluate.py SITE [--pagefind PAGEFIND_BIN] [--queries FILE] [--show QUERY]

SITE is a folder from prepare.py, built with `qissa build` (SITE/public). The judgments
come from queries.yaml beside this script: each query names the word (a regular
expression, `core`) whose forms make an article relevant, the way a reader means it: the
word with the prefixes و ف ب ل ك and the article, its feminine, dual, plural, nisba and
pronoun endings (none with `exact`), its hamza seats and other spellings written into the
core; `not` lists
tokens that fit the pattern but are other words (مصرف for مصر is not even a fit; مصرا,
"insisting", is). An article is relevant when its title or text has a token that is a
form (every core of `all`, for a query of several words). The judgment reads the
dataset's text (SITE/articles.json), never qissa's index.

With --pagefind, the built site is copied, every article element gets
`data-pagefind-body` (so Pagefind indexes the articles, as a news site would set it up),
Pagefind indexes the copy, and the same queries run through its own browser module.

Both engines run in node with a `fetch` that reads the files and counts their bytes,
one cold module per query: "first query" is what a reader's first search downloads.
--show QUERY prints the tokens the judgment takes and those it leaves (with article counts).
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
QISSA_RUNNER = os.path.join(REPO, "src", "search", "tests", "run_queries.mjs")
PAGEFIND_RUNNER = os.path.join(HERE, "run_pagefind.mjs")

TASHKEEL = re.compile("[\u064b-\u0652\u0670\u0640]")
TOKEN = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u0652\u0670\u0640A-Za-z0-9]+")
PREFIX = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"
# nisba, then gender/number (ة written ت before a pronoun), then a pronoun
SUFFIX = (r"(?:[يى])?"
          r"(?:ة|ه|ا|ات|ون|ين|ان|تين|تان|تا|و|ى|ت(?=(?:ه|ها|هم|هما|هن|ك|كم|نا|ي|ين|ان)$))?"
          r"(?:ه|ها|هم|هما|هن|ك|كم|نا|ي)?")


def tokens(text):
    return [TASHKEEL.sub("", t) for t in TOKEN.findall(text)]


class Judgment:
    """Which articles a query must find: the forms of each of its words."""

    def __init__(self, spec):
        self.query = spec["query"]
        self.kind = spec.get("tests", "")
        cores = spec.get("all") or [spec["core"]]
        self.cores = cores
        # `exact`: the word takes prefixes but no endings (الرياض, not الرياضية).
        suffix = "" if spec.get("exact") else SUFFIX
        self.patterns = [re.compile(f"^{PREFIX}(?:{core}){suffix}$") for core in cores]
        self.excluded = set(spec.get("not", []))
        self.split = spec.get("split", False)

    def words_of(self, article_tokens):
        words = set(article_tokens)
        if self.split:
            # A loanword written in two parts (فيس بوك) is the same word.
            words |= {a + b for a, b in zip(article_tokens, article_tokens[1:])}
        return words

    def is_form(self, pattern, token):
        return token not in self.excluded and pattern.match(token) is not None

    def relevant(self, article_tokens):
        words = self.words_of(article_tokens)
        return all(any(self.is_form(p, w) for w in words) for p in self.patterns)


def load_articles(site):
    with open(os.path.join(site, "articles.json"), encoding="utf-8") as f:
        return json.load(f)


INVISIBLE = re.compile("[\u0640\ufeff\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def headline_key(title):
    # qissa's typography keeps headlines in NFC, without tatweel and invisible controls.
    return " ".join(INVISIBLE.sub("", unicodedata.normalize("NFC", title)).split())


def run_node(script, folder, queries):
    out = subprocess.run(["node", script, folder, *queries], check=True,
                         capture_output=True, text=True, cwd=HERE).stdout
    return json.loads(out)


def article_ids(results, by_headline):
    """The articles of a result list, by headline (unique in a prepared site)."""
    return [by_headline.get(headline_key(r["title"]), "?") for r in results]


def missing_pages(results, public):
    """Results whose URL is not a page of the built site (the module rebuilds some URLs)."""
    return [r["url"] for r in results
            if not os.path.isfile(os.path.join(public, r["url"].strip("/"), "index.html"))]


def scores(relevant, found):
    hits = len(relevant & set(found))
    recall = hits / len(relevant) if relevant else 1.0
    precision = hits / len(found) if found else 1.0
    return recall, precision


def pagefind_site(site, pagefind_bin):
    copy = os.path.join(site, "public-pagefind")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(os.path.join(site, "public"), copy)
    for root, _, files in os.walk(copy):
        for name in files:
            if name == "index.html":
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    html = f.read()
                marked = html.replace('<article class="article">',
                                      '<article class="article" data-pagefind-body>')
                if marked != html:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(marked)
    subprocess.run([pagefind_bin, "--site", copy], check=True, capture_output=True)
    return copy


def show(judgment, articles):
    taken, left = collections.Counter(), collections.Counter()
    # Near misses: words holding the first three letters of a core.
    letters = [re.sub(r"[^\u0621-\u064a]", "", core) for core in judgment.cores]
    for _, article_tokens in articles:
        for word in judgment.words_of(article_tokens):
            if any(judgment.is_form(p, word) for p in judgment.patterns):
                taken[word] += 1
            elif any(core[:3] and core[:3] in word for core in letters):
                left[word] += 1
    print("taken:", " ".join(f"{w}:{c}" for w, c in taken.most_common()))
    print("left: ", " ".join(f"{w}:{c}" for w, c in left.most_common(80)))


def report(name, judgments, relevant, found, transfer):
    rows, recalls, precisions = [], [], []
    for j in judgments:
        recall, precision = scores(relevant[j.query], found[j.query])
        recalls.append(recall)
        precisions.append(precision)
        rows.append(f"  {recall:5.2f} {precision:5.2f} {len(relevant[j.query]):4d} "
                    f"{len(found[j.query]):4d} {transfer[j.query] / 1024:6.0f}  {j.query}  ({j.kind})")
    n = len(judgments)
    sizes = sorted(transfer.values())
    print(f"{name}: macro recall {sum(recalls) / n:.3f}, macro precision {sum(precisions) / n:.3f}; "
          f"first-query transfer median {sizes[n // 2] / 1024:.0f} KB, max {sizes[-1] / 1024:.0f} KB")
    print("  recall  prec  rel  got     KB  query")
    print("\n".join(rows))
    return sum(recalls) / n, sum(precisions) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("--queries", default=os.path.join(HERE, "queries.yaml"))
    parser.add_argument("--pagefind")
    parser.add_argument("--show")
    parser.add_argument("--misses", action="store_true",
                        help="list what each engine missed and wrongly found")
    args = parser.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        judgments = [Judgment(spec) for spec in yaml.safe_load(f)]
    records = load_articles(args.site)
    by_headline = {headline_key(a["title"]): a["id"] for a in records}
    articles = [(a["id"], tokens(a["title"] + "\n" + a["text"])) for a in records]
    if args.show:
        show(next(j for j in judgments if j.query == args.show), articles)
        return
    relevant = {j.query: {id for id, t in articles if j.relevant(t)} for j in judgments}
    queries = [j.query for j in judgments]
    engines = [("qissa", QISSA_RUNNER, os.path.join(args.site, "public"))]
    if args.pagefind:
        engines.append(("pagefind", PAGEFIND_RUNNER, pagefind_site(args.site, args.pagefind)))
    print(f"{len(articles)} articles, {len(judgments)} queries")
    for name, runner, folder in engines:
        out = run_node(runner, folder, queries)
        found = {q: article_ids(out["results"][q], by_headline) for q in queries}
        report(name, judgments, relevant, found, out["fetched"])
        if name == "qissa":
            broken = [u for q in queries for u in missing_pages(out["results"][q], folder)]
            print(f"  result URLs that are no page of the site: {len(broken)} {broken[:3]}")
        if args.misses:
            for q in queries:
                missed = sorted(relevant[q] - set(found[q]))
                wrong = [s for s in found[q] if s not in relevant[q]]
                if missed or wrong:
                    print(f"  {q}: missed {missed[:8]} wrong {wrong[:8]}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
