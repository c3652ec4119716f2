#!/bin/bash
# Builds the nsdebug image offline with podman: FROM scratch, a static stripped nsdebug on PATH
# and the terminfo entries the TUI needs; ENTRYPOINT ["nsdebug"], CMD ["sidecar"]. Tagged
# localhost/nsdebug:latest and localhost/nsdebug:VERSION.
#
#   scripts/image.sh [--binary STATIC_NSDEBUG] [--force]   build (skipped when unchanged)
#   scripts/image.sh --conf                                 print the CONTAINERS_CONF it uses
#
# The static nsdebug is built into build-static/ unless --binary names one. The image is
# rebuilt only when the content hash of what goes in (binary + terminfo) changed: it is kept
# as the label nsdebug.content. podman runs with a private CONTAINERS_CONF
# ($NSDEBUG_PODMAN_WORK, default /var/tmp/nsdebug-podman); /etc/containers is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${NSDEBUG_PODMAN_WORK:-/var/tmp/nsdebug-podman}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$WORK/containers.conf}
TERMS=(xterm xterm-256color screen screen-256color tmux tmux-256color linux vt100 vt220)
binary="" force=0 conf_only=0 ctx=""
while (($#)); do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --force) force=1; shift ;;
    --conf) conf_only=1; shift ;;
    *) echo "usage: $0 [--binary STATIC_NSDEBUG] [--force] | --conf" >&2; exit 2 ;;
  esac
done
pm() { podman "$@" 2> >(grep -v 'failed to connect to syslog' >&2); }  # conmon's harmless noise

install_podman() {
  dpkg -s podman runc catatonit >/dev/null 2>&1 && return
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc catatonit >/dev/null
}

# What this machine needs (../shared/reference/podlab/FINDINGS.md): no CAP_SYS_RESOURCE, so
# podman's rootful rlimits (nofile=1048576) fail in the runtime unless capped at our hard
# limits; crun 1.8 refuses hybrid cgroups, runc works; no systemd.
write_conf() {
  [[ -f $CONTAINERS_CONF ]] && return
  mkdir -p "$(dirname "$CONTAINERS_CONF")"
  local nofile nproc
  nofile=$(ulimit -Hn); { [[ $nofile == unlimited ]] || ((nofile > 1048576)); } && nofile=1048576
  nproc=$(ulimit -Hu); { [[ $nproc == unlimited ]] || ((nproc > 32768)); } && nproc=32768
  cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
}

terminfo_file() {  # the host's compiled entry (Debian keeps the common ones in /lib/terminfo)
  local d
  for d in /usr/share/terminfo /lib/terminfo /etc/terminfo; do
    [[ -e $d/${1:0:1}/$1 ]] && { echo "$d/${1:0:1}/$1"; return; }
  done
  echo "image: no terminfo entry for $1 on this host (apt-get install ncurses-base ncurses-term)" >&2
  return 1
}

stage() {  # $1: the staging dir: the image's whole filesystem
  local dir=$1 t f
  install -D -m 0755 "$binary" "$dir/usr/bin/nsdebug"
  strip "$dir/usr/bin/nsdebug"
  for t in "${TERMS[@]}"; do
    f=$(terminfo_file "$t")
    install -D -m 0644 "$f" "$dir/usr/share/terminfo/${t:0:1}/$t"   # a copy, never a link
  done
  mkdir -p "$dir/tmp"
  chmod 1777 "$dir/tmp"
}

main() {
  install_podman
  write_conf
  if ((conf_only)); then echo "$CONTAINERS_CONF"; return; fi
  local version
  version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
  if [[ -z $binary ]]; then
    scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug >&2
    binary=build-static/nsdebug
  fi
  file -L "$binary" | grep -q 'statically linked' || {
    echo "image: $binary is not statically linked (the image has no libc)" >&2; exit 1; }
  ctx=""  # global: the EXIT trap runs after main returns
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  stage "$ctx/root"
  local hash have
  hash=$(cd "$ctx/root" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64)
  have=$(pm image inspect --format '{{index .Labels "nsdebug.content"}}' \
         "localhost/nsdebug:$version" 2>/dev/null || true)
  if ((!force)) && [[ $have == "$hash" ]]; then
    echo "image: localhost/nsdebug:$version is up to date" >&2
  else
    cat >"$ctx/Containerfile" <<CF
FROM scratch
COPY root/ /
ENV PATH=/usr/bin TERMINFO_DIRS=/usr/share/terminfo
LABEL nsdebug.content=$hash org.opencontainers.image.version=$version
ENTRYPOINT ["nsdebug"]
CMD ["sidecar"]
CF
    pm build -q --pull=never -f "$ctx/Containerfile" -t "localhost/nsdebug:$version" \
       -t localhost/nsdebug:latest "$ctx" >/dev/null
    pm image prune -f >/dev/null || true
  fi
  pm tag "localhost/nsdebug:$version" localhost/nsdebug:latest
  echo "image: localhost/nsdebug:$version $(pm image inspect --format '{{.Size}}' \
       "localhost/nsdebug:$version") bytes" >&2
}

main
