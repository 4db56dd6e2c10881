#!/usr/bin/env bash
# A one-article rebuild against a full build (issue 15): qissa (release binary) on one
# generated corpus, alternating RUNS times between
#   full: a cold `qissa build` with no output folder and no .qissa-cache/ (both deleted,
#         `sync` run, and SETTLE seconds waited, outside the timing: see bench/growth.sh
#         for why a build right after a large delete would measure the delete), and
#   edit: one article's body changed (a sentence appended), then `qissa build` into the
#         folder the previous build left, with its caches.
#
#   bench/rebuild.sh [SIZE]          default size: 10000 articles
#
# Prints the median wall time, CPU time and peak RSS of each, the edit's share of the full
# build (the bar is 10%), and the --timings stages of the last edit build.
#
# Environment: RUNS=3, SETTLE=35 (seconds), BENCH_DIR=/tmp/qissa-bench, QISSA=path (default target/release/qissa,
# built first unless NO_CARGO=1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
gen=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
size=${1:-10000}
RUNS=${RUNS:-3}
SETTLE=${SETTLE:-35}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/qissa-bench}

die() { echo "bench/rebuild.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
[ -f "$gen" ] || die "no corpus generator at $gen (set GEN_CORPUS)"
if [ -z "${QISSA:-}" ]; then
    [ -n "${NO_CARGO:-}" ] || (cd "$repo" && cargo build --release --quiet)
    QISSA=$repo/target/release/qissa
fi
work=$BENCH_DIR/rebuild-$size
mkdir -p "$work"
cp "$QISSA" "$work/qissa"
QISSA=$work/qissa
site=$work/site
if [ ! -f "$site/site.yaml" ]; then
    echo "generating $size articles into $site"
    python3 "$gen" "$size" "$site" >/dev/null
fi
article=$(find "$site/content/articles" -name '*.md' | sort | awk 'NR == 1')

runs=$work/runs.tsv
: >"$runs"
# timed NAME: one build of the site into its public/; appends "name wall cpu rss_kb".
timed() {
    local name=$1 t
    t=$(mktemp)
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$QISSA" build --root "$site" --output "$site/public" \
        --timings >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; die "$name build failed"; }
    read -r wall user sys rss <"$t"
    rm -f "$t"
    echo -e "$name\t$wall\t$(echo "$user + $sys" | bc)\t$rss" >>"$runs"
    echo "  $name: ${wall}s wall, $(echo "$user + $sys" | bc)s CPU, $((rss / 1024)) MB"
}

echo "qissa $(cd "$repo" && git rev-parse --short HEAD), $size articles, $RUNS runs each, $(nproc) cores"
for run in $(seq "$RUNS"); do
    echo "run $run"
    rm -rf "$site/public" "$site/.qissa-cache"
    sync
    sleep "$SETTLE"
    timed full
    echo "" >>"$article"
    echo "جملة أضيفت في التعديل رقم $run من قياس إعادة البناء." >>"$article"
    sync
    timed edit
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$runs" | median; }
full_wall=$(col full 2) edit_wall=$(col edit 2)
echo
echo "| build | median wall | median CPU | median peak RSS |"
echo "|---|---|---|---|"
echo "| full (cold) | ${full_wall} s | $(col full 3) s | $(($(col full 4 | cut -d. -f1) / 1024)) MB |"
echo "| one article's body changed | ${edit_wall} s | $(col edit 3) s | $(($(col edit 4 | cut -d. -f1) / 1024)) MB |"
echo
echo "the edit costs $(echo "scale=1; $edit_wall * 100 / $full_wall" | bc)% of the full build (bar: 10%)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "qissa --timings (last edit build):"
sed 's/^/  /' "$work/edit.log"
