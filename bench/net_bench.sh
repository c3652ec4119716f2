#!/usr/bin/env bash
# net_bench.sh: `nsdebug net -a -t` against `ss -tanp` and `netstat -tanp` (net-tools) on the
# same sockets: 10,000 TCP sockets held by P processes (default 100 and 1000), and a pod-sized
# namespace (a few dozen sockets) with the static build. CPU and peak RSS of each, medians and
# median per-round ratios. See bench/README.md. Needs root (unshare --net, nsenter).
set -euo pipefail

usage() {
  cat <<EOF
usage: bench/net_bench.sh [-p PROCS,...] [-s SOCKETS] [-r ROUNDS] [--pod-only] [--no-install]

  -p PROCS       numbers of processes holding the sockets (default 100,1000)
  -s SOCKETS     TCP sockets in all (default 10000)
  -r ROUNDS      measured rounds, each runs the programs in a rotated order (default 11)
  --pod-only     only the pod-sized run
  --no-install   do not apt-get net-tools or gcc

environment:
  NSDEBUG        nsdebug binary (default: build/nsdebug)
  NSDEBUG_STATIC the static build for the pod-sized run (default: build-static/nsdebug, else NSDEBUG)
  BENCH_BIN      where the measure helper lives / is built (default: bench/.bin)
EOF
  exit 2
}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
NSDEBUG=${NSDEBUG:-$REPO_DIR/build/nsdebug}
NSDEBUG_STATIC=${NSDEBUG_STATIC:-$REPO_DIR/build-static/nsdebug}
[[ -x $NSDEBUG_STATIC ]] || NSDEBUG_STATIC=$NSDEBUG
BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}
PROCS=100,1000 SOCKETS=10000 ROUNDS=11 INSTALL=1 POD_ONLY=0
while (($#)); do
  case $1 in
    -p) PROCS=${2:?}; shift 2 ;;
    -s) SOCKETS=${2:?}; shift 2 ;;
    -r) ROUNDS=${2:?}; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    --pod-only) POD_ONLY=1; shift ;;
    *) usage ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "net_bench: needs root (unshare --net)" >&2; exit 1; }
[[ -x $NSDEBUG ]] || { echo "net_bench: no nsdebug at $NSDEBUG (set NSDEBUG)" >&2; exit 1; }
if ! command -v netstat >/dev/null; then
  ((INSTALL)) || { echo "net_bench: netstat missing (apt-get install net-tools)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq net-tools >/dev/null
fi
if [[ ! -x $BENCH_BIN/measure ]]; then
  command -v gcc >/dev/null || { ((INSTALL)) && apt-get install -y -qq gcc >/dev/null; }
  mkdir -p "$BENCH_BIN"
  gcc -O2 -static -o "$BENCH_BIN/measure" "$BENCH_DIR/measure.c" 2>/dev/null ||
    gcc -O2 -o "$BENCH_BIN/measure" "$BENCH_DIR/measure.c"
fi

raw=$(mktemp /tmp/net_bench.XXXXXX)
scene_pid="" inner_pid="" enter=(--net)
stop_scene() {
  [[ -n $scene_pid ]] || return 0
  pkill -KILL -P "$scene_pid" 2>/dev/null || true
  kill -KILL "$scene_pid" 2>/dev/null || true
  wait "$scene_pid" 2>/dev/null || true
  scene_pid=""
}
trap 'stop_scene; rm -f "$raw" "$raw.ready" "$raw.runs"' EXIT

# A network namespace where P processes hold SOCKETS TCP sockets: each child connects its share
# to a listener all of them inherit and accepts as many (both ends: two sockets a connection).
# With a third argument "pod", a PID namespace of its own too, as a pod has: every program then
# reads only the pod's processes, not the machine's.
start_scene() {  # PROCS SOCKETS [pod]
  rm -f "$raw.ready"
  local ns=(--net) pod=${3:-}
  [[ $pod == pod ]] && ns=(--net --pid --fork --mount-proc)
  unshare "${ns[@]}" bash -c 'ip link set lo up && exec python3 - "$@"' _ "$1" "$2" "$raw.ready" <<'PY' &
import os, resource, socket, sys, time
procs, sockets, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
per = max(1, sockets // 2 // procs)
resource.setrlimit(resource.RLIMIT_NOFILE, (4 * per + 64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4096)
r, w = os.pipe()
for _ in range(procs):
    if os.fork() == 0:
        keep = [socket.create_connection(srv.getsockname()) for _ in range(per)]
        keep += [srv.accept()[0] for _ in range(per)]
        os.write(w, b"x")
        time.sleep(100000)
got = 0
while got < procs:
    got += len(os.read(r, procs))
open(ready, "w").close()
time.sleep(100000)
PY
  scene_pid=$! inner_pid=$! enter=(--net)
  for _ in $(seq 600); do [[ -e $raw.ready ]] && break; sleep 0.1; done
  if [[ $pod == pod ]]; then  # unshare --fork waits; the scene is its child
    inner_pid=$(pgrep -o -P "$scene_pid")
    enter=(--net --pid --mount)
  fi
  [[ -e $raw.ready ]] && return
  echo "net_bench: the scene did not come up" >&2
  exit 1
}

# TAG PROG...: one measured run, in the scene's network namespace.
measure() {
  local tag=$1
  shift
  nsenter --target "$inner_pid" "${enter[@]}" "$BENCH_BIN/measure" -o /dev/null -a "$raw.runs" -t "$tag" -- "$@"
}

run_rounds() {  # LABEL NSDEBUG_BINARY
  local label=$1 bin=$2 i k progs=(nsdebug ss netstat)
  measure warmup "$bin" net -a -t
  for i in $(seq "$ROUNDS"); do
    for k in 0 1 2; do
      case ${progs[$(((k + i) % 3))]} in
        nsdebug) measure "$label nsdebug $i" "$bin" net -a -t ;;
        ss) measure "$label ss $i" ss -tanp ;;
        netstat) measure "$label netstat $i" netstat -tanp ;;
      esac
    done
  done
}

