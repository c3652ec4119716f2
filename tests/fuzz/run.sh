#!/bin/bash
# Builds the libFuzzer targets with clang into build-fuzz/ (or $NSDEBUG_FUZZ_BUILD) and runs
# each for SECONDS (default 5), one after another, from its seed corpus in tests/fuzz/corpus/.
# Fails on any crash, sanitizer report, leak, timeout or broken invariant; the input that did it
# is left in build-fuzz/fuzz-crashes/. New inputs go to a scratch corpus, never into the tree.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      e.g. tests/fuzz/run.sh 120 status mountinfo
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-5}
shift || true
dir=${NSDEBUG_FUZZ_BUILD:-build-fuzz}
all=(stat status cgroup mountinfo passwd environ limits net sock_diag signal target columns redact escape)
targets=("${@:-${all[@]}}")

launcher=()
if command -v ccache >/dev/null; then  # as scripts/build.sh does
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B "$dir" -DNSDEBUG_FUZZ=ON -DNSDEBUG_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

logs=$dir/fuzz-logs crashes=$dir/fuzz-crashes
mkdir -p "$logs" "$crashes"
failed=()
for t in "${targets[@]}"; do
  scratch=$(mktemp -d)
  log=$logs/$t.log
  # -timeout: one input taking seconds is a hang; -rss_limit_mb: a parser must not balloon.
  if "$dir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 -artifact_prefix="$crashes/$t-" \
      "$scratch" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    # "#123456 DONE cov: 412 ft: 1520 corp: 80/9kb ...": executions, edges, features.
    done_line=$(grep -E '^#[0-9]+\s+DONE' "$log" | tail -1)
    echo "fuzz $t: ${done_line:-no DONE line} (${secs}s)"
  else
    echo "fuzz $t: FAILED, see $log; input in $crashes/" >&2
    grep -E 'ERROR|invariant failed|runtime error|SUMMARY' "$log" | head -5 >&2 || true
    failed+=("$t")
  fi
  rm -rf "$scratch"
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]}" >&2
  exit 1
fi
