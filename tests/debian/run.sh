#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/debian/run.sh [CASE...]     (make debian-test; a layer of make test)
#
# Diskless boot into Debian: a bookworm root with systemd as init
# (tests/debian/mkroot.sh, famfs installed from its package) is copied into
# famfs, and the appliance boots it on our patched kernel.  Cases:
#   shared   (default) on the host, a 2 GiB shared memory file:
#            famfs mkfs, famfs mount (the fallback data path), famfs cp -a
#            of the root to /rootfs, umount, famfs fsck; then TWO appliance
#            guests at the same time on that one file (tests/vm/host.sh's
#            two-host layout), each with famfs.init.root=/rootfs and
#            famfs.init.root_init=/sbin/init: famfs init serves famfs (a
#            client: the host made it), overlayfs, switch_root, systemd as
#            PID 1 reaches multi-user.target and famfs-debian-ok.service
#            prints DEBIAN-ROOT-OK (pid1=systemd root=overlay lower=famfs
#            data_path=dax, no failed unit) and powers off.  Afterwards the
#            shared file must be byte for byte what the host left.
#   initrd   no famfs: the same tree packed as the initramfs
#            (rdinit=/sbin/init), systemd on our kernel alone; checks the
#            kernel configuration and the tree's units without famfs
# Each guest's times since the kernel started: famfs serving (famfs init
# prints it) and multi-user.target (the unit prints systemd's
# timestamp).  Last line: "debian: N passed, N failed".  Exit 77 when QEMU
# or the kernel is missing.
#
# VM_KERNEL=debian (Debian's stock cloud kernel, its modules in the
# appliance image) runs the same case on the fallback data path.
#
# Environment: VM_KERNEL (default build/kernel/bzImage), VM_KCONFIG,
# VM_TIMEOUT (per guest, default 300: systemd under TCG), VM_OUT (default
# build/debian-test), VM_VERBOSE=1 (print every console log), FAMFS_CACHE
# (the Debian tarball's cache, see tests/debian/mkroot.sh).

set -u
cd "$(dirname "$0")/../.." || exit 1

BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/debian-test}
TIMEOUT=${VM_TIMEOUT:-300}
KERNEL=${VM_KERNEL:-$BUILD/kernel/bzImage}
LOGS=$VM_OUT/logs
QEMU=qemu-system-x86_64
FAMFS=$BUILD/famfs
ROOT=$VM_OUT/root
SHARED=$VM_OUT/shared.img
ALL="shared"

skip_all() {
	echo "debian: SKIP: $*"
	exit 77
}

mkdir -p "$VM_OUT" "$LOGS"
rm -f "$LOGS"/*.log

# shellcheck source=tests/vm/host.sh
. tests/vm/host.sh
[ "$(id -u)" = 0 ] || skip_all "needs root (the tree's owners; a host FUSE mount)"
kconfig_y NUMA || skip_all "the shared-memory guests need CONFIG_NUMA=y ($KCONFIG_SRC)"
kconfig_y CGROUPS || skip_all "systemd needs CONFIG_CGROUPS=y ($KCONFIG_SRC): not our kernel/config.fragment"

PASSED=0 FAILED=0
now() { date +%s; }

fail() {
	echo "FAIL $1: $2"
	FAILED=$((FAILED + 1))
}

# tail_log NAME LOG: the end of a console log, for a failure
tail_log() {
	[ -f "$2" ] || return 0
	echo "    --- last lines of $2 ($1):"
	tail -n 40 "$2" | sed 's/^/    | /'
}

# A kernel splat or a dead PID 1 anywhere in LOG: its line.
splat() {
	grep -a -m 1 -E 'Kernel panic|Attempted to kill init|BUG:|Oops:|WARNING:|general protection fault|Call Trace:' "$1"
}

# The root tree: the Debian tarball (cached) with famfs from the package
# of this very build (mk/deb.sh, no lintian: make deb checks that).
make_root() {
	local t0 deb
	t0=$(now)
	[ -x "$FAMFS" ] || { fail root "$FAMFS is missing: run make"; return 1; }
	mkdir -p "$VM_OUT/deb"
	rm -f "$VM_OUT"/deb/*.deb
	deb=$(mk/deb.sh "$BUILD" "$VM_OUT/deb" 2>"$LOGS/deb.err") ||
		{ fail root "mk/deb.sh $BUILD: $(tail -n 1 "$LOGS/deb.err")"; return 1; }
	if ! BUILD=$BUILD tests/debian/mkroot.sh "$ROOT" "$deb" >"$LOGS/mkroot.out" 2>&1; then
		sed 's/^/    | /' "$LOGS/mkroot.out"
		fail root "tests/debian/mkroot.sh $ROOT"
		return 1
	fi
	sed 's/^/  /' "$LOGS/mkroot.out"
	echo "  debian: root tree in $(($(now) - t0)) s"
}

# guest_times NAME LOG: "famfs serving S s, multi-user.target S s" and
# the figures in SERVE and MU
guest_times() {
	SERVE=$(sed -n 's/.*famfs-init: serving .*, \([0-9.]*\) s after kernel start.*/\1/p' "$2" | head -n 1)
	MU=$(sed -n 's/.*DEBIAN-ROOT-OK .* multi_user=\([0-9.]*\) .*/\1/p' "$2" | head -n 1)
	echo "    $1: famfs serving ${SERVE:-?} s, multi-user.target ${MU:-?} s after kernel start"
}

