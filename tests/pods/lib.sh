# shellcheck shell=bash
# Shared by build-rootfs.sh and pod.sh: work dir, logging, root check, packages.

POD_WORK=${NSDEBUG_POD_WORK:-/var/tmp/nsdebug-pods}
# This directory, found without forking: `pod.sh exec` runs once per test command.
PODS_SRC=${BASH_SOURCE[0]%/*}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

require_root() {
  ((EUID == 0)) || die "must run as root (runc, overlay mounts and cgroups need it)"
}

# The work dir holds root filesystems, overlay uppers and runc state: it must never land in
# the source tree, where a build or `git add -A` would pick up 10 MB of rootfs and device files.
check_work_dir() {
  [[ $POD_WORK == /* ]] || die "NSDEBUG_POD_WORK must be an absolute path: $POD_WORK"
  local work src
  work=$(realpath -m "$POD_WORK")
  src=$(realpath "$PODS_SRC/../..")
  [[ $work/ == "$src"/* ]] && die "NSDEBUG_POD_WORK=$POD_WORK is inside the source tree $src"
  mkdir -p "$POD_WORK"
}

# apt-get update runs at most once per top-level invocation (exported to child scripts):
# it is the slow part of a fresh-machine install, and the lists do not change in between.
apt_update() {
  [[ ${NSDEBUG_APT_UPDATED:-} == 1 ]] && return 0
  log "apt-get update"
  apt-get update -qq >&2
  export NSDEBUG_APT_UPDATED=1
}

apt_install() {
  apt_update
  log "installing: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# ensure_cmds CMD:PACKAGE...: installs, in one apt-get call, the packages of missing commands.
ensure_cmds() {
  local pair missing=()
  for pair; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

# True if FILE is a dynamically linked executable (ldd fails on static ones).
is_dynamic() { ldd "$1" 2>/dev/null | grep -q '=>'; }

# The absolute paths of the shared libraries and loader FILE needs (nothing when static).
# Fails when a library is missing on this host.
needed_libs() {
  local out
  out=$(ldd "$1" 2>/dev/null) || return 0
  if grep -q 'not found' <<<"$out"; then
    log "$1: missing libraries:"$'\n'"$(grep 'not found' <<<"$out")"
    return 1
  fi
  grep -o '/[^ ]*' <<<"$out" || true
}

# copy_libs FILE ROOT: copies to ROOT, at the same paths as on the host, every library (and
# the loader) ldd lists for FILE. The host is Debian 12 like the packages, so its libraries fit.
copy_libs() {
  local libs
  libs=$(needed_libs "$1") || return 1
  # One cp for all: --parents recreates each path under ROOT (as directories, also where the
  # host has merged-/usr symlinks such as /lib64), -L copies the files the links point to.
  # shellcheck disable=SC2086 # library paths have no spaces; one word each
  [[ -z $libs ]] || cp -L --parents $libs "$2"
}
