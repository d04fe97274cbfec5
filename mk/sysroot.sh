#!/usr/bin/env bash
# mk/sysroot.sh BUILD_DIR -- build the static musl (x86_64) libraries famfs
# links against into BUILD_DIR/sysroot:
#
#   include/fuse3/*.h  lib/libfuse3.a   libfuse3 from `apt-get source fuse3`
#   include/uuid/uuid.h lib/libuuid.a   libuuid from `apt-get source util-linux`
#   include/ini.h      lib/libinih.a    inih from `apt-get source libinih`
#   kinc/{linux,asm,asm-generic}        symlinks to the Debian kernel headers
#   flags.mk                            SYSROOT_CFLAGS / SYSROOT_LIBS for make
#   .stamp                              source versions + hash of this script
#
# When .stamp matches the source versions apt offers and this script's hash,
# the script exits at once without touching anything.  Sources are fetched
# and built in BUILD_DIR/deps-src/ (downloads are kept for rebuilds; build
# logs are in BUILD_DIR/deps-src/logs/).  Needs the packages and deb-src
# entries that mk/install-deps.sh sets up.
#
# inih keeps Debian's compile-time settings.  If the libinih source cannot
# be downloaded, Debian's build of the same version (libinih.a from the
# libinih-dev .deb) is used, after checking musl defines what it needs.
set -euo pipefail

PROG=sysroot
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	die "usage: mk/sysroot.sh BUILD_DIR"
fi

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
mkdir -p "$1"
B=$(cd "$1" && pwd)
SYS=$B/sysroot
WORK=$B/deps-src

SRC_PKGS=(fuse3 util-linux libinih)

# Serialise concurrent runs (e.g. parallel make).  ">>" so that the fast
# path does not even modify the lock file.
exec 9>>"$B/.sysroot.lock"
if ! flock -n 9; then
	log "waiting for $B/.sysroot.lock"
	flock 9
fi

# ------------------------------------------------------------ versions --

# Newest version apt offers for each source package, as "pkg=version" lines.
source_versions() {
	local out pkg p ver best
	out=$(apt-cache showsrc --only-source "${SRC_PKGS[@]}" 2>/dev/null |
		awk '/^Package: /{p=$2} /^Version: /{print p, $2}') || true
	for pkg in "${SRC_PKGS[@]}"; do
		best=
		while read -r p ver; do
			[ "$p" = "$pkg" ] || continue
			if [ -z "$best" ] || dpkg --compare-versions "$ver" gt "$best"; then
				best=$ver
			fi
		done <<<"$out"
		[ -n "$best" ] || return 1
		printf '%s=%s\n' "$pkg" "$best"
	done
}

tool_key() {
	printf 'musl=%s\n' "$(dpkg-query -W -f='${Version}' musl-dev 2>/dev/null || echo none)"
	printf 'script=%s\n' "$(sha256sum <"$SCRIPT" | cut -d' ' -f1)"
}

sysroot_complete() {
	local f
	for f in lib/libfuse3.a lib/libuuid.a lib/libinih.a include/fuse3/fuse_lowlevel.h \
		include/uuid/uuid.h include/ini.h kinc/linux/types.h flags.mk; do
		[ -e "$SYS/$f" ] || return 1
	done
}

if versions=$(source_versions); then
	key="$versions"$'\n'"$(tool_key)"
	if [ -f "$SYS/.stamp" ] && [ "$(cat "$SYS/.stamp")" = "$key" ] && sysroot_complete; then
		exit 0
	fi
else
	# No deb-src indexes (apt lists cleaned?): keep a sysroot this very
	# script built, otherwise ask for mk/install-deps.sh.
	if [ -f "$SYS/.stamp" ] && sysroot_complete &&
		[ "$(grep -E '^(musl|script)=' "$SYS/.stamp")" = "$(tool_key)" ]; then
		log "warning: apt knows no source versions (run mk/install-deps.sh); keeping existing sysroot"
		exit 0
	fi
	die "apt has no source package for one of: ${SRC_PKGS[*]} -- run mk/install-deps.sh (as root) first"
fi

# ------------------------------------------------------------- helpers --

ver_of() { sed -n "s/^$1=//p" <<<"$versions"; }
FUSE_VER=$(ver_of fuse3)
UL_VER=$(ver_of util-linux)
INIH_VER=$(ver_of libinih)

for t in musl-gcc meson ninja dpkg-source ar file cc; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found -- run mk/install-deps.sh (as root) first"
done

# Called from make, the environment may carry the caller's build settings
# (MAKEFLAGS even holds command-line overrides such as CFLAGS=...): keep
# them out of the dependency builds.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES GNUMAKEFLAGS MAKELEVEL \
	CPPFLAGS LDFLAGS LIBS CXX CXXFLAGS DESTDIR

