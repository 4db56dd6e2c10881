#!/usr/bin/env bash
# Photo benchmark (issue 11): qissa's photo engine against Hugo's image processing, and a
# warm qissa rebuild against the same site without photos.
#
#   bench/photos.sh
#
# The corpus (cached in $BENCH_DIR, regenerated when a generator or the sizes change):
# ARTICLES articles from ../shared/bench/gen_corpus.py in qissa's and Hugo's formats, and
# PHOTOS photo-like JPEGs of PHOTO_SIZE from bench/gen_photos.py, each the lead photo of one
# article (every ARTICLES/PHOTOS-th article), with alt text:
#   - qissa/      `image: images/photos/photo-NNN.jpg` + `image_alt:`, files in static/;
#   - nophotos/   the same site with those front-matter lines and the photo files removed;
#   - hugo/       bench/hugo-site/ plus bench/hugo-photos/ (layouts that process the photo
#                 the way qissa's engine does: 360/720/1080/1600 px in WebP q78 and JPEG q80,
#                 a full-size JPEG q80, 1200x630, 16:9, 4:3 and 1:1 crops 1200 px wide in JPEG
#                 q80, centred, Lanczos) with `image: photos/photo-NNN.jpg`, files in assets/.
#
# Each round runs, in this order, one process each under /usr/bin/time (wall, user, sys,
# peak RSS, as `time -v` reports it), with `sync` and the 1-minute load read before each:
#   qissa-cold      qissa build --full into a fresh output, .qissa-cache/ deleted (photos
#                   and pages)
#   hugo-cold       hugo into a fresh output, resources/ and its cache dir deleted
#   hugo-warm       hugo again, into the same output, resources/_gen kept
#   (a plain qissa build, not timed, to lay down the page cache `--full` doesn't write)
#   then WARM_REPEAT times, each pair in alternating order (ABBA):
#   qissa-warm      qissa build (incremental, nothing changed), photo and page caches kept
#   nophoto         qissa build (incremental) of nophotos/, into its previous output
#   qissa-warm-full qissa build --full, photo cache kept
#   nophoto-full    qissa build --full of nophotos/
# and prints the medians, qissa's --timings (photos stage included), the warm/no-photo
# ratios against the 10% bar, and a Markdown table. Raw runs go to $BENCH_DIR/runs.tsv.
#
# Environment:
#   ARTICLES=1000 PHOTOS=100 PHOTO_SIZE=3000x2000 RUNS=3 WARM_REPEAT=4
#   BENCH_DIR=/tmp/qissa-bench/photos
#   QISSA=path   the qissa binary (default: target/release/qissa, built first by cargo)
#   NO_CARGO=1   don't run `cargo build --release` first
#   HUGO=hugo
#   SKIP_HUGO=1  qissa only (cold, warm and no-photo builds). Hugo needs ~6 s of CPU a photo
#                here (a cold Hugo build of 100 photos: ~8 minutes), so BENCHMARKS.md's
#                comparison with Hugo uses PHOTOS=25.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
gen=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
genphotos=$here/gen_photos.py
ARTICLES=${ARTICLES:-1000}
PHOTOS=${PHOTOS:-100}
PHOTO_SIZE=${PHOTO_SIZE:-3000x2000}
RUNS=${RUNS:-3}
WARM_REPEAT=${WARM_REPEAT:-4}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/qissa-bench/photos}
HUGO=${HUGO:-hugo}

die() { echo "photos.sh: $*" >&2; exit 1; }
[ -f "$gen" ] || die "corpus generator not found: $gen (set GEN_CORPUS)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v "$HUGO" >/dev/null || die "hugo not found: apt-get install hugo"
python3 -c 'import PIL, numpy' 2>/dev/null || die "gen_photos.py needs Pillow and numpy: pip install pillow numpy"
[ "$PHOTOS" -ge 1 ] && [ "$PHOTOS" -le "$ARTICLES" ] || die "need 1 <= PHOTOS <= ARTICLES"
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

q=$BENCH_DIR/qissa n=$BENCH_DIR/nophotos h=$BENCH_DIR/hugo
key="$(cat "$gen" "$genphotos" | sha256sum | cut -c1-16) $ARTICLES $PHOTOS $PHOTO_SIZE"

