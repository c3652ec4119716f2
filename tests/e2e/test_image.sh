#!/bin/bash
# e2e: the nsdebug image (scripts/image.sh) under podman: its entrypoint, an unprivileged run,
# and deploy/sidecar.yaml played by `podman kube play` with a locally built nginx, where the
# sidecar sees nginx's processes and `podman attach` (in tmux) reaches its TUI after a key.
# Root, tmux; run under the e2e lock:
#   cd build && flock /tmp/nsdebug-e2e.lock ctest -L image --output-on-failure
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
POD=nsdebug-image-e2e
IMAGE=localhost/nsdebug:latest
export NSDEBUG_POD_WORK=${NSDEBUG_POD_WORK:-/var/tmp/nsdebug-pods}
failed=0
fail() { echo "FAIL: $*"; failed=1; }
pm() { podman "$@" 2> >(grep -v 'failed to connect to syslog' >&2); }

# NSDEBUG_STATIC_BIN: a static nsdebug already built (else image.sh builds build-static/).
"$src/scripts/image.sh" ${NSDEBUG_STATIC_BIN:+--binary "$NSDEBUG_STATIC_BIN"}
CONTAINERS_CONF=$("$src/scripts/image.sh" --conf)
export CONTAINERS_CONF
size=$(pm image inspect --format '{{.Size}}' $IMAGE)
echo "image size: $size bytes"
((size < 5000000)) || fail "the image is $size bytes, over 5 MB"

out=$(pm run --rm --network none $IMAGE --version)
[[ $out == "nsdebug "* ]] || fail "--version printed: $out"
out=$(pm run --rm --network none $IMAGE ps)
grep -q ' nsdebug ps' <<<"$out" || fail "ps in the image does not show itself: $out"
# Any numeric uid, read-only root, no capabilities: ps works, doctor says what is missing.
out=$(pm run --rm --network none --user 101 --read-only --cap-drop=ALL $IMAGE ps -o pid,uid,args)
grep -Eq '^ *1 +101 nsdebug ps' <<<"$out" || fail "ps as uid 101: $out"
pm run --rm --network none --user 101 --read-only --cap-drop=ALL $IMAGE doctor >/dev/null \
  && echo "note: doctor found nothing missing as uid 101" || true

# nginx's image, from the rootfs the e2e pods use (Debian's nginx; no registry).
if ! pm image exists docker.io/library/nginx:latest; then
  "$src/tests/pods/build-rootfs.sh" >/dev/null
  tar -C "$NSDEBUG_POD_WORK/rootfs/nginx" -cf - . |
    pm import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["nginx","-g","daemon off;"]' --change 'STOPSIGNAL SIGQUIT' \
      - docker.io/library/nginx:latest >/dev/null
fi

# `kubectl attach -it POD -c debug` as `podman attach`, in a tmux pane of a tmux server of our
# own (-L: a developer's sessions are never touched), read by capture-pane.
TMUX_SOCKET=nsdebug-e2e-attach
ATTACH_STATUS=/tmp/nsdebug-e2e-attach.status
tm() { tmux -L $TMUX_SOCKET "$@"; }
down() {
  tm kill-server >/dev/null 2>&1 || true
  rm -f "$ATTACH_STATUS".*
  pm pod kill -s KILL $POD >/dev/null 2>&1 || true; pm pod rm -f $POD >/dev/null 2>&1 || true
  pm rm -f -t 0 $POD-lone >/dev/null 2>&1 || true
}
trap down EXIT
down
yaml=$(mktemp)
sed "s/^  name: nginx$/  name: $POD/" "$src/deploy/sidecar.yaml" >"$yaml"
pm kube play --network none "$yaml" >/dev/null
rm -f "$yaml"
for _ in $(seq 100); do
  out=$(pm exec $POD-debug nsdebug ps 2>&1) || true
  grep -q 'nginx: worker' <<<"$out" && break
  sleep 0.1