START=$(date +%s)
NEW=$B/sysroot.new
LOGS=$WORK/logs
JOBS=$(nproc 2>/dev/null || echo 2)
mkdir -p "$WORK" "$LOGS"
rm -rf "$NEW"
mkdir -p "$NEW/include" "$NEW/lib"

# run LOGNAME CMD...: run CMD with output to $LOGS/LOGNAME.log; on failure
# show the end of the log and stop.
run() {
	local name=$1
	shift
	if ! "$@" >>"$LOGS/$name.log" 2>&1; then
		tail -n 40 "$LOGS/$name.log" >&2
		die "$name failed (full log: $LOGS/$name.log)"
	fi
}

# fetch PKG VERSION: download the Debian source package (kept across runs)
# and unpack it, Debian patches applied, into $WORK/src-PKG.  Returns 1 if
# the download fails.
fetch() {
	local pkg=$1 ver=$2 dsc
	dsc=${pkg}_${ver#*:}.dsc
	if [ ! -f "$WORK/$dsc" ]; then
		# Drop downloads of other versions of this package.
		find "$WORK" -maxdepth 1 -type f -name "${pkg}_*" -delete
	fi
	: >"$LOGS/fetch-$pkg.log"
	log "fetching source $pkg $ver"
	# APT::Sandbox::User=root: the download directory is root's, so do not
	# drop to _apt (that only produces a warning as root).
	if ! (cd "$WORK" && apt-get -q -o APT::Sandbox::User=root source \
		--download-only --only-source "$pkg=$ver") >>"$LOGS/fetch-$pkg.log" 2>&1; then
		return 1
	fi
	rm -rf "$WORK/src-$pkg"
	run "fetch-$pkg" dpkg-source -x "$WORK/$dsc" "$WORK/src-$pkg"
}

# ---------------------------------------------------------------- kinc --

# Kernel UAPI headers for musl-gcc (whose include path is musl's only).
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || true)
[ -n "$MULTIARCH" ] || MULTIARCH=x86_64-linux-gnu
for d in /usr/include/linux /usr/include/asm-generic "/usr/include/$MULTIARCH/asm"; do
	[ -f "$d/types.h" ] || die "$d/types.h missing -- run mk/install-deps.sh (linux-libc-dev)"
done
mkdir -p "$NEW/kinc"
ln -s /usr/include/linux "$NEW/kinc/linux"
ln -s /usr/include/asm-generic "$NEW/kinc/asm-generic"
ln -s "/usr/include/$MULTIARCH/asm" "$NEW/kinc/asm"
KINC=$NEW/kinc

export CC=musl-gcc
export CFLAGS="-O2 -g0 -ffunction-sections -fdata-sections -isystem $KINC"
# Keep the host's (glibc) .pc files out of the musl build.
mkdir -p "$WORK/no-pkgconfig"
export PKG_CONFIG_LIBDIR=$WORK/no-pkgconfig PKG_CONFIG_PATH=

# ------------------------------------------------------------- libfuse3 --

fetch fuse3 "$FUSE_VER" || {
	tail -n 5 "$LOGS/fetch-fuse3.log" >&2
	die "cannot download source fuse3=$FUSE_VER (log: $LOGS/fetch-fuse3.log)"
}
log "building libfuse3 $FUSE_VER"
rm -rf "$WORK/build-fuse3" "$WORK/stage-fuse3"
: >"$LOGS/fuse3.log"
# disable-libc-symbol-version: plain symbol names, nothing versioned, as
# suits a static archive linked with musl.
run fuse3 meson setup "$WORK/build-fuse3" "$WORK/src-fuse3" \
	--prefix=/usr --libdir=lib --includedir=include \
	-Doptimization=2 -Ddebug=false -Dstrip=false \
	-Ddefault_library=static -Dexamples=false -Dutils=false -Dtests=false \
	-Ddisable-libc-symbol-version=true -Dinitscriptdir= -Duseroot=false
run fuse3 ninja -C "$WORK/build-fuse3" -j "$JOBS"
run fuse3 meson install -C "$WORK/build-fuse3" --no-rebuild --destdir "$WORK/stage-fuse3"
[ -f "$WORK/stage-fuse3/usr/lib/libfuse3.a" ] || die "libfuse3.a was not built (log: $LOGS/fuse3.log)"
cp -a "$WORK/stage-fuse3/usr/include/fuse3" "$NEW/include/fuse3"
cp "$WORK/stage-fuse3/usr/lib/libfuse3.a" "$NEW/lib/"

# -------------------------------------------------------------- libuuid --

