#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/debian/mkroot.sh ROOTDIR [DEB]     (make debian-root)
#
# The Debian root that the appliance boots from famfs: a minimal bookworm
# tree made by mmdebstrap (variant minbase plus tests/debian/packages:
# systemd as PID 1), then, in ROOTDIR (replaced):
#   1. the mmdebstrap tarball is extracted: from the cache when its key
#      matches, else made and cached;
#   2. famfs goes in from its package, DEB (default the newest
#      $BUILD/famfs_*_ARCH.deb, make deb), with the host's dpkg --root:
#      after the extraction, so the cache never depends on famfs's build;
#   3. tests/debian/customize.sh applies what the appliance needs (the
#      success unit, no getty, hostname, an empty machine-id, ...).
# The tree is owned as in the tarball (run as root: it holds setuid
# files and root-owned directories, which famfs cp -a keeps).
#
# Cache: $FAMFS_CACHE/debroot/KEY.tar.zst (FAMFS_CACHE defaults to
# /var/cache/famfs, or ~/.cache/famfs for a non-root user; "none" disables
# it), KEY = sha256 of this script, tests/debian/packages, the suite, the
# mirror, the architecture and mmdebstrap's version.  A new mirror snapshot
# with the same inputs is not a new key: delete the cache to refresh it.
# The newest DEBROOT_CACHE_KEEP (default 3) keys are kept.
#
# Environment: BUILD (default build), DEBROOT_SUITE (bookworm),
# DEBROOT_MIRROR (http://deb.debian.org/debian), FAMFS_CACHE,
# DEBROOT_CACHE_KEEP.  Installs mmdebstrap (apt-get) when it is missing.

set -euo pipefail
cd "$(dirname "$0")/../.."

ROOTDIR=${1:?usage: tests/debian/mkroot.sh ROOTDIR [DEB]}
BUILD=${BUILD:-build}
ARCH=$(dpkg --print-architecture)
DEB=${2:-}
SUITE=${DEBROOT_SUITE:-bookworm}
MIRROR=${DEBROOT_MIRROR:-http://deb.debian.org/debian}
PKGLIST=tests/debian/packages
if [ "$(id -u)" = 0 ]; then
	CACHE=${FAMFS_CACHE:-/var/cache/famfs}
else
	CACHE=${FAMFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/famfs}
fi
KEEP=${DEBROOT_CACHE_KEEP:-3}

log() { echo "  debian-root: $*"; }
die() { echo "tests/debian/mkroot.sh: error: $*" >&2; exit 1; }

# the tree holds root-owned and setuid files: only root makes it faithfully
[ "$(id -u)" = 0 ] || die "run as root (the tree keeps its owners and setuid bits)"

if ! command -v mmdebstrap >/dev/null || ! command -v zstd >/dev/null; then
	log "installing mmdebstrap and zstd (apt-get)"
	mkdir -p "$BUILD"
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		mmdebstrap zstd || { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		mmdebstrap zstd; }; } >"$BUILD/apt-mmdebstrap.log" 2>&1 ||
		die "apt-get install mmdebstrap zstd failed (see $BUILD/apt-mmdebstrap.log)"
fi

# Package names of tests/debian/packages, comma separated.
packages() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$PKGLIST" | paste -sd, -
}

compute_key() {
	{
		echo "suite $SUITE"
		echo "mirror $MIRROR"
		echo "arch $ARCH"
		echo "mmdebstrap $(mmdebstrap --version)"
		echo "packages $(packages)"
		echo "mkroot.sh"; cat tests/debian/mkroot.sh
	} | sha256sum | cut -d' ' -f1
}

# make_tarball OUT: mmdebstrap, as small as a booting systemd root can be.
# Documentation, manual pages and locales are left out by dpkg path
# excludes (they stay in the tree's dpkg.cfg.d: later installs skip them
# too); apt's lists and caches are emptied.  mmdebstrap's own log goes to
# OUT.log.
make_tarball() {
	local out=$1 t0 hook
	# $1 is the tree, expanded by mmdebstrap's hook shell
	# shellcheck disable=SC2016
	hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin'
	t0=$(date +%s)
	log "mmdebstrap $SUITE ($ARCH, minbase + $(packages)) from $MIRROR"
	if ! mmdebstrap --variant=minbase --arch="$ARCH" --include="$(packages)" \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/lintian/*' \
		--aptopt='Acquire::Languages "none"' \
		--customize-hook="$hook" \
		"$SUITE" "$out" "$MIRROR" >"$out.log" 2>&1; then
		tail -n 20 "$out.log" >&2
		die "mmdebstrap failed (see $out.log)"
	fi
	log "made $out ($(stat -c %s "$out") bytes) in $(($(date +%s) - t0)) s"
}

# --- the tarball: cached, or made now ---------------------------------------
key=$(compute_key)
if [ "$CACHE" = none ]; then
	mkdir -p "$BUILD/debian"
	tarball=$BUILD/debian/debroot.tar.zst
	make_tarball "$tarball"
else
	dir=$CACHE/debroot
	tarball=$dir/$key.tar.zst
	mkdir -p "$dir" || die "cannot make the cache directory $dir"
	# one maker per cache: a second run waits and then finds the tarball
	exec 9>"$dir/.lock"
	flock 9
	if [ -f "$tarball" ]; then
		log "from the cache: $tarball"
		touch "$tarball"
	else
		make_tarball "$dir/$key.tmp.tar.zst"
		mv "$dir/$key.tmp.tar.zst" "$tarball"
		mv "$dir/$key.tmp.tar.zst.log" "$dir/$key.log"
		log "cached as $tarball"
		# keep the newest KEEP keys (by the time of last use)
		# shellcheck disable=SC2012  # our own file names: no blanks
		for old in $(ls -1t "$dir"/*.tar.zst 2>/dev/null | tail -n +$((KEEP + 1))); do
			rm -f "$old" "${old%.tar.zst}.log"
		done
	fi
fi

# --- the tree -----------------------------------------------------------------
if [ -z "$DEB" ]; then
	# shellcheck disable=SC2012  # make deb's names: no blanks
	DEB=$(ls -1t "$BUILD"/famfs_*_"$ARCH".deb 2>/dev/null | head -n 1 || true)
	[ -n "$DEB" ] || die "no $BUILD/famfs_*_$ARCH.deb: run make deb"
fi
[ -f "$DEB" ] || die "no package $DEB"
t0=$(date +%s)
rm -rf "$ROOTDIR"
mkdir -p "$ROOTDIR"
tar --zstd -xpf "$tarball" -C "$ROOTDIR" --numeric-owner \
	--xattrs --xattrs-include='*' ||
	die "cannot extract $tarball into $ROOTDIR"
# dpkg --root runs no maintainer script of famfs (it has none) and keeps
# the tree's package database right: famfs is a listed package there.
dpkg --root="$ROOTDIR" --force-script-chrootless --log=/dev/null -i "$DEB" \
	>"$ROOTDIR.dpkg.log" 2>&1 ||
	{ cat "$ROOTDIR.dpkg.log" >&2; die "dpkg --root=$ROOTDIR -i $DEB failed"; }
[ -x "$ROOTDIR/usr/sbin/famfs" ] || die "$DEB did not install /usr/sbin/famfs into $ROOTDIR"
tests/debian/customize.sh "$ROOTDIR" || die "tests/debian/customize.sh $ROOTDIR failed"
log "$ROOTDIR: $(du -sm "$ROOTDIR" | cut -f1) MiB, $(find "$ROOTDIR" | wc -l) entries, famfs from $(basename "$DEB"), in $(($(date +%s) - t0)) s"
