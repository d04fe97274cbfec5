#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel/build.sh - build the famfs test kernel: Debian's linux-source-6.12
# plus kernel/patches (series order), configured from tinyconfig plus
# kernel/config.fragment (and kernel/config.debug for the debug flavour).
#
# Flavours (KERNEL_FLAVOR):
#   main    (default) tinyconfig + config.fragment      -> build/kernel
#   debug   tinyconfig + config.fragment + config.debug -> build/kernel-debug
#           (Debian's fuse/dax/CXL options, KASAN, lockdep, DEBUG_VM; make
#           kernel-debug).  Same source and patches; its own src/ and obj/
#           under its OUT, so the two flavours never share a tree.
#
#   kernel/build.sh [build]   build build/kernel/bzImage and build/kernel/.config
#   kernel/build.sh prepare   extract + patch only (build/kernel/src)
#   kernel/build.sh key       print the cache key
#   kernel/build.sh clean     remove build/kernel
#   kernel/build.sh export [TREE]
#                             regenerate kernel/patches from the commits of a
#                             development tree (default build/kernel/dev, a
#                             git worktree of src/ on branch "famfs") on top
#                             of its "pristine" tag
#
# Layout (all under build/kernel):
#   src/      pristine tarball tree, a git repo whose first commit is the
#             pristine tree; the patches are applied on top, uncommitted
#   obj/      the out-of-tree build (O=), kept for incremental builds
#   bzImage   the result; .config its configuration
#   KEY       cache key of the last successful build
#
# Cache: KEY = sha256 of the flavour, the linux-source version, its config
# fragments, the series
# file and every patch it names, this script, the canonical parser sources in
# kernel/src (they must equal the copy a patch adds to fs/fuse) and the
# compiler version.  When KEY matches, the script does nothing.  When the
# patches change, src/ is reset to its pristine commit ("git reset --hard;
# git clean -fdx" restores exactly the tarball contents, so a removed patch
# is really gone) and the series is re-applied; obj/ is kept, so make only
# rebuilds what the changed files touch.  A new tarball version re-extracts.
#
# Outside the clone: a finished build is also kept in
# $FAMFS_CACHE/kernel/KEY/ (bzImage and .config; FAMFS_CACHE defaults to
# /var/cache/famfs, or ~/.cache/famfs for a non-root user), so a fresh clone
# (CI) with the same inputs copies it instead of building: the key covers
# every input, so a hit is the same kernel.  Both flavours share the
# directory; the newest KERNEL_CACHE_KEEP (default 8: the current key of
# each flavour and a few older ones) keys are kept.  FAMFS_CACHE=none
# disables it.
#
# Environment: KERNEL_FLAVOR (main or debug), JOBS (default nproc),
# KERNEL_OUT (default build/kernel or build/kernel-debug), FAMFS_CACHE,
# KERNEL_CACHE_KEEP.

set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
FLAVOR=${KERNEL_FLAVOR:-main}
case $FLAVOR in
main)	FRAGMENTS="$ROOT/kernel/config.fragment"
	DEFAULT_OUT=build/kernel ;;
debug)	FRAGMENTS="$ROOT/kernel/config.fragment $ROOT/kernel/config.debug"
	DEFAULT_OUT=build/kernel-debug ;;
*)	echo "kernel/build.sh: error: KERNEL_FLAVOR=$FLAVOR: not main or debug" >&2
	exit 2 ;;
