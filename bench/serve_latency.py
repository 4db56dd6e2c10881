#!/usr/bin/env python3
"""Time qissa serve's live reload: save one article, wait for the browser's reload signal.

usage: bench/serve_latency.py SITE_DIR [--saves N] [--port P] [--binary PATH]
                              [--new-photos PHOTO_DIR | --browser]

Starts `qissa serve` on SITE_DIR (e.g. a corpus from ../shared/bench/gen_corpus.py), opens
the reload channel as a browser tab would, then N times: rewrites one article with a new
title (write a temporary file, rename it over the original, as editors save) and measures
the time from the rename to the signal (`data: update`, or `data: reload` when more than
HTML pages changed). Prints the median and the spread.

With --browser, a headless Chromium (Debian's chromium and chromedriver, driven over
WebDriver) shows one article's page, and each save changes that article's title: besides the
signal, it reports edit-to-visible, the time from the rename until the page shows the new
title, by the page's own clock, so polling the browser adds nothing: when the page updated
in place, the end of the first frame drawn after the headline changed (a MutationObserver
installed before the save, then requestAnimationFrame and a task); when it reloaded, the
first contentful paint of the reloaded page. It says how many saves took each way.

With --new-photos, each save instead adds a photo the site has never seen (the next JPEG of
PHOTO_DIR, e.g. from bench/gen_photos.py) beside an article without one, as a page bundle,
and gives the article `image:` and `image_alt:`; the time runs from the article's save to
the reload signal after which the article's page shows the new photo's renditions. (The article's URL is looked up first in a plain `qissa build` of the site.)
"""
import argparse, collections, html, json, os, random, re, shutil, socket, statistics, subprocess, sys, tempfile, time
import urllib.parse, urllib.request


