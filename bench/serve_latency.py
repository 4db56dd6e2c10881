#!/usr/bin/env python3
"""Time qissa serve's live reload: save one article, wait for the browser's reload signal.

usage: bench/serve_latency.py SITE_DIR [--saves N] [--port P] [--binary PATH]

Starts `qissa serve` on SITE_DIR (e.g. a corpus from ../shared/bench/gen_corpus.py), opens
the reload channel as a browser tab would, then N times: rewrites one article with a new
title (write a temporary file, rename it over the original, as editors save) and measures
the time from the rename to the `data: reload` message. Prints the median and the spread.
"""
import argparse, os, random, socket, statistics, subprocess, sys, time


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
    while b"data: reload" not in pending:
        chunk = sock.recv(4096)
        if not chunk:
            sys.exit("the reload channel closed")
        pending += chunk
    return pending.split(b"data: reload", 1)[1]


def save_like_an_editor(path, text):
    temp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp-save")
    with open(temp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(temp, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("site")
    p.add_argument("--saves", type=int, default=25)
    p.add_argument("--port", type=int, default=1133)
    p.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "qissa"))
    args = p.parse_args()
    articles = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(args.site, "content", "articles"))
                      for f in fs if f.endswith(".md"))
    rng = random.Random(7)
    proc = subprocess.Popen([args.binary, "serve", "--root", args.site, "--port", str(args.port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        wait_for_line(proc, "serving", 600)
        sock, pending = open_reload_channel(args.port)
        latencies = []
        for i in range(args.saves):
            path = rng.choice(articles)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            lines = text.split("\n")
            lines[1] = lines[1].rstrip('"') + f' تحديث {i}"' if lines[1].endswith('"') else lines[1] + f" تحديث {i}"
            start = time.perf_counter()
            save_like_an_editor(path, "\n".join(lines))
            pending = wait_for_reload(sock, pending)
            latencies.append((time.perf_counter() - start) * 1000)
            time.sleep(0.2)  # let the debouncer settle, as between a writer's saves
        latencies.sort()
        print(f"{len(articles)} articles, {args.saves} saves: reload signal after "
              f"median {statistics.median(latencies):.0f} ms, min {latencies[0]:.0f} ms, "
              f"p90 {latencies[int(len(latencies) * 0.9) - 1]:.0f} ms, max {latencies[-1]:.0f} ms")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
