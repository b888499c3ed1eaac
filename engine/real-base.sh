#!/usr/bin/env bash
# engine/real-base.sh [--force]
#
# Real Debian bases for the engine tier: a minbase root filesystem made with debootstrap (with tini, dumb-init,
# gosu, busybox, procps and bash), then one image per flavor, each that root plus the flavor's Debian packages
# installed with apt-get, trimmed (apt lists and caches, docs, man pages, locales, headers) and `docker import`ed:
#
#   flavor           engineBase            packages
#   real             debian-real           nginx-light redis-server supervisor python3 nodejs
#   real-node        debian-real-node      nodejs npm yarnpkg
#   real-python      debian-real-python    python3 gunicorn uvicorn python3-hypercorn celery python3-twisted
#                                          (gunicorn, uvicorn, celery: the packages of the commands)
#   real-services    debian-real-services  php8.2-fpm apache2 haproxy memcached postgresql-15 pgbouncer squid
#                                          mosquitto puma runit s6 cron redis-server bind9 doas shellcheck
#                                          libcap2-bin psmisc
#   real-mail        debian-real-mail      supervisor postfix dovecot-core rsyslog fail2ban opendkim opendmarc
#                                          clamav-daemon postgrey amavisd-new rspamd fetchmail
#
# One image holding all of them measured 608 MB, and the vfs storage driver copies the whole root filesystem for
# every container and build step: on this 2-CPU machine creating one container then took over 20 s. So the
# programs are split by family. Left out for size: varnish (it pulls in gcc), openjdk, golang, mariadb-server
# (about 200 MB each).
#
# Each image is tagged audit-image-debian:bookworm-<flavor>-<hash> (and audit-image-debian:bookworm-<flavor>, the
# last one built), and the script prints `image <engineBase>: <reference>` for each on stdout, which the tier reads.
# The hash in the tag lets worktrees with different package lists share one daemon without re-tagging each
# other's base in the middle of a run.
#
# A fixture runs on one when its expected.json has "options": { "engineBase": "debian-real…" }: the tier then
# builds it with every FROM debian… replaced by that image, while the analysis still reads the Dockerfile as
# written (see engine/README.md).
#
# Cached: each image carries the label org.audit-image.engine.hash (sha256 of this script, the package lists and
# the suite), so an up-to-date image is skipped; the trimmed rootfs tarballs stay in $DIR/stage (CI can cache
# them), so a fresh daemon re-imports them without debootstrap; downloaded .debs stay in $DIR/stage/debian-real-debs.
#
# Skipped, with a line saying why and exit 0, when debootstrap is missing and cannot be installed, or the
# mirror does not answer: the tier then skips the fixtures that need these bases, visibly.
# The suite and mirror are the ones this machine's apt uses (/etc/apt/sources.list*), else bookworm on
# deb.debian.org; AUDIT_IMAGE_DEBIAN_MIRROR and AUDIT_IMAGE_DEBIAN_SUITE override them.
set -euo pipefail

DIR="${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}"
STAGE="$DIR/stage"
REPO="audit-image-debian"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
: "${DOCKER_HOST:=unix://$DIR/docker.sock}"
export DOCKER_HOST
# debootstrap's --include: small, and its own resolver handles them (it leaves packages out of bigger sets:
# npm's and python3-twisted's dependencies were left unconfigured when they were in --include)
COMMON="tini,dumb-init,gosu,busybox,procps,bash"
FLAVORS="real real-node real-python real-services real-mail"
packages() {
  case "$1" in
  real) echo "nginx-light redis-server supervisor python3 nodejs" ;;
  real-node) echo "nodejs npm yarnpkg" ;;
  real-python) echo "python3 gunicorn uvicorn python3-hypercorn celery python3-twisted" ;; # gunicorn, uvicorn, celery: the commands (python3-X is only the module)
  real-services) echo "php8.2-fpm apache2 haproxy memcached postgresql-15 pgbouncer squid mosquitto puma runit s6 cron redis-server bind9 doas shellcheck libcap2-bin psmisc" ;;
  real-mail) echo "supervisor postfix dovecot-core rsyslog fail2ban opendkim opendmarc clamav-daemon postgrey amavisd-new rspamd fetchmail" ;;
  esac
}