# The corpus, unless already there for these generators and sizes.
if [ "$(cat "$BENCH_DIR/.generated" 2>/dev/null)" != "$key" ]; then
    echo "generating $ARTICLES articles and $PHOTOS photos of $PHOTO_SIZE…" >&2
    rm -rf "$q" "$n" "$h" "$BENCH_DIR/photos-src" "$BENCH_DIR/.generated"
    python3 "$gen" "$ARTICLES" "$q" --format qissa >/dev/null
    python3 "$gen" "$ARTICLES" "$h" --format hugo >/dev/null
    python3 "$genphotos" "$PHOTOS" "$BENCH_DIR/photos-src" --size "$PHOTO_SIZE"
    cp -r "$q" "$n"
    mkdir -p "$q/static/images/photos" "$h/assets/photos"
    cp "$BENCH_DIR/photos-src/"*.jpg "$q/static/images/photos/"
    cp "$BENCH_DIR/photos-src/"*.jpg "$h/assets/photos/"
    step=$((ARTICLES / PHOTOS))
    for ((i = 0; i < PHOTOS; i++)); do
        art=$(printf 'article-%06d.md' $((i * step)))
        photo=$(printf 'photo-%03d.jpg' "$i")
        qf=$(find "$q/content/articles" -name "$art") hf=$(find "$h/content/articles" -name "$art")
        [ -n "$qf" ] && [ -n "$hf" ] || die "$art not found in the generated corpus"
        # After the opening `---` of the front matter.
        sed -i "1a image: images/photos/$photo\nimage_alt: \"صورة المقال $i\"" "$qf"
        sed -i "1a image: photos/$photo\nimage_alt: \"صورة المقال $i\"" "$hf"
    done
    echo "$key" >"$BENCH_DIR/.generated"
