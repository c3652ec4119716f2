#!/bin/bash
# pod.sh: the Kubernetes documentation's shareProcessNamespace pod, without Kubernetes.
#
#   pod.sh up      [POD] [--shell-ptrace 0|1] [--shared 0|1] [--shell-target nginx] [--replace]
#   pod.sh down    [POD]
#   pod.sh status  [POD] [--json]
#   pod.sh hostpid POD CTR
#   pod.sh exec    POD CTR [RUNC-EXEC-OPTION...] -- CMD [ARG...]
#
# Containers: pause (/pause, the sandbox; "sandbox" is accepted as its name), nginx
# (nginx -g "daemon off;", worker as uid 101) and shell (busybox sleep 3600, the debug container,
# with nsdebug on its PATH). `exec` passes stdio and the exit status through.
# Environment (options override it):
#   POD=nginx-pod      pod name, a DNS label; it is also the pod's hostname. Pods with
#                      different names can be up at once.
#   SHELL_PTRACE=1     1: the shell container has CAP_SYS_PTRACE; 0: Docker's defaults only
#   SHARED=1           0: every container gets its own PID namespace (shareProcessNamespace: false)
#   SHELL_TARGET=     nginx: the shell joins nginx's PID namespace, as an ephemeral container made
#                      by `kubectl debug --target=nginx` does (needs SHARED=0: else it is shared)
#   REPLACE=0          1: `up` replaces a pod of that name that is up, instead of failing
#   NSDEBUG_BIN=path   the nsdebug binary to install as /usr/local/bin/nsdebug in the shell
#                      (static or dynamic: the libraries ldd lists are copied along)
#   NSDEBUG_POD_WORK   work dir, default /var/tmp/nsdebug-pods
#
# How it is built, and why (the way containerd runs a pod through runc):
#  - Every container is an OCI bundle run by `runc run`, which stays the parent of its init like
#    containerd's shim; runc's state is under the work dir (never the host's /run/runc) and its
#    names are <pod>-<ctr>.
#  - The pause container owns new pid/ipc/uts/net/mount namespaces; the others join its pid, ipc,
#    uts and net namespaces by path (/proc/<pause pid>/ns/...), as CRI does for
#    shareProcessNamespace, and each gets its own mount namespace on an overlay of its image.
#  - Docker's default capabilities; the pause runs as 65535:65535 with a read-only root, like
#    registry.k8s.io/pause under containerd.
#  - Kubelet's cgroupfs layout, /kubepods/besteffort/pod<uid>/<64-hex container id>, with the pod
#    uid derived from the pod name; and kubelet's bind mounts: .../pods/<uid>/containers/<ctr>/0
#    on /dev/termination-log, .../pods/<uid>/etc-hosts on /etc/hosts, the sandbox's hostname
#    file on /etc/hostname. nsdebug finds runtime ids and pod uids where it finds them on a node.
# The pod's state (ids, host pids, options) is in <work>/pods/<pod>/state.json; `status --json`
# prints it.
set -euo pipefail
here=${0%/*}
[[ $0 == */* ]] || here=.  # `bash pod.sh`
# shellcheck source-path=SCRIPTDIR
source "$here/lib.sh"

RUNC_ROOT=$POD_WORK/runc
CONTAINERS=(pause nginx shell)

usage() {  # the header comment
  awk 'NR > 2 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0" >&2
  exit 2
}

rt() { runc --root "$RUNC_ROOT" "$@"; }

# Time in microseconds, ${EPOCHREALTIME/./} (bash 5), read inline: $(...) would fork.
since() {
  local d=$((${EPOCHREALTIME/./} - $1))
  printf '%d.%02d s' $((d / 1000000)) $((d % 1000000 / 10000))
}

