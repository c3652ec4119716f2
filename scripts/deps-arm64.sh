#!/bin/bash
# Installs what the aarch64 cross build and its tests need on Debian 12 amd64 (as root): the
# cross compiler, the arm64 builds of nsdebug's libraries through multiarch (they install
# beside the amd64 ones: same versions, /usr/lib/aarch64-linux-gnu, /usr/include/aarch64-linux-gnu)
# and qemu-user to run the result. Skips apt entirely when everything is already there.
#   scripts/deps-arm64.sh          (scripts/deps.sh first: the amd64 build's packages)
set -euo pipefail

packages=(
  g++-aarch64-linux-gnu qemu-user-static file
  # linux-libc-dev:arm64 is aarch64's kernel headers (asm/unistd.h: aarch64's syscall numbers);
  # libc6-dev:arm64 brings it, named here because the build must see that architecture's headers.
  libc6-dev:arm64 linux-libc-dev:arm64
  libproc2-dev:arm64 libncurses-dev:arm64 libarchive-dev:arm64 libfmt-dev:arm64
  # libarchive.a's own libraries as .a files, for the static link (CMakeLists.txt wants each that
  # pkg-config --static --libs libarchive names: nettle acl lzma zstd lz4 bz2 z xml2)
  libacl1-dev:arm64 libzstd-dev:arm64 liblz4-dev:arm64
  nettle-dev:arm64 liblzma-dev:arm64 libbz2-dev:arm64 zlib1g-dev:arm64 libxml2-dev:arm64
)

# A Multi-Arch: same library must be the very version of its amd64 twin: when the arm64 one is
# newer, apt upgrades the amd64 one with it (a stable update, same ABI: the amd64 build links as
# before; checked with the static build after this ran).
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps-arm64: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