fi
# The Hugo skeleton, laid afresh each time (cheap) so edits to bench/ always count.
rm -rf "$h/layouts" "$h/i18n" "$h/static" "$h"/*.toml "$h/content/authors" "$h/content/tags" "$h/content/categories"
cp -r "$here/hugo-site/." "$h/"
cp -r "$here/hugo-photos/layouts/." "$h/layouts/"
cat "$here/hugo-photos/hugo.toml.extra" >>"$h/hugo.toml"
mkdir -p "$h/static"
cp -r "$repo/themes/qissa/static/." "$h/static/"
with_image=$(grep -rl '^image: ' "$q/content/articles" | wc -l)
[ "$with_image" = "$PHOTOS" ] || die "expected $PHOTOS articles with a photo, found $with_image"
! grep -rq '^image: ' "$n/content/articles" || die "nophotos/ has image: lines"

runs_tsv=$BENCH_DIR/runs.tsv
[ -f "$runs_tsv" ] || printf 'date\tkind\tround\twall_s\tuser_s\tsys_s\tmaxrss_kb\tload1\tphotos_ms\ttotal_ms\n' >"$runs_tsv"
runs_now=$BENCH_DIR/.runs.$$
: >"$runs_now"
trap 'rm -f "$runs_now"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else printf "%.3f\n", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# timed KIND ROUND LOG CMD...: one build under /usr/bin/time; appends to runs.tsv.
timed() {
    local kind=$1 round=$2 log=$3; shift 3
    local t=$BENCH_DIR/.time l d photos total
    sync
    l=$(load1) d=$(date -u +%FT%TZ)
    if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >"$log" 2>&1; then
        cat "$log" >&2; die "$kind build failed (log: $log)"
    fi
    read -r wall user sys rss <"$t"
    # qissa --timings: "   932.4 ms  photos", and the total from "… in 970 ms →".
    photos=$(awk '$2 == "ms" && $3 == "photos" {print $1}' "$log"); photos=${photos:--}
    total=$(grep -o 'in [0-9.]* m\?s →' "$log" | awk '{v=$2; if ($3 == "s") v*=1000; print v}' || true); total=${total:--}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$d" "$kind" "$round" "$wall" "$user" "$sys" \
        "$rss" "$l" "$photos" "$total" | tee -a "$runs_tsv" >>"$runs_now"
    printf '  %-16s round %d: wall %7.2f s  cpu %7.2f s  rss %5.0f MB  photos stage %s ms  (load %s)\n' \
        "$kind" "$round" "$wall" "$(echo "$user $sys" | awk '{print $1+$2}')" \
        "$(echo "$rss" | awk '{print $1/1024}')" "$photos" "$l"
}

col() { awk -F'\t' -v k="$1" -v c="$2" '$2 == k {print $c}' "$runs_now"; }
# stats KIND: median wall, cpu, rss MB, photos-stage ms, fastest wall, load range, runs
stats() {
    printf '%s %s %s %s %s %s %s\n' \
        "$(col "$1" 4 | median)" \
        "$(awk -F'\t' -v k="$1" '$2 == k {print $5+$6}' "$runs_now" | median)" \
        "$(awk -F'\t' -v k="$1" '$2 == k {print $7/1024}' "$runs_now" | median)" \
        "$(col "$1" 9 | grep -v -- - | median)" \
        "$(col "$1" 4 | sort -g | head -1)" \
        "$(col "$1" 8 | sort -g | awk 'NR == 1 {lo=$1} {hi=$1} END {print lo "–" hi}')" \
        "$(col "$1" 4 | wc -l)"
}

qbuild=("$QISSA" build --timings --root)   # + SITE --output SITE/public [--full]
hbuild=("$HUGO" --quiet --source "$h" --destination "$h/public" --cacheDir "$h/.hugo-cache")

echo "qissa: $("$QISSA" --version 2>/dev/null || echo "version unknown") ($qissa_from)"
echo "hugo:  $("$HUGO" version)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
echo "corpus: $ARTICLES articles, $PHOTOS photos of $PHOTO_SIZE ($(du -sh "$BENCH_DIR/photos-src" | cut -f1)) in $BENCH_DIR"
echo "rounds: $RUNS (warm pairs $WARM_REPEAT per round)"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start_all=$(date +%s)

# The no-photo site needs a previous plain build for its incremental rebuilds (not timed;
# a `--full` build saves no page cache, and leaves the one already there).
rm -rf "$n/public" "$n/.qissa-cache"
"${qbuild[@]}" "$n" --output "$n/public" >/dev/null

for ((r = 1; r <= RUNS; r++)); do
    echo "round $r"
    rm -rf "$q/public" "$q/.qissa-cache"
    timed qissa-cold "$r" "$BENCH_DIR/qissa-cold.log" "${qbuild[@]}" "$q" --output "$q/public" --full
    if [ -z "${SKIP_HUGO:-}" ]; then
        rm -rf "$h/public" "$h/resources" "$h/.hugo-cache" "$h/.hugo_build.lock"
        timed hugo-cold "$r" "$BENCH_DIR/hugo-cold.log" "${hbuild[@]}"
        timed hugo-warm "$r" "$BENCH_DIR/hugo-warm.log" "${hbuild[@]}"
    fi
    # `--full` keeps no page cache: one plain build (not timed) so that the plain rebuilds
    # below all start, like the no-photo site's, from the page cache of an identical build.
    "${qbuild[@]}" "$q" --output "$q/public" >/dev/null
    # Which of the pair goes first alternates (ABBA): a build that creates thousands of files
    # right after another one deleted thousands is slower in the kernel (ext4 inode
    # allocation avoids recently freed inodes), so the second of a pair pays for the first.
    for ((w = 1; w <= WARM_REPEAT; w++)); do
        warm=(timed qissa-warm "$r" "$BENCH_DIR/qissa-warm.log" "${qbuild[@]}" "$q" --output "$q/public")
        bare=(timed nophoto "$r" "$BENCH_DIR/nophoto.log" "${qbuild[@]}" "$n" --output "$n/public")
        warmfull=(timed qissa-warm-full "$r" "$BENCH_DIR/qissa-warm-full.log" "${qbuild[@]}" "$q" --output "$q/public" --full)
        barefull=(timed nophoto-full "$r" "$BENCH_DIR/nophoto-full.log" "${qbuild[@]}" "$n" --output "$n/public" --full)
        if (((r * WARM_REPEAT + w) % 2)); then
            "${warm[@]}"; "${bare[@]}"; "${warmfull[@]}"; "${barefull[@]}"
        else
            "${bare[@]}"; "${warm[@]}"; "${barefull[@]}"; "${warmfull[@]}"
        fi
    done
done

# What each side published, to check the work is the same.
qfiles=$(find "$q/public/photos" -type f | wc -l) qbytes=$(du -sb "$q/public/photos" | cut -f1)
hfiles=0 hbytes=0
if [ -d "$h/public" ]; then
    hfiles=$(find "$h/public" -type f \( -name '*.webp' -o -name '*.jpg' \) | wc -l)
    hbytes=$(find "$h/public" -type f \( -name '*.webp' -o -name '*.jpg' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}')
fi
echo
echo "published photo files: qissa $qfiles ($((qbytes / 1048576)) MB), hugo $hfiles ($((hbytes / 1048576)) MB)"
echo "qissa --timings, last cold build:"; sed 's/^/    /' "$BENCH_DIR/qissa-cold.log"
echo "qissa --timings, last warm --full build:"; sed 's/^/    /' "$BENCH_DIR/qissa-warm-full.log"
echo "qissa --timings, last no-photo --full build:"; sed 's/^/    /' "$BENCH_DIR/nophoto-full.log"

echo
echo "For BENCHMARKS.md ($(date -u +%F); times in s, memory in MB; medians):"
echo
echo "| build | runs | wall | fastest | CPU | peak RSS | photos stage (ms) | load (1 min) |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
declare -A W
for kind in qissa-cold hugo-cold hugo-warm qissa-warm nophoto qissa-warm-full nophoto-full; do
    [ "$(col "$kind" 4 | wc -l)" -gt 0 ] || continue
    read -r wall cpu rss ph fast load count < <(stats "$kind")
    W[$kind]=$wall
    printf '| %s | %s | %.2f | %.2f | %.2f | %.0f | %s | %s |\n' "$kind" "$count" "$wall" "$fast" "$cpu" "$rss" "$ph" "$load"
done
echo
[ -n "${W[hugo-cold]:-}" ] && awk -v qc="${W[qissa-cold]}" -v hc="${W[hugo-cold]}" 'BEGIN {printf "cold with photos, qissa/Hugo wall: %.2f×\n", qc/hc}'
awk -v a="${W[qissa-warm]}" -v b="${W[nophoto]}" -v fa="${W[qissa-warm-full]}" -v fb="${W[nophoto-full]}" 'BEGIN {
    printf "warm rebuild / no-photo build: incremental %.3f / %.3f = %.2f× (%s), --full %.3f / %.3f = %.2f× (%s)   (bar: ≤ 1.10×)\n",
        a, b, a/b, (a/b <= 1.10 ? "met" : "NOT met"), fa, fb, fa/fb, (fa/fb <= 1.10 ? "met" : "NOT met") }'
# The same ratios pair by pair (each warm build against the no-photo build right after it),
# which cancels most of the machine's drift; and in CPU time (user + sys).
paired() {  # paired KIND_A KIND_B FIELD(s): median of A_i/B_i
    awk -F'\t' -v a="$1" -v b="$2" -v f="$3" '
        function v() { return f == "cpu" ? $5 + $6 : $4 }
        $2 == a {x[++na] = v()} $2 == b {y[++nb] = v()}
        END {for (i = 1; i <= na && i <= nb; i++) if (y[i] > 0) print x[i] / y[i]}' "$runs_now" | median
}
for pair in "qissa-warm nophoto" "qissa-warm-full nophoto-full"; do
    set -- $pair
    printf 'paired %s / %s: wall %.2f×, CPU %.2f× (median of %s pairs)\n' "$1" "$2" \
        "$(paired "$1" "$2" wall)" "$(paired "$1" "$2" cpu)" "$(col "$1" 4 | wc -l)"
done
echo
echo "total: $(($(date +%s) - start_all)) s; raw runs in $runs_tsv"
