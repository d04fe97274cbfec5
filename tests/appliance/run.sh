#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/appliance/run.sh [CASE...]     (make appliance-test)
#
# The appliance initramfs (initramfs/mkinitramfs.sh: famfs init as PID 1,
# busybox, conf/famfs.ini) booted under QEMU (TCG) on a shared-memory
# region that a master guest of tests/vm filled first (two-host command
# line of tests/vm/host.sh, build/appliance/shared.img).  Cases, in order:
#   master     tests/vm/guest/appliance-master.sh: mkfs, seed7, payload.sh,
#              the busybox root tree /rootfs and its md5 list
#   payload    (a) the device is found by filesystem UUID
#              (famfs.init.device_uuid), famfs mounted; the payload
#              /mnt/famfs/payload.sh (stored in famfs) verifies seed7 and
#              prints PAYLOAD-OK; power off
#   diskless   (b) famfs.init.root=/rootfs: overlayfs over the famfs tree,
#              switch_root, the tree's /sbin/init (PID 1) prints
#              ROOT-MARKER, finds the @famfs server alive and answering,
#              writes /etc/local-file (stays in the tmpfs upper layer), and
#              checks the shared tree against its md5 list; afterwards the
#              host checks that the superblock, log and data of the shared
#              image (all of it) are byte for byte what the master left
#   badkey     (c) famfs.init.bogus=1
#   nodevice   (c) famfs.device.path=/dev/pmem7, famfs.probe_timeout=1
#   badsb      (c) a superblock byte flipped in the shared image
#   blank      (c) a blank memory file with [init] format = never (the
#              default): "blank device (no famfs)", nothing written
#              each (c) case must reach the recovery shell with its own
#              message, "FAILED in state probe|validate" and an fsck
#              report; the test then types "famfs fsck /dev/pmem0" and
#              "famfs status" into the shell on the serial console, checks
#              their exit codes, and "exit" (init reboots, QEMU ends)
#   format     the same blank file with famfs.init.format=blank: formats,
#              mounts as the master and serves; the payload "famfs status"
#              shows it; the host's fsck of the file is clean afterwards
#   qemu       the README's `make appliance-qemu`, as written, on a fresh
#              image, with a payload that exits (patched kernel only)
# Boot time (kernel start to famfs serving) of the payload boot is
# printed as a figure (bench/boot.sh makes the bench row), never judged.
# Last line: "appliance: N passed, N failed".  Exit 77 when QEMU, a
# kernel or CONFIG_NUMA is missing.
#
# Environment: VM_KERNEL (bzImage or "debian", as tests/vm/run.sh),
# VM_KCONFIG, VM_TIMEOUT (per guest, default 120), VM_OUT (default
# build/appliance), VM_VERBOSE=1 (print every console log).

set -u
cd "$(dirname "$0")/../.." || exit 1

BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/appliance}
TIMEOUT=${VM_TIMEOUT:-120}
KERNEL=${VM_KERNEL:-$BUILD/kernel/bzImage}
LOGS=$VM_OUT/logs
QEMU=qemu-system-x86_64
ALL="master payload diskless badkey nodevice badsb blank format"
# the README's command (make appliance-qemu) boots our patched kernel only
[ "$KERNEL" = debian ] || ALL="$ALL qemu"
SHARED=$VM_OUT/shared.img

skip_all() {
	echo "appliance: SKIP: $*"
	exit 77
}