log() { printf 'real-base.sh: %s\n' "$*" >&2; }
skip() { log "skipped: $*"; echo "skipped: $*"; exit 0; }

# the suite and mirror of this machine's apt (deb822 .sources or one-line sources.list), else the defaults
mirror="${AUDIT_IMAGE_DEBIAN_MIRROR:-}"
suite="${AUDIT_IMAGE_DEBIAN_SUITE:-}"
if [ -z "$mirror" ] || [ -z "$suite" ]; then
  src="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^URIs:/ { uri=$2 } /^Suites:/ { s=$2 }
    /^$/ { if (uri ~ /\/debian\/?$/ && s != "") { print uri, s; exit } uri=""; s="" }
    END { if (uri ~ /\/debian\/?$/ && s != "") print uri, s }' | head -1)"
  [ -z "$src" ] && src="$(grep -hE '^deb\s+(\[[^]]*\]\s+)?https?://\S+/debian/?\s' /etc/apt/sources.list 2>/dev/null | head -1 |
    sed -E 's/^deb\s+(\[[^]]*\]\s+)?(\S+)\s+(\S+).*/\2 \3/')"
  [ -z "$mirror" ] && mirror="${src%% *}"
  [ -z "$suite" ] && suite="${src##* }"
  [ -n "$mirror" ] || mirror="http://deb.debian.org/debian"
  [ -n "$suite" ] || suite="bookworm"
fi
case "$suite" in *-*) suite="${suite%%-*}" ;; esac # bookworm-updates → bookworm

HASH="$( (cat "${BASH_SOURCE[0]}"; echo "$COMMON $suite") | sha256sum | cut -c1-16)"
hash_of() { (echo "$HASH $1"; packages "$1") | sha256sum | cut -c1-16; }
image_of() { echo "$REPO:bookworm-$1-$(hash_of "$1")"; }

todo=""
for f in $FLAVORS; do
  have="$(docker image inspect -f '{{ index .Config.Labels "org.audit-image.engine.hash" }}' "$(image_of "$f")" 2>/dev/null || true)"
  if [ "$FORCE" = 0 ] && [ "$have" = "$(hash_of "$f")" ]; then
    log "$(image_of "$f") is up to date"
  else
    todo="$todo $f"
  fi
done

mkdir -p "$STAGE/debian-real-debs"
ROOT="$STAGE/debian-real-root-$HASH"
cleanup() {
  for d in "$ROOT" "$STAGE"/debian-real-rootfs-*; do
    [ -d "$d/proc" ] && mountpoint -q "$d/proc" && umount "$d/proc"
  done
  true
}
trap cleanup EXIT

made_root=0
make_root() { # debootstrap, once per run, for the flavors whose tarball is missing
  [ "$made_root" = 1 ] && return 0
  if ! command -v debootstrap >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "apt-get install debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2; } ||
        skip "debootstrap is not installed and could not be installed"
    else
      skip "debootstrap is not installed (and this is not root with apt-get)"
    fi
  fi
  [ "$(id -u)" = 0 ] || skip "debootstrap needs root"
  if command -v curl >/dev/null; then
    curl -fsSI --max-time 15 "$mirror/dists/$suite/Release" >/dev/null 2>&1 || skip "the Debian mirror $mirror does not answer for $suite"
  elif command -v wget >/dev/null; then
    wget -q --spider --timeout=15 "$mirror/dists/$suite/Release" || skip "the Debian mirror $mirror does not answer for $suite"
  fi # neither: debootstrap's own download says whether the mirror answers
  rm -rf "$ROOT"
  local t0
  t0=$(date +%s)
  log "debootstrap --variant=minbase $suite from $mirror"
  if ! debootstrap --variant=minbase --cache-dir="$STAGE/debian-real-debs" --include="$COMMON" "$suite" "$ROOT" "$mirror" >"$STAGE/debootstrap.log" 2>&1; then
    tail -5 "$STAGE/debootstrap.log" >&2
    rm -rf "$ROOT"
    skip "debootstrap failed (log: $STAGE/debootstrap.log)"
  fi
  # apt-get in the flavors' roots: services are not started (policy-rc.d); the package lists are fetched once
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d" && chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  chroot "$ROOT" apt-get update -qq >>"$STAGE/debootstrap.log" 2>&1 || skip "apt-get update in the new root failed (log: $STAGE/debootstrap.log)"
  log "root made in $(($(date +%s) - t0)) s"
  made_root=1
}

