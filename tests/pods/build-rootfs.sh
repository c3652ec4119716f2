#!/bin/bash
# Builds, from the Debian mirror only (no image registry), what the e2e pods run:
#   $NSDEBUG_POD_WORK/rootfs/busybox  busybox-static + applet links: the debug ("shell") image,
#                                     with no libc and no nginx user, like busybox:1.28
#   $NSDEBUG_POD_WORK/rootfs/nginx    Debian's nginx + the libraries ldd lists, user/group
#                                     nginx 101 and a few files the tests read through /proc
#   $NSDEBUG_POD_WORK/rootfs/pause    /pause from pause.c, static: the sandbox image
# (default work dir /var/tmp/nsdebug-pods; never inside the source tree).
#
# Each rootfs is rebuilt only when its inputs (this script, lib.sh, pause.c) changed: a stamp
# file next to it holds their hash. A rebuild is refused while a pod still uses the old one as
# its overlay lower dir, since changing a lower dir under a mounted overlay is undefined.
#
#   build-rootfs.sh [--force]
set -euo pipefail
here=${0%/*}
[[ $0 == */* ]] || here=.  # `bash pod.sh`
# shellcheck source-path=SCRIPTDIR
source "$here/lib.sh"

FORCE=0
case ${1:-} in
  --force) FORCE=1 ;;
  "") ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

require_root
check_work_dir
ROOTFS=$POD_WORK/rootfs
mkdir -p "$ROOTFS"

# Two builds at once would both write the same temp dirs.
exec 8>"$POD_WORK/.build.lock"
flock -w 300 8 || die "timed out waiting for another build-rootfs.sh"

# One hash over every input: a change anywhere rebuilds all three (a few seconds), and pod.sh
# pays one sha256sum per `up` to learn that nothing changed.
HASH=$(cat "$PODS_SRC/build-rootfs.sh" "$PODS_SRC/lib.sh" "$PODS_SRC/pause.c" | sha256sum)
HASH=${HASH:0:16}

up_to_date() {  # $1 = name, $2 = hash
  local stamp=
  ((FORCE == 0)) && [[ -d $ROOTFS/$1 ]] || return 1
  read -r stamp 2>/dev/null <"$ROOTFS/$1.stamp" || true
  [[ $stamp == "$2" ]]
}

# Builds with build_$1 into a temp dir, then swaps it in, so that an interrupted build never
# leaves a half-made rootfs that the existence check would take for a finished one.
build() {  # $1 = name, $2 = hash
  local name=$1 hash=$2 out=$ROOTFS/$1 tmp=$ROOTFS/.$1.tmp t0=$SECONDS
  up_to_date "$name" "$hash" && return 0
  if grep -qF "lowerdir=$out," /proc/self/mountinfo; then
    die "rootfs/$name is out of date but a pod still runs on it: pod.sh down it first"
  fi
  rm -rf "$tmp"
  mkdir -p "$tmp"
  "build_$name" "$tmp"
  rm -rf "$out" "$out.stamp"
  mv "$tmp" "$out"
  echo "$hash" >"$out.stamp"
  log "built rootfs/$name ($(du -sh "$out" | cut -f1), $((SECONDS - t0)) s)"
}

skeleton() {  # the directories every image has, so runc need not create mount points
  mkdir -p "$1"/{bin,sbin,etc,proc,sys,dev,tmp,root,run,var/run,usr/bin,usr/sbin,usr/local/bin}
  chmod 1777 "$1/tmp"
}

# The debug image has no libc, which is the point: nsdebug must bring its own.
static_busybox() {
  local bb=/bin/busybox
  if [[ ! -x $bb ]] || is_dynamic "$bb"; then
    apt_install busybox-static
  fi
  is_dynamic "$bb" && die "$bb is dynamically linked; busybox-static is needed"
  echo "$bb"
}

build_busybox() {
  local r=$1 bb
  bb=$(static_busybox)
  skeleton "$r"
  cp "$bb" "$r/bin/busybox"
  # One process instead of ~400 `ln`s; run chrooted so that the links point to /bin/busybox.
  chroot "$r" /bin/busybox --install -s /bin
  # No nginx here: a sidecar's own /etc/passwd does not know the other containers' users.
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
www-data:x:33:
nogroup:x:65534:
EOF
}

