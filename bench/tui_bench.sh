#!/usr/bin/env bash
# tui_bench.sh — CPU per refresh and memory of `nsdebug tui` against htop, btop and a floor
# (refresh_floor.c: each /proc/PID/stat read once per refresh), with N idle processes in a
# private PID namespace. Every viewer runs in its own tmux pane at the same delay; its CPU
# (utime+stime from /proc/PID/stat) is read after a warm-up and again SECONDS later, so each
# is charged for the same number of refreshes. See bench/README.md. Needs root.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$BENCH_DIR/$(basename "${BASH_SOURCE[0]}")"
REPO_DIR=$(dirname "$BENCH_DIR")

usage() {
	cat <<USAGE
usage: bench/tui_bench.sh [-n N[,N...]] [-s SECONDS] [-r ROUNDS] [-d DELAY_MS] [--no-install]

  -n LIST      process counts (default 1000,10000)
  -s SECONDS   measured window per run, = refreshes at the default 1000 ms (default 20)
  -r ROUNDS    runs of every viewer per N, order rotated (default 3); medians are printed
  -d DELAY_MS  refresh delay for every viewer (default 1000)
environment: NSDEBUG (default build/nsdebug), BENCH_BIN (helpers, default bench/.bin)
USAGE
}

PROGS=(nsdebug htop btop floor)

# The command line of viewer $1 at delay $2 ms (an array in CMD).
cmd_for() {
	case $1 in
	nsdebug) CMD=("$NSDEBUG" tui --delay "$(awk "BEGIN{print $2/1000}")") ;;
	htop) CMD=(htop -d "$(($2 / 100))") ;;  # tenths of a second
	btop) CMD=(env XDG_CONFIG_HOME="$BTOP_CONF" btop) ;;
	floor) CMD=("$BENCH_BIN/refresh_floor" "$2") ;;
	esac
}

ticks_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb_of() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
fds_of() { ls "/proc/$1/fd" | wc -l; }

# Inner mode, inside the namespace: tui_bench.sh --inner N SECONDS ROUNDS DELAY_MS RAW
inner() {
	local n=$1 secs=$2 rounds=$3 delay=$4 raw=$5 hz r i p pid t0 t1
	hz=$(getconf CLK_TCK)
	for ((r = 0; r < rounds; r++)); do
		for ((i = 0; i < ${#PROGS[@]}; i++)); do
			p=${PROGS[$(((i + r) % ${#PROGS[@]}))]}
			[[ $p == nsdebug && ! -x $NSDEBUG ]] && continue
			[[ $p == htop || $p == btop ]] && ! command -v "$p" >/dev/null && continue
			cmd_for "$p" "$delay"
			tmux -L tuibench kill-server 2>/dev/null || true
			TERM=xterm-256color tmux -L tuibench -f /dev/null new-session -d -x 200 -y 50 \
				"$(printf '%q ' "${CMD[@]}")"
			pid=$(tmux -L tuibench display -p '#{pane_pid}')
			sleep 3  # start-up and the first full read are not a refresh
			t0=$(ticks_of "$pid")
			local rss0 fd0
			rss0=$(rss_kb_of "$pid") fd0=$(fds_of "$pid")
			sleep "$secs"
			t1=$(ticks_of "$pid")
			printf 'run\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$r" "$p" \
				"$(awk "BEGIN{print ($t1-$t0)*1000/$hz/($secs*1000/$delay)}")" \
				"$rss0" "$(rss_kb_of "$pid")" "$fd0" "$(fds_of "$pid")" >>"$raw"
			tmux -L tuibench kill-server 2>/dev/null || true
		done
	done
}

if [[ ${1:-} == --inner ]]; then
	shift
	inner "$@"
	exit 0
fi

N_LIST=1000,10000 SECS=20 ROUNDS=3 DELAY=1000 INSTALL=1
while (($#)); do
	case $1 in
	-n) N_LIST=$2; shift 2 ;;
	-s) SECS=$2; shift 2 ;;
	-r) ROUNDS=$2; shift 2 ;;
	-d) DELAY=$2; shift 2 ;;
	--no-install) INSTALL=0; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
((EUID == 0)) || { echo "tui_bench: needs root (unshare --pid --mount-proc)" >&2; exit 1; }
export NSDEBUG=${NSDEBUG:-$REPO_DIR/build/nsdebug}
export BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}
missing=()
for c in htop btop tmux gcc; do command -v "$c" >/dev/null || missing+=("$c"); done
if ((${#missing[@]})); then
	((INSTALL)) || { echo "tui_bench: missing ${missing[*]}" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$BENCH_BIN"
for h in spawner refresh_floor; do
	if [[ ! -x $BENCH_BIN/$h || $BENCH_DIR/$h.c -nt $BENCH_BIN/$h ]]; then
		gcc -O2 -std=gnu11 -Wall -Wextra -static -o "$BENCH_BIN/$h" "$BENCH_DIR/$h.c" 2>/dev/null ||
			gcc -O2 -std=gnu11 -Wall -Wextra -o "$BENCH_BIN/$h" "$BENCH_DIR/$h.c"
	fi
done
# btop's refresh delay lives in its config file only.
BTOP_CONF=$(mktemp -d)
mkdir -p "$BTOP_CONF/btop"
printf 'update_ms = %s\n' "$DELAY" >"$BTOP_CONF/btop/btop.conf"
export BTOP_CONF
RAW=$(mktemp)
trap 'rm -rf "$RAW" "$BTOP_CONF"' EXIT
ulimit -u unlimited 2>/dev/null || true
for n in ${N_LIST//,/ }; do
	echo "tui_bench: N=$n, ${ROUNDS}x${SECS}s per viewer at ${DELAY} ms ..." >&2
	unshare --pid --fork --mount-proc --kill-child "$BENCH_BIN/spawner" "$n" -- \
		"$SELF" --inner "$n" "$SECS" "$ROUNDS" "$DELAY" "$RAW"
done
# Medians per (N, viewer), and ratios against the others in the same run.
awk -F'\t' '
	$1 == "run" { k = $2 SUBSEP $4; v[k, ++c[k]] = $5; rss[k] = $7; rss0[k] = $6; fd0[k] = $8; fd[k] = $9; ns[$2] = 1; ps[$4] = 1 }
	function median(k,   i, j, t, a, m) {
		m = c[k]; for (i = 1; i <= m; i++) a[i] = v[k, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	END {
		printf "%-7s %-8s %12s %9s %9s %9s %14s %9s\n", "N", "viewer", "ms/refresh", "x floor", "x htop", "x btop", "RSS KiB", "fds"
		for (n in ns) for (p in ps) {
			k = n SUBSEP p; if (!c[k]) continue
			m = median(k); f = median(n SUBSEP "floor"); h = median(n SUBSEP "htop"); b = median(n SUBSEP "btop")
			printf "%-7s %-8s %12.2f %9.2f %9.2f %9.2f %6d->%-7d %3d->%-4d\n", n, p, m,
				f ? m / f : 0, h ? m / h : 0, b ? m / b : 0, rss0[k], rss[k], fd0[k], fd[k]
		}
	}' "$RAW" | sort -k1,1n -k2,2
