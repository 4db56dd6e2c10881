#!/usr/bin/env bash
# What search adds to a full build: qissa (release binary) on one generated corpus, built
# with `search: false` and with search on, alternating, RUNS times each.
#
#   bench/search.sh [SIZE]          default size: 10000 articles
#
# The corpus comes from ../shared/bench/gen_corpus.py (cached under $BENCH_DIR/search-SIZE/);
# a second copy of the site (articles hard-linked) differs only by `search: false` in its
# site.yaml. Every build starts from a cold process with no output folder and no build cache
# (both deleted, and `sync` run, outside the timing) and runs under /usr/bin/time. It prints
# the median wall time, CPU time and peak RSS of each, the extra time search costs (the bar is
# 20%), the search index's size, and the --timings stages of the last search-on build.
#
# Environment: RUNS=3, SETTLE=35 (seconds to wait after deleting an output folder: see
# bench/growth.sh), BENCH_DIR=/tmp/qissa-bench, QISSA=path (default target/release/qissa,
# built first unless NO_CARGO=1). INSTRUCTIONS=1 counts instead of timing: one cold build of
# each under valgrind's callgrind, every thread, and the extra instructions search costs.
# Wall times on a shared VM move by ±20% from minute to minute, instruction counts by a
# fraction of a percent: they show whether a change to the index made it cheaper.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
gen=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
size=${1:-10000}
RUNS=${RUNS:-3}
SETTLE=${SETTLE:-35}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/qissa-bench}

die() { echo "bench/search.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
[ -f "$gen" ] || die "no corpus generator at $gen (set GEN_CORPUS)"
if [ -z "${QISSA:-}" ]; then
    [ -n "${NO_CARGO:-}" ] || (cd "$repo" && cargo build --release --quiet)
    QISSA=$repo/target/release/qissa
fi
work=$BENCH_DIR/search-$size
mkdir -p "$work"
# A private copy: a cargo build running meanwhile can't swap the binary between runs.
cp "$QISSA" "$work/qissa"
QISSA=$work/qissa

on=$work/on off=$work/off
if [ ! -f "$on/site.yaml" ]; then
    echo "generating $size articles into $on"
    python3 "$gen" "$size" "$on" >/dev/null
fi
if [ ! -f "$off/site.yaml" ]; then
    mkdir -p "$off"
    cp -al "$on/content" "$off/content"
    [ ! -d "$on/static" ] || cp -al "$on/static" "$off/static"
    grep -v '^search:' "$on/site.yaml" >"$off/site.yaml"
    echo "search: false" >>"$off/site.yaml"
fi

runs=$work/runs.tsv
: >"$runs"
# timed NAME SITE: one cold full build; appends "name wall cpu rss_kb" to runs.tsv.
timed() {
    local name=$1 site=$2 t
    rm -rf "$site/public" "$site/.qissa-cache"
    sync
    sleep "$SETTLE"
    t=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$QISSA" build --root "$site" --output "$site/public" \
        --timings >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; die "$name build failed"; }
    read -r wall user sys rss <"$t"
    rm -f "$t"
    echo -e "$name\t$wall\t$(echo "$user + $sys" | bc)\t$rss" >>"$runs"
    echo "  $name: ${wall}s wall, $(echo "$user + $sys" | bc)s CPU, $((rss / 1024)) MB"
}

# counted NAME SITE: the instructions of one cold full build, every thread.
counted() {
    local name=$1 site=$2
    rm -rf "$site/public" "$site/.qissa-cache"
    valgrind --tool=callgrind --callgrind-out-file="$work/$name.callgrind" \
        "$QISSA" build --root "$site" --output "$site/public" >"$work/$name.log" 2>&1 ||
        { cat "$work/$name.log"; die "$name build failed"; }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/$name.log"
}

if [ -n "${INSTRUCTIONS:-}" ]; then
    command -v valgrind >/dev/null || die "valgrind is missing (apt-get install valgrind)"
    echo "qissa $(cd "$repo" && git rev-parse --short HEAD), $size articles, instructions"
    off_count=$(counted off "$off")
    on_count=$(counted on "$on")
    echo "search: false: $off_count instructions"
    echo "search on:     $on_count instructions"
    echo "search adds $(echo "scale=1; ($on_count - $off_count) * 100 / $off_count" | bc)% to the instructions"
    exit 0
fi

echo "qissa $(cd "$repo" && git rev-parse --short HEAD), $size articles, $RUNS runs each, ${SETTLE}s settle, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# The order alternates (off-on, on-off, ...): on this machine each build of the series runs a
# little slower than the one before (the file system has more deleted inodes to step over),
# and a fixed order would charge that drift to whichever build always comes second.
for run in $(seq "$RUNS"); do
    echo "run $run"
    if [ $((run % 2)) -eq 1 ]; then
        timed off "$off"
        timed on "$on"
    else
        timed on "$on"
        timed off "$off"
    fi
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$runs" | median; }
off_wall=$(col off 2) on_wall=$(col on 2)
echo
echo "| build | median wall | median CPU | median peak RSS |"
echo "|---|---|---|---|"
echo "| search: false | ${off_wall} s | $(col off 3) s | $(($(col off 4 | cut -d. -f1) / 1024)) MB |"
echo "| search on | ${on_wall} s | $(col on 3) s | $(($(col on 4 | cut -d. -f1) / 1024)) MB |"
echo
echo "search adds $(echo "scale=1; ($on_wall - $off_wall) * 100 / $off_wall" | bc)% to the wall time (bar: 20%)"
echo "index: $(du -sk "$on/public/search" | cut -f1) KB in $(find "$on/public/search" -type f | wc -l) files"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "qissa --timings (last search-on build):"
sed 's/^/  /' "$work/on.log"
