#!/usr/bin/env bash
# cat_bench.sh: throughput of `nsdebug cat PID:/data/big` against `cat /proc/PID/root/data/big`
# on the same file of a "container" made here (a sleep in its own mount namespace, chrooted into
# an overlay mount, as runc runs one), to /dev/null and into a pipe. See bench/README.md.
# Needs root (unshare --mount, mount).
set -euo pipefail

usage() {
  cat <<EOF
usage: bench/cat_bench.sh [-s MIB] [-r ROUNDS] [--no-install]

  -s MIB         file size (default 200)
  -r ROUNDS      measured rounds, each runs both programs in a rotated order (default 11)
  --no-install   do not apt-get gcc when the measure helper must be built

environment:
  NSDEBUG        nsdebug binary (default: build/nsdebug)
  BENCH_BIN      where the measure helper lives / is built (default: bench/.bin)
EOF
  exit 2
}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
NSDEBUG=${NSDEBUG:-$REPO_DIR/build/nsdebug}
BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}
SIZE_MIB=200 ROUNDS=11 INSTALL=1
while (($#)); do
  case $1 in
    -s) SIZE_MIB=${2:?}; shift 2 ;;
    -r) ROUNDS=${2:?}; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    *) usage ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "cat_bench: needs root (unshare --mount, mount)" >&2; exit 1; }
[[ -x $NSDEBUG ]] || { echo "cat_bench: no nsdebug at $NSDEBUG (set NSDEBUG)" >&2; exit 1; }

if [[ ! -x $BENCH_BIN/measure ]]; then
  command -v gcc >/dev/null || { ((INSTALL)) && apt-get install -y -qq gcc >/dev/null; }
  mkdir -p "$BENCH_BIN"
  gcc -O2 -static -o "$BENCH_BIN/measure" "$BENCH_DIR/measure.c" 2>/dev/null ||
    gcc -O2 -o "$BENCH_BIN/measure" "$BENCH_DIR/measure.c"
fi

# The container: an overlay whose lower layer holds /data/big; /usr bound in so sleep runs.
dir=$(mktemp -d /var/tmp/cat_bench.XXXXXX)
mkdir -p "$dir"/{lower/data,lower/usr,lower/tmp,upper,work,merged}
for l in bin lib lib64; do ln -s "usr/$l" "$dir/lower/$l"; done
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$dir/lower/data/big"
unshare --mount bash -c "mount -t overlay overlay \
  -o lowerdir=$dir/lower,upperdir=$dir/upper,workdir=$dir/work $dir/merged &&
  mount --bind /usr $dir/merged/usr && exec chroot $dir/merged sleep 100000" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 500); do [[ $(cat /proc/$pid/comm) == sleep ]] && break; sleep 0.01; done

raw=$dir/raw
want=$(sha256sum <"$dir/lower/data/big") CHECK=0
# TAG DEST PROG...: one measured run, to /dev/null or into a pipe that a second cat drains
# (a cheap reader, so that the writer's speed shows); with CHECK=1 the bytes are hashed instead.
run() {
  local tag=$1 dest=$2 got
  shift 2
  if [[ $dest == null ]]; then
    "$BENCH_BIN/measure" -o /dev/null -a "$raw" -t "$tag null" -- "$@"
  elif ((CHECK)); then
    got=$("$BENCH_BIN/measure" -a "$raw" -t "$tag pipe" -- "$@" | sha256sum)
    [[ $got == "$want" ]] || { echo "cat_bench: $tag printed other bytes" >&2; exit 1; }
  else
    "$BENCH_BIN/measure" -a "$raw" -t "$tag pipe" -- "$@" | cat >/dev/null
  fi
}
round() {  # I: both programs, both destinations, order rotated by I
  local progs=(cat nsdebug) k p d
  for d in null pipe; do
    for k in 0 1; do
      p=${progs[$(((k + $1) % 2))]}
      if [[ $p == cat ]]; then run cat "$d" cat "/proc/$pid/root/data/big"
      else run nsdebug "$d" "$NSDEBUG" cat "$pid:/data/big"; fi
    done
  done
}
CHECK=1 round 0  # warm-up: the file into the page cache, and both print the same bytes
: >"$raw"
for i in $(seq "$ROUNDS"); do round "$i"; done

# raw lines: PROG DEST user_us sys_us wall_us maxrss_kb status
awk -v mib="$SIZE_MIB" -v rounds="$ROUNDS" '
  function median(list,   n, i, j, t, a) {  # of the numbers in a space-separated list
    n = split(list, a, " ")
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $7 != 0 { print "cat_bench: " $1 " exited " $7 > "/dev/stderr"; bad = 1 }
  { wall[$1 " " $2] = wall[$1 " " $2] " " $5; cpu[$1 " " $2] = cpu[$1 " " $2] " " ($3 + $4) }
  END {
    if (bad) exit 1
    printf "%d MiB through /proc/PID/root of an overlay container, medians of %d rounds\n", mib, rounds
    printf "%-8s %-5s %9s %9s %9s\n", "prog", "dest", "wall ms", "MiB/s", "cpu ms"
    split("null pipe", dests, " "); split("cat nsdebug", progs, " ")
    for (d = 1; d <= 2; d++) {
      for (p = 1; p <= 2; p++) {
        key = progs[p] " " dests[d]; w[key] = median(wall[key])
        printf "%-8s %-5s %9.1f %9.0f %9.1f\n", progs[p], dests[d], w[key] / 1000,
               mib / (w[key] / 1e6), median(cpu[key]) / 1000
      }
      printf "throughput nsdebug/cat (%s): %.2f (target >= 0.95)\n", dests[d],
             w["cat " dests[d]] / w["nsdebug " dests[d]]
    }
  }' "$raw"
