#!/usr/bin/env bash
# ps_bench.sh — CPU, wall time and peak RSS of `nsdebug ps` against procps ps,
# busybox ps and a C syscall floor, with N idle processes in a private PID
# namespace. See bench/README.md. Needs root (unshare --pid --mount-proc).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$BENCH_DIR/$(basename "${BASH_SOURCE[0]}")"
REPO_DIR=$(dirname "$BENCH_DIR")

usage() {
	cat <<EOF
usage: bench/ps_bench.sh [-n N[,N...]] [-r ROUNDS] [-w WARMUP] [-o RAW.tsv] [--no-install]

  -n LIST        process counts to test (default: \$BENCH_N or "1000,10000")
  -r ROUNDS      measured rounds per N, each runs every program once in a
                 rotated order (default: \$BENCH_ROUNDS or 11; minimum 7)
  -w WARMUP      unmeasured warm-up rounds per N (default: \$BENCH_WARMUP or 1)
  -o FILE        keep the raw per-run results (tab-separated) in FILE
  --no-install   do not apt-get missing packages (procps, busybox-static, gcc)

environment:
  NSDEBUG        nsdebug binary (default: build/nsdebug); skipped if missing
  NSDEBUG_ARGS   its arguments (default: "ps")
  BENCH_BIN      where the C helpers live / are built (default: bench/.bin)
EOF
}

# ---------------------------------------------------------------------------
# Programs under test. cmd_for NAME sets the array CMD.
PROGS_ALL=(nsdebug procps busybox floor)
cmd_for() {
	case $1 in
	nsdebug) read -r -a _args <<<"$NSDEBUG_ARGS"; CMD=("$NSDEBUG" "${_args[@]}") ;;
	procps)  CMD=("$PS_BIN" ax -o pid,user,stat,rss,etime,args) ;;
	busybox) CMD=("$BUSYBOX_BIN" ps -o pid,user,stat,rss,args) ;;
	floor)   CMD=("$BENCH_BIN/floor") ;;
	*) echo "ps_bench: unknown program $1" >&2; exit 2 ;;
	esac
}

# ---------------------------------------------------------------------------
# Inner mode: runs as a child of the spawner (PID 1) inside the namespace.
#   ps_bench.sh --inner N ROUNDS WARMUP RAWFILE PROG...
inner() {
	local n=$1 rounds=$2 warmup=$3 raw=$4
	shift 4
	local progs=("$@") np=$# p r i k line lines rc

	local visible=0 e
	for e in /proc/[0-9]*; do visible=$((visible + 1)); done
	printf 'visible\t%s\t%s\n' "$n" "$visible" >>"$raw"

	# Sanity pass, unmeasured: does each program run, and how many lines?
	local tmp
	tmp=$(mktemp)
	for p in "${progs[@]}"; do
		cmd_for "$p"
		rc=0
		"${CMD[@]}" >"$tmp" 2>>"$raw.err" || rc=$?
		lines=$(wc -l <"$tmp")
		printf 'lines\t%s\t%s\t%s\t%s\n' "$n" "$p" "$lines" "$rc" >>"$raw"
	done
	rm -f "$tmp"

	for ((r = 0; r < warmup; r++)); do
		for p in "${progs[@]}"; do
			cmd_for "$p"
			"$BENCH_BIN/measure" -o /dev/null -- "${CMD[@]}" >/dev/null 2>>"$raw.err" || true
		done
	done

	for ((r = 0; r < rounds; r++)); do
		for ((i = 0; i < np; i++)); do
			k=$(((i + r) % np))
			p=${progs[$k]}
			cmd_for "$p"
			"$BENCH_BIN/measure" -o /dev/null -a "$raw" \
				-t "$(printf 'run\t%s\t%s\t%s' "$n" "$r" "$p")" \
				-- "${CMD[@]}" 2>>"$raw.err"
		done
	done
}

if [[ ${1:-} == --inner ]]; then
	shift
	inner "$@"
	exit 0
fi

# ---------------------------------------------------------------------------
# Outer mode.
N_LIST=${BENCH_N:-1000,10000}
ROUNDS=${BENCH_ROUNDS:-11}
WARMUP=${BENCH_WARMUP:-1}
RAW_KEEP=""
INSTALL=1
while (($#)); do
	case $1 in
	-n) N_LIST=$2; shift 2 ;;
	-r) ROUNDS=$2; shift 2 ;;
	-w) WARMUP=$2; shift 2 ;;
	-o) RAW_KEEP=$2; shift 2 ;;
	--no-install) INSTALL=0; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