mkdir -p "$VM_OUT" "$LOGS"
rm -f "$LOGS"/*.log

# shellcheck source=tests/vm/host.sh
. tests/vm/host.sh
kconfig_y NUMA || skip_all "the shared-memory guests need CONFIG_NUMA=y ($KCONFIG_SRC)"

# The master boots tests/vm's harness initramfs; the rest the appliance.
VM_INITRD=$VM_OUT/vm.cpio.gz
APPL_INITRD=$VM_OUT/appliance.cpio.gz
if ! VM_OUT=$VM_OUT tests/vm/mkinitramfs.sh "$VM_INITRD" ${MODDIR:+"$MODDIR"} ||
	! initramfs/mkinitramfs.sh "$APPL_INITRD" ${MODDIR:+"$MODDIR"}; then
	echo "FAIL initramfs: cannot build the initramfs images"
	echo "appliance: 0 passed, 1 failed"
	exit 1
fi
echo "  appliance: kernel $KERNEL_SRC, timeout ${TIMEOUT} s per guest"

PASSED=0 FAILED=0
now() { date +%s; }

result() {
	local name=$1 start=$2 why=$3 log=$4
	if [ -z "$why" ]; then
		echo "PASS $name ($(($(now) - start)) s)"
		PASSED=$((PASSED + 1))
		return
	fi
	echo "FAIL $name: $why ($(($(now) - start)) s)"
	FAILED=$((FAILED + 1))
	if [ -f "$log" ]; then
		echo "    --- last lines of $log:"
		grep -a -v '^\[' "$log" | tail -n 30 | sed 's/^/    | /'
	fi
}

# A kernel splat or a dead PID 1 anywhere in LOG: its line.
splat() {
	grep -a -m 1 -E 'Kernel panic|Attempted to kill init|BUG:|Oops:|WARNING:|general protection fault|Call Trace:' "$1"
}

show() {
	[ "${VM_VERBOSE:-0}" = 1 ] && sed "s|^|  [$(basename "$1" .log)] |" "$1"
	grep -a -o -E 'famfs-init: (state .*|serving .*|FAILED .*|error: .*)|APPLIANCE: .*' "$1" |
		grep -v -F '$?' | sed 's/^/    /'
}

# appliance LOG APPEND: boot the appliance initramfs on MEM (default
# SHARED).
appliance() {
	local log=$1 append=$2
	vm_qemu "$log" "$APPL_INITRD" "console=ttyS0 panic=-1 quiet $append" "${MEM:-$SHARED}"
}

# has LOG TEXT...: every TEXT (fixed string) is in LOG, else WHY names it.
has() {
	local log=$1 t
	shift
	for t in "$@"; do
		grep -a -q -F -- "$t" "$log" && continue
		WHY="no '$t' on the console"
		return 1
	done
}

case_master() {
	local log=$LOGS/master.log start rc
	start=$(now)
	rm -f "$SHARED"
	truncate -s 2G "$SHARED"
	vm_qemu "$log" "$VM_INITRD" "console=ttyS0 panic=-1 famfs.test=appliance-master famfs.expect=$EXPECT famfs.timeout=$((TIMEOUT - 20))" \
		"$SHARED" </dev/null
	rc=$?
	WHY=
	grep -a -q 'FAMFS-VM: PASS appliance-master' "$log" ||
		WHY="the master did not finish (QEMU exit $rc): $(grep -a -o 'FAMFS-VM: FAIL.*' "$log" | head -n 1)"
	grep -a -o 'FAMFS-VM: ok .*' "$log" | sed 's/^FAMFS-VM: /    /'
	FS_UUID=$(build/famfs fsck --json "$SHARED" 2>/dev/null | sed -n 's/.*"fs_uuid":"\([^"]*\)".*/\1/p')
	[ -n "$WHY" ] || [ -n "$FS_UUID" ] || WHY="host fsck --json $SHARED gives no fs_uuid"
	META_MD5=$(md5sum <"$SHARED" | cut -d' ' -f1)
	result master "$start" "$WHY" "$log"
	[ -z "$WHY" ]
}

case_payload() {
	local log=$LOGS/payload.log start t
	start=$(now)
	WHY=
	appliance "$log" "famfs.init.device_uuid=$FS_UUID famfs.init.payload=/mnt/famfs/payload.sh" </dev/null
	show "$log"
	has "$log" "famfs-init: device /dev/pmem0" "state mount -> serve (ok)" \
		"state serve -> handoff (ok)" "APPLIANCE: PAYLOAD-OK seed7 verifies" \
		"role        client" "famfs-init: payload exited 0" \
		"state handoff -> stop (done)" "famfs-init: power off"
	if grep -a -q 'famfs-init: error' "$log"; then
		WHY="an error: $(grep -a -m1 'famfs-init: error' "$log")"
	fi
	t=$(splat "$log") && WHY="kernel: $t"
	BOOT_SERVE=$(sed -n 's/.*famfs-init: serving .*, \([0-9.]*\) s after kernel start.*/\1/p' "$log" | head -n 1)
	BOOT_INIT=$(sed -n 's/.*famfs-init: famfs .* as PID 1, \([0-9.]*\) s after kernel start.*/\1/p' "$log" | head -n 1)
	[ -n "$BOOT_SERVE" ] && echo "    boot time: PID 1 at $BOOT_INIT s, famfs serving at $BOOT_SERVE s after kernel start"
	result "payload (a)" "$start" "$WHY" "$log"
}

