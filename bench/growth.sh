#!/usr/bin/env bash
# How a full build grows from 10,000 to 100,000 articles (issue 15): the release binary on
# two generated corpora, alternating sizes RUNS times. Before each build the output folder
# and .qissa-cache/ are deleted, `sync` flushes pending writes, and the script waits SETTLE
# seconds (all outside the timing), so every build writes a fresh folder from a cold process.
#
# Why the wait: ext4 without a journal (this machine's root file system) passes over inodes
# freed in the last 30 s (vm.dirty_expire_centisecs) when it allocates new ones
# (fs/ext4/ialloc.c, recently_deleted), at a buffer lookup per inode passed over. A build
# started right after deleting the previous output (177,000 files at 100k) spends a large
# part of its system time there: `perf record -g` of a 10k build right after such a delete
# put 28% of all samples in find_inode_bit → recently_deleted. Without the wait the series
# measures the deletion of the build before, and each run is slower than the last.
#
#   bench/growth.sh                 corpora in $BENCH_DIR/{10000,100000}/qissa (as run.sh makes them)
#
# Prints each run, then the median wall time, CPU time and peak RSS of each size, and the
# growth (bar: at most 11×, and at most 1 GB at 100,000 articles).
#
# Environment: RUNS=3, SETTLE=35 (seconds), BENCH_DIR=/tmp/qissa-bench, QISSA=path (default target/release/qissa,
# built first unless NO_CARGO=1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
gen=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
RUNS=${RUNS:-3}
SETTLE=${SETTLE:-35}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/qissa-bench}

die() { echo "bench/growth.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
if [ -z "${QISSA:-}" ]; then
    [ -n "${NO_CARGO:-}" ] || (cd "$repo" && cargo build --release --quiet)
    QISSA=$repo/target/release/qissa
fi
cp "$QISSA" "$BENCH_DIR/qissa.growth"
QISSA=$BENCH_DIR/qissa.growth
for n in 10000 100000; do
    site=$BENCH_DIR/$n/qissa
    if [ ! -f "$site/site.yaml" ]; then
        [ -f "$gen" ] || die "no corpus generator at $gen (set GEN_CORPUS)"
        echo "generating $n articles into $site"
        python3 "$gen" "$n" "$site" --format qissa >/dev/null
    fi
done

runs=$BENCH_DIR/growth.tsv
: >"$runs"
echo "qissa $(cd "$repo" && git rev-parse --short HEAD), $RUNS alternating runs, ${SETTLE}s settle, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$RUNS"); do
    for n in 10000 100000; do
        site=$BENCH_DIR/$n/qissa
        rm -rf "$site/public" "$site/.qissa-cache"
        sync
        sleep "$SETTLE"
        t=$(mktemp)
        /usr/bin/time -f '%e %U %S %M' -o "$t" "$QISSA" build --root "$site" --timings \
            >"$BENCH_DIR/growth-$n.log" 2>&1 || { cat "$BENCH_DIR/growth-$n.log"; die "build of $n failed"; }
        read -r wall user sys rss <"$t"
        rm -f "$t"
        echo -e "$n\t$wall\t$(echo "$user + $sys" | bc)\t$rss" >>"$runs"
        echo "  run $run, $n articles: ${wall}s wall, ${user}s user, ${sys}s system, $((rss / 1024)) MB"
    done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$runs" | median; }
small=$(col 10000 2) big=$(col 100000 2)
echo
echo "| articles | median wall | median CPU (user + sys) | median peak RSS |"
echo "|---:|---:|---:|---:|"
for n in 10000 100000; do
    echo "| $n | $(col "$n" 2) s | $(col "$n" 3) s | $(($(col "$n" 4 | cut -d. -f1) / 1024)) MB |"
done
echo
echo "100k / 10k: $(echo "scale=1; $big / $small" | bc)× (bar: 11×); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "qissa --timings (last 100k build):"
sed 's/^/    /' "$BENCH_DIR/growth-100000.log"