# check_guest NAME LOG QEMU_EXIT ROOTFS LOWER DATA_PATH: WHY is empty
# when the guest printed a marker that says all of it
check_guest() {
	local name=$1 log=$2 rc=$3 want
	local ok
	WHY=
	ok=$(grep -a -m 1 -o 'DEBIAN-ROOT-OK .*' "$log")
	want="pid1=systemd root=$4 lower=$5 data_path=$6 "
	if [ -z "$ok" ]; then
		WHY="$name: no DEBIAN-ROOT-OK on the console (QEMU exit $rc)"
		grep -a -q 'DEBIAN-ROOT-BAD' "$log" &&
			WHY="$name: $(grep -a -m 1 -o 'DEBIAN-ROOT-BAD.*' "$log")"
		grep -a -q 'famfs-init: FAILED' "$log" &&
			WHY="$name: $(grep -a -m 1 -o 'famfs-init: FAILED.*' "$log")"
	elif [ "${ok#*"$want"}" = "$ok" ]; then
		WHY="$name: the marker does not say '$want': $ok"
	elif [ "${ok#* failed_units=0 }" = "$ok" ]; then
		WHY="$name: failed units: $(grep -a -o 'DEBIAN-ROOT-FAILED-UNIT [^ ]*' "$log" | cut -d' ' -f2 | tr '\n' ' ')"
	elif [ "$rc" != 0 ]; then
		WHY="$name: QEMU exit $rc after the marker (no power off within ${TIMEOUT} s?)"
	fi
	local t
	t=$(splat "$log") && WHY="$name: kernel: $t"
	[ -z "$WHY" ]
}

show() {
	[ "${VM_VERBOSE:-0}" = 1 ] && sed "s|^|  [$(basename "$1" .log)] |" "$1"
	grep -a -o -E 'famfs-init: (serving .*|FAILED .*|error: .*|root: .*)|DEBIAN-ROOT-.*' "$1" |
		sed 's/^/    /'
}

APPEND_BASE="console=ttyS0 panic=-1 quiet systemd.show_status=error"