esac
OUT=${KERNEL_OUT:-$DEFAULT_OUT}
case $OUT in /*) ;; *) OUT=$ROOT/$OUT ;; esac
SRC=$OUT/src
OBJ=$OUT/obj
PKG=linux-source-6.12
TARBALL=/usr/src/$PKG.tar.xz
PATCHDIR=$ROOT/kernel/patches
CANON=$ROOT/kernel/src
# Canonical parser sources and where a patch puts them in the kernel tree.
CANON_FILES="famfs_fmap_parse.c famfs_fmap_parse.h"
CANON_DEST=fs/fuse
JOBS=${JOBS:-$(nproc)}
if [ "$(id -u)" = 0 ]; then
	CACHE=${FAMFS_CACHE:-/var/cache/famfs}
else
	CACHE=${FAMFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/famfs}
fi
CACHE_KEEP=${KERNEL_CACHE_KEEP:-8}
# Fragment options that only exist once our patches are applied.
PATCH_ONLY_OPTS="FUSE_FAMFS_DAX DEV_DAX_FSDEV"

log() { echo "  kernel: $*"; }
die() { echo "kernel/build.sh: error: $*" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
NEEDED_PKGS="$PKG bc bison flex libelf-dev libssl-dev cpio xz-utils git patch \
make gcc"

ensure_packages() {
	local missing="" p
	for p in $NEEDED_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	log "installing:$missing"
	[ "$(id -u)" = 0 ] || die "need root to apt-get install:$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing \
		>"$OUT/apt.log" 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get update -q \
			>>"$OUT/apt.log" 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing \
			>>"$OUT/apt.log" 2>&1 ||
			{ tail -20 "$OUT/apt.log" >&2; die "apt-get install failed"; }
	}
}

src_version() {
	dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null || true
}

# --- series -----------------------------------------------------------------
# Patch file names from kernel/patches/series (comments and blanks skipped).
series() {
	[ -f "$PATCHDIR/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$PATCHDIR/series"
}

check_series() {
	local p
	for p in $(series); do
		[ -f "$PATCHDIR/$p" ] || die "series names missing patch $p"
	done
	for p in "$PATCHDIR"/*.patch; do
		[ -e "$p" ] || continue
		series | grep -qxF "$(basename "$p")" ||
			die "$(basename "$p") is not listed in kernel/patches/series"
	done
}

# --- cache key --------------------------------------------------------------
compute_key() {
	local p f
	{
		echo "flavour $FLAVOR"
		echo "version $(src_version)"
		echo "compiler $(gcc --version | head -1)"
		for f in $FRAGMENTS; do
			echo "fragment $(basename "$f")"; cat "$f"
		done
		echo "build.sh"; cat "$ROOT/kernel/build.sh"
		echo "series"; series
		for p in $(series); do
			echo "patch $p"; cat "$PATCHDIR/$p"
		done
		for f in $CANON_FILES; do
			echo "canon $f"
			if [ -f "$CANON/$f" ]; then cat "$CANON/$f"; fi
		done
	} | sha256sum | cut -d' ' -f1
}

patches_key() {
	local p
	{
		echo "version $(src_version)"
		series
		for p in $(series); do cat "$PATCHDIR/$p"; done
	} | sha256sum | cut -d' ' -f1
}

# --- source tree ------------------------------------------------------------
extract() {
	local ver=$1 tmp=$OUT/extract.tmp
	log "extracting $TARBALL ($ver)"
	rm -rf "$SRC" "$OBJ" "$tmp"
	mkdir -p "$tmp"
	tar -xf "$TARBALL" -C "$tmp"
	[ -d "$tmp/$PKG" ] || die "unexpected tarball layout (no $PKG/)"
	mv "$tmp/$PKG" "$SRC"
	rmdir "$tmp"
	# A pristine commit lets us return to the tarball state exactly.
	# The kernel's own .gitignore files would hide some tarball files
	# from "git add", so force-add everything.
	log "recording the pristine tree (git)"
	git -C "$SRC" init -q
	git -C "$SRC" config user.email famfs-build@localhost
	git -C "$SRC" config user.name "famfs build"
	git -C "$SRC" config core.autocrlf false
	# No "git gc --auto" in the background: it would repack the whole
	# tree while holding our lock file (an inherited descriptor).
	git -C "$SRC" config gc.auto 0
	git -C "$SRC" add -A -f .
	git -C "$SRC" commit -q --no-verify -m "pristine $PKG $ver"
	git -C "$SRC" tag -f pristine >/dev/null
	echo "$ver" >"$OUT/SRC_VERSION"
	rm -f "$OUT/PATCHES_KEY"
}

apply_patches() {
	local p n=0
	log "resetting src/ to pristine"
	git -C "$SRC" reset -q --hard pristine
	git -C "$SRC" clean -q -fdx
	for p in $(series); do
		n=$((n + 1))
		patch -d "$SRC" -p1 -s -N --fuzz=0 --no-backup-if-mismatch \
			-i "$PATCHDIR/$p" >"$OUT/patch.log" 2>&1 ||
			{ cat "$OUT/patch.log" >&2; die "patch $p does not apply"; }
	done
	log "applied $n patch(es)"
}

# The parser must be byte-identical in kernel/src (what the userspace unit
# test compiles) and in the patched kernel tree.
check_canon() {
	local f
	for f in $CANON_FILES; do
		[ -f "$SRC/$CANON_DEST/$f" ] || continue
		cmp -s "$CANON/$f" "$SRC/$CANON_DEST/$f" ||
			die "kernel/src/$f differs from $CANON_DEST/$f in the patches; regenerate the patch (see kernel/README.md)"
	done
}

prepare() {
	local ver pk
	ver=$(src_version)
	[ -n "$ver" ] && [ -f "$TARBALL" ] || die "$TARBALL missing"
	if [ ! -d "$SRC/.git" ] || [ "$(cat "$OUT/SRC_VERSION" 2>/dev/null)" != "$ver" ]; then
		extract "$ver"
	fi
	pk=$(patches_key)
	if [ "$(cat "$OUT/PATCHES_KEY" 2>/dev/null)" != "$pk" ]; then
		rm -f "$OUT/PATCHES_KEY"
		apply_patches
		echo "$pk" >"$OUT/PATCHES_KEY"
	fi
	check_canon
}

# --- configuration ----------------------------------------------------------
has_symbol() {
	grep -rqs --include='Kconfig*' -E "^[[:space:]]*(menu)?config[[:space:]]+$1\$" "$SRC"
}

configure() {
	local f names=""
	for f in $FRAGMENTS; do names="$names + kernel/$(basename "$f")"; done
	log "configuring (tinyconfig$names)"
	mkdir -p "$OBJ"
	make -s -C "$SRC" O="$OBJ" tinyconfig >"$OUT/config.log" 2>&1 ||
		{ cat "$OUT/config.log" >&2; die "make tinyconfig failed"; }
	# shellcheck disable=SC2086 # one word per fragment path
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" \
		$FRAGMENTS >>"$OUT/config.log" 2>&1 ||
		{ cat "$OUT/config.log" >&2; die "merge_config.sh failed"; }
	make -s -C "$SRC" O="$OBJ" olddefconfig >>"$OUT/config.log" 2>&1 ||
		{ cat "$OUT/config.log" >&2; die "make olddefconfig failed"; }
}

# Every "CONFIG_X=y" of the fragments must be =y in the result, and every
# "# CONFIG_X is not set" must not be set; a patch-only option is skipped
# while no Kconfig defines it (an unpatched tree).
verify_config() {
	local f opt bad="" on=""
	for f in $FRAGMENTS; do
		for opt in $(sed -n 's/^CONFIG_\([A-Za-z0-9_]*\)=y[[:space:]]*$/\1/p' "$f"); do
			if grep -qx "CONFIG_$opt=y" "$OBJ/.config"; then
				continue
			fi
			case " $PATCH_ONLY_OPTS " in
			*" $opt "*) has_symbol "$opt" || continue ;;
			esac
			bad="$bad CONFIG_$opt($(basename "$f"))"
		done
		for opt in $(sed -n 's/^# CONFIG_\([A-Za-z0-9_]*\) is not set[[:space:]]*$/\1/p' "$f"); do
			grep -qE "^CONFIG_$opt=[ym]" "$OBJ/.config" &&
				on="$on CONFIG_$opt($(basename "$f"))"
		done
	done
	[ -z "$bad" ] || die "required option(s) not =y after olddefconfig:$bad (a dependency is missing in that fragment)"
	[ -z "$on" ] || die "option(s) a fragment turns off are on after olddefconfig:$on (something selects them)"
}

# --- export -----------------------------------------------------------------
# The parser is written in kernel/src (canonical, compiled by the userspace
# unit test); copy it into the development tree before committing there.
# Export refuses a tree whose copy differs.
do_export() {
	local tree=${1:-$OUT/dev} f n
	[ -d "$tree" ] && git -C "$tree" rev-parse -q --verify pristine >/dev/null ||
		die "$tree is not a git tree with a pristine tag"
	[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
		die "$tree has uncommitted changes"
	for f in $CANON_FILES; do
		cmp -s "$CANON/$f" "$tree/$CANON_DEST/$f" ||
			die "kernel/src/$f differs from $tree/$CANON_DEST/$f"
	done
	rm -f "$PATCHDIR"/*.patch
	mkdir -p "$PATCHDIR"
	git -C "$tree" format-patch -q --no-signature --zero-commit \
		-o "$PATCHDIR" pristine..HEAD
	{
		echo "# famfs patches for linux-source-6.12, applied in this order"
		echo "# by kernel/build.sh (generated by kernel/build.sh export)"
		(cd "$PATCHDIR" && ls -1 -- *.patch)
	} >"$PATCHDIR/series"
	n=$(series | wc -l)
	log "exported $n patch(es) to kernel/patches"
}

# --- the cache outside the clone -----------------------------------------------
# cache_get KEY: install a cached build of KEY into $OUT; 1 when there is none
cache_get() {
	local d=$CACHE/kernel/$1
	[ "$CACHE" != none ] && [ -f "$d/bzImage" ] && [ -f "$d/.config" ] &&
		[ "$(cat "$d/KEY" 2>/dev/null)" = "$1" ] || return 1
	cp "$d/bzImage" "$OUT/bzImage.tmp" && cp "$d/.config" "$OUT/.config" &&
		mv "$OUT/bzImage.tmp" "$OUT/bzImage" || return 1
	echo "$1" >"$OUT/KEY"
	touch "$d/KEY"
	log "from the cache: $d ($(stat -c %s "$OUT/bzImage") bytes)"
}

# cache_put KEY: keep this build; a cache that cannot be written is only
# a slower next build, never a failure
cache_put() {
	local d=$CACHE/kernel/$1 old
	[ "$CACHE" != none ] || return 0
	mkdir -p "$d.tmp" 2>/dev/null &&
		cp "$OUT/bzImage" "$OUT/.config" "$OUT/KEY" "$d.tmp/" &&
		rm -rf "$d" && mv "$d.tmp" "$d" ||
		{ log "cannot write the cache $CACHE/kernel (skipped)"; return 0; }
	log "cached as $d"
	# keep the newest CACHE_KEEP keys (by the time of last use)
	for old in $(ls -1dt "$CACHE"/kernel/*/ 2>/dev/null | tail -n +$((CACHE_KEEP + 1))); do
		rm -rf "$old"
	done
}