set_pod() {
  POD=$1
  [[ $POD =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
    die "pod name '$POD' is not a valid hostname (lowercase letters, digits, '-', at most 63)"
  PODDIR=$POD_WORK/pods/$POD
  STATE=$PODDIR/state.json
  SANDBOX_DIR=$POD_WORK/containerd/sandboxes/$POD
}

# A UUID made from the pod name: stable across up/down, so that down needs no state to find the
# pod's cgroups, and distinct per pod. Version 8 ("custom"), RFC 9562 variant.
set_pod_uid() {
  local h
  h=$(printf 'nsdebug-pod/%s' "$POD" | sha256sum)
  printf -v POD_UID '%s-%s-8%s-%x%s-%s' "${h:0:8}" "${h:8:4}" "${h:13:3}" \
    $(((16#${h:16:1} & 3) | 8)) "${h:17:3}" "${h:20:12}"
  KUBELET_POD=$POD_WORK/kubelet/pods/$POD_UID
  CGROUP_PARENT=/kubepods/besteffort/pod$POD_UID
}

# ID[<ctr>]: a fresh random 64-hex container id per start, like containerd's: tests must read
# ids from the state, not assume them.
declare -A ID=()
new_ids() {
  local c part
  for c in "${CONTAINERS[@]}"; do
    ID[$c]=
    for _ in 1 2 3 4 5 6 7 8; do
      printf -v part '%08x' "$SRANDOM"
      ID[$c]+=$part
    done
  done
}

ctr_name() {
  case $1 in
    pause | sandbox) echo pause ;;
    nginx | shell) echo "$1" ;;
    *) die "no container '$1' in pod $POD (pause, nginx, shell)" ;;
  esac
}

# up and down of different pods share the runc root and the cgroup parents.
take_lock() {
  exec 9>"$POD_WORK/.pods.lock"
  flock -w 300 9 || die "timed out waiting for another pod.sh up/down"
}

# RUNC[<ctr>]="<host pid> <status>" for this pod's containers that runc knows.
declare -A RUNC=()
load_runc_state() {
  local name pid status c
  RUNC=()
  [[ -d $RUNC_ROOT ]] || return 0
  while read -r name pid status _; do
    for c in "${CONTAINERS[@]}"; do
      if [[ $name == "$POD-$c" ]]; then RUNC[$c]="$pid $status"; fi
    done
  done < <(rt list)
  return 0
}

# Mount points under the pod's dir, deepest first (mountinfo lists parents first).
pod_mounts() {
  local _id _parent _dev _root mp _rest mounts=()
  while read -r _id _parent _dev _root mp _rest; do
    [[ $mp == "$PODDIR"/* ]] && mounts=("$mp" "${mounts[@]}")
  done </proc/self/mountinfo
  ((${#mounts[@]} == 0)) || printf '%s\n' "${mounts[@]}"
}

# Every cgroup hierarchy's mount point (v1 controllers and the v2 one): runc makes the
# container's cgroup in each.
cgroup_mounts() {
  local line mp fstype
  while read -r line; do
    fstype=${line#* - }
    fstype=${fstype%% *}
    [[ $fstype == cgroup || $fstype == cgroup2 ]] || continue
    read -r _ _ _ _ mp _ <<<"$line"
    echo "$mp"
  done </proc/self/mountinfo
  return 0
}

pod_present() {
  load_runc_state
  [[ -e $PODDIR || ${#RUNC[@]} -gt 0 || -n $(pod_mounts) ]]
}

pod_running() {  # uses RUNC as load_runc_state left it
  local c
  for c in "${CONTAINERS[@]}"; do
    [[ ${RUNC[$c]:-} == *' running' ]] || return 1
  done
}

# Removes everything of this pod, whatever state a failed or interrupted run left it in:
# containers, overlay mounts, cgroup dirs, kubelet and sandbox files, state.
teardown() {
  local c pid status pids=() deadline argv mp cgdirs=()
  load_runc_state
  # SIGKILL every container init at once. With a shared PID namespace the pause alone would do
  # (the kernel kills a namespace with its init), but SHARED=0 pods have one per container.
  # runc says "running" only after checking the pid's start time: the pid is not a reused one.
  for c in "${!RUNC[@]}"; do
    read -r pid status <<<"${RUNC[$c]}"
    if [[ $status == running || $status == created || $status == paused ]]; then
      kill -KILL "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  # Each container's runc reaps its init, removes the container and exits; wait for that (a
  # zombie has done it), then delete what is left (runc killed, or up failed half-way).
  for c in "${CONTAINERS[@]}"; do
    pid=
    read -r pid 2>/dev/null <"$PODDIR/$c/runc.pid" || true
    [[ -n $pid ]] || continue
    # Only if that pid is still this container's runc (after a reboot it may be anything).
    argv=()
    mapfile -d '' argv 2>/dev/null <"/proc/$pid/cmdline" || true
    if [[ ${argv[0]:-} == runc && ${argv[-1]:-} == "$POD-$c" ]]; then pids+=("$pid"); fi
  done
  deadline=$((${EPOCHREALTIME/./} + 5000000))
  for pid in "${pids[@]}"; do
    while alive "$pid"; do
      ((${EPOCHREALTIME/./} < deadline)) || { log "pid $pid does not die"; break; }
      sleep 0.01
    done
  done
  for c in "${CONTAINERS[@]}"; do
    [[ -e $RUNC_ROOT/$POD-$c ]] && rt delete -f "$POD-$c" >/dev/null 2>&1 &
  done
  wait || true
  for c in "${CONTAINERS[@]}"; do
    [[ ! -e $RUNC_ROOT/$POD-$c ]] || log "runc could not delete $POD-$c"
  done

  for mp in $(pod_mounts); do
    umount "$mp" 2>/dev/null || { log "umount $mp: busy, detaching it"; umount -l "$mp" || true; }
  done

  # runc delete removed the containers' cgroups; the pod's is ours. A failed up may have left a
  # container's inside it, hence depth first.
  for mp in $(cgroup_mounts); do
    [[ -d $mp$CGROUP_PARENT ]] && cgdirs+=("$mp$CGROUP_PARENT")
  done
  ((${#cgdirs[@]} == 0)) || find "${cgdirs[@]}" -depth -type d -exec rmdir {} + 2>/dev/null || true
  remove_cgroup_parents

  if [[ -n $(pod_mounts) ]]; then
    log "mounts remain under $PODDIR; not removing it"
  else
    rm -rf --one-file-system "$PODDIR" "$KUBELET_POD" "$SANDBOX_DIR"
  fi
  # Their parents go too once empty; rmdir leaves those another pod still uses.
  rmdir "$POD_WORK/kubelet/pods" "$POD_WORK/kubelet" "$POD_WORK/containerd/sandboxes" \
    "$POD_WORK/containerd" "$POD_WORK/pods" 2>/dev/null || true
}

alive() {  # PID: true while it exists and is not a zombie
  local line
  while read -r line; do
    [[ $line == State:* ]] && { [[ $line != *Z* ]]; return; }
  done 2>/dev/null <"/proc/$1/status"
  return 1
}

# /kubepods and /kubepods/besteffort are shared by all pods: the up that creates one writes it
# down here, and every down removes those that are empty, so that the last pod down leaves the
# hierarchies as it found them (and never removes a real kubelet's).
record_cgroup_parents() {
  local mp p
  for mp in $(cgroup_mounts); do
    for p in /kubepods /kubepods/besteffort; do
      [[ -d $mp$p ]] || echo "$mp$p" >>"$POD_WORK/cgroup-parents"
    done
  done
}

remove_cgroup_parents() {
  local f=$POD_WORK/cgroup-parents d deep=() shallow=() keep=()
  [[ -f $f ]] || return 0
  while read -r d; do
    if [[ $d == */besteffort ]]; then deep+=("$d"); else shallow+=("$d"); fi
  done <"$f"
  # One rmdir for all, children before parents; it skips the ones another pod still uses.
  rmdir "${deep[@]}" "${shallow[@]}" 2>/dev/null || true
  for d in "${deep[@]}" "${shallow[@]}"; do
    [[ -d $d ]] && keep+=("$d")
  done
  if ((${#keep[@]})); then printf '%s\n' "${keep[@]}" >"$f"; else rm -f "$f"; fi
}

# The container's root: an overlay whose lower dir is the shared image rootfs and whose upper
# dir is its own, as a runtime's snapshotter makes it. Writes (nsdebug, mount points runc
# creates) land in the upper dir; the image stays as built.
mk_rootfs() {  # CTR IMAGE
  local b=$PODDIR/$1
  mkdir -p "$b/rootfs" "$b/upper" "$b/work"
  mount -t overlay overlay -o "lowerdir=$POD_WORK/rootfs/$2,upperdir=$b/upper,workdir=$b/work" \
    "$b/rootfs"
}

# The OCI config of one container, from one jq program so that all three read alike.
write_config() {  # CTR
  jq -n --arg ctr "$1" --arg pod "$POD" --arg id "${ID[$1]}" --arg cgparent "$CGROUP_PARENT" \
    --arg pause_pid "${PAUSE_PID:-}" --argjson shared "$SHARED" --argjson ptrace "$SHELL_PTRACE" \
    --arg target_pid "${TARGET_PID:-}" --arg kubelet_pod "$KUBELET_POD" --arg sandbox_dir "$SANDBOX_DIR" '
  # The default capability set of Docker, which the CRI plugin of containerd uses too.
  def default_caps: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
    "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
    "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"];
  def bind($src; $dst): {destination: $dst, type: "bind", source: $src,
                         options: ["rbind", "rprivate", "rw"]};
  # What the kubelet (and containerd, for the hostname) mount into every app container.
  def kubelet_mounts: [bind($kubelet_pod + "/etc-hosts"; "/etc/hosts"),
    bind($sandbox_dir + "/hostname"; "/etc/hostname"),
    bind($kubelet_pod + "/containers/" + $ctr + "/0"; "/dev/termination-log")];
  # App containers join the sandbox by path; SHARED=0 keeps the pod ipc/uts/net but gives each
  # container its own PID namespace.
  # The shell of a --shell-target pod joins the PID namespace of its target instead.
  def joined: ("/proc/" + $pause_pid + "/ns/") as $ns
    | [if $ctr == "shell" and $target_pid != "" then {type: "pid", path: ("/proc/" + $target_pid + "/ns/pid")}
       elif $shared == 1 then {type: "pid", path: ($ns + "pid")} else {type: "pid"} end,
       {type: "ipc", path: ($ns + "ipc")}, {type: "uts", path: ($ns + "uts")},
       {type: "network", path: ($ns + "net")}, {type: "mount"}];
  def path_env: "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  {
    pause: {args: ["/pause"], user: {uid: 65535, gid: 65535}, readonly: true, hostname: $pod,
            namespaces: [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "network"},
                         {type: "mount"}]},
    # Secrets in the environment: every container of a shared-PID pod can read them.
    nginx: {args: ["nginx", "-g", "daemon off;"],
            env: ["DB_PASSWORD=s3cr3t-from-nginx", "APP_MODE=demo"]},
    shell: {args: ["sleep", "3600"],
            caps: (default_caps + (if $ptrace == 1 then ["CAP_SYS_PTRACE"] else [] end))}
  }[$ctr] as $c
  | ($c.caps // default_caps) as $caps
  | {
      ociVersion: "1.0.2-dev",
      process: {
        terminal: false, user: ($c.user // {uid: 0, gid: 0}), args: $c.args, cwd: "/",
        env: ([path_env, "HOSTNAME=" + $pod] + ($c.env // [])),
        capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
        rlimits: [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}],
        noNewPrivileges: false
      },
      root: {path: "rootfs", readonly: ($c.readonly // false)},
      mounts: ([
        {destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]},
        {destination: "/dev", type: "tmpfs", source: "tmpfs",
         options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {destination: "/dev/pts", type: "devpts", source: "devpts",
         options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
        {destination: "/dev/shm", type: "tmpfs", source: "shm",
         options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
        {destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]},
        {destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]}
      ] + (if $ctr == "pause" then [] else kubelet_mounts end)),
      linux: {
        cgroupsPath: ($cgparent + "/" + $id),
        namespaces: ($c.namespaces // joined),
        maskedPaths: ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
                      "/proc/scsi"],
        readonlyPaths: ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                        "/proc/sysrq-trigger"]
      }
    }
  # The hostname is set where the UTS namespace is made: in the sandbox.
  + (if $c.hostname then {hostname: $c.hostname} else {} end)' >"$PODDIR/$1/config.json"
}

# Starts CTR in the background with `runc run` (not -d): runc then stays the parent of the
# container's init, as containerd's shim does, and reaps it the moment it dies. With -d the init
# is reparented to the host's PID 1, which may reap late (a second or more on the Firecracker VMs
# this was written on), and a pod's PID namespace is gone only when every member is reaped:
# `down` waited for that. runc gets its own session so that a ^C at the terminal of `pod.sh up`
# never reaches it (it would forward SIGINT to the pause, which ends the pod), `cd /` so that it
# pins no directory, and not fd 9, the lock.
launch_ctr() {  # CTR
  local b=$PODDIR/$1
  rm -f "$b/pid"
  (cd / && exec setsid -w runc --root "$RUNC_ROOT" run --bundle "$b" --pid-file "$b/pid" "$POD-$1" \
    </dev/null >"$b/log" 2>&1 9>&-) &
  LAUNCHED[$1]=$!
}

# Waits until CTR's init runs (runc writes the pid file then), or fails with runc's log.
await_ctr() {  # CTR
  local b=$PODDIR/$1 deadline ppid
  deadline=$((${EPOCHREALTIME/./} + 10000000))
  until [[ -s $b/pid ]]; do
    if ! kill -0 "${LAUNCHED[$1]}" 2>/dev/null || ((${EPOCHREALTIME/./} > deadline)); then
      log "runc run $POD-$1 failed:"
      sed 's/^/  /' "$b/log" >&2
      return 1
    fi
    sleep 0.01
  done
  # runc's pid, for down: the init's parent (setsid may have forked).
  read -r _ _ _ ppid _ <"/proc/$(<"$b/pid")/stat"
  echo "$ppid" >"$b/runc.pid"
}
declare -A LAUNCHED=()

# The debug image has no libc: a dynamic nsdebug's libraries come along, into the shell's own
# upper dir (written through the mounted overlay), as a debug image built for it would hold them.
install_nsdebug() {
  local root=$PODDIR/shell/rootfs
  [[ -n $NSDEBUG_BIN_ABS ]] || return 0
  cp "$NSDEBUG_BIN_ABS" "$root/usr/local/bin/nsdebug"
  copy_libs "$NSDEBUG_BIN_ABS" "$root"
}

# nginx is up once its master has forked the uid-101 worker.
wait_for_worker() {
  local master=$1 deadline child children title line
  deadline=$((${EPOCHREALTIME/./} + 10000000))
  while ((${EPOCHREALTIME/./} < deadline)) && [[ -e /proc/$master ]]; do
    children=()
    read -r -a children 2>/dev/null <"/proc/$master/task/$master/children" || true
    for child in "${children[@]}"; do
      title=
      read -r -d '' title 2>/dev/null <"/proc/$child/cmdline" || true
      [[ $title == 'nginx: worker process'* ]] || continue
      while read -r line; do
        [[ $line =~ ^Uid:[[:space:]]+101[[:space:]] ]] && return 0
      done 2>/dev/null <"/proc/$child/status"
    done
    sleep 0.01
  done
  log "nginx worker did not start; nginx log:"
  sed 's/^/  /' "$PODDIR/nginx/log" >&2
  return 1
}

write_state() {
  local c args=()
  for c in "${CONTAINERS[@]}"; do
    args+=(--arg "id_$c" "${ID[$c]}" --argjson "pid_$c" "$(<"$PODDIR/$c/pid")")
  done
  jq -n --arg pod "$POD" --arg uid "$POD_UID" --arg kubelet_pod "$KUBELET_POD" \
    --arg runc_root "$RUNC_ROOT" --arg cgparent "$CGROUP_PARENT" --argjson shared "$SHARED" \
    --argjson ptrace "$SHELL_PTRACE" --arg target "$SHELL_TARGET" --arg nsdebug "$NSDEBUG_BIN_ABS" "${args[@]}" '
    def ctr($name; $id; $pid): {
      id: $id, runc_name: ($pod + "-" + $name), host_pid: $pid, cgroup: ($cgparent + "/" + $id),
      termination_log: (if $name == "pause" then null
                        else $kubelet_pod + "/containers/" + $name + "/0" end)};
    {pod: $pod, pod_uid: $uid, shared_pid_namespace: ($shared == 1), shell_ptrace: ($ptrace == 1),
     shell_target: (if $target == "" then null else $target end),
     nsdebug_bin: (if $nsdebug == "" then null else $nsdebug end), runc_root: $runc_root,
     containers: {pause: ctr("pause"; $id_pause; $pid_pause), nginx: ctr("nginx"; $id_nginx; $pid_nginx),
                  shell: ctr("shell"; $id_shell; $pid_shell)}}' >"$STATE"
}

UP_OK=0
on_up_exit() {
  ((UP_OK)) && return 0
  log "up failed; removing what it made of pod $POD"
  teardown || true
}

cmd_up() {
  local t0
  t0=${EPOCHREALTIME/./}
  require_root
  check_work_dir
  ensure_cmds runc:runc jq:jq flock:util-linux setsid:util-linux
  NSDEBUG_BIN_ABS=
  if [[ -n ${NSDEBUG_BIN:-} ]]; then
    [[ -f $NSDEBUG_BIN && -x $NSDEBUG_BIN ]] || die "NSDEBUG_BIN=$NSDEBUG_BIN is not an executable file"
    NSDEBUG_BIN_ABS=$(realpath "$NSDEBUG_BIN")
  else
    log "NSDEBUG_BIN is not set: the shell container will have no nsdebug"
  fi
  take_lock
  if pod_present; then
    if ((REPLACE)); then
      log "replacing pod $POD"
    elif pod_running; then
      die "pod $POD is already up: 'pod.sh down $POD' first, or 'pod.sh up $POD --replace'"
    else
      log "pod $POD: removing what an earlier run left behind"
    fi
    teardown
  fi
  # After the teardown: a changed build-rootfs.sh is not rebuilt under a pod still running.
  "$PODS_SRC/build-rootfs.sh"

  # From here on, a failure or an interrupt removes the partial pod.
  trap on_up_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$PODDIR" "$RUNC_ROOT" "$KUBELET_POD/containers/nginx" "$KUBELET_POD/containers/shell" \
    "$SANDBOX_DIR"
  record_cgroup_parents
  new_ids
  # What the kubelet and containerd write before they start the containers.
  : >"$KUBELET_POD/containers/nginx/0"
  : >"$KUBELET_POD/containers/shell/0"
  printf '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$KUBELET_POD/etc-hosts"
  echo "$POD" >"$SANDBOX_DIR/hostname"

  # The sandbox first: the others join its namespaces by path. (runc brings its lo up.)
  mk_rootfs pause pause
  write_config pause
  launch_ctr pause
  await_ctr pause
  PAUSE_PID=$(<"$PODDIR/pause/pid")

  mk_rootfs nginx nginx
  mk_rootfs shell busybox
  install_nsdebug
  write_config nginx
  launch_ctr nginx
  if [[ -n $SHELL_TARGET ]]; then  # the shell needs its target's PID namespace first
    await_ctr nginx
    TARGET_PID=$(<"$PODDIR/nginx/pid")
  fi
  write_config shell
  launch_ctr shell
  [[ -n $SHELL_TARGET ]] || await_ctr nginx
  await_ctr shell
  write_state
  wait_for_worker "$(<"$PODDIR/nginx/pid")"
  UP_OK=1
  log "pod $POD up in $(since "$t0") (uid $POD_UID, pause host pid $PAUSE_PID)"
}

cmd_down() {
  local t0
  t0=${EPOCHREALTIME/./}
  require_root
  take_lock
  if ! pod_present; then
    log "pod $POD is not up"
    return 0
  fi
  teardown
  log "pod $POD down in $(since "$t0")"
}

# Exit status: 0 up, 1 partly up (some container not running), 3 not up.
cmd_status() {
  local c pid status live='{}'
  load_runc_state
  if [[ ! -f $STATE ]]; then
    ((JSON)) && echo null
    log "pod $POD is not up"
    return 3
  fi
  if ((JSON)); then
    # The recorded state, plus runc's status of each container now.
    for c in "${CONTAINERS[@]}"; do
      status=${RUNC[$c]:-"0 missing"}
      live+=" {\"$c\": \"${status#* }\"}"
    done
    jq --slurpfile live <(echo "$live") \
      '.containers |= with_entries(.value.status = ($live | add)[.key])' "$STATE"
  else
    jq -r '"pod \(.pod)  uid \(.pod_uid)  shared pid ns: \(.shared_pid_namespace)  shell ptrace: \(.shell_ptrace)",
      "nsdebug: \(.nsdebug_bin // "none")"' "$STATE"
    printf '%-6s %-8s %-8s %s\n' CTR HOST-PID STATUS ID
    for c in "${CONTAINERS[@]}"; do
      read -r pid status <<<"${RUNC[$c]:-"- missing"}"
      printf '%-6s %-8s %-8s %s\n' "$c" "$pid" "$status" "$(jq -r --arg c "$c" '.containers[$c].id' "$STATE")"
    done
  fi
  pod_running
}

cmd_hostpid() {  # CTR
  [[ -f $STATE ]] || die "pod $POD is not up"
  jq -er --arg c "$(ctr_name "$1")" '.containers[$c].host_pid' "$STATE"
}

# ---- command line -------------------------------------------------------------------------
(($#)) || usage
CMD=$1
shift

if [[ $CMD == exec ]]; then
  # No lock, no state parsing: tests run it for every command.
  (($# >= 2)) || usage
  set_pod "$1"
  CTR=$(ctr_name "$2")
  shift 2
  RUNC_OPTS=()
  while (($#)) && [[ $1 != -- ]]; do RUNC_OPTS+=("$1"); shift; done
  (($# >= 2)) || die "exec: expected -- CMD [ARG...]"
  shift
  [[ -f $STATE ]] || die "pod $POD is not up"
  exec runc --root "$RUNC_ROOT" exec "${RUNC_OPTS[@]}" "$POD-$CTR" "$@"
fi

POD_ARG=${POD:-nginx-pod}
SHELL_PTRACE=${SHELL_PTRACE:-1}
SHARED=${SHARED:-1}
REPLACE=${REPLACE:-0}
SHELL_TARGET=${SHELL_TARGET:-}
JSON=0
POSITIONAL=()
while (($#)); do
  case $1 in
    --pod) POD_ARG=${2:?--pod needs a name}; shift 2 ;;
    --pod=*) POD_ARG=${1#*=}; shift ;;
    --shell-ptrace) SHELL_PTRACE=${2:?--shell-ptrace needs 0 or 1}; shift 2 ;;
    --shell-ptrace=*) SHELL_PTRACE=${1#*=}; shift ;;
    --shared) SHARED=${2:?--shared needs 0 or 1}; shift 2 ;;
    --shared=*) SHARED=${1#*=}; shift ;;
    --shell-target) SHELL_TARGET=${2:?--shell-target needs a container}; shift 2 ;;
    --shell-target=*) SHELL_TARGET=${1#*=}; shift ;;
    --replace) REPLACE=1; shift ;;
    --json) JSON=1; shift ;;
    -h | --help) usage ;;
    -*) log "unknown option $1"; usage ;;
    *) POSITIONAL+=("$1"); shift ;;
  esac
done
for opt in SHELL_PTRACE SHARED REPLACE; do
  [[ ${!opt} == [01] ]] || die "$opt must be 0 or 1, not '${!opt}'"
done
case $SHELL_TARGET in
  '') ;;
  nginx) ((SHARED == 0)) || die "--shell-target nginx needs --shared 0 (a shared pod is one PID namespace)" ;;
  *) die "--shell-target: only nginx can be targeted, not '$SHELL_TARGET'" ;;
esac

case $CMD in
  up | down | status)
    ((${#POSITIONAL[@]} <= 1)) || usage
    set_pod "${POSITIONAL[0]:-$POD_ARG}"
    set_pod_uid
    "cmd_$CMD"
    ;;
  hostpid)
    ((${#POSITIONAL[@]} == 2)) || usage
    set_pod "${POSITIONAL[0]}"
    cmd_hostpid "${POSITIONAL[1]}"
    ;;
  -h | --help | help) usage ;;
  *) log "unknown command $CMD"; usage ;;
esac