def wait_for_line(proc, needle, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if needle in line:
            return line
    sys.exit(f"qissa serve did not print {needle!r} within {timeout} s")


def open_reload_channel(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /_qissa/reload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    sock.settimeout(30)
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(4096)
    return sock, buffer.split(b"\r\n\r\n", 1)[1]


def wait_for_reload(sock, pending):
    """Reads the channel until the next signal ("update" or "reload"); returns what follows."""
    signal = re.compile(rb"data: (update|reload)")
    while not signal.search(pending):
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("the reload channel closed")
        pending += chunk
    return pending[signal.search(pending).end():]


def save_like_an_editor(path, text):
    temp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp-save")
    with open(temp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(temp, path)


def page_of_each_article(binary, site, articles):
    """Each article's URL path, from a plain build: its page is the one carrying its title."""
    out = os.path.join(site, ".serve-latency-public")
    subprocess.run([binary, "build", "--root", site, "--output", out, "--full"], check=True,
                   stdout=subprocess.DEVNULL)
    by_title = {}
    for d, _, fs in os.walk(out):
        for f in fs:
            if f == "index.html":
                with open(os.path.join(d, f), encoding="utf-8") as page:
                    m = re.search(r'<meta property="og:title" content="([^"]*)"', page.read())
                if m:
                    by_title[html.unescape(m.group(1))] = "/" + os.path.relpath(d, out) + "/"
    shutil.rmtree(out)
    urls = {}
    for path in articles:
        with open(path, encoding="utf-8") as f:
            m = re.search(r'^title: "?(.*?)"?$', f.read(), re.M)
        if m and m.group(1) in by_title:
            urls[path] = by_title[m.group(1)]
    return urls


def add_photo_and_wait(port, sock, pending, path, photo, url):
    """Puts `photo` beside the article at `path`, names it in its front matter, and times the
    save until the reload signal; then the page must show the photo's renditions."""
    name = "new-" + os.path.basename(photo)
    shutil.copyfile(photo, os.path.join(os.path.dirname(path), name))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("---\n", f'---\nimage: {name}\nimage_alt: "صورة جديدة"\n', 1)
    start = time.perf_counter()
    save_like_an_editor(path, text)
    # The photo's own arrival may cause a reload first: wait until one shows it.
    for _ in range(5):
        pending = wait_for_reload(sock, pending)
        took = (time.perf_counter() - start) * 1000
        quoted = urllib.parse.quote(url)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}{quoted}").read().decode()
        if "<picture" in page and "/photos/" in page:
            return took, pending
    sys.exit(f"{url}: the new photo is not on the page after five reloads")


class Browser:
    """Headless Chromium over WebDriver (chromedriver), enough to open a page and run script."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.profile = tempfile.mkdtemp(prefix="serve-latency-chromium-")
        self.driver = subprocess.Popen(["chromedriver", f"--port={port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.05)
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                            f"--user-data-dir={self.profile}"]}
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
                                                 "goog:chromeOptions": options}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)["value"]

    def open(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script, *args):
        return self.call("POST", f"/session/{self.session}/execute/sync",
                         {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


# Run in the page before a save: when the headline shows `marker` without a reload (the
# preview updated the page in place), records, in epoch milliseconds, the end of the frame
# that drew it (after the next animation frame, when the browser has painted).
WATCH = """
const marker = arguments[0];
window.__shownAt = 0;
new MutationObserver((_, observer) => {
  const h1 = document.querySelector('h1');
  if (h1 && h1.textContent.includes(marker)) {
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      window.__shownAt = performance.timeOrigin + performance.now();
    }, 0));
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
return true;
"""

# The page's headline; when the page was loaded (epoch milliseconds); when it first painted
# content (or, without a paint entry, when its DOM was ready); its ready state; and when
# WATCH saw the marker drawn without a reload (0 if not).
SHOWN = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
const at = paint ? paint.startTime : (nav ? nav.domContentLoadedEventEnd : 0);
return [document.querySelector('h1') ? document.querySelector('h1').textContent : '',
        performance.timeOrigin, performance.timeOrigin + at, document.readyState,
        window.__shownAt || 0];
"""


def edit_until_visible(browser, sock, pending, path, marker):
    """Gives the article at `path` a title ending in `marker`, and times the save until the
    reload signal and until the browser showed the new title."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    t = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    title = re.sub(r' تحديث \d+$', "", lines[t].strip().strip('"').removeprefix("title: ").strip('"'))
    lines[t] = f'title: "{title} {marker}"'
    browser.run(WATCH, marker)
    start_epoch_ms = time.time() * 1000
    start = time.perf_counter()
    save_like_an_editor(path, "\n".join(lines))
    pending = wait_for_reload(sock, pending)
    signal = (time.perf_counter() - start) * 1000
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            h1, loaded_at, painted_at, state, updated_at = browser.run(SHOWN)
        except OSError:
            time.sleep(0.01)
            continue
        if marker in h1 and state == "complete":
            if loaded_at > start_epoch_ms:
                return signal, painted_at - start_epoch_ms, "reloaded", pending
            if updated_at > start_epoch_ms:
                return signal, updated_at - start_epoch_ms, "updated in place", pending
        time.sleep(0.01)
    sys.exit(f"{path}: the browser did not show {marker!r} within 30 s")


def measure_in_browser(args, articles, sock, pending):
    path = articles[0]
    url = page_of_each_article(args.binary, args.site, [path]).get(path)
    if url is None:
        sys.exit(f"{path}: no page found for it")
    browser = Browser(args.port + 1)
    try:
        browser.open(f"http://127.0.0.1:{args.port}{urllib.parse.quote(url)}")
        signals, visible, ways = [], [], collections.Counter()
        for i in range(args.saves):
            signal, shown, way, pending = edit_until_visible(browser, sock, pending, path,
                                                             f"تحديث {i}")
            signals.append(signal)
            visible.append(shown)
            ways[way] += 1
            time.sleep(0.3)
        report(f"{len(articles)} articles, {args.saves} saves: reload signal after", signals)
        report(f"{len(articles)} articles, {args.saves} saves: edit-to-visible in Chromium", visible)
        print("  the page was " + ", ".join(f"{way} {n}×" for way, n in sorted(ways.items())))
    finally:
        browser.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("site")
    p.add_argument("--saves", type=int, default=25)
    p.add_argument("--port", type=int, default=1133)
    p.add_argument("--new-photos", metavar="PHOTO_DIR")
    p.add_argument("--browser", action="store_true",
                   help="also time edit-to-visible in headless Chromium (port and port + 1)")
    p.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "qissa"))
    args = p.parse_args()
    articles = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(args.site, "content", "articles"))
                      for f in fs if f.endswith(".md"))
    rng = random.Random(7)
    if args.new_photos:
        without = [a for a in articles if "\nimage:" not in open(a, encoding="utf-8").read()]
        photos = sorted(os.path.join(args.new_photos, f) for f in os.listdir(args.new_photos)
                        if f.endswith(".jpg"))[: args.saves]
        targets = rng.sample(without, len(photos))
        urls = page_of_each_article(args.binary, args.site, targets)
    proc = subprocess.Popen([args.binary, "serve", "--root", args.site, "--port", str(args.port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        wait_for_line(proc, "serving", 600)
        sock, pending = open_reload_channel(args.port)
        latencies = []
        if args.browser:
            measure_in_browser(args, articles, sock, pending)
            return
        if args.new_photos:
            for path, photo in zip(targets, photos):
                took, pending = add_photo_and_wait(args.port, sock, pending, path, photo, urls[path])
                latencies.append(took)
                time.sleep(0.2)
            report(f"{len(articles)} articles, {len(latencies)} new photos: page with the photo after",
                   latencies)
            return
        for i in range(args.saves):
            path = rng.choice(articles)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            lines = text.split("\n")
            t = next(n for n, line in enumerate(lines) if line.startswith("title:"))
            lines[t] = lines[t].rstrip('"') + f' تحديث {i}"' if lines[t].endswith('"') else lines[t] + f" تحديث {i}"
            start = time.perf_counter()
            save_like_an_editor(path, "\n".join(lines))
            pending = wait_for_reload(sock, pending)
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.2)  # let the debouncer settle, as between a writer's saves
        report(f"{len(articles)} articles, {args.saves} saves: reload signal after", latencies)
    finally:
        proc.terminate()
        proc.wait()


def report(what, latencies):
    latencies = sorted(latencies)
    print(f"{what} median {statistics.median(latencies):.0f} ms, min {latencies[0]:.0f} ms, "
          f"p90 {latencies[max(int(len(latencies) * 0.9) - 1, 0)]:.0f} ms, max {latencies[-1]:.0f} ms")


if __name__ == "__main__":
    main()