case_diskless() {
	local log=$LOGS/diskless.log start t md5
	start=$(now)
	WHY=
	appliance "$log" "famfs.device.path=/dev/pmem0 famfs.init.root=/rootfs" </dev/null
	show "$log"
	has "$log" "state serve -> handoff (ok)" "switch_root, exec /sbin/init" \
		"APPLIANCE: ROOT-MARKER pid 1, root overlay" \
		"survived switch_root and answers" "APPLIANCE: ROOT-LOCAL" \
		"APPLIANCE: ROOT-LOG " "log entries replayed, server pid"
	if grep -a -q 'ROOT-BAD' "$log"; then
		WHY=$(grep -a -m1 -o 'ROOT-BAD.*' "$log")
	fi
	t=$(splat "$log") && WHY="kernel: $t"
	md5=$(md5sum <"$SHARED" | cut -d' ' -f1)
	[ -n "$WHY" ] || [ "$md5" = "$META_MD5" ] ||
		WHY="the shared image changed (md5 $md5, master left $META_MD5)"
	[ -n "$WHY" ] || echo "    host: the shared image is what the master left (md5 $md5)"
	result "diskless (b)" "$start" "$WHY" "$log"
}

# recovery NAME APPEND STATE MESSAGE FSCK_EXIT: boot into the recovery
# shell, type famfs fsck / famfs status into it, leave it.
recovery() {
	local name=$1 append=$2 state=$3 msg=$4 fsck_exit=$5
	local log=$LOGS/$name.log fifo=$VM_OUT/$name.fifo start qpid i t
	start=$(now)
	WHY=
	rm -f "$fifo" "$log"
	mkfifo "$fifo"
	appliance "$log" "$append" <"$fifo" &
	qpid=$!
	exec 7>"$fifo"
	for ((i = 0; i < TIMEOUT * 5; i++)); do
		grep -a -q 'famfs-init: recovery shell:' "$log" 2>/dev/null && break
		kill -0 $qpid 2>/dev/null || break
		sleep 0.2
	done
	sleep 1
	# QEMU may be gone already: a failed write is a failed case (the
	# console says why), not the end of this script (SIGPIPE)
	(trap '' PIPE
	 printf '%s\n' 'famfs fsck /dev/pmem0; echo "APPLIANCE: fsck exit $?"' \
		'famfs status; echo "APPLIANCE: status exit $?"' 'exit' >&7) 2>/dev/null
	wait $qpid
	exec 7>&-
	rm -f "$fifo"
	show "$log"
	has "$log" "$msg" "famfs-init: FAILED in state $state" "fsck report" \
		"famfs-init: recovery shell: /bin/sh on the console" \
		"APPLIANCE: fsck exit $fsck_exit" "APPLIANCE: status exit 1" \
		"famfs-init: recovery shell exited 0" "famfs-init: reboot"
	t=$(splat "$log") && WHY="kernel: $t"
	result "$name (c)" "$start" "$WHY" "$log"
}

case_badkey() {
	recovery badkey "famfs.device.path=/dev/pmem0 famfs.init.bogus=1" probe \
		"famfs-init: error: kernel command line: famfs.init.bogus: unknown key 'bogus' in section [init]" 0
}

case_nodevice() {
	recovery nodevice "famfs.device.path=/dev/pmem7 famfs.probe_timeout=1" probe \
		"famfs-init: error: device /dev/pmem7 did not appear within 1 s" 0
}

