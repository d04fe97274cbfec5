#!/usr/bin/env bash
# mk/install-deps.sh -- install the Debian packages famfs needs to build and
# test, and make sure apt has deb-src entries so mk/sysroot.sh can run
# `apt-get source`.  Idempotent: when everything is already present it only
# runs a few dpkg-query/apt-cache look-ups and exits.
#
# Usage (as root, Debian 12 "bookworm"):   mk/install-deps.sh
# Environment:
#   FAMFS_DEPS_EXTRA   extra package names to install (space separated)
set -euo pipefail

PACKAGES=(
	gcc make binutils musl-tools pkg-config
	meson ninja-build
	dpkg-dev xz-utils file
	linux-libc-dev
	libcmocka-dev libinih-dev libfuse3-dev uuid-dev
	fuse3
	python3
	groff-base man-db systemd
	valgrind libcap2-bin
	lintian bash-completion	# make deb, and its test (t37)
)
# Source packages mk/sysroot.sh fetches with `apt-get source`.
SOURCES=(fuse3 util-linux libinih)
# deb-src entries this script writes (only ever this one file).
SRC_FILE=/etc/apt/sources.list.d/famfs-src.sources

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

if [ -n "${FAMFS_DEPS_EXTRA:-}" ]; then
	read -r -a extra <<<"$FAMFS_DEPS_EXTRA"
	PACKAGES+=("${extra[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	die "dpkg/apt not found: this script supports Debian 12 (bookworm) only"
fi

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root to $1"
}

# ---------------------------------------------------------------- deb-src --

