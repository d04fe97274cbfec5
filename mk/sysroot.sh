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
# inih is compiled with -DINI_STOP_ON_FIRST_ERROR=1 -DINI_MAX_LINE=1024
# -DINI_CALL_HANDLER_ON_NEW_SECTION=0 (other options keep inih's defaults);
# the installed ini.h starts with those same defines.  If the libinih source
# cannot be downloaded, an inih-compatible parser written into this script
# (see write_builtin_inih) is built instead, with the same API and settings.
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

INIH_DEFINES=(-DINI_STOP_ON_FIRST_ERROR=1 -DINI_MAX_LINE=1024 -DINI_CALL_HANDLER_ON_NEW_SECTION=0)
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
	local out pkg ver best
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
# Build the libraries against the final location's kinc, which exists
# only after the swap at the end: use sysroot.new's own, it is identical.
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

# The header block that records how libinih.a was compiled.
inih_header_prefix() {
	printf '/* famfs sysroot: libinih.a was compiled with these settings. */\n'
	local d name value
	for d in "${INIH_DEFINES[@]}"; do
		d=${d#-D}
		name=${d%%=*}
		value=${d#*=}
		printf '#ifndef %s\n#define %s %s\n#endif\n' "$name" "$name" "$value"
	done
	printf '\n'
}

# An inih-compatible parser: same API and, for the settings above, the same
# results, except that a line too long for INI_MAX_LINE is only reported as
# an error (inih also passes its truncated start to the handler).  Used only
# when the libinih source cannot be downloaded.
write_builtin_inih() {
	local dir=$1
	mkdir -p "$dir"
	cat >"$dir/ini.h" <<'EOF'
/* ini.h -- INI file parser with the API of inih (famfs builtin version,
 * written for famfs's mk/sysroot.sh).  Fixed settings: multi-line values,
 * ';' and '#' full-line comments, ';' inline comments after whitespace,
 * UTF-8 BOM skipped, no handler call for a new section, stop at the first
 * error; a line that does not fit in INI_MAX_LINE bytes (with its newline
 * and the final NUL) is an error and is not passed to the handler. */
#ifndef INI_H
#define INI_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef INI_MAX_LINE
#define INI_MAX_LINE 1024
#endif
#ifndef INI_STOP_ON_FIRST_ERROR
#define INI_STOP_ON_FIRST_ERROR 1
#endif
#ifndef INI_CALL_HANDLER_ON_NEW_SECTION
#define INI_CALL_HANDLER_ON_NEW_SECTION 0
#endif
#define INI_HANDLER_LINENO 0

/* Called for each name=value pair; return nonzero on success. */
typedef int (*ini_handler)(void *user, const char *section,
			   const char *name, const char *value);

/* fgets()-like line reader for ini_parse_stream(). */
typedef char *(*ini_reader)(char *str, int num, void *stream);

/* Each returns 0 on success, the line number of the first error (parse
 * error or handler returning 0), or -1 if the file cannot be opened. */
int ini_parse(const char *filename, ini_handler handler, void *user);
int ini_parse_file(FILE *file, ini_handler handler, void *user);
int ini_parse_stream(ini_reader reader, void *stream, ini_handler handler,
		     void *user);
int ini_parse_string(const char *string, ini_handler handler, void *user);

#ifdef __cplusplus
}
#endif

#endif /* INI_H */
EOF
	cat >"$dir/ini.c" <<'EOF'
/* ini.c -- INI file parser with the API of inih (famfs builtin version). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ini.h"

#define INI_NAME_LEN 50	/* section and name buffers, as in inih */

static char *trim_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static char *skip_space(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* First character of s that is in stops (if non-NULL), or the ';' of an
 * inline comment (a ';' right after whitespace), or the final NUL. */
static char *find_stop(char *s, const char *stops)
{
	int after_space = 0;

	for (; *s; s++) {
		if (stops && strchr(stops, *s))
			break;
		if (after_space && *s == ';')
			break;
		after_space = isspace((unsigned char)*s);
	}
	return s;
}

static void copy_name(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n > INI_NAME_LEN - 1)
		n = INI_NAME_LEN - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int ini_parse_stream(ini_reader reader, void *stream, ini_handler handler,
		     void *user)
{
	char line[INI_MAX_LINE];
	char section[INI_NAME_LEN] = "";
	char prev_name[INI_NAME_LEN] = "";
	int lineno = 0, error = 0;

	while (reader(line, (int)sizeof(line), stream) != NULL) {
		size_t len = strlen(line);
		int has_nl = len > 0 && line[len - 1] == '\n';
		char *start, *end;
		int indented;

		lineno++;
		if (!has_nl && len == sizeof(line) - 1) {
			/* The buffer is full: unless that was the end of the
			 * input, the line is too long.  Skip the rest of it and
			 * report it (without calling the handler). */
			char rest[64];
			int more = 0;

			while (reader(rest, (int)sizeof(rest), stream) != NULL) {
				size_t n = strlen(rest);

				more = 1;
				if (n > 0 && rest[n - 1] == '\n')
					break;
			}
			if (more) {
				if (!error)
					error = lineno;
				if (INI_STOP_ON_FIRST_ERROR)
					break;
				continue;
			}
		}

		start = line;
		if (lineno == 1 && (unsigned char)start[0] == 0xEF &&
		    (unsigned char)start[1] == 0xBB &&
		    (unsigned char)start[2] == 0xBF)
			start += 3;
		indented = isspace((unsigned char)*start);
		start = skip_space(trim_right(start));

		if (*start == ';' || *start == '#') {
			/* comment line */
		} else if (indented && *prev_name && *start) {
			/* continuation of the previous value */
			end = find_stop(start, NULL);
			*end = '\0';
			trim_right(start);
			if (!handler(user, section, prev_name, start) && !error)
				error = lineno;
		} else if (*start == '[') {
			end = find_stop(start + 1, "]");
			if (*end == ']') {
				*end = '\0';
				copy_name(section, start + 1);
				prev_name[0] = '\0';
#if INI_CALL_HANDLER_ON_NEW_SECTION
				if (!handler(user, section, NULL, NULL) && !error)
					error = lineno;
#endif
			} else if (!error) {
				error = lineno;
			}
		} else if (*start) {
			end = find_stop(start, "=:");
			if (*end == '=' || *end == ':') {
				char *name, *value;

				*end = '\0';
				name = trim_right(start);
				value = end + 1;
				end = find_stop(value, NULL);
				*end = '\0';
				value = trim_right(skip_space(value));
				copy_name(prev_name, name);
				if (!handler(user, section, name, value) && !error)
					error = lineno;
			} else if (!error) {
				error = lineno;
			}
		}
		if (error && INI_STOP_ON_FIRST_ERROR)
			break;
	}
	return error;
}

static char *file_reader(char *str, int num, void *stream)
{
	return fgets(str, num, (FILE *)stream);
}

int ini_parse_file(FILE *file, ini_handler handler, void *user)
{
	return ini_parse_stream(file_reader, file, handler, user);
}

int ini_parse(const char *filename, ini_handler handler, void *user)
{
	FILE *f = fopen(filename, "r");
	int rc;

	if (!f)
		return -1;
	rc = ini_parse_file(f, handler, user);
	fclose(f);
	return rc;
}

struct string_stream {
	const char *p;
	size_t left;
};

static char *string_reader(char *str, int num, void *stream)
{
	struct string_stream *s = stream;
	char *out = str;

	if (s->left == 0 || num < 2)
		return NULL;
	while (num > 1 && s->left > 0) {
		char c = *s->p++;

		s->left--;
		*out++ = c;
		num--;
		if (c == '\n')
			break;
	}
	*out = '\0';
	return str;
}

int ini_parse_string(const char *string, ini_handler handler, void *user)
{
	struct string_stream s = { string, strlen(string) };

	return ini_parse_stream(string_reader, &s, handler, user);
}
EOF
}

INIH_IMPL=
if fetch libinih "$INIH_VER"; then
	INIH_SRC=$WORK/src-libinih
	if [ ! -f "$INIH_SRC/ini.c" ] || [ ! -f "$INIH_SRC/ini.h" ]; then
		die "ini.c/ini.h not found in $INIH_SRC"
	fi
	INIH_IMPL="Debian source libinih $INIH_VER"
	log "building libinih $INIH_VER"
else
	tail -n 3 "$LOGS/fetch-libinih.log" | sed 's/^/  /' >&2
	log "libinih source $INIH_VER cannot be downloaded: building the builtin inih-compatible parser"
	INIH_SRC=$WORK/src-inih-builtin
	rm -rf "$INIH_SRC"
	write_builtin_inih "$INIH_SRC"
	INIH_IMPL="builtin inih-compatible parser: Debian source not downloadable"
fi
: >"$LOGS/inih.log"
rm -f "$WORK/ini.o"
# shellcheck disable=SC2086 # CFLAGS is a list of flags
run inih "$CC" $CFLAGS -Wall "${INIH_DEFINES[@]}" -c "$INIH_SRC/ini.c" -o "$WORK/ini.o"
run inih ar rcs "$NEW/lib/libinih.a" "$WORK/ini.o"
{
	inih_header_prefix
	cat "$INIH_SRC/ini.h"
} >"$NEW/include/ini.h"

# ------------------------------------------------------------- flags.mk --

{
	printf '# Generated by mk/sysroot.sh -- do not edit.\n'
	printf '# fuse3 %s, util-linux %s (libuuid), libinih %s\n' "$FUSE_VER" "$UL_VER" "$INIH_VER"
	printf '# inih: %s, compiled with %s\n' "$INIH_IMPL" "${INIH_DEFINES[*]}"
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
	if (ini_parse_string("[s]\nno value here\nk = v\n", on_value, &n) != 2 || n != 1)
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
# The libraries were built against sysroot.new/kinc; recreate nothing:
# kinc holds absolute symlinks and flags.mk finds its own directory.
rm -rf "$SYS.old" "$CHK" "$WORK/build-fuse3" "$WORK/stage-fuse3" "$WORK"/src-* "$WORK/ini.o"
log "done in $(($(date +%s) - START))s: fuse3 $FUSE_VER, util-linux $UL_VER, libinih $INIH_VER ($INIH_IMPL)"
