#!/usr/bin/env bash
# engine/base-images.sh [--force]
#
# Builds the local stand-in base images that audit-image fixtures use in their
# FROM lines (nothing can be pulled on the test machine). Every image is made
# with `docker import` from a root filesystem assembled out of host binaries
# and Debian packages only, tarred deterministically (sorted, mtime 0, uid 0).
#
#   flavor   /bin/sh              tags
#   debian   dash (+bash)         debian:bookworm debian:bookworm-slim debian:12 debian:latest debian
#                                 ubuntu:22.04 ubuntu:24.04 ubuntu:latest ubuntu
#   alpine   busybox ash, no bash alpine:3.20 alpine:3.19 alpine:latest alpine busybox:latest busybox
#   fedora   bash                 fedora:40 fedora:latest fedora rockylinux:9 almalinux:9
#                                 redhat/ubi9 amazonlinux:2023
#   static   none (no libc)       gcr.io/distroless/static-debian12 (+ :nonroot, USER 65532)
#   base     none (glibc)         gcr.io/distroless/base-debian12
#
# Every image has /usr/bin/tini, /usr/bin/tini-static, /usr/bin/dumb-init,
# /usr/bin/gosu, /usr/bin/standin and the stand-in service names symlinked to
# it (see engine/standin/standin.c and engine/README.md).
#
# Needs the daemon from engine/dockerd.sh (DOCKER_HOST is set from it when
# unset). Images whose engine.hash label matches the current inputs are
# skipped; --force re-imports everything.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}"
STAGE="$DIR/stage"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
: "${DOCKER_HOST:=unix://$DIR/docker.sock}"
export DOCKER_HOST