# Print every enabled apt source entry, one per (type, URI, suite), as
#   TYPE <TAB> URI <TAB> SUITE <TAB> COMPONENTS <TAB> SIGNED-BY <TAB> FILE
# for both the one-line (*.list) and deb822 (*.sources) formats.
# SIGNED-BY is "-" when absent and "INLINE" for an embedded key block.
list_entries() {
	local f
	local -a lists=() d822=()
	[ -f /etc/apt/sources.list ] && lists+=(/etc/apt/sources.list)
	for f in /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && lists+=("$f")
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && d822+=("$f")
	done
	if [ "${#lists[@]}" -gt 0 ]; then
		awk -v OFS='\t' '
		{
			sub(/#.*/, "")
			if ($1 != "deb" && $1 != "deb-src") next
			type = $1; i = 2; sb = "-"
			if ($2 ~ /^\[/) {
				opts = ""
				for (; i <= NF; i++) {
					opts = opts " " $i
					if ($i ~ /\]$/) { i++; break }
				}
				gsub(/[\[\]]/, " ", opts)
				n = split(opts, o, /[ \t]+/)
				for (k = 1; k <= n; k++)
					if (tolower(o[k]) ~ /^signed-by=/) sb = substr(o[k], 11)
			}
			uri = $i; suite = $(i + 1); comps = ""
			for (k = i + 2; k <= NF; k++) comps = comps (comps == "" ? "" : " ") $k
			if (uri == "" || suite == "") next
			sub(/\/+$/, "", uri)
			print type, uri, suite, comps, sb, FILENAME
		}' "${lists[@]}"
	fi
	if [ "${#d822[@]}" -gt 0 ]; then
		awk -v OFS='\t' '
		function flush(   nt, nu, ns, a, b, c, t, u, s) {
			if (have && tolower(f["enabled"]) != "no") {
				nt = split(f["types"], t, /[ \t]+/)
				nu = split(f["uris"], u, /[ \t]+/)
				ns = split(f["suites"], s, /[ \t]+/)
				sb = ("signed-by" in f) ? f["signed-by"] : "-"
				if (sb == "" || multi["signed-by"]) sb = "INLINE"
				for (a = 1; a <= nt; a++) for (b = 1; b <= nu; b++)
					for (c = 1; c <= ns; c++) {
						uu = u[b]; sub(/\/+$/, "", uu)
						if (t[a] != "" && uu != "" && s[c] != "")
							print t[a], uu, s[c], f["components"], sb, file
					}
			}
			delete f; delete multi; have = 0; key = ""
		}
		FNR == 1 { flush(); file = FILENAME }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ {
			if (key != "") { multi[key] = 1; f[key] = f[key] " " $0 }
			next
		}
		{
			p = index($0, ":"); if (p == 0) next
			key = tolower(substr($0, 1, p - 1))
			v = substr($0, p + 1); gsub(/^[ \t]+|[ \t]+$/, "", v)
			f[key] = v; have = 1
		}
		END { flush() }' "${d822[@]}"
	fi
}

# Is this (URI, suite, components) one of Debian's own archives for this
# release (main archive, -updates, -security, -backports, on any mirror)?
is_debian_entry() {
	local uri=$1 suite=$2 comps=$3 codename=$4
	[[ $uri == *debian* ]] || return 1
	[[ $suite == "$codename" || $suite == "$codename"-* || $suite == "$codename"/* ]] || return 1
	[[ " $comps " == *" main "* ]]
}

# Content the deb-src file should have: one deb-src stanza for every Debian
# deb entry that no other file already covers with deb-src.  Empty output
# means nothing is missing.
wanted_src_file() {
	local codename entries key
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "cannot tell the Debian release (VERSION_CODENAME in /etc/os-release)"
	entries=$(list_entries | awk -F'\t' -v own="$SRC_FILE" '$6 != own')
	local -A have_src=() stanza=() order=()
	local -a keys=()
	local type uri suite comps sb
	while IFS=$'\t' read -r type uri suite comps sb _; do
		[ "$type" = deb-src ] && have_src["$uri|$suite"]=1
	done <<<"$entries"
	while IFS=$'\t' read -r type uri suite comps sb _; do
		[ "$type" = deb ] || continue
		is_debian_entry "$uri" "$suite" "$comps" "$codename" || continue
		[ -z "${have_src["$uri|$suite"]:-}" ] || continue
		have_src["$uri|$suite"]=1
		key="$uri|$comps|$sb"
		if [ -z "${order[$key]:-}" ]; then
			order[$key]=1
			keys+=("$key")
			stanza[$key]=$suite
		else
			stanza[$key]+=" $suite"
		fi
	done <<<"$entries"
	[ "${#keys[@]}" -gt 0 ] || return 0
	printf '# Written by famfs mk/install-deps.sh: source entries for apt-get source.\n'
	for key in "${keys[@]}"; do
		IFS='|' read -r uri comps sb <<<"$key"
		printf '\nTypes: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n' \
			"$uri" "${stanza[$key]}" "$comps"
		# An inline key block cannot be copied reliably; without Signed-By
		# apt falls back to the keys in /etc/apt/trusted.gpg.d.
		if [ "$sb" != - ] && [ "$sb" != INLINE ]; then
			printf 'Signed-By: %s\n' "$sb"
		fi
	done
}

# Does apt know source package $1 (deb-src indexes downloaded)?
src_known() {
	local out
	out=$(apt-cache showsrc --only-source "$1" 2>/dev/null) || return 1
	[[ $out == *$'\nVersion: '* || $out == 'Version: '* ]]
}

# Run an apt command quietly; on failure show the end of its output.
run_apt() {
	local out rc=0
	out=$(mktemp)
	"$@" >"$out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$out" >&2
	fi
	rm -f "$out"
	return "$rc"
}

need_update=0

want=$(wanted_src_file)
if [ -n "$want" ]; then
	if [ ! -f "$SRC_FILE" ] || [ "$(cat "$SRC_FILE")" != "$want" ]; then
		need_root "write $SRC_FILE"
		log "adding deb-src entries: $SRC_FILE"
		printf '%s\n' "$want" >"$SRC_FILE.tmp"
		chmod 644 "$SRC_FILE.tmp"
		mv -f "$SRC_FILE.tmp" "$SRC_FILE"
		need_update=1
	fi
elif [ -f "$SRC_FILE" ]; then
	# Other entries now cover it; a duplicate would make apt warn.
	need_root "remove $SRC_FILE"
	log "removing $SRC_FILE (deb-src entries exist elsewhere)"
	rm -f "$SRC_FILE"
	need_update=1
fi

if [ "$need_update" -eq 0 ]; then
	for s in "${SOURCES[@]}"; do
		if ! src_known "$s"; then
			log "source index has no $s: apt-get update needed"
			need_update=1
			break
		fi
	done
fi

# --------------------------------------------------------------- packages --

missing=()
for p in "${PACKAGES[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" ok installed") ;;
	*) missing+=("$p") ;;
	esac
done

if [ "${#missing[@]}" -gt 0 ] || [ "$need_update" -eq 1 ]; then
	need_root "run apt-get"
	log "apt-get update"
	run_apt apt-get update -q || die "apt-get update failed"
fi

if [ "${#missing[@]}" -gt 0 ]; then
	log "installing: ${missing[*]}"
	run_apt env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"${missing[@]}" || die "apt-get install failed: ${missing[*]}"
	for p in "${missing[@]}"; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ $st == *" ok installed" ]] || die "package $p still not installed after apt-get"
	done
fi

for s in "${SOURCES[@]}"; do
	src_known "$s" ||
		die "apt has no source package '$s'; check deb-src entries in /etc/apt"
done

log "all dependencies present"
