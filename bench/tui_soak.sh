#!/usr/bin/env bash
# tui_soak.sh — `nsdebug tui` left running under churn: N idle processes in a private PID
# namespace, a loop forking and reaping short-lived processes the whole time, the TUI in a
# tmux pane at --delay 1. Prints its RSS, open descriptors and CPU per refresh at the start and
# every minute, so a leak shows as a slope. Needs root. Not part of CI (minutes long).
#   sudo bench/tui_soak.sh [-n N] [-m MINUTES]        defaults: 10000, 10
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$BENCH_DIR/$(basename "${BASH_SOURCE[0]}")"
NSDEBUG=${NSDEBUG:-$(dirname "$BENCH_DIR")/build/nsdebug}
BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}

inner() {
	local minutes=$1 hz pid t0 t i forks=0
	hz=$(getconf CLK_TCK)
	# The churn: thousands of short-lived processes a minute, for as long as we watch.
	( while :; do /bin/true; /bin/true; sleep 0.01; done ) &
	local churn=$!
	tmux -L tuisoak kill-server 2>/dev/null || true
	TERM=xterm-256color tmux -L tuisoak -f /dev/null new-session -d -x 200 -y 50 \
		"$NSDEBUG tui --delay 1"
	pid=$(tmux -L tuisoak display -p '#{pane_pid}')
	sleep 5
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	printf '%-7s %10s %5s %14s %12s\n' minute "RSS KiB" fds "ms/refresh" "last pid"
	for ((i = 0; i <= minutes; i++)); do
		((i)) && sleep 60
		t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		printf '%-7s %10s %5s %14.1f %12s\n' "$i" "$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")" \
			"$(ls "/proc/$pid/fd" | wc -l)" \
			"$(awk "BEGIN { print $i ? ($t - $t0) * 1000 / $hz / ($i * 60) : 0 }")" \
			"$(cut -d" " -f5 /proc/loadavg)"
	done
	kill "$churn" 2>/dev/null || true
	tmux -L tuisoak kill-server 2>/dev/null || true
}

if [[ ${1:-} == --inner ]]; then
	shift
	inner "$@"
	exit 0
fi
N=10000 MINUTES=10
while (($#)); do
	case $1 in
	-n) N=$2; shift 2 ;;
	-m) MINUTES=$2; shift 2 ;;
	*) echo "usage: bench/tui_soak.sh [-n N] [-m MINUTES]" >&2; exit 2 ;;
	esac
done
((EUID == 0)) || { echo "tui_soak: needs root" >&2; exit 1; }
[[ -x $BENCH_BIN/spawner ]] || gcc -O2 -static -o "$BENCH_BIN/spawner" "$BENCH_DIR/spawner.c"
ulimit -u unlimited 2>/dev/null || true
export NSDEBUG
unshare --pid --fork --mount-proc --kill-child "$BENCH_BIN/spawner" "$N" -- "$SELF" --inner "$MINUTES"