fetch util-linux "$UL_VER" || {
	tail -n 5 "$LOGS/fetch-util-linux.log" >&2
	die "cannot download source util-linux=$UL_VER (log: $LOGS/fetch-util-linux.log)"
}
log "building libuuid (util-linux $UL_VER)"
UL=$WORK/src-util-linux
# Debian's patches touch configure.ac: give every autotools output one
# timestamp newer than all sources so make does not try to re-run
# aclocal/autoconf/automake (not installed, not needed).
touch "$WORK/.autotools-ref"
find "$UL" \( -name configure -o -name aclocal.m4 -o -name Makefile.in -o -name config.h.in \) \
	-exec touch -r "$WORK/.autotools-ref" {} +
: >"$LOGS/util-linux.log"
# shellcheck disable=SC2016 # $1/$@ belong to the inner sh
run util-linux sh -c 'cd "$1" && shift && ./configure "$@"' sh "$UL" \
	--prefix=/usr --disable-shared --enable-static \
	--disable-all-programs --enable-libuuid \
	--disable-libblkid --disable-libmount --disable-libsmartcols --disable-libfdisk \
	--disable-nls --disable-rpath --disable-asciidoc --disable-poman \
	--disable-bash-completion --disable-makeinstall-chown --disable-makeinstall-setuid \
	--disable-dependency-tracking \
	--without-systemd --without-udev --without-python --without-readline \
	--without-ncursesw --without-ncurses --without-tinfo --without-slang \
	--without-cap-ng --without-libz --without-libmagic --without-user \
	--without-btrfs --without-econf --without-selinux --without-audit \
	--without-smack --without-utempter --without-cryptsetup
run util-linux make -C "$UL" -j "$JOBS" libuuid.la
[ -f "$UL/.libs/libuuid.a" ] || die "libuuid.a was not built (log: $LOGS/util-linux.log)"
mkdir -p "$NEW/include/uuid"
cp "$UL/libuuid/src/uuid.h" "$NEW/include/uuid/uuid.h"
cp "$UL/.libs/libuuid.a" "$NEW/lib/libuuid.a"

# ----------------------------------------------------------------- inih --

# inih is built with Debian's settings (no -D overrides), so the static musl
# binary and the glibc test build (which links the system libinih) parse
# configuration files identically.
#
# Preferred: compile ini.c from `apt-get source libinih`.  Some Debian
# mirrors carry the .dsc but not the tarballs (seen here: 404 for
# libinih_55.orig.tar.gz); then take Debian's own build of the same version,
# libinih.a from the libinih-dev .deb, and link it into the musl binary
# after checking that every symbol it needs is defined by musl's libc.a.

inih_from_deb() {
	local deb dir musl_libc sym missing=
	dir=$WORK/libinih-dev
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && apt-get download "libinih-dev=$INIH_VER") >>"$LOGS/inih.log" 2>&1 ||
		die "cannot download libinih-dev=$INIH_VER (log: $LOGS/inih.log)"
	deb=$(ls "$dir"/libinih-dev_*.deb)
	dpkg-deb -x "$deb" "$dir/x"
	[ -f "$dir/x/usr/include/ini.h" ] || die "no ini.h in $deb"
	INIH_A=$(find "$dir/x" -name libinih.a | head -n 1)
	[ -n "$INIH_A" ] || die "no libinih.a in $deb"
	# musl-gcc is a wrapper that adds -specs .../musl-gcc.specs; libc.a sits
	# beside the specs file (-print-file-name would name glibc's).
	musl_libc=$(dirname "$(grep -o '[^" ]*musl-gcc\.specs' "$(command -v musl-gcc)" | head -n 1)")/libc.a
	[ -f "$musl_libc" ] || die "cannot find musl's libc.a (looked at $musl_libc)"
	nm "$musl_libc" 2>/dev/null | awk '$2 ~ /^[TWDBR]$/ {print $3}' | sort -u >"$dir/musl.syms"
	for sym in $(nm -u "$INIH_A" | awk '$1 == "U" {print $2}'); do
		[ "$sym" = _GLOBAL_OFFSET_TABLE_ ] && continue
		grep -qxF "$sym" "$dir/musl.syms" || missing="$missing $sym"
	done
	[ -z "$missing" ] || die "Debian's libinih.a needs symbols musl lacks:$missing"
	cp "$dir/x/usr/include/ini.h" "$NEW/include/ini.h"
	cp "$INIH_A" "$NEW/lib/libinih.a"
}