case_shared() {
	local start a b rca rcb md5 why_a why_b
	start=$(now)
	if ! BUILD=$BUILD tests/debian/image.sh "$SHARED" "$ROOT" >"$LOGS/image.out" 2>&1; then
		fail "shared (two guests)" "host: $(tail -n 1 "$LOGS/image.out") (see $SHARED.log)"
		return
	fi
	sed 's/^/  /' "$LOGS/image.out"
	md5=$(md5sum <"$SHARED" | cut -d' ' -f1)

	a=$LOGS/guest-a.log b=$LOGS/guest-b.log
	local root="famfs.device.path=/dev/pmem0 famfs.init.root=/rootfs famfs.init.root_init=/sbin/init"
	vm_qemu "$a" "$INITRD" "$APPEND_BASE $root systemd.hostname=guest-a" "$SHARED" </dev/null &
	local pa=$!
	vm_qemu "$b" "$INITRD" "$APPEND_BASE $root systemd.hostname=guest-b" "$SHARED" </dev/null &
	local pb=$!
	wait $pa
	rca=$?
	wait $pb
	rcb=$?
	show "$a"
	show "$b"
	check_guest guest-a "$a" $rca overlay famfs "$EXPECT"
	why_a=$WHY
	grep -a -q 'host=guest-a ' "$a" || why_a=${why_a:-guest-a: the marker does not name host guest-a}
	check_guest guest-b "$b" $rcb overlay famfs "$EXPECT"
	why_b=$WHY
	grep -a -q 'host=guest-b ' "$b" || why_b=${why_b:-guest-b: the marker does not name host guest-b}
	guest_times guest-a "$a"
	guest_times guest-b "$b"
	WHY="$why_a${why_a:+${why_b:+; }}$why_b"
	# one tree, an empty /etc/machine-id in it: each guest its own ID
	local ida idb
	ida=$(sed -n 's/.*DEBIAN-ROOT-OK .* machine_id=\([0-9a-f]*\) .*/\1/p' "$a" | head -n 1)
	idb=$(sed -n 's/.*DEBIAN-ROOT-OK .* machine_id=\([0-9a-f]*\) .*/\1/p' "$b" | head -n 1)
	if [ -z "$WHY" ] && [ "$ida" = "$idb" ]; then
		WHY="both guests have machine ID $ida: the shared tree's /etc/machine-id is not empty"
	fi
	if [ -z "$WHY" ] && [ "$(md5sum <"$SHARED" | cut -d' ' -f1)" != "$md5" ]; then
		WHY="the shared image changed while the guests ran (clients only)"
	fi
	if [ -n "$WHY" ]; then
		fail "shared (two guests)" "$WHY ($(($(now) - start)) s)"
		[ -z "$why_a" ] || tail_log guest-a "$a"
		[ -z "$why_b" ] || tail_log guest-b "$b"
		return
	fi
	echo "PASS shared (two guests, one memory file, $EXPECT) ($(($(now) - start)) s)"
	PASSED=$((PASSED + 1))
}

# The tree without famfs: packed whole as the initramfs (owners kept).
case_initrd() {
	local start log=$LOGS/initrd.log cpio=$VM_OUT/debian-root.cpio.gz rc
	start=$(now)
	(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc --quiet) | gzip -1 >"$cpio" ||
		{ fail initrd "cannot pack $ROOT into $cpio"; return; }
	echo "    initramfs of the tree: $(stat -c %s "$cpio") bytes"
	vm_qemu "$log" "$cpio" "$APPEND_BASE rdinit=/sbin/init systemd.hostname=initrd" </dev/null
	rc=$?
	show "$log"
	check_guest initrd "$log" $rc rootfs none none
	guest_times initrd "$log"
	if [ -n "$WHY" ]; then
		fail "initrd (systemd from an initramfs)" "$WHY ($(($(now) - start)) s)"
		tail_log initrd "$log"
		return
	fi
	echo "PASS initrd (systemd from an initramfs, no famfs) ($(($(now) - start)) s)"
	PASSED=$((PASSED + 1))
}

TOTAL_START=$(now)
echo "  debian: kernel $KERNEL_SRC, timeout ${TIMEOUT} s per guest"
INITRD=$VM_OUT/appliance.cpio.gz
if ! initramfs/mkinitramfs.sh "$INITRD" ${MODDIR:+"$MODDIR"} >"$LOGS/initramfs.out" 2>&1; then
	fail initramfs "initramfs/mkinitramfs.sh $INITRD: $(tail -n 1 "$LOGS/initramfs.out")"
elif make_root; then
	[ $# -gt 0 ] || set -- $ALL
	for c in "$@"; do
		case $c in
		shared | initrd) "case_$c" ;;
		*) fail "$c" "no such case (have: shared initrd)" ;;
		esac
	done
fi
echo "  debian: $(($(now) - TOTAL_START)) s; logs in $LOGS"
echo "debian: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
