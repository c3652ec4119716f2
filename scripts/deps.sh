#!/bin/bash
# Installs what nsdebug needs to build, test and run its demo pod on Debian 12 (as root).
# Skips apt entirely when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libproc2-dev libncurses-dev libcli11-dev libfmt-dev catch2 nlohmann-json3-dev libarchive-dev
  # the static build (the image): libarchive.a needs these libraries' .a files
  libacl1-dev libzstd-dev liblz4-dev
  # (pkg-config --static --libs libarchive names these too; CMake wants each .a)
  nettle-dev liblzma-dev libbz2-dev zlib1g-dev libxml2-dev
  # tests and the demo pod: runc runs OCI bundles as containerd would
  runc jq busybox-static procps util-linux tmux
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