log() { printf 'base-images.sh: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- host inputs
need_pkgs=()
# busybox-static (not the dynamic `busybox` package): it goes into images without libc
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need_pkgs+=(busybox-static)
[ -x /usr/bin/tini-static ] || need_pkgs+=(tini)
[ -x /usr/bin/dumb-init ] || need_pkgs+=(dumb-init)
[ -x /usr/sbin/gosu ] || need_pkgs+=(gosu)
command -v patchelf >/dev/null || need_pkgs+=(patchelf)
command -v gcc >/dev/null || need_pkgs+=(gcc)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || need_pkgs+=(libc6-dev)
[ -x /usr/bin/setpriv ] || need_pkgs+=(util-linux)
[ -x /bin/kill ] || need_pkgs+=(procps)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "apt-get install ${need_pkgs[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi

mkdir -p "$STAGE"
# ------------------------------------------------------------------- standin
STANDIN="$STAGE/standin"
# the stand-in's table of programs comes from the analyzer's catalog (programs.json); the generator
# rewrites personas.h only when its content changes
node "$HERE/standin/gen-personas.mjs" "$STAGE/standin-build/personas.h"
if [ ! -x "$STANDIN" ] || [ "$HERE/standin/standin.c" -nt "$STANDIN" ] || [ "$STAGE/standin-build/personas.h" -nt "$STANDIN" ]; then
  log "compiling standin"
  gcc -static -O2 -Wall -I"$STAGE/standin-build" -o "$STANDIN.tmp" "$HERE/standin/standin.c"
  strip "$STANDIN.tmp"
  mv "$STANDIN.tmp" "$STANDIN"
fi
STANDIN_NAMES=(nginx php-fpm php-fpm8.2 postgres redis-server httpd apache2
  httpd-foreground apache2-foreground mysqld mariadbd memcached node python3
  python java gunicorn crond sshd rabbitmq-server mongod uwsgi puma app supervisord)

# dumb-init is linked against glibc. Images without glibc (alpine, static) get
# a copy whose ELF interpreter and rpath point at a private directory, so that
# the image as a whole still has no /lib64/ld-linux-x86-64.so.2 (any other
# glibc binary fails there exactly as on real Alpine/distroless-static).
PRIVDIR=/usr/lib/audit-image-glibc
DUMB_PRIV="$STAGE/dumb-init.private"
if [ ! -x "$DUMB_PRIV" ] || [ /usr/bin/dumb-init -nt "$DUMB_PRIV" ]; then
  cp /usr/bin/dumb-init "$DUMB_PRIV.tmp"
  patchelf --set-interpreter "$PRIVDIR/ld-linux-x86-64.so.2" --set-rpath "$PRIVDIR" "$DUMB_PRIV.tmp"
  mv "$DUMB_PRIV.tmp" "$DUMB_PRIV"
fi

# ------------------------------------------------------------------- helpers
# copy host file $1 to $root/$2 (default: same path, /bin etc. mapped to usr/)
put() {
  local root="$1" src="$2" dst="${3:-$2}"
  mkdir -p "$root/$(dirname "$dst")"
  cp -L --preserve=mode "$src" "$root/$dst"
}
# map /bin,/sbin,/lib,/lib64 to /usr/* (merged-usr layout, as Debian 12,
# Ubuntu and Fedora have)
usrpath() {
  case "$1" in
    /bin/* | /sbin/* | /lib/* | /lib64/*) printf '/usr%s' "$1" ;;
    *) printf '%s' "$1" ;;
  esac
}
# copy executables with their shared libraries (merged-usr layout)
put_with_libs() {
  local root="$1"; shift
  local f lib
  for f in "$@"; do
    put "$root" "$f" "$(usrpath "$f")"
    for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true); do
      [ -e "$root$(usrpath "$lib")" ] || put "$root" "$lib" "$(usrpath "$lib")"
    done
  done
}
merged_usr() {
  local root="$1"
  mkdir -p "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" "$root/usr/lib64"
  ln -sfn usr/bin "$root/bin"
  ln -sfn usr/sbin "$root/sbin"
  ln -sfn usr/lib "$root/lib"
  ln -sfn usr/lib64 "$root/lib64"
}
common() {
  local root="$1" rootshell="$2" dumb="$3"
  mkdir -p "$root/etc" "$root/root" "$root/tmp" "$root/run" "$root/var" "$root/home" \
    "$root/proc" "$root/sys" "$root/dev" "$root/usr/bin" "$root/usr/local/bin"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  ln -sfn ../run "$root/var/run"
  cat >"$root/etc/passwd" <<EOF
root:x:0:0:root:/root:$rootshell
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
app:x:1000:1000:app:/home/app:/bin/sh
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
  cat >"$root/etc/group" <<EOF
root:x:0:
daemon:x:1:
www-data:x:33:
app:x:1000:
nonroot:x:65532:
nogroup:x:65534:
EOF
  printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
  chmod 640 "$root/etc/shadow"
  mkdir -p "$root/home/app" "$root/home/nonroot"
  chown 1000:1000 "$root/home/app"; chown 65532:65532 "$root/home/nonroot"
  cp /usr/bin/tini-static "$root/usr/bin/tini"
  cp /usr/bin/tini-static "$root/usr/bin/tini-static"
  cp /usr/sbin/gosu "$root/usr/bin/gosu"
  case "$dumb" in
    host) cp /usr/bin/dumb-init "$root/usr/bin/dumb-init" ;;
    private)
      cp "$DUMB_PRIV" "$root/usr/bin/dumb-init"
      mkdir -p "$root$PRIVDIR"
      local lib
      for lib in $(ldd /usr/bin/dumb-init | grep -o '/[^ ]*'); do
        cp -L "$lib" "$root$PRIVDIR/$(basename "$lib")"
      done ;;
  esac
  cp "$STANDIN" "$root/usr/bin/standin"
  local n
  for n in "${STANDIN_NAMES[@]}"; do ln -sfn standin "$root/usr/bin/$n"; done
}
# coreutils & co. a script typically needs (Debian/Fedora-like images)
TOOLS=(/bin/bash /usr/bin/sleep /usr/bin/cat /usr/bin/echo /usr/bin/env /bin/kill
  /usr/bin/chmod /usr/bin/chown /usr/bin/id /usr/bin/true /usr/bin/false /usr/bin/ls
  /usr/bin/rm /usr/bin/mkdir /usr/bin/cp /usr/bin/mv /usr/bin/ln /usr/bin/touch
  /usr/bin/printf /usr/bin/test /usr/bin/[ /usr/bin/head /usr/bin/tail /bin/grep
  /bin/sed /usr/bin/date /usr/bin/readlink /usr/bin/dirname /usr/bin/basename
  /usr/bin/tee /usr/bin/sort /usr/bin/uname /usr/bin/whoami /usr/bin/pwd /usr/bin/wc
  /usr/bin/cut /usr/bin/tr /usr/bin/seq /usr/bin/nohup /usr/bin/timeout
  /usr/bin/stat /usr/bin/expr /usr/bin/yes /usr/bin/nice /usr/bin/xargs
  /usr/bin/find /usr/bin/setpriv /bin/su /sbin/runuser)
# su and runuser need PAM: root may switch without a password, nothing else
pam_min() {
  local root="$1" m
  mkdir -p "$root/etc/pam.d" "$root/usr/lib/x86_64-linux-gnu/security"
  for m in pam_rootok.so pam_permit.so pam_deny.so; do
    put "$root" "/lib/x86_64-linux-gnu/security/$m" "/usr/lib/x86_64-linux-gnu/security/$m"
  done
  local svc
  for svc in su runuser runuser-l su-l other; do
    cat >"$root/etc/pam.d/$svc" <<'EOF'
auth     sufficient pam_rootok.so
auth     required   pam_deny.so
account  required   pam_permit.so
password required   pam_deny.so
session  required   pam_permit.so
EOF
  done
}

build_debian() {
  local root="$1"
  merged_usr "$root"
  common "$root" /bin/bash host
  put_with_libs "$root" /usr/bin/dash "${TOOLS[@]}" /usr/bin/dumb-init
  ln -sfn dash "$root/usr/bin/sh"
  pam_min "$root"
  printf 'NAME="audit-image stand-in (Debian-like)"\nID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
}
build_fedora() {
  local root="$1"
  merged_usr "$root"
  common "$root" /bin/bash host
  put_with_libs "$root" "${TOOLS[@]}" /usr/bin/dumb-init
  ln -sfn bash "$root/usr/bin/sh"
  pam_min "$root"
  printf 'NAME="audit-image stand-in (Fedora-like, /bin/sh is bash)"\nID=fedora\nVERSION_ID=40\n' >"$root/etc/os-release"
}
build_alpine() {
  local root="$1"
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/lib"
  common "$root" /bin/sh private
  cp /bin/busybox "$root/bin/busybox"
  local a
  # what `busybox --install -s` would do, without running busybox in a chroot
  for a in $(/bin/busybox --list-full); do
    [ "$a" = bin/busybox ] && continue
    mkdir -p "$root/$(dirname "$a")"
    ln -sfn /bin/busybox "$root/$a"
  done
  # stand-in names win over busybox applets, except crond (Alpine's crond IS
  # busybox crond); real Alpine does not link busybox httpd by default.
  for a in "${STANDIN_NAMES[@]}"; do
    [ "$a" = crond ] && continue
    for d in bin sbin usr/bin usr/sbin; do
      if [ -L "$root/$d/$a" ] && [ "$(readlink "$root/$d/$a")" = /bin/busybox ]; then
        rm -f "$root/$d/$a"
      fi
    done
  done
  mkdir -p "$root/sbin"; ln -sfn /usr/bin/tini "$root/sbin/tini" # apk's tini lives in /sbin
  # busybox crond exits 1 without its crontab dir; Alpine ships these
  mkdir -p "$root/etc/crontabs" "$root/var/spool/cron"
  : >"$root/etc/crontabs/root"
  ln -sfn ../../../etc/crontabs "$root/var/spool/cron/crontabs"
  printf 'NAME="audit-image stand-in (Alpine-like, busybox)"\nID=alpine\nVERSION_ID=3.20.0\n' >"$root/etc/os-release"
}
build_static() {
  local root="$1"
  common "$root" /sbin/nologin private
}
build_base() {
  local root="$1"
  merged_usr "$root"
  common "$root" /sbin/nologin host
  put_with_libs "$root" /usr/bin/dumb-init
  rm -f "$root/usr/bin/dash" "$root/usr/bin/bash"
}

PATH_ENV='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
# variant name | flavor | docker import --change lines (;-separated) | tags
VARIANTS=(
  "debian|debian|CMD [\"bash\"]|debian:bookworm debian:bookworm-slim debian:12 debian:latest debian"
  "ubuntu|debian|CMD [\"/bin/bash\"]|ubuntu:22.04 ubuntu:24.04 ubuntu:latest ubuntu"
  "alpine|alpine|CMD [\"/bin/sh\"]|alpine:3.20 alpine:3.19 alpine:latest alpine"
  "busybox|alpine|CMD [\"sh\"]|busybox:latest busybox"
  "fedora|fedora|CMD [\"/bin/bash\"]|fedora:40 fedora:latest fedora rockylinux:9 almalinux:9 redhat/ubi9 redhat/ubi9:latest amazonlinux:2023"
  "static|static|USER 0|gcr.io/distroless/static-debian12 gcr.io/distroless/static-debian12:latest"
  "static-nonroot|static|USER 65532;WORKDIR /home/nonroot|gcr.io/distroless/static-debian12:nonroot"
  "base|base|USER 0|gcr.io/distroless/base-debian12 gcr.io/distroless/base-debian12:latest"
)

t0=$(date +%s.%N)
declare -A TARSUM
for flavor in debian alpine fedora static base; do
  root="$STAGE/rootfs-$flavor"
  rm -rf "$root"; mkdir -p "$root"
  "build_$flavor" "$root"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$root" -cf "$STAGE/rootfs-$flavor.tar" .
  TARSUM[$flavor]=$(sha256sum "$STAGE/rootfs-$flavor.tar" | cut -c1-16)
done
t1=$(date +%s.%N)

built=0 skipped=0
for v in "${VARIANTS[@]}"; do
  IFS='|' read -r name flavor changes tags <<<"$v"
  hash="${TARSUM[$flavor]}-$(printf '%s' "$changes" | sha256sum | cut -c1-8)"
  first="${tags%% *}"
  uptodate=1
  for t in $tags; do
    cur=$(docker image inspect -f '{{index .Config.Labels "org.audit-image.engine.hash"}}' "$t" 2>/dev/null || true)
    [ "$cur" = "$hash" ] || uptodate=0
  done
  if [ "$FORCE" = 0 ] && [ "$uptodate" = 1 ]; then
    skipped=$((skipped + 1)); continue
  fi
  args=(--change "ENV $PATH_ENV" --change "LABEL org.audit-image.engine.hash=$hash org.audit-image.engine.flavor=$flavor org.audit-image.engine.variant=$name")
  IFS=';' read -r -a chs <<<"$changes"
  for c in "${chs[@]}"; do args+=(--change "$c"); done
  docker import "${args[@]}" "$STAGE/rootfs-$flavor.tar" "$first" >/dev/null
  for t in $tags; do [ "$t" = "$first" ] || docker tag "$first" "$t"; done
  log "imported $name ($flavor): $tags"
  built=$((built + 1))
done
t2=$(date +%s.%N)
log "$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$built" -v s="$skipped" \
  'BEGIN{printf "rootfs+tar %.1f s, import %.1f s (%d variants imported, %d up to date)", b-a, c-b, n, s}')"
