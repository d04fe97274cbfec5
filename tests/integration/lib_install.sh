# shellcheck shell=bash
# Helpers for the tests of the installed famfs (t3x), sourced after lib.sh.
#
#   in_private_ns "$0"   re-run the script in a private mount namespace
#                        (unshare -m): every mount it makes, and the
#                        overlays below, are seen by no one else
#   install_dest DIR     `make install DESTDIR=DIR` of this tree
#   overlay_dir DIR UPPER  show UPPER's files over DIR (read-only overlay),
#                        e.g. DESTDIR/usr/sbin over /usr/sbin, so that
#                        mount(8) and fsck(8) find their famfs helpers
#   mnt_count DIR / status_key MNT KEY
#   track_mount DIR      unmounted again by the EXIT trap

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

in_private_ns() {
	[ -n "${FAMFS_TEST_NS:-}" ] && return 0
	command -v unshare >/dev/null 2>&1 || { echo "skip: no unshare(1)"; exit 77; }
	unshare -m --propagation private true 2>/dev/null ||
		{ echo "skip: cannot make a mount namespace here"; exit 77; }
	exec env FAMFS_TEST_NS=1 unshare -m --propagation private bash "$1"
}

install_dest() {
	# a make of its own (not a job of a make that runs the tests)
	if env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$ROOT" BUILD="$BUILD" \
		DESTDIR="$1" install >"$OUT.make" 2>&1; then
		ok "make install DESTDIR=$1"
	else
		fail "make install DESTDIR=$1"
		sed 's/^/     | /' "$OUT.make" | tail -n 20
		finish
	fi
}

overlay_dir() {
	if mount -t overlay -o "lowerdir=$2:$1" famfs-test "$1"; then
		ok "overlay of $2 on $1 (this namespace only)"
	else
		fail "cannot overlay $2 on $1"
		finish
	fi
}

mnt_count() {	# mnt_count DIR: how many mounts sit on DIR
	awk -v m="$(realpath -m "$1")" '$5 == m { n++ } END { print n + 0 }' /proc/self/mountinfo
}

status_key() {	# status_key MNT KEY: a field of famfs status --json
	/usr/sbin/famfs status -j "$1" >"$OUT.status" 2>&1 && json_get "$OUT.status" "$2"
}

TRACKED=()
track_mount() { TRACKED+=("$(realpath -m "$1")"); }
untrack_all() {
	local m
	for m in "${TRACKED[@]}"; do
		for _ in 1 2 3; do
			[ "$(mnt_count "$m")" -gt 0 ] || break
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	done
}
trap untrack_all EXIT
trap 'exit 143' TERM INT HUP
