#!/usr/bin/env bash
# trace_bench.sh: the tracee's slowdown under `nsdebug trace -o FILE` against `strace -o FILE`,
# on a syscall-heavy loop (N getppid calls, then N one-byte reads of /dev/zero), each tracer
# attached to the waiting loop by PID, in rotated order. The issue's bar: nsdebug's slowdown at
# most 1.0x strace's. strace runs with -y, as nsdebug names descriptors. See bench/README.md.
# Needs strace and gcc.
set -euo pipefail

usage() {
  echo "usage: bench/trace_bench.sh [-n CALLS] [-r ROUNDS]   (default 1000000 calls, 3 rounds)" >&2
  exit 2
}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
NSDEBUG=${NSDEBUG:-$REPO_DIR/build/nsdebug}
BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}
CALLS=1000000 ROUNDS=3
while (($#)); do
  case $1 in
    -n) CALLS=${2:?}; shift 2 ;;
    -r) ROUNDS=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
[[ -x $NSDEBUG ]] || { echo "trace_bench: no nsdebug at $NSDEBUG (set NSDEBUG)" >&2; exit 1; }
command -v strace >/dev/null || { echo "trace_bench: needs strace (apt-get install strace)" >&2; exit 1; }
mkdir -p "$BENCH_BIN"
[[ $BENCH_BIN/trace_loop -nt $BENCH_DIR/trace_loop.c ]] ||
  gcc -O2 -o "$BENCH_BIN/trace_loop" "$BENCH_DIR/trace_loop.c"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run: the loop's seconds, traced by "$@" (with PID in place of the word PID), or untraced.
run_once() {
  local mode=$1; shift
  mkfifo "$work/go"
  "$BENCH_BIN/trace_loop" "$CALLS" "$mode" <"$work/go" >"$work/secs" &
  local loop=$!
  exec 9>"$work/go"
  local tracer=
  if (($#)); then
    "${@//PID/$loop}" 2>/dev/null &
    tracer=$!
    until grep -q "TracerPid:[[:space:]]*[1-9]" "/proc/$loop/status"; do sleep 0.01; done
    sleep 0.2
  fi
  echo go >&9
  exec 9>&-
  wait "$loop"
  [[ -z $tracer ]] || wait "$tracer" || true
  rm -f "$work/go"
  cat "$work/secs"
}

for mode in getppid zero; do
  base=0 ours=0 theirs=0
  for ((r = 0; r < ROUNDS; r++)); do
    b=$(run_once "$mode")
    if ((r % 2)); then
      o=$(run_once "$mode" "$NSDEBUG" trace -o "$work/nsdebug.out" PID)
      t=$(run_once "$mode" strace -y -o "$work/strace.out" -p PID)
    else
      t=$(run_once "$mode" strace -y -o "$work/strace.out" -p PID)
      o=$(run_once "$mode" "$NSDEBUG" trace -o "$work/nsdebug.out" PID)
    fi
    base=$(echo "$base + $b" | bc -l) ours=$(echo "$ours + $o" | bc -l) theirs=$(echo "$theirs + $t" | bc -l)
  done
  printf '%-8s %d calls: untraced %.3f s, strace %.3f s (%.1fx), nsdebug trace %.3f s (%.1fx): nsdebug/strace slowdown %.2f\n' \
    "$mode" "$CALLS" "$(echo "$base / $ROUNDS" | bc -l)" "$(echo "$theirs / $ROUNDS" | bc -l)" \
    "$(echo "$theirs / $base" | bc -l)" "$(echo "$ours / $ROUNDS" | bc -l)" \
    "$(echo "$ours / $base" | bc -l)" "$(echo "$ours / $theirs" | bc -l)"
done
