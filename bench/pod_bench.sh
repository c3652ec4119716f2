#!/bin/bash
# Start-up at the size of a pod: 25 processes in a private PID namespace (unshare --pid
# --mount-proc), and the commands a user types there, each against its yardstick:
#   nsdebug ps / containers  vs  busybox ps and procps ps
#   nsdebug cat 1:FILE       vs  busybox cat FILE and cat FILE (a small file)
# Runs A and B in turn, ROUNDS times, and prints the median of the pairwise CPU-time ratios
# (pairing keeps a ratio meaningful while the machine's speed drifts). Root.
#   bench/pod_bench.sh [-r ROUNDS] NSDEBUG...     e.g. build/nsdebug build-static/nsdebug
# Targets (issue 9): nsdebug ps at most 1.5x busybox ps and 0.7x procps ps.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds=31
[[ ${1:-} == -r ]] && { rounds=$2; shift 2; }
(($#)) || { echo "usage: $0 [-r ROUNDS] NSDEBUG..." >&2; exit 2; }
BENCH_BIN=${BENCH_BIN:-$here/.bin}
if [[ ! -x $BENCH_BIN/measure ]]; then
  mkdir -p "$BENCH_BIN"
  cc -O2 -static -o "$BENCH_BIN/measure" "$here/measure.c"
fi
export BENCH_BIN ROUNDS=$rounds
bins=()
for b in "$@"; do bins+=("$(readlink -f "$b")"); done
export BINS="${bins[*]}"
exec unshare --pid --fork --mount-proc --kill-child bash -c '
set -euo pipefail
file=$(mktemp); echo "a small file" >"$file"
while (($(ls -d /proc/[0-9]* | wc -l) < 24)); do sleep 1000 & done   # 25 with the command
# cpu_us A... -- B...: one run of each, prints "A_us B_us"
pair() {
  local a=() b=()
  while [[ $1 != -- ]]; do a+=("$1"); shift; done; shift; b=("$@")
  local ra rb
  ra=$("$BENCH_BIN/measure" -o /dev/null -- "${a[@]}"); rb=$("$BENCH_BIN/measure" -o /dev/null -- "${b[@]}")
  echo "$ra $rb" | awk "{print \$1 + \$2, \$6 + \$7}"
}
ratio() {  # label A... -- B...: the median of the pairwise A/B cpu ratios
  local label=$1 runs; shift
  pair "$@" >/dev/null   # warm-up
  runs=$(for ((i = 0; i < ROUNDS; i++)); do pair "$@"; done)
  local med a b
  med=$(awk "{ print (\$2 > 0 ? \$1 / \$2 : \$1) }" <<<"$runs" | sort -g | awk "{ r[NR] = \$1 } END { print r[int((NR + 1) / 2)] }")
  a=$(awk "{ print \$1 }" <<<"$runs" | sort -n | awk "{ r[NR] = \$1 } END { print r[int((NR + 1) / 2)] }")
  b=$(awk "{ print \$2 }" <<<"$runs" | sort -n | awk "{ r[NR] = \$1 } END { print r[int((NR + 1) / 2)] }")
  printf "%-28s %6.2fx   median cpu: A %5d us, B %5d us\n" "$label" "$med" "$a" "$b"
}
for n in $BINS; do
  echo "== $n ($(($(ls -d /proc/[0-9]* | wc -l) + 1)) processes with the command)"
  ratio "ps vs busybox ps" "$n" ps -- busybox ps -o pid,user,stat,rss,args
  ratio "ps vs procps ps" "$n" ps -- ps ax -o pid,user,stat,rss,etime,args
  ratio "containers vs busybox ps" "$n" containers -- busybox ps -o pid,user,stat,rss,args
  ratio "containers vs procps ps" "$n" containers -- ps ax -o pid,user,stat,rss,etime,args
  ratio "cat 1:FILE vs busybox cat" "$n" cat "1:$file" -- busybox cat "$file"
  ratio "cat 1:FILE vs cat" "$n" cat "1:$file" -- cat "$file"
done
'