done
echo "$out"
# podman names containers by runtime id (no kubelet termination-log mount): nginx's is the one
# its master runs in; the worker in the same one, as user nginx (from nginx's own passwd).
ctr=$(awk '/nginx: master/ && $3 == "root" {print $2}' <<<"$out")
[[ -n $ctr ]] || fail "sidecar ps: no nginx master as root"
grep -Eq "^ *[0-9]+ $ctr +nginx .*nginx: worker" <<<"$out" || fail "sidecar ps: no nginx worker as user nginx"
out=$(pm exec $POD-debug nsdebug cat "$ctr:/etc/nginx/nginx.conf" 2>&1) || true
grep -q 'worker_processes' <<<"$out" || fail "sidecar cat nginx.conf: $out"
n=$(pm exec $POD-debug nsdebug tar "$ctr:/etc/nginx" 2>/dev/null | tar -tf - | grep -c nginx.conf) || true
((n >= 1)) || fail "sidecar tar of /etc/nginx has no nginx.conf"
logs=$(pm logs $POD-debug 2>&1)
grep -q '== doctor ==' <<<"$logs" || fail "sidecar log has no diagnosis: $logs"
# As kubectl debug --target runs it: nginx's PID namespace, another uid; nginx's master is PID 1
# and no sandbox is shown; doctor exits 1 and says what is missing. (podman lets no container
# outside a pod join one inside it: a lone nginx.)
pm rm -f $POD-lone >/dev/null 2>&1 || true
pm run -d --name $POD-lone --network none docker.io/library/nginx:latest >/dev/null
for _ in $(seq 50); do pm top $POD-lone 2>/dev/null | grep -q 'nginx: worker' && break; sleep 0.1; done
out=$(pm run --rm --network none --pid container:$POD-lone --user 65532 $IMAGE ps 2>&1) || true
grep -Eq '^ +1 .*nginx: master' <<<"$out" || fail "--pid container:nginx ps: master is not PID 1: $out"
grep -q sandbox <<<"$out" && fail "--pid container:nginx ps shows a sandbox: $out"
if out=$(pm run --rm --network none --pid container:$POD-lone --user 65532 $IMAGE doctor 2>&1); then
  fail "doctor as uid 65532 in nginx's namespace exited 0: $out"
fi
grep -q 'fix:' <<<"$out" || fail "doctor gave no fix: $out"

# Polls pane $1, up to 20 s or until its podman attach ended, until its screen holds every one
# of the other arguments; prints the last screen (for the failure message) and fails if they
# never all came.
wait_screen() {
  local pane=$1 s i t missing
  shift
  for ((i = 0; i < 200; i++)); do
    s=$(tm capture-pane -p -t "$pane" 2>&1) || true
    missing=0
    for t in "$@"; do [[ $s == *"$t"* ]] || missing=1; done
    ((missing == 0)) && break
    [[ -e $ATTACH_STATUS.$pane ]] && { s+=" (podman attach ended)"; break; }
    sleep 0.1
  done
  printf '%s\n' "$s"
  return $missing
}
tui_on_screen() { wait_screen "$1" 'nginx: master process' 'nginx: worker process' COMMAND; }
idle_on_screen() { wait_screen "$1" 'press any key for the TUI'; }
# The sidecar's state and host PID: kube play restarts a container that exited (restartPolicy
# Always), so "running" alone does not say it never exited.
state() { pm inspect --format '{{.State.Status}} {{.State.Pid}}' $POD-debug 2>&1; }

# A session $1 whose pane runs `podman attach` (100x30, TERM=tmux-256color), on the server of
# our own; returns once podman is attached.
attach_pane() {
  local name=$1 cmd err attempt tty i
  # The status from a shell that waits for podman attach: tmux can leave the pane's process an
  # unreaped zombie under load, so #{pane_dead_status} may never come.
  rm -f "$ATTACH_STATUS.$name"
  cmd="TERM=tmux-256color CONTAINERS_CONF=$CONTAINERS_CONF podman attach $POD-debug"
  cmd="$cmd; echo \$? >$ATTACH_STATUS.$name"
  # kill-server returns before the old server is gone, and a new-session that reaches the dying
  # one fails with "server exited unexpectedly": try again.
  for attempt in $(seq 20); do
    err=$(tm -f /dev/null new-session -d -s "$name" -x 100 -y 30 "sh -c '$cmd'" \; \
            set-option -t "$name" remain-on-exit on 2>&1) && break
    [[ $err == *"server exited unexpectedly"* ]] || break
    sleep 0.1
  done
  [[ -z $err ]] || { fail "tmux new-session: $err"; return 1; }
  # Attached once podman put the pane's terminal in raw mode: a key before that would be
  # echoed and held by the line discipline, not sent.
  tty=$(tm display-message -p -t "$name" '#{pane_tty}')
  for ((i = 0; i < 200; i++)); do
    [[ -e $ATTACH_STATUS.$name ]] && { fail "podman attach ended: $(tm capture-pane -p -t "$name")"; return 1; }
    stty -F "$tty" -a 2>/dev/null | grep -q -- '-icanon' && return 0
    sleep 0.1
  done
  fail "podman attach never put its terminal in raw mode"
  return 1
}

