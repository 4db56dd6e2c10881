#!/usr/bin/env bash
# Build-speed benchmark: qissa (release binary) against Hugo on the same synthetic corpus.
#
#   bench/run.sh [SIZES...]            default sizes: 1000 10000 100000
#
# For each size it generates the corpus twice with ../shared/bench/gen_corpus.py (qissa
# format, and Hugo format next to the skeleton in bench/hugo-site/), cached under
# $BENCH_DIR/<size>/ so re-runs skip generation, then times RUNS full builds of each tool,
# alternating qissa and Hugo. Every build starts from a cold process and an absent output
# folder: the output (and whatever else a build leaves in the site folder, such as a build
# cache) is deleted before each build, for both tools, outside the timing, and `sync`
# flushes pending writes first. The corpus stays in the page cache (it was just
# written or read), as on a newsroom's machine. Each build runs under /usr/bin/time: wall,
# user, sys, peak RSS. The qissa binary is copied first, so a cargo build running meanwhile
# can't change it between runs.
#
# It prints, per size, the median wall time, CPU time (user + sys) and peak RSS of both
# tools, the ratios qissa/Hugo, the 100k/10k growth of qissa's time when both sizes ran,
# qissa's --timings stages of its last build, the load average, and how long the size took.
# A Markdown table for BENCHMARKS.md is printed at the end and the raw runs are kept in
# $BENCH_DIR/runs.tsv.
#
# Environment:
#   RUNS=3          timed builds per tool and size
#   BIG_RUNS=1      timed builds per tool for sizes >= 100000 (a 100k Hugo build takes minutes)
#   BENCH_DIR=/tmp/qissa-bench   corpora and outputs (several GB for 100k)
#   QISSA=path      the qissa binary (default: target/release/qissa, built first by cargo)
#   NO_CARGO=1      don't run `cargo build --release` first
#   HUGO=hugo       the Hugo binary; installed with apt-get when missing and running as root
#   HUGO_MAX=N      build sizes above N with qissa only (a 100k Hugo build takes ~10+ minutes
#                   and ~15 GB on a 2-core machine); default: Hugo at every size
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
gen=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
RUNS=${RUNS:-3}
BIG_RUNS=${BIG_RUNS:-1}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/qissa-bench}
HUGO=${HUGO:-hugo}
HUGO_MAX=${HUGO_MAX:-}
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000 100000); fi

die() { echo "run.sh: $*" >&2; exit 1; }
[ -f "$gen" ] || die "corpus generator not found: $gen (set GEN_CORPUS)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
if ! command -v "$HUGO" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing hugo (apt-get install -y hugo)…" >&2
        apt-get install -y hugo >/dev/null || { apt-get update >/dev/null && apt-get install -y hugo >/dev/null; }
    fi
    command -v "$HUGO" >/dev/null || die "hugo not found: apt-get install hugo"
fi
qissa_src="given as QISSA"
if [ -z "${QISSA:-}" ]; then
    if [ -z "${NO_CARGO:-}" ]; then (cd "$repo" && cargo build --release --quiet); fi
    QISSA=$repo/target/release/qissa
    qissa_src="work tree $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo "not in git")"
fi
[ -x "$QISSA" ] || die "qissa binary not found: $QISSA"
mkdir -p "$BENCH_DIR"
cp -p "$QISSA" "$BENCH_DIR/qissa.bin"
qissa_from="$QISSA, $qissa_src, built $(date -u -r "$QISSA" +%FT%TZ)"
QISSA=$BENCH_DIR/qissa.bin

runs_tsv=$BENCH_DIR/runs.tsv
[ -f "$runs_tsv" ] || printf 'date\tsize\ttool\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\tload1\n' >"$runs_tsv"
runs_now=$BENCH_DIR/.runs.$$   # this invocation's runs, for the medians
: >"$runs_now"
trap 'rm -f "$runs_now"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else printf "%.2f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Cache key of a corpus: the generator's content (a changed generator means new corpora).
gen_sum=$(sha256sum "$gen" | cut -c1-16)