case_badsb() {
	local saved=$VM_OUT/sb.saved
	# a byte inside the superblock's CRC range, not the magic
	dd if="$SHARED" of="$saved" bs=512 count=1 status=none
	printf '\x5a' | dd of="$SHARED" bs=1 seek=200 conv=notrunc status=none
	recovery badsb "famfs.device.path=/dev/pmem0" validate \
		"famfs-init: error: /dev/pmem0: no valid famfs superblock:" 4
	dd if="$saved" of="$SHARED" bs=512 count=1 conv=notrunc status=none
	rm -f "$saved"
}

BLANK=$VM_OUT/blank.img

case_blank() {
	rm -f "$BLANK"
	truncate -s 2G "$BLANK"
	MEM=$BLANK recovery blank "famfs.device.path=/dev/pmem0" validate \
		"famfs-init: error: /dev/pmem0: blank device (no famfs) and [init] format = never" 8
	[ "$(du -k "$BLANK" | cut -f1)" = 0 ] || {
		echo "FAIL blank: the refused boot wrote to $BLANK ($(du -k "$BLANK" | cut -f1) KiB allocated)"
		FAILED=$((FAILED + 1))
	}
}

case_format() {
	local log=$LOGS/format.log start t
	start=$(now)
	WHY=
	[ -f "$BLANK" ] || truncate -s 2G "$BLANK"
	MEM=$BLANK appliance "$log" "famfs.device.path=/dev/pmem0 famfs.init.format=blank famfs.payload=\"/bin/famfs status\"" </dev/null
	show "$log"
	has "$log" "state validate -> format (blank)" "state format -> validate (ok)" \
		"famfs mkfs: created famfs on /dev/pmem0" "state mount -> serve (ok)" \
		"role        master" "famfs-init: payload exited 0" "famfs-init: power off"
	t=$(splat "$log") && WHY="kernel: $t"
	[ -n "$WHY" ] || build/famfs fsck "$BLANK" >"$LOGS/format-fsck.out" 2>&1 ||
		WHY="host: famfs fsck $BLANK: $(tail -n 1 "$LOGS/format-fsck.out")"
	result "format" "$start" "$WHY" "$log"
	rm -f "$BLANK"
}

# The README's one command, `make appliance-qemu`, run as written but not
# interactively: a fresh image (IMG), formatted on first boot; a payload
# that exits powers the guest off; the host's fsck of the image is clean.
case_qemu() {
	local log=$LOGS/qemu.log img=$VM_OUT/qemu-pmem.img start t
	start=$(now)
	WHY=
	rm -f "$img"
	IMG=$img timeout -k 10 "$TIMEOUT" make --no-print-directory appliance-qemu \
		APPEND="famfs.init.payload=/bin/true" </dev/null 2>&1 |
		tr -d '\r' >"$log"
	show "$log"
	has "$log" "state validate -> format (blank)" "state mount -> serve (ok)" \
		"famfs-init: payload exited 0" "famfs-init: power off"
	t=$(splat "$log") && WHY="kernel: $t"
	[ -n "$WHY" ] || build/famfs fsck "$img" >"$LOGS/qemu-fsck.out" 2>&1 ||
		WHY="host: famfs fsck $img: $(tail -n 1 "$LOGS/qemu-fsck.out")"
	result "qemu (make appliance-qemu)" "$start" "$WHY" "$log"
	rm -f "$img"
}

TOTAL_START=$(now)
FS_UUID='' META_MD5='' BOOT_SERVE='' BOOT_INIT=''
for c in ${*:-$ALL}; do
	case $c in
	master) case_master ;;
	payload | diskless | badkey | nodevice | badsb)
		# every case boots on what the master left
		[ -n "$FS_UUID" ] || case_master || continue
		"case_$c"
		;;
	blank | format | qemu) "case_$c" ;;
	*)
		echo "FAIL $c: no such case (have: $ALL)"
		FAILED=$((FAILED + 1))
		;;
	esac
done

[ -n "$BOOT_SERVE" ] && echo "  appliance: boot time (payload boot): famfs serving $BOOT_SERVE s after kernel start (PID 1 at $BOOT_INIT s)"
echo "  appliance: $(($(now) - TOTAL_START)) s; logs in $LOGS"
echo "appliance: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
