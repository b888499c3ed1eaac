#!/usr/bin/env bash
# engine/real-base.sh [--force]
#
# A real Debian base for the engine tier: a minbase root filesystem made with debootstrap, holding the real
# programs (nginx-light, redis-server, supervisor, python3, nodejs, tini, dumb-init, gosu, busybox, procps,
# bash), trimmed (apt lists and caches, docs, man pages, locales) and imported with `docker import` as
#
#   audit-image-debian:bookworm-real
#
# A fixture runs on it when its expected.json has "options": { "engineBase": "debian-real" }: the tier then
# builds it with every FROM of a Debian-like reference (debian:*, the catalog's debian-like bases) replaced
# by this image, while the analysis still reads the Dockerfile as written (see engine/README.md).
#
# Cached twice: the image carries the label org.audit-image.engine.hash (sha256 of this script and the
# package list), so an up-to-date image is skipped; the trimmed rootfs tarball stays in $DIR/stage (CI can
# cache that file), so a fresh daemon re-imports it without running debootstrap again.
#
# Skipped, with a line saying why and exit 0, when debootstrap is missing and cannot be installed, or the
# mirror does not answer: the tier then skips the fixtures that need this base, visibly.
# The suite and mirror are the ones this machine's apt uses (/etc/apt/sources.list*), else bookworm on
# deb.debian.org; AUDIT_IMAGE_DEBIAN_MIRROR and AUDIT_IMAGE_DEBIAN_SUITE override them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${AUDIT_IMAGE_ENGINE_DIR:-/tmp/audit-image-engine}"
STAGE="$DIR/stage"
TAG="audit-image-debian:bookworm-real"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
: "${DOCKER_HOST:=unix://$DIR/docker.sock}"
export DOCKER_HOST
PACKAGES="nginx-light,redis-server,supervisor,python3,nodejs,tini,dumb-init,gosu,busybox,procps,bash"

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

HASH="$( (cat "${BASH_SOURCE[0]}"; echo "$PACKAGES $suite") | sha256sum | cut -c1-16)"
TARBALL="$STAGE/debian-real-$suite-$HASH.tar"

have="$(docker image inspect -f '{{ index .Config.Labels "org.audit-image.engine.hash" }}' "$TAG" 2>/dev/null || true)"
if [ "$FORCE" = 0 ] && [ "$have" = "$HASH" ]; then
  log "$TAG is up to date ($HASH)"
  exit 0
fi

mkdir -p "$STAGE"
if [ "$FORCE" = 1 ] || [ ! -s "$TARBALL" ]; then
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
  ROOTFS="$STAGE/debian-real-rootfs"
  rm -rf "$ROOTFS"
  t0=$(date +%s)
  log "debootstrap --variant=minbase $suite from $mirror (about 2 minutes)"
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$suite" "$ROOTFS" "$mirror" >"$STAGE/debootstrap.log" 2>&1; then
    tail -5 "$STAGE/debootstrap.log" >&2
    rm -rf "$ROOTFS"
    skip "debootstrap failed (log: $STAGE/debootstrap.log)"
  fi
  # trim what no fixture runs, for vfs copies every layer whole
  rm -rf "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* \
    "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/cache/debconf/*-old \
    "$ROOTFS"/debootstrap
  : >"$ROOTFS/etc/machine-id"
  # deterministic tar: sorted names, mtime 0, numeric owners
  tar --sort=name --mtime='@0' --numeric-owner -C "$ROOTFS" -cf "$TARBALL.tmp" .
  mv "$TARBALL.tmp" "$TARBALL"
  rm -rf "$ROOTFS"
  # older tarballs of this base are stale
  for f in "$STAGE"/debian-real-*.tar; do [ "$f" = "$TARBALL" ] || rm -f "$f"; done
  log "rootfs made in $(($(date +%s) - t0)) s ($(du -h "$TARBALL" | cut -f1))"
else
  log "re-importing the cached rootfs $TARBALL"
fi

t0=$(date +%s)
docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'CMD ["bash"]' \
  -c "LABEL org.audit-image.engine.hash=$HASH" \
  -c "LABEL org.audit-image.engine.base=debian-real" \
  "$TARBALL" "$TAG" >/dev/null
log "imported $TAG in $(($(date +%s) - t0)) s"