# corpus SIZE: make $BENCH_DIR/SIZE/{qissa,hugo} unless already there for this generator.
corpus() {
    local n=$1 d=$BENCH_DIR/$1
    local q=$d/qissa h=$d/hugo
    if [ "$(cat "$d/.generated" 2>/dev/null)" != "$gen_sum" ]; then
        echo "  generating $n articles (qissa and hugo format)…" >&2
        rm -rf "$d"; mkdir -p "$d"
        python3 "$gen" "$n" "$q" --format qissa
        python3 "$gen" "$n" "$h" --format hugo
        echo "$gen_sum" >"$d/.generated"
    fi
    # The Hugo skeleton and the theme's static files are laid afresh each time (cheap), so
    # edits to bench/hugo-site/ always count.
    rm -rf "$h/layouts" "$h/i18n" "$h/static" "$h"/*.toml "$h/content/authors" "$h/content/tags" "$h/content/categories"
    cp -r "$here/hugo-site/." "$h/"
    mkdir -p "$h/static"
    cp -r "$repo/themes/qissa/static/." "$h/static/"
}

# timed TOOL SIZE RUN LOG CMD...: one build under /usr/bin/time; appends to runs.tsv.
timed() {
    local tool=$1 n=$2 run=$3 log=$4; shift 4
    local t=$BENCH_DIR/.time l d
    # Flush dirty pages (the corpus just generated, the previous build's output) so that
    # write-back doesn't land inside the next timing.
    sync
    l=$(load1) d=$(date -u +%FT%TZ)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$log" 2>&1; then
        cat "$log" >&2; die "$tool build of $n articles failed (log: $log)"
    fi
    read -r wall user sys rss <"$t"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$n" "$tool" "$run" \
        "$wall" "$user" "$sys" "$rss" "$l" | tee -a "$runs_tsv" >>"$runs_now"
    printf '    %-6s run %d: wall %6.2f s  cpu %6.2f s  rss %5.0f MB  (load %s)\n' "$tool" "$run" \
        "$wall" "$(echo "$user $sys" | awk '{print $1+$2}')" "$(echo "$rss" | awk '{print $1/1024}')" "$l"
}

# stats TOOL SIZE: "wall cpu rss_mb min_wall" medians (and the fastest wall time) of the runs
# of this invocation.
stats() {
    local rows
    rows=$(awk -F'\t' -v t="$1" -v n="$2" '$3 == t && $2 == n' "$runs_now")
    printf '%s %s %s %s\n' \
        "$(echo "$rows" | cut -f5 | median)" \
        "$(echo "$rows" | awk -F'\t' '{print $6+$7}' | median)" \
        "$(echo "$rows" | awk -F'\t' '{print $8/1024}' | median)" \
        "$(echo "$rows" | cut -f5 | sort -g | head -1)"
}

echo "qissa: $("$QISSA" --version 2>/dev/null || echo "version unknown") ($qissa_from)"
echo "hugo:  $("$HUGO" version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
echo "runs: $RUNS per tool (sizes >= 100000: $BIG_RUNS); corpora in $BENCH_DIR"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

start_all=$(date +%s)
declare -A qwall
table=()
for n in "${sizes[@]}"; do
    [[ $n =~ ^[0-9]+$ ]] || die "not a size: $n"
    start=$(date +%s)
    echo
    echo "== $n articles"
    corpus "$n"
    q=$BENCH_DIR/$n/qissa h=$BENCH_DIR/$n/hugo
    runs=$RUNS; [ "$n" -ge 100000 ] && runs=$BIG_RUNS
    with_hugo=true; [ -n "$HUGO_MAX" ] && [ "$n" -gt "$HUGO_MAX" ] && with_hugo=false
    for ((r = 1; r <= runs; r++)); do
        # Only the inputs stay: the output, staging folders and any build cache go.
        find "$q" -mindepth 1 -maxdepth 1 ! -name content ! -name site.yaml -exec rm -rf {} +
        timed qissa "$n" "$r" "$BENCH_DIR/$n/qissa.log" \
            "$QISSA" build --root "$q" --output "$q/public" --timings
        $with_hugo || continue
        rm -rf "$h/public" "$h/resources" "$h/.hugo_build.lock"
        timed hugo "$n" "$r" "$BENCH_DIR/$n/hugo.log" \
            "$HUGO" --quiet --source "$h" --destination "$h/public"
    done
    read -r qw qc qm qmin < <(stats qissa "$n")
    qwall[$n]=$qw
    # The 1-minute load average read just before each build of this size.
    load_range=$(awk -F'\t' -v n="$n" '$2 == n {print $9}' "$runs_now" |
        sort -g | awk 'NR == 1 {lo=$1} {hi=$1} END {print lo "–" hi}')
    qfiles=$(find "$q/public" -type f | wc -l)
    printf "  qissa: median wall %s s (fastest %s), cpu %s s, peak RSS %.0f MB (%s files)\n" "$qw" "$qmin" "$qc" "$qm" "$qfiles"
    if $with_hugo; then
        read -r hw hc hm hmin < <(stats hugo "$n")
        hfiles=$(find "$h/public" -type f | wc -l)
        printf "  hugo:  median wall %s s (fastest %s), cpu %s s, peak RSS %.0f MB (%s files)\n" "$hw" "$hmin" "$hc" "$hm" "$hfiles"
        rw=$(awk -v a="$qw" -v b="$hw" 'BEGIN {printf "%.2f", a/b}')
        rc=$(awk -v a="$qc" -v b="$hc" 'BEGIN {printf "%.2f", a/b}')
        rm=$(awk -v a="$qm" -v b="$hm" 'BEGIN {printf "%.2f", a/b}')
        echo "  qissa/hugo: wall ${rw}×, cpu ${rc}×, memory ${rm}×   (bar at 10k: wall ≤ 0.5×, memory ≤ 1×)"
        hm=$(printf '%.0f' "$hm")
    else
        echo "  hugo:  skipped (HUGO_MAX=$HUGO_MAX)"
        hw=— hc=— hm=— rw=— rm=—
    fi
    echo "  qissa --timings (last run):"
    sed 's/^/    /' "$BENCH_DIR/$n/qissa.log"
    echo "  load during the runs: $load_range; took $(($(date +%s) - start)) s"
    table+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$n" "$runs" \
        "$qw" "$qc" "$(printf '%.0f' "$qm")" "$hw" "$hc" "$hm" "$rw" "$rm" "$load_range")")
done

echo
if [ -n "${qwall[10000]:-}" ] && [ -n "${qwall[100000]:-}" ]; then
    # Also in user CPU time alone: system time (creating and writing 160,000 files, and the
    # kernel reclaiming page cache for them) swings with the machine's state.
    user_median() { awk -F'\t' -v n="$1" '$3 == "qissa" && $2 == n {print $6}' "$runs_now" | median; }
    awk -v a="${qwall[100000]}" -v b="${qwall[10000]}" -v ua="$(user_median 100000)" -v ub="$(user_median 10000)" \
        'BEGIN {printf "qissa 100k/10k growth: wall %.1f× (bar: ≤ 11×), user CPU %.1f×\n\n", a/b, ua/ub}'
fi
echo "For BENCHMARKS.md ($(date -u +%F), times in s, memory in MB):"
echo
echo "| articles | runs | qissa wall | qissa CPU | qissa RSS | Hugo wall | Hugo CPU | Hugo RSS | wall qissa/Hugo | RSS qissa/Hugo | load (1 min) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${table[@]}"
echo
echo "total: $(($(date +%s) - start_all)) s; raw runs in $runs_tsv"