N_LIST=${N_LIST//,/ }
for n in $N_LIST; do
	[[ $n =~ ^[0-9]+$ ]] || { echo "ps_bench: bad N: $n" >&2; exit 2; }
done
[[ $ROUNDS =~ ^[0-9]+$ && $WARMUP =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }
if ((ROUNDS < 7)); then
	echo "ps_bench: at least 7 rounds are needed for stable medians (got $ROUNDS)" >&2
	exit 2
fi

if ((EUID != 0)); then
	echo "ps_bench: needs root (unshare --pid --mount-proc)" >&2
	exit 1
fi

export NSDEBUG=${NSDEBUG:-$REPO_DIR/build/nsdebug}
export NSDEBUG_ARGS=${NSDEBUG_ARGS:-ps}
export BENCH_BIN=${BENCH_BIN:-$BENCH_DIR/.bin}

# --- dependencies ------------------------------------------------------------
APT_UPDATED=0
apt_install() {
	if ((!INSTALL)); then
		echo "ps_bench: missing $*; install it or drop --no-install" >&2
		exit 1
	fi
	echo "ps_bench: installing $* ..." >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq "$@" >/dev/null; then
		((APT_UPDATED)) || { apt-get update -qq >/dev/null; APT_UPDATED=1; }
		apt-get install -y -qq "$@" >/dev/null
	fi
}
command -v unshare >/dev/null || apt_install util-linux
command -v ps >/dev/null || apt_install procps
command -v busybox >/dev/null || apt_install busybox-static
command -v gcc >/dev/null || apt_install gcc libc6-dev
PS_BIN=$(command -v ps)
BUSYBOX_BIN=$(command -v busybox)
export PS_BIN BUSYBOX_BIN
if ! "$PS_BIN" --version 2>/dev/null | grep -q procps; then
	echo "ps_bench: $PS_BIN is not procps ps" >&2
	exit 1
fi

# --- C helpers ---------------------------------------------------------------
mkdir -p "$BENCH_BIN"
for h in measure floor spawner; do
	src=$BENCH_DIR/$h.c out=$BENCH_BIN/$h
	if [[ ! -x $out || $src -nt $out ]]; then
		echo "ps_bench: building $out" >&2
		gcc -O2 -std=gnu11 -Wall -Wextra -static -o "$out" "$src" 2>/dev/null ||
			gcc -O2 -std=gnu11 -Wall -Wextra -o "$out" "$src"
	fi
done

PROGS=()
for p in "${PROGS_ALL[@]}"; do
	if [[ $p == nsdebug && ! -x $NSDEBUG ]]; then
		echo "ps_bench: warning: $NSDEBUG not found/executable: nsdebug is skipped" >&2
		continue
	fi
	PROGS+=("$p")
done

# --- limits ------------------------------------------------------------------
max_n=0
for n in $N_LIST; do ((n > max_n)) && max_n=$n; done
need=$((max_n + 64))
ulimit -u unlimited 2>/dev/null || ulimit -u "$(ulimit -Hu)" 2>/dev/null || true
cur_nproc=$(ulimit -u)
if [[ $cur_nproc != unlimited ]] && ((cur_nproc < need)); then
	echo "ps_bench: warning: RLIMIT_NPROC $cur_nproc < $need (root usually bypasses it)" >&2
fi
threads_max=$(cat /proc/sys/kernel/threads-max)
if ((threads_max < need + 1000)); then
	echo "ps_bench: warning: kernel.threads-max $threads_max is too low for N=$max_n" >&2
fi
# pids cgroup limit (v1: the "pids" line of /proc/self/cgroup; v2: "0::")
for cg in $(awk -F: '$2 ~ /(^|,)pids(,|$)/ {print "pids" $3} $1 == "0" {print "." $3}' /proc/self/cgroup); do
	f=/sys/fs/cgroup/${cg#.}/pids.max
	[[ $cg == .* ]] && f=/sys/fs/cgroup${cg#.}/pids.max
	if [[ -r $f ]]; then
		v=$(cat "$f")
		if [[ $v != max ]] && ((v < need)); then
			echo "ps_bench: warning: $f = $v < $need" >&2
		fi
	fi
done
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if ((avail_kb < max_n * 200 + 262144)); then
	echo "ps_bench: warning: MemAvailable $((avail_kb / 1024)) MiB may be short for N=$max_n (~200 KiB each)" >&2
fi

# --- run ---------------------------------------------------------------------
WORK=$(mktemp -d /tmp/ps_bench.XXXXXX)
RAW=$WORK/raw.tsv
: >"$RAW"
UNSHARE_PID=""
PID_MAX_OLD=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [[ -n $UNSHARE_PID ]] && kill -0 "$UNSHARE_PID" 2>/dev/null; then
		# --kill-child: the spawner (PID 1 of the namespace) dies with
		# unshare, and the kernel kills the whole namespace with it.
		kill -KILL "$UNSHARE_PID" 2>/dev/null || true
		wait "$UNSHARE_PID" 2>/dev/null || true
	fi
	[[ -n $PID_MAX_OLD ]] && echo "$PID_MAX_OLD" >/proc/sys/kernel/pid_max
	if [[ -n $RAW_KEEP && -s $RAW ]]; then cp "$RAW" "$RAW_KEEP"; fi
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "ps_bench: interrupted" >&2; exit 130' INT TERM HUP

PID_MAX_OLD=""
pid_max=$(cat /proc/sys/kernel/pid_max)
if ((pid_max < need + 1000)); then
	PID_MAX_OLD=$pid_max
	echo "ps_bench: raising kernel.pid_max $pid_max -> $((need + 1000)) for the run" >&2
	echo $((need + 1000)) >/proc/sys/kernel/pid_max
fi

T_START=$(date +%s.%N)
echo "ps_bench: nsdebug=${NSDEBUG} ${NSDEBUG_ARGS}; rounds=$ROUNDS warm-up=$WARMUP; $(nproc) CPUs; kernel $(uname -r)" >&2
for n in $N_LIST; do
	t0=$(date +%s.%N)
	echo "ps_bench: N=$n: spawning and measuring ..." >&2
	unshare --pid --fork --mount-proc --kill-child \
		"$BENCH_BIN/spawner" "$n" -- \
		bash "$SELF" --inner "$n" "$ROUNDS" "$WARMUP" "$RAW" "${PROGS[@]}" &
	UNSHARE_PID=$!
	rc=0
	wait "$UNSHARE_PID" || rc=$?
	UNSHARE_PID=""
	if ((rc != 0)); then
		if ((rc == 130 || rc == 143 || rc == 129)); then
			echo "ps_bench: N=$n: interrupted" >&2
			exit "$rc"
		fi
		echo "ps_bench: N=$n: the namespace run failed (exit $rc)" >&2
		[[ -s $RAW.err ]] && sed 's/^/  | /' "$RAW.err" | tail -20 >&2
		exit 1
	fi
	t1=$(date +%s.%N)
	printf 'time\t%s\t%s\n' "$n" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" >>"$RAW"
done
T_END=$(date +%s.%N)
if [[ -s $RAW.err ]]; then
	echo "ps_bench: stderr of the measured programs (last lines):" >&2
	sort "$RAW.err" | uniq -c | sort -rn | head -10 | sed 's/^/  | /' >&2
fi

# --- report ------------------------------------------------------------------
awk -F'\t' -v nlist="$N_LIST" -v total="$(awk -v a="$T_START" -v b="$T_END" 'BEGIN {printf "%.1f", b - a}')" '
function sortv(arr, cnt, a,    i, j, t) {
	for (i = 1; i <= cnt; i++) a[i] = arr[i]
	for (i = 2; i <= cnt; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
}
# q-quantile (0..1) with linear interpolation; -1 if empty
function quant(arr, cnt, q,    a, h, lo) {
	if (cnt == 0) return -1
	sortv(arr, cnt, a)
	h = (cnt - 1) * q + 1; lo = int(h)
	return lo >= cnt ? a[cnt] : a[lo] + (h - lo) * (a[lo + 1] - a[lo])
}
function median(arr, cnt) { return quant(arr, cnt, 0.5) }
# interquartile range of program p CPU at n, in % of its median
function iqr(n, p,    r, c, v, m) {
	c = 0
	for (r = 0; r < maxr[n]; r++)
		if ((n, r, p) in cpu) { c++; v[c] = cpu[n, r, p] }
	m = quant(v, c, 0.5)
	return m > 0 ? 100 * (quant(v, c, 0.75) - quant(v, c, 0.25)) / m : 0
}
# median over rounds of field f (cpu|wall|rss|user|sys) of program p at n
function med(n, p, f,    r, c, v) {
	c = 0
	for (r = 0; r < maxr[n]; r++)
		if ((n, r, p) in cpu) { c++; v[c] = val(n, r, p, f) }
	return median(v, c)
}
function val(n, r, p, f) {
	if (f == "cpu") return cpu[n, r, p]
	if (f == "wall") return wall[n, r, p]
	if (f == "rss") return rss[n, r, p]
	if (f == "user") return usr[n, r, p]
	return sys[n, r, p]
}
# median over rounds of the per-round ratio a/b of field f
function mratio(n, a, b, f,    r, c, v) {
	c = 0
	for (r = 0; r < maxr[n]; r++)
		if ((n, r, a) in cpu && (n, r, b) in cpu && val(n, r, b, f) > 0) {
			c++; v[c] = val(n, r, a, f) / val(n, r, b, f)
		}
	return median(v, c)
}
function fmt_ratio(x) { return x < 0 ? "     -" : sprintf("%6.2f", x) }
$1 == "visible" { visible[$2] = $3 }
$1 == "lines"   { lines[$2, $3] = $4; lrc[$2, $3] = $5; seen[$3] = 1 }
$1 == "time"    { dur[$2] = $3 }
$1 == "run" {
	# run<TAB>n<TAB>round<TAB>"prog user_us sys_us wall_us maxrss_kb status"
	split($4, f, " ")
	n = $2; r = $3; p = f[1]
	usr[n, r, p] = f[2] / 1000; sys[n, r, p] = f[3] / 1000
	cpu[n, r, p] = (f[2] + f[3]) / 1000; wall[n, r, p] = f[4] / 1000
	rss[n, r, p] = f[5] / 1024
	if (f[6] != 0) fails[n, p]++
	if (r + 1 > maxr[n]) maxr[n] = r + 1
}
END {
	np = split("nsdebug procps busybox floor", P, " ")
	nn = split(nlist, NL, " ")
	for (i = 1; i <= nn; i++) {
		n = NL[i]
		printf "\nN = %d idle processes (%d visible in the namespace), %d rounds, %ss\n", n, visible[n], maxr[n], dur[n]
		printf "%-8s %7s %9s %6s %8s %8s %9s %8s %9s %6s\n", "program", "lines", "CPU ms", "IQR%", "user ms", "sys ms", "wall ms", "us/proc", "RSS MiB", "fails"
		for (j = 1; j <= np; j++) {
			p = P[j]
			if (!((n, p) in lines)) { if (p == "nsdebug") printf "%-8s  (not run: binary not found)\n", p; continue }
			c = med(n, p, "cpu")
			printf "%-8s %7d %9.1f %6.1f %8.1f %8.1f %9.1f %8.2f %9.2f %6d%s\n", p, lines[n, p], c, iqr(n, p), med(n, p, "user"), med(n, p, "sys"), med(n, p, "wall"), c * 1000 / (visible[n] ? visible[n] : n), med(n, p, "rss"), fails[n, p] + 0, (lrc[n, p] != 0 ? "  (exit " lrc[n, p] ")" : "") (lines[n, p] < n ? "  (fewer lines than processes!)" : "")
		}
		printf "ratios (median of per-round ratios)   CPU    wall\n"
		if ((n, "nsdebug") in lines) {
			printf "  nsdebug / procps ps              %s  %s\n", fmt_ratio(mratio(n, "nsdebug", "procps", "cpu")), fmt_ratio(mratio(n, "nsdebug", "procps", "wall"))
			printf "  nsdebug / busybox ps             %s  %s\n", fmt_ratio(mratio(n, "nsdebug", "busybox", "cpu")), fmt_ratio(mratio(n, "nsdebug", "busybox", "wall"))
			printf "  nsdebug / floor                  %s  %s\n", fmt_ratio(mratio(n, "nsdebug", "floor", "cpu")), fmt_ratio(mratio(n, "nsdebug", "floor", "wall"))
		}
		printf "  procps / floor   (anchor 2.82)   %s  %s\n", fmt_ratio(mratio(n, "procps", "floor", "cpu")), fmt_ratio(mratio(n, "procps", "floor", "wall"))
		printf "  busybox / floor  (anchor 1.04)   %s  %s\n", fmt_ratio(mratio(n, "busybox", "floor", "cpu")), fmt_ratio(mratio(n, "busybox", "floor", "wall"))
	}
	# Verdict at N=10000, or the largest N run.
	vn = -1
	for (i = 1; i <= nn; i++) if (NL[i] + 0 == 10000) vn = NL[i]
	if (vn < 0) for (i = 1; i <= nn; i++) if (NL[i] + 0 > vn + 0) vn = NL[i]
	note = (vn + 0 == 10000) ? "" : " [targets are set for N=10000]"
	printf "\n"
	if (!((vn, "nsdebug") in lines)) {
		printf "VERDICT (N=%d)%s: n/a, nsdebug was not run\n", vn, note
	} else {
		a = mratio(vn, "nsdebug", "procps", "cpu"); b = mratio(vn, "nsdebug", "floor", "cpu"); m = med(vn, "nsdebug", "rss")
		ok = (a >= 0 && a <= 0.5) && (b >= 0 && b <= 1.3) && (m >= 0 && m < 15) && !fails[vn, "nsdebug"] && lrc[vn, "nsdebug"] == 0
		printf "VERDICT (N=%d)%s: %s - CPU %.2fx procps (<= 0.50: %s), %.2fx floor (<= 1.30: %s), peak RSS %.1f MiB (< 15: %s)%s\n", vn, note, ok ? "PASS" : "FAIL", a, a <= 0.5 ? "ok" : "NO", b, b <= 1.3 ? "ok" : "NO", m, m < 15 ? "ok" : "NO", (fails[vn, "nsdebug"] || lrc[vn, "nsdebug"]) ? ", nsdebug exited non-zero" : ""
	}
	printf "total time %ss\n", total
}' "$RAW"