for f in $todo; do
  h="$(hash_of "$f")"
  tarball="$STAGE/debian-$f-$suite-$h.tar"
  image="$(image_of "$f")"
  if [ "$FORCE" = 1 ] || [ ! -s "$tarball" ]; then
    make_root
    t0=$(date +%s)
    rootfs="$STAGE/debian-real-rootfs-$f"
    rm -rf "$rootfs"
    cp -a "$ROOT" "$rootfs"
    cp "$STAGE"/debian-real-debs/*.deb "$rootfs/var/cache/apt/archives/" 2>/dev/null || true
    mount -t proc proc "$rootfs/proc"
    ok=1
    # shellcheck disable=SC2046 # the package list is split on purpose
    chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(packages "$f") \
      >>"$STAGE/debootstrap.log" 2>&1 || ok=0
    umount "$rootfs/proc"
    cp -n "$rootfs"/var/cache/apt/archives/*.deb "$STAGE/debian-real-debs/" 2>/dev/null || true
    if [ "$ok" = 0 ]; then
      tail -5 "$STAGE/debootstrap.log" >&2
      rm -rf "$rootfs"
      skip "apt-get install $(packages "$f") failed (log: $STAGE/debootstrap.log)"
    fi
    rm -f "$rootfs/usr/sbin/policy-rc.d"
    : >"$rootfs/etc/resolv.conf"
    # trim what no fixture runs, for vfs copies every layer whole
    rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
      "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old \
      "$rootfs"/debootstrap "$rootfs"/var/lib/postgresql/15 "$rootfs"/etc/postgresql/15
    # headers, static libraries and locale sources (npm's node-gyp pulls in the -dev packages), Python packages' tests
    rm -rf "$rootfs"/usr/include "$rootfs"/usr/share/i18n "$rootfs"/usr/lib/x86_64-linux-gnu/perl/*/CORE/*.h
    find "$rootfs"/usr/lib -name '*.a' -type f -delete
    [ -d "$rootfs"/usr/lib/python3/dist-packages ] &&
      find "$rootfs"/usr/lib/python3/dist-packages -depth -type d \( -name test -o -name tests \) -exec rm -rf {} +
    # PostgreSQL's JIT (llvmjit.so, and the LLVM and Z3 libraries only it links, 130 MB): without it postgres runs
    # with JIT unavailable, and no fixture compiles queries
    rm -rf "$rootfs"/usr/lib/postgresql/*/lib/llvmjit* "$rootfs"/usr/lib/postgresql/*/lib/bitcode \
      "$rootfs"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$rootfs"/usr/lib/x86_64-linux-gnu/libz3.so*
    : >"$rootfs/etc/machine-id"
    # deterministic tar: sorted names, mtime 0, numeric owners
    tar --sort=name --mtime='@0' --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    # older tarballs of this flavor are stale
    for old in "$STAGE/debian-$f-"*.tar; do [ "$old" = "$tarball" ] || rm -f "$old"; done
    log "$f: rootfs made in $(($(date +%s) - t0)) s ($(du -h "$tarball" | cut -f1))"
  else
    log "$f: re-importing the cached rootfs $tarball"
  fi
  t0=$(date +%s)
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["bash"]' \
    -c "LABEL org.audit-image.engine.hash=$h" \
    -c "LABEL org.audit-image.engine.base=debian-$f" \
    "$tarball" "$image" >/dev/null
  docker tag "$image" "$REPO:bookworm-$f"
  log "imported $image in $(($(date +%s) - t0)) s ($(docker image inspect -f '{{ .Size }}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
done
rm -rf "$ROOT"
for f in $FLAVORS; do echo "image debian-$f: $(image_of "$f")"; done