# podman's detach keys, ctrl-p ctrl-q: podman attach ends with status 0, the sidecar runs on
# (its state still $2).
detach() {
  local name=$1 running=$2 i
  # Apart: podman takes ctrl-p ctrl-q for its detach keys only when each comes in a read of its
  # own; in one write (one send-keys) both go to the sidecar, whose ctrl-p starts the TUI.
  tm send-keys -t "$name" C-p
  sleep 0.5
  tm send-keys -t "$name" C-q
  for ((i = 0; i < 200; i++)); do [[ -s $ATTACH_STATUS.$name ]] && break; sleep 0.1; done
  [[ $(cat "$ATTACH_STATUS.$name" 2>/dev/null) == 0 ]] ||
    fail "$name: podman attach did not detach with status 0 ($(cat "$ATTACH_STATUS.$name" 2>/dev/null)): $(tm capture-pane -p -t "$name")"
  [[ $(state) == "$running" ]] || fail "$name: after detaching the sidecar is $(state), not $running"
}

# The sidecar idles on its terminal and `podman attach` (kubectl attach) shows nothing until a
# key: that key starts the TUI, and in the TUI any key draws the whole screen again (attached
# to a running TUI, the screen is empty until then). q takes it back to idle (the container
# keeps running) and a key starts the TUI again. Detached while the TUI runs and attached
# again, a key shows it (podman's resize on attach redraws it too: a SIGWINCH).
attach_check() {
  local out running
  command -v tmux >/dev/null || { fail "attach: no tmux (apt-get install tmux)"; return; }
  running=$(state)
  [[ $running == "running "* ]] || { fail "attach: the sidecar is $running before attaching"; return; }
  tm kill-server >/dev/null 2>&1 || true
  attach_pane first || return
  tm send-keys -t first -l x
  out=$(tui_on_screen first) || { fail "attach: a key did not bring the TUI: $out"; return; }
  [[ $(tm display-message -p -t first '#{alternate_on}') == 1 ]] || fail "attach: the TUI is not on the alternate screen"
  # -R empties the pane on tmux's side only, as a new attach finds it: the refresh that follows
  # draws only what changed, so the header is back only if the key redrew everything.
  tm send-keys -t first -R
  out=$(tm capture-pane -p -t first)
  [[ $out != *COMMAND* ]] || fail "attach: send-keys -R did not empty the pane: $out"
  tm send-keys -t first -l x
  out=$(tui_on_screen first) || fail "attach: a key in the TUI did not redraw the whole screen: $out"
  tm send-keys -t first -l q
  out=$(idle_on_screen first) || { fail "attach: q did not take the sidecar back to idle: $out"; return; }
  [[ $(state) == "$running" ]] || fail "attach: after q the sidecar is $(state), not $running"
  [[ ! -e $ATTACH_STATUS.first ]] || fail "attach: podman attach ended after q: $out"
  tm send-keys -t first -l x
  out=$(tui_on_screen first) || { fail "attach: a second key did not bring the TUI back: $out"; return; }
  detach first "$running"
  attach_pane again || return
  tm send-keys -t again -l x
  out=$(tui_on_screen again) || fail "attach again: a key did not redraw the running TUI: $out"
  # Ctrl-C is a key to the sidecar, not SIGINT: in the TUI it goes back to the prompt, at the
  # prompt it starts the TUI; the container's main program never ends or restarts.
  tm send-keys -t again C-c
  out=$(idle_on_screen again) || fail "attach again: Ctrl-C in the TUI did not go back to idle: $out"
  [[ $(state) == "$running" ]] || fail "attach: after Ctrl-C in the TUI the sidecar is $(state), not $running"
  tm send-keys -t again C-c
  out=$(tui_on_screen again) || fail "attach again: Ctrl-C at the prompt did not start the TUI: $out"
  [[ $(state) == "$running" ]] || fail "attach: after Ctrl-C at the prompt the sidecar is $(state), not $running"
  tm send-keys -t again -l q
  out=$(idle_on_screen again) || fail "attach again: q did not take the sidecar back to idle: $out"
  detach again "$running"
  tm kill-server >/dev/null 2>&1 || true
  rm -f "$ATTACH_STATUS".*
}
t0=$(date +%s%N)
attach_check
echo "podman attach check: $((($(date +%s%N) - t0) / 1000000)) ms"

t0=$(date +%s%N)
pm stop -t 10 $POD-debug >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
echo "podman stop of the sidecar: $ms ms"
((ms < 3000)) || fail "podman stop took $ms ms (SIGTERM not honoured?)"
((failed == 0)) && echo "image e2e OK"
exit $failed