: >"$LOGS/inih.log"
if fetch libinih "$INIH_VER"; then
	INIH_SRC=$WORK/src-libinih
	if [ ! -f "$INIH_SRC/ini.c" ] || [ ! -f "$INIH_SRC/ini.h" ]; then
		die "ini.c/ini.h not found in $INIH_SRC"
	fi
	INIH_IMPL="compiled from the Debian source libinih $INIH_VER"
	log "building libinih $INIH_VER"
	rm -f "$WORK/ini.o"
	# shellcheck disable=SC2086 # CFLAGS is a list of flags
	run inih "$CC" $CFLAGS -Wall -c "$INIH_SRC/ini.c" -o "$WORK/ini.o"
	run inih ar rcs "$NEW/lib/libinih.a" "$WORK/ini.o"
	cp "$INIH_SRC/ini.h" "$NEW/include/ini.h"
else
	tail -n 3 "$LOGS/fetch-libinih.log" | sed 's/^/  /' >&2
	log "libinih source $INIH_VER cannot be downloaded: using Debian's build of it (libinih-dev $INIH_VER)"
	inih_from_deb
	INIH_IMPL="Debian's libinih.a from libinih-dev $INIH_VER (source not downloadable)"
fi

# ------------------------------------------------------------- flags.mk --

{
	printf '# Generated by mk/sysroot.sh -- do not edit.\n'
	printf '# fuse3 %s, util-linux %s (libuuid), libinih %s\n' "$FUSE_VER" "$UL_VER" "$INIH_VER"
	printf '# inih: %s\n' "$INIH_IMPL"
	printf '# Paths are absolute, taken from where this file is included from.\n'
	# shellcheck disable=SC2016 # make syntax, not shell
	printf '%s\n' \
		'SYSROOT_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))' \
		'SYSROOT_CFLAGS := -isystem $(SYSROOT_DIR)/include -isystem $(SYSROOT_DIR)/include/fuse3 -isystem $(SYSROOT_DIR)/kinc' \
		'SYSROOT_LIBS := -L$(SYSROOT_DIR)/lib -lfuse3 -luuid -linih -lpthread'
} >"$NEW/flags.mk"

# --------------------------------------------------------------- verify --

log "verifying a static link against the sysroot"
CHK=$WORK/check
rm -rf "$CHK"
mkdir -p "$CHK"
cat >"$CHK/check.c" <<'EOF'
#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>
#include <uuid/uuid.h>
#include <ini.h>
#include <linux/types.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>

static int on_value(void *user, const char *section, const char *name,
		    const char *value)
{
	int *n = user;

	if (strcmp(section, "s") == 0 && strcmp(name, "k") == 0 &&
	    strcmp(value, "v") == 0)
		++*n;
	return 1;
}

int main(void)
{
	char *argv[] = { "sysroot-check", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct fuse_lowlevel_ops ops;
	struct fuse_session *se;
	uuid_t u;
	char text[37];
	__u64 ioc = BLKGETSIZE64;
	int n = 0;

	memset(&ops, 0, sizeof(ops));
	se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se)
		return 1;
	fuse_session_destroy(se);

	uuid_generate(u);
	if (uuid_is_null(u))
		return 2;
	uuid_unparse(u, text);

	if (ini_parse_string("[s]\nk = v ; comment\n", on_value, &n) != 0 || n != 1)
		return 3;
	if (ini_parse_string("[s]\nno value here\nk = v\n", on_value, &n) != 2)
		return 4;

	printf("ok %s %llx\n", text, (unsigned long long)ioc);
	return 0;
}
EOF
: >"$LOGS/check.log"
run check musl-gcc -static -Wall -Werror -O2 \
	-isystem "$NEW/include" -isystem "$NEW/include/fuse3" -isystem "$NEW/kinc" \
	"$CHK/check.c" -o "$CHK/check" -L"$NEW/lib" -lfuse3 -luuid -linih -lpthread
desc=$(file -b "$CHK/check")
case "$desc" in
*"statically linked"*) ;;
*) die "check binary is not statically linked: $desc" ;;
esac
out=$("$CHK/check" 2>&1) || die "check binary failed (exit $?): $out"
case "$out" in
"ok "*) ;;
*) die "check binary printed: $out" ;;
esac

# ----------------------------------------------------------------- done --

printf '%s\n' "$key" >"$NEW/.stamp"
rm -rf "$SYS.old"
if [ -e "$SYS" ]; then
	mv "$SYS" "$SYS.old"
fi
mv "$NEW" "$SYS"
# Nothing refers to the sysroot.new path: kinc holds absolute symlinks and
# flags.mk finds its own directory.
rm -rf "$SYS.old" "$CHK" "$WORK/build-fuse3" "$WORK/stage-fuse3" "$WORK"/src-* "$WORK/ini.o"
log "done in $(($(date +%s) - START))s: fuse3 $FUSE_VER, util-linux $UL_VER, libinih $INIH_VER ($INIH_IMPL)"
