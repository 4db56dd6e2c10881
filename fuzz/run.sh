#!/usr/bin/env bash
# Fuzzes the whole page parse (fuzz/fuzz_targets/page.rs) for a number of seconds.
#
#   fuzz/run.sh [SECONDS]      (default 1800)
#
# Installs cargo-fuzz when it is missing. cargo-fuzz needs nightly compiler flags
# (-Zsanitizer=address); on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them.
#
# One fuzzing process at a time, on one core, so the other core stays free: libFuzzer's fork
# mode with a single worker (-fork=1), which, unlike -jobs=1 -workers=1, goes on after a
# crash, a timeout (an input taking over 10 s) or running out of memory (over 2 GiB) instead
# of stopping at the first one, so one run reports all it finds. The corpus starts from every
# Markdown file of the repository and grows in fuzz/corpus/page/; the inputs that failed land
# in fuzz/artifacts/page/ (crash-*, timeout-*, oom-*), and the log in fuzz/fuzz.log.
# Reproduce one with: RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz page <artifact>
set -euo pipefail

seconds="${1:-1800}"
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz_dir")"
cd "$repo"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

corpus="$fuzz_dir/corpus/page"
mkdir -p "$corpus" "$fuzz_dir/artifacts/page"
if [ -z "$(ls -A "$corpus")" ]; then
    # Seed with real pages: the demo site and every fixture, broken ones included.
    find content tests/fixtures -name '*.md' -type f | while read -r file; do
        cp "$file" "$corpus/seed-$(sha1sum "$file" | cut -c1-16).md"
    done
fi

export RUSTC_BOOTSTRAP=1
cd "$fuzz_dir"
status=0
cargo fuzz run --fuzz-dir "$fuzz_dir" page "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    2>&1 | tee "$fuzz_dir/fuzz.log" || status=$?
echo "corpus: $(ls "$corpus" | wc -l) inputs"
echo "artifacts: $(ls "$fuzz_dir/artifacts/page" | wc -l)"
ls "$fuzz_dir/artifacts/page"
exit "$status"