# --- build ------------------------------------------------------------------
fragments_present() {
	local f
	for f in $FRAGMENTS; do [ -f "$f" ] || return 1; done
}

do_build() {
	local key t0 t1
	mkdir -p "$OUT"
	exec 9>"$OUT/.lock"
	flock 9
	if [ -f "$OUT/KEY" ] && [ -f "$OUT/bzImage" ] && [ -f "$OUT/.config" ] &&
	   fragments_present && [ -n "$(src_version)" ]; then
		check_series
		key=$(compute_key)
		if [ "$(cat "$OUT/KEY")" = "$key" ]; then
			log "up to date ($OUT/bzImage)"
			return 0
		fi
	fi
	t0=$(date +%s)
	[ -n "$(src_version)" ] || ensure_packages
	fragments_present || die "a config fragment is missing:$FRAGMENTS"
	check_series
	key=$(compute_key)
	rm -f "$OUT/KEY"
	cache_get "$key" && return 0
	# One kernel build at a time per clone, whatever the flavour: each
	# takes every core (JOBS); two at once only thrash.
	mkdir -p "$ROOT/build"
	exec 8>"$ROOT/build/.kernel-build.lock"
	if ! flock -n 8; then
		log "waiting for another kernel build of this clone to finish"
		flock 8
	fi
	ensure_packages
	prepare
	configure
	verify_config
	log "building bzImage with -j$JOBS (log: $OUT/build.log)"
	if ! make -C "$SRC" O="$OBJ" -j"$JOBS" LOCALVERSION= bzImage >"$OUT/build.log" 2>&1; then
		grep -E 'error|Error' "$OUT/build.log" | head -20 >&2 || true
		tail -30 "$OUT/build.log" >&2
		die "kernel build failed (see $OUT/build.log)"
	fi
	cp "$OBJ/arch/x86/boot/bzImage" "$OUT/bzImage.tmp"
	mv "$OUT/bzImage.tmp" "$OUT/bzImage"
	cp "$OBJ/.config" "$OUT/.config"
	echo "$key" >"$OUT/KEY"
	t1=$(date +%s)
	log "built $OUT/bzImage ($FLAVOR, $(stat -c %s "$OUT/bzImage") bytes) in $((t1 - t0)) s"
	cache_put "$key"
}

case ${1:-build} in
build)	do_build ;;
prepare)
	mkdir -p "$OUT"
	exec 9>"$OUT/.lock"
	flock 9
	ensure_packages
	check_series
	prepare
	;;
key)	check_series; compute_key ;;
export)	do_export "${2:-}" ;;
clean)	rm -rf "$OUT" ;;
*)	echo "usage: $0 [build|prepare|key|clean|export [TREE]]" >&2; exit 2 ;;
esac