build_nginx() {
  local r=$1 debs=$POD_WORK/debs deb pkg lib_pkgs=()
  mkdir -p "$debs"
  # The .debs are kept: later rebuilds then need no network at all.
  if ! compgen -G "$debs/nginx_*.deb" >/dev/null || ! compgen -G "$debs/nginx-common_*.deb" >/dev/null; then
    rm -f "$debs"/*.deb
    # apt-get download needs package lists; a fresh machine may have none yet.
    (cd "$debs" && apt-get download -qq nginx nginx-common 2>/dev/null) || {
      apt_update
      (cd "$debs" && apt-get download -qq nginx nginx-common)
    }
  fi
  # ldd resolves nginx's libraries on this host, so the library packages it depends on must be
  # installed here (libssl3 and libpcre2 are not on every minimal system).
  for pkg in $(dpkg-deb -f "$debs"/nginx_*.deb Depends | tr ',' '\n' | sed 's/[ (].*//; s/^ *//'); do
    [[ $pkg == lib* || $pkg == zlib* ]] || continue
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || lib_pkgs+=("$pkg")
  done
  ((${#lib_pkgs[@]} == 0)) || apt_install "${lib_pkgs[@]}"

  skeleton "$r"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$r"; done
  rm -rf "$r"/etc/init.d "$r"/lib/systemd "$r"/etc/ufw "$r"/etc/logrotate.d "$r"/usr/share/{doc,man}
  copy_libs "$r/usr/sbin/nginx" "$r"
  ln -sf /usr/sbin/nginx "$r/usr/bin/nginx"   # the container runs plain "nginx" via PATH
  # busybox for the nginx container too: tests exec simple commands in every container.
  cp "$(static_busybox)" "$r/bin/busybox"
  ln -sf busybox "$r/bin/sh"

  # The official image's user: uid/gid 101, which the debug image's /etc/passwd lacks.
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nginx:x:101:101:nginx user:/nonexistent:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
nginx:x:101:
nogroup:x:65534:
EOF
  mkdir -p "$r"/var/log/nginx "$r"/var/lib/nginx "$r"/var/cache/nginx "$r"/usr/share/nginx/html \
    "$r"/etc/nginx/conf.d
  # As in the official image: the standard logs go to the container's stdout/stderr.
  ln -sf /dev/stdout "$r/var/log/nginx/access.log"
  ln -sf /dev/stderr "$r/var/log/nginx/error.log"
  # The configuration of the official image, whose head the Kubernetes documentation shows.
  cat >"$r/etc/nginx/nginx.conf" <<'EOF'
user  nginx;
worker_processes  1;

error_log  /var/log/nginx/error.log warn;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    access_log  /var/log/nginx/access.log;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
EOF
  cat >"$r/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen       80;
    server_name  localhost;
    location / {
        root   /usr/share/nginx/html;
        index  index.html;
    }
}
EOF
  echo '<h1>Welcome to nginx!</h1>' >"$r/usr/share/nginx/html/index.html"

  # Fixtures for file access through /proc/PID/root:
  # an absolute symlink, which naive readers resolve in the *debugger's* root;
  ln -s /etc/nginx/nginx.conf "$r/etc/nginx/current.conf"
  # a file owned by the worker's uid;
  echo 'owned by nginx (uid 101)' >"$r/usr/share/nginx/html/owned-by-nginx.txt"
  chown 101:101 "$r/usr/share/nginx/html/owned-by-nginx.txt"
  # a regular log file (access.log and error.log are symlinks to /dev/std*).
  printf '%s\n' 'app started' 'mode=demo' >"$r/var/log/nginx/app.log"

  chroot "$r" /usr/sbin/nginx -t -q || die "nginx -t failed in the new rootfs"
  # nginx -t may leave a pid file or temp dirs: the image should be as built.
  rm -f "$r/var/run/nginx.pid"
}

build_pause() {
  local r=$1
  ensure_cmds gcc:gcc
  # -static needs libc.a (libc6-dev); gcc prints the bare name when it cannot find it.
  [[ $(gcc -print-file-name=libc.a) == /* ]] || apt_install libc6-dev
  skeleton "$r"
  gcc -O2 -Wall -Wextra -static -s -o "$r/pause" "$PODS_SRC/pause.c"
}

build busybox "$HASH"
build nginx "$HASH"
build pause "$HASH"
