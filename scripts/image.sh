#!/bin/bash
# Builds the nsdebug image offline with podman: FROM scratch, a static stripped nsdebug on PATH
# and the terminfo entries the TUI needs; ENTRYPOINT ["nsdebug"], CMD ["sidecar"]. Tagged
# localhost/nsdebug:latest and localhost/nsdebug:VERSION.
#
#   scripts/image.sh [--binary STATIC_NSDEBUG] [--force]   build (skipped when unchanged)
#   scripts/image.sh --multiarch [--binary STATIC_NSDEBUG] [--binary-arm64 AARCH64_NSDEBUG] [--force]
#   scripts/image.sh --conf                                 print the CONTAINERS_CONF it uses
#
# The static nsdebug is built into build-static/ unless --binary names one; the image's
# architecture is the binary's own (its ELF header). The image is rebuilt only when the content
# hash of what goes in (binary + terminfo) changed: it is kept as the label nsdebug.content.
# podman runs with a private CONTAINERS_CONF ($NSDEBUG_PODMAN_WORK, default
# /var/tmp/nsdebug-podman); /etc/containers is never touched.
#
# --multiarch: one name for amd64 and arm64 nodes. Also builds localhost/nsdebug:VERSION-arm64
# from the aarch64 static nsdebug (cross-built into build-arm64/ by scripts/build.sh --arm64
# unless --binary-arm64 names one; no emulation: nothing RUNs in a FROM scratch build), tags
# the amd64 one VERSION-amd64 too, and makes the OCI image index localhost/nsdebug:VERSION-multiarch
# (podman manifest) holding both: a runtime pulls the one for its node's architecture.
# scripts/release.sh writes that index to an OCI archive, named nsdebug:VERSION. (podman 4.3
# shows the local list as a Docker manifest list; pushed with --format oci it is an OCI index.)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${NSDEBUG_PODMAN_WORK:-/var/tmp/nsdebug-podman}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$WORK/containers.conf}
TERMS=(xterm xterm-256color screen screen-256color tmux tmux-256color linux vt100 vt220)
binary="" binary_arm64="" force=0 conf_only=0 multiarch=0 ctx=""
while (($#)); do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --binary-arm64) binary_arm64=$2; multiarch=1; shift 2 ;;
    --multiarch) multiarch=1; shift ;;
    --force) force=1; shift ;;
    --conf) conf_only=1; shift ;;
    *) echo "usage: $0 [--multiarch] [--binary STATIC_NSDEBUG] [--binary-arm64 AARCH64_NSDEBUG] [--force] | --conf" >&2
       exit 2 ;;
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

# The OCI architecture of an ELF executable, from its e_machine (the build machine's strip and
# file may not know another architecture).
elf_arch() {
  [[ $(od -An -c -N4 "$1" | tr -d ' ') == '177ELF' ]] || { echo "image: $1 is no ELF file" >&2; return 1; }
  case $(od -An -tu2 -j18 -N2 "$1" | tr -d ' ') in
    62) echo amd64 ;;
    183) echo arm64 ;;
    *) echo "image: $1 is for an architecture this image is not made for" >&2; return 1 ;;
  esac
}

stage() {  # $1: the staging dir: the image's whole filesystem, $2 the binary, $3 its arch
  local dir=$1 bin=$2 arch=$3 t f
  install -D -m 0755 "$bin" "$dir/usr/bin/nsdebug"
  case $arch in
    amd64) strip "$dir/usr/bin/nsdebug" ;;
    arm64) aarch64-linux-gnu-strip "$dir/usr/bin/nsdebug" ;;  # binutils-aarch64-linux-gnu
  esac
  for t in "${TERMS[@]}"; do
    f=$(terminfo_file "$t")
    install -D -m 0644 "$f" "$dir/usr/share/terminfo/${t:0:1}/$t"   # a copy, never a link
  done
  mkdir -p "$dir/tmp"
  chmod 1777 "$dir/tmp"
}

# build_one BINARY TAG...: the image of one architecture, tagged localhost/nsdebug:TAG each;
# the first tag's label says whether it is up to date.
build_one() {
  local bin=$1 arch dir hash have
  shift
  arch=$(elf_arch "$bin")
  file -L "$bin" | grep -q 'statically linked' || {
    echo "image: $bin is not statically linked (the image has no libc)" >&2; exit 1; }
  dir=$ctx/$arch
  stage "$dir/root" "$bin" "$arch"
  hash=$(cd "$dir/root" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-64)
  have=$(pm image inspect --format '{{index .Labels "nsdebug.content"}} {{.Architecture}}' \
         "localhost/nsdebug:$1" 2>/dev/null || true)
  if ((!force)) && [[ $have == "$hash $arch" ]]; then
    echo "image: localhost/nsdebug:$1 ($arch) is up to date" >&2
  else
    cat >"$dir/Containerfile" <<CF
FROM scratch
COPY root/ /
ENV PATH=/usr/bin TERMINFO_DIRS=/usr/share/terminfo
LABEL nsdebug.content=$hash org.opencontainers.image.version=$version
ENTRYPOINT ["nsdebug"]
CMD ["sidecar"]
CF
    pm build -q --pull=never --platform "linux/$arch" -f "$dir/Containerfile" \
       "${@/#/--tag=localhost/nsdebug:}" "$dir" >/dev/null
    pm image prune -f >/dev/null || true
  fi
  local t
  for t in "$@"; do pm tag "localhost/nsdebug:$1" "localhost/nsdebug:$t"; done
  echo "image: localhost/nsdebug:$1 ($arch) $(pm image inspect --format '{{.Size}}' \
       "localhost/nsdebug:$1") bytes" >&2
}

# The index of both architectures, made anew from the two images (it holds their digests).
build_index() {
  local list=localhost/nsdebug:$version-multiarch arch
  pm manifest exists "$list" && pm manifest rm "$list" >/dev/null
  pm manifest create "$list" >/dev/null
  for arch in amd64 arm64; do
    pm manifest add "$list" "containers-storage:localhost/nsdebug:$version-$arch" >/dev/null
  done
  echo "image: $list: $(pm manifest inspect "$list" | jq -r '[.manifests[].platform.architecture] | join(" ")')" >&2
}

main() {
  install_podman
  write_conf
  if ((conf_only)); then echo "$CONTAINERS_CONF"; return; fi
  version=$(sed -n 's/^project(nsdebug VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
  if [[ -z $binary ]]; then
    scripts/build.sh build-static -DNSDEBUG_STATIC=ON --target nsdebug >&2
    binary=build-static/nsdebug
  fi
  if ((multiarch)) && [[ -z $binary_arm64 ]]; then
    scripts/deps-arm64.sh >&2
    scripts/build.sh --arm64 --target nsdebug >&2
    binary_arm64=build-arm64/nsdebug
  fi
  ctx=""  # global: the EXIT trap runs after main returns
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  local tags=("$version" latest)
  if ((multiarch)); then
    [[ $(elf_arch "$binary") == amd64 && $(elf_arch "$binary_arm64") == arm64 ]] || {
      echo "image: --multiarch takes an amd64 --binary and an aarch64 --binary-arm64" >&2; exit 2; }
    tags+=("$version-amd64")
  fi
  build_one "$binary" "${tags[@]}"
  if ((multiarch)); then
    build_one "$binary_arm64" "$version-arm64"
    build_index
  fi
}

main