: >"$raw.runs"
((POD_ONLY)) && PROCS=""
for p in ${PROCS//,/ }; do
  start_scene "$p" "$SOCKETS"
  echo "scene: $(nsenter --target "$inner_pid" --net ss -tanH | wc -l) TCP sockets, $p processes" >&2
  run_rounds "P=$p" "$NSDEBUG"
  stop_scene
done
start_scene 4 40 pod
echo "scene: $(nsenter --target "$inner_pid" --net ss -tanH | wc -l) TCP sockets (pod-sized, in a PID namespace of its own), static nsdebug" >&2
run_rounds "pod" "$NSDEBUG_STATIC"
stop_scene

# runs: LABEL PROG ROUND user_us sys_us wall_us maxrss_kb status
awk -v rounds="$ROUNDS" '
  function median(list,   n, i, j, t, a) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  $1 == "warmup" { next }
  $8 != 0 { print "net_bench: " $1 " " $2 " exited " $8 > "/dev/stderr"; bad = 1 }
  {
    key = $1 " " $2; cpu[key] = cpu[key] " " ($4 + $5) / 1000; rss[key] = rss[key] " " $7
    round_cpu[$1 " " $3 " " $2] = ($4 + $5) / 1000
    if (!($1 in seen)) { seen[$1] = 1; labels[++nl] = $1 }
  }
  END {
    if (bad) exit 1
    printf "medians of %d rounds: CPU (user+sys) and peak RSS\n", rounds
    for (l = 1; l <= nl; l++) {
      L = labels[l]
      printf "%s\n", L
      split("nsdebug ss netstat", progs, " ")
      for (p = 1; p <= 3; p++)
        printf "  %-8s cpu %8.1f ms   rss %6.1f MB\n", progs[p], median(cpu[L " " progs[p]]), median(rss[L " " progs[p]]) / 1024
      rs = ""; rn = ""
      for (i = 1; i <= rounds; i++) {
        n = round_cpu[L " " i " nsdebug"]
        if (round_cpu[L " " i " ss"] > 0) rs = rs " " n / round_cpu[L " " i " ss"]
        if (round_cpu[L " " i " netstat"] > 0) rn = rn " " n / round_cpu[L " " i " netstat"]
      }
      target_ss = L == "pod" ? "1.5" : "1.0"
      printf "  nsdebug / ss -tanp      CPU %5.2f (target <= %s)\n", median(rs), target_ss
      printf "  nsdebug / netstat -tanp CPU %5.2f%s\n", median(rn), L == "pod" ? "" : " (target <= 0.8)"
    }
  }' "$raw.runs"
