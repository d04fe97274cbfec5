#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/vm/run.sh [SCENARIO...]     (make vmtest)
#
# famfs under QEMU (TCG: no KVM here) with a pmem region made by memmap=:
# builds the test initramfs (tests/vm/mkinitramfs.sh), boots one guest per
# scenario (two for the two-host ones) with a time limit, reads the
# FAMFS-VM: markers the guest prints on its serial console, and prints
# PASS/FAIL/SKIP per scenario and a last line "vm: N passed, N failed".
# Exit 0 when nothing failed, 1 otherwise, 77 (skipped) only when QEMU or a
# kernel cannot be had.
#
# Scenarios (default: all, in this order):
#   boot          /dev/pmem0 with dax=1, FUSE, famfs runs
#   daxref        the DAX probes (daxcheck) on ext2 -o dax: they see DAX
#                 where the kernel surely does it; SKIP without ext2
#   fallback1     mkfs/mount/creat/verify with the server's data path,
#                 bytes against the raw device, fsck
#   dax1          the DAX proofs (statx, no READ/WRITE upcalls, Rss 0,
#                 pages in pmem, mapping survives kill -9 of the server);
#                 SKIP unless the kernel has CONFIG_FUSE_FAMFS_DAX=y
#   twohost       two guests on one shared memory file, one after the
#                 other: A (master) creates, B (client) verifies
#   twohost-live  the same two guests at once: B, mounted, must see a file
#                 that A creates after B mounted
#   negative      malformed GET_FMAP/GET_DAXDEV replies (build/famfs-fault,
#                 FAMFS_FAULT_FMAP=case) make every open fail with the
#                 documented errno and no kernel splat; SKIP unless the
#                 kernel has CONFIG_FUSE_FAMFS_DAX=y
#   multi         two pmem regions (/dev/pmem0, /dev/pmem1) in one guest:
#                 one famfs over both, an interleaved file whose chunks
#                 are on both raw devices in order; DAX proofs on a famfs
#                 kernel, the server's data path otherwise
#   multihost     two guests, one after the other, on two shared memory
#                 files; B has them in the opposite order (its /dev/pmem0
#                 is A's /dev/pmem1) and reads what A wrote
#   packed        small files packed in one 2 MiB unit: each DAX-mapped and
#                 read, bytes against the raw device at its extent, a write
#                 to one leaves its neighbours unchanged (tests/vm/guest/packed.sh)
#   kdefects      one check per kernel defect of issue 12 that a single
#                 guest can show (O_TRUNC of the control file, a read-only
#                 device, eviction of opened files, set-user-ID set behind
#                 the kernel's back, a "no map" asked again, a cross-linked
#                 clone, a poisoned page, an unaligned partition, a failed
#                 device-table allocation); every check is recorded, so one
#                 boot of an unfixed kernel shows every defect
#   devdax        of two regions, the first made device-dax (/dev/dax0.0,
#                 through sysfs as ndctl does): GET_DAXDEV naming it while
#                 device_dax has it is refused; bound to fsdev_dax by famfs
#                 mkfs -M, every proof of dax1 on it; its mmap fails; a
#                 second connection naming it is refused (EBUSY); back on
#                 device_dax it mounts on the fallback path
#   devdax-remove remove on device-dax: unbound from fsdev_dax while files
#                 are open and mapped, then bound again and read back
#   devdax-reopen /dev/dax0.0 held open across unbind and bind, on
#                 device_dax and fsdev_dax: it opens while and after the
#                 old file is open; a device_dax mapping held while the
#                 device moves to fsdev_dax SIGBUSes
#   devdax-twohost  two guests share one device-dax region live, as
#                 twohost-live; then a third boots on the region they
#                 left, finds /dev/dax0.0 made at boot from its info
#                 block, and reads both files as a client
#                 (the devdax scenarios SKIP unless the kernel has
#                 CONFIG_FUSE_FAMFS_DAX=y and CONFIG_DEV_DAX_FSDEV=y)
#   cxl           QEMU's CXL type-3 pmem device: a region committed and a
#                 label namespace made device-dax through sysfs, then
#                 every proof of dax1 on it (SKIP unless the kernel also
#                 has CXL_REGION, CXL_PMEM and CXL_ACPI: the debug kernel)
# Added to the default list on a debug kernel (make vmtest-debug; a kernel
# whose config has KASAN=y or PROVE_LOCKING=y), runnable by name on any
# famfs kernel:
#   evict         famfs inodes that were opened get evicted (drop_caches
#                 over and over, a memory hog) while other files stay
#                 open and mapped; the server's GET_FMAP count proves the
#                 evictions; contents verified after
#   remove        the pmem namespace is unbound from nd_pmem while famfs
#                 files are open and mapped (dirty): loads SIGBUS, reads
#                 fail, no kernel report; after re-binding, a new mount
#                 reads every file back
#   fuzz          FUZZ_VM_SECONDS of opens, reads and mmap faults while
#                 build/famfs-fault answers random and mutated GET_FMAP
#                 and GET_DAXDEV replies (FAMFS_FAULT_FMAP=random:SEED);
#                 prints its iteration counts
#   races         issue 12's races D6 and D9 made to happen: QEMU's gdb
#                 stub and tests/vm/hold.py keep one vCPU inside each race
#                 window while the other runs the competing path (needs 2
#                 vCPUs and KASAN; passes only if both holds happened)
# Not in the default list:
#   bench         figures, not checks (bench/vm.sh): membench on anonymous
#                 memory, famfs DAX, famfs fallback, ext2 -o dax; passes
#                 when the table was printed
#   multibench    figures (bench/vm.sh multi): sequential reads of a file
#                 interleaved over two devices vs one device (three pmem
#                 regions: a two-device famfs and a one-device famfs)
#   devdaxbench   figures (bench/vm.sh devdax): ext2 -o dax on pmem, then
#                 the region as /dev/dax0.0: its raw mmap (device_dax)
#                 and famfs on it (fsdev_dax) in alternating rounds; needs
#                 the kernel of the devdax scenarios
# Any other tests/vm/guest/NAME.sh can be named to run it alone in one
# guest (for development).
#
# Environment:
#   VM_KERNEL   bzImage to boot (default build/kernel/bzImage, from make
#               kernel).  "debian": Debian's linux-image-6.12.*-cloud-amd64
#               (apt-get download, cached in VM_DEBIAN, default
#               build/vm/debian), whose pmem drivers are modules that go
#               into the initramfs.
#   VM_KCONFIG  that kernel's .config (default: .config beside VM_KERNEL)
#   VM_TIMEOUT  seconds per guest (default 180; 900 on a debug kernel)
#   FUZZ_VM_SECONDS  how long the fuzz scenario runs (default 300); its
#               guest gets VM_TIMEOUT on top
#   FUZZ_SEED   first seed of the fuzz scenario (default: the time); the
#               run prints it, so a failure can be replayed
#   VM_SMP      vCPUs of a single guest (default 2 if CONFIG_SMP=y, else 1;
#               the two-host guests always have 1)
#   VM_OUT      artifacts (default build/vm): initramfs, logs/, shared.img
#   VM_VERBOSE  1: print every guest's whole console log

set -u
cd "$(dirname "$0")/../.." || exit 1

BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/vm}
TIMEOUT=${VM_TIMEOUT:-}
KERNEL=${VM_KERNEL:-$BUILD/kernel/bzImage}
LOGS=$VM_OUT/logs
ALL="boot daxref fallback1 dax1 twohost twohost-live negative multi multihost packed kdefects devdax devdax-remove devdax-reopen devdax-twohost cxl"
DEBUG_ONLY="evict remove fuzz races"
FUZZ_SECS=${FUZZ_VM_SECONDS:-300}
FUZZ_SEED=${FUZZ_SEED:-$(date +%s)}
QEMU=qemu-system-x86_64

skip_all() {
	echo "vm: SKIP: $*"
	exit 77
}

mkdir -p "$VM_OUT" "$LOGS"
rm -f "$LOGS"/*.log

# QEMU, the kernel, vm_qemu (shared with tests/appliance/run.sh)
# shellcheck source=tests/vm/host.sh
. tests/vm/host.sh

# --- initramfs ------------------------------------------------------------
INITRD=$VM_OUT/initramfs.cpio.gz
if ! VM_OUT=$VM_OUT tests/vm/mkinitramfs.sh "$INITRD" ${MODDIR:+"$MODDIR"}; then
	echo "FAIL initramfs: tests/vm/mkinitramfs.sh failed"
	echo "vm: 0 passed, 1 failed"
	exit 1
fi

# A debug kernel (kernel/config.debug): every WARN and oops panics (there is no
# Kconfig option for it in 6.12), the guests are slower, and the default
# list has the debug scenarios too.
DEBUG_KERNEL=0
if kconfig_y KASAN || kconfig_y PROVE_LOCKING; then
	DEBUG_KERNEL=1
	ALL="$ALL $DEBUG_ONLY"
fi
[ -n "$TIMEOUT" ] || { [ $DEBUG_KERNEL = 1 ] && TIMEOUT=900 || TIMEOUT=180; }
# oops=panic as well: a task that oopsed keeps its locks (an oops in
# umount holds s_umount), so /init's sync would hang until VM_TIMEOUT.
# no5lvl: -cpu max offers LA57; with it, 2 of 13 debug boots reported a
# KASAN wild-memory-access in an interrupt during identify_cpu(), before
# any famfs code ran.  Distro machines boot with 4-level paging.
DEBUG_APPEND=
[ $DEBUG_KERNEL = 1 ] && DEBUG_APPEND=" panic_on_warn=1 oops=panic no5lvl"

echo "  vm: kernel $KERNEL_SRC ($( [ -f "$KCONFIG" ] && echo "config $KCONFIG_SRC" || echo "no $KCONFIG_SRC")," \
	"FUSE_FAMFS_DAX=$([ $HAS_DAX = 1 ] && echo y || echo n), smp $SMP), timeout ${TIMEOUT} s per guest"
[ $DEBUG_KERNEL = 0 ] || echo "  vm: debug kernel (KASAN=$(kconfig_y KASAN && echo y || echo n)," \
	"PROVE_LOCKING=$(kconfig_y PROVE_LOCKING && echo y || echo n)): panic_on_warn=1," \
	"fuzz ${FUZZ_SECS} s from seed $FUZZ_SEED"

# --- guests ---------------------------------------------------------------
# guest LOG TESTS [MEM]: boot one guest to run TESTS (comma list); its
# console goes to LOG.  MEM chooses the pmem regions (vm_qemu, host.sh):
#   (none)        one private 2 GiB region, memmap=2G!4G: /dev/pmem0
#   2             two private 1 GiB regions, memmap=1G!4G memmap=1G!5G:
#                 /dev/pmem0 (4 GiB) and /dev/pmem1 (5 GiB)
#   3             the same and a third, memmap=1G!6G: /dev/pmem2 (6 GiB)
#   FILE          the two-host command line of KERNEL.md: a NUMA node
#                 backed by FILE, memmap=2G!6G over it (/dev/pmem0)
#   FILE0,FILE1   two such nodes of 1 GiB, FILE0 at 6 GiB (/dev/pmem0),
#                 FILE1 at 7 GiB (/dev/pmem1); memmap=1G!6G memmap=1G!7G.
#                 PRAM ranges are never merged (e820_nomerge()), so two
#                 adjacent memmap= ranges are two regions.
guest() {
	local log=$1 tests=$2 shared=${3:-} rc
	vm_qemu "$log" "$INITRD" "console=ttyS0 panic=-1$DEBUG_APPEND famfs.test=$tests famfs.expect=$EXPECT famfs.timeout=$((TIMEOUT - 20))${GUEST_APPEND:-}" \
		"$shared" </dev/null
	rc=$?
	[ "${VM_VERBOSE:-0}" = 1 ] && sed "s|^|  [$(basename "$log" .log)] |" "$log"
	return "$rc"
}

# kernel_reports LOG: the lines of a console log that start a kernel
# report: BUG, WARN, Oops, panic, KASAN, UBSAN, lockdep (its reports are
# WARNING:/BUG: headers; "lockdep is turned off" and "locking correctness
# validator" come when it turns itself off; not a bare "lockdep", which a
# debug kernel's boot prints: "RCU lockdep checking is enabled", the
# MAX_LOCKDEP_* sizes).  Not counted: the command line (it has
# panic=), the guest's own FAMFS-VM lines, and the "dmesg: " copies a
# failing scenario prints.
REPORT_RE='Kernel panic|BUG:|Oops|WARNING:|general protection fault|UBSAN:|KASAN:|possible circular locking|possible recursive locking|inconsistent lock state|lockdep is turned off|locking correctness validator|panic'
kernel_reports() {
	grep -a -E "$REPORT_RE" "$1" | grep -a -v -E '[Cc]ommand line:|^FAMFS-VM:|^dmesg: |^    \|'
}

# judge LOG TEST QEMU_RC: set WHY to "" (passed) or the reason it failed.
judge() {
	local log=$1 t=$2 rc=$3 line
	WHY=
	line=$(kernel_reports "$log" | head -n 1)
	[ -n "$line" ] || line=$(grep -a -m 1 'Call Trace:' "$log")
	if [ -n "$line" ]; then
		WHY="kernel: $line"
		# the scenario's own reason, if it gave one, after the kernel's
		line=$(grep -a -o "FAMFS-VM: FAIL $t: .*" "$log" | head -n 1)
		[ -z "$line" ] || WHY="$WHY; then ${line#"FAMFS-VM: FAIL $t: "}"
		return
	fi
	line=$(grep -a -o "FAMFS-VM: FAIL $t: .*" "$log" | head -n 1)
	if [ -n "$line" ]; then
		WHY=${line#"FAMFS-VM: FAIL $t: "}
		return
	fi
	grep -a -q "FAMFS-VM: PASS $t " "$log" && return
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		WHY="no result: QEMU stopped after $TIMEOUT s (last line: $(grep -a . "$log" | tail -n 1))"
	elif ! grep -a -q 'FAMFS-VM: BOOT' "$log"; then
		WHY="the guest never reached /init (QEMU exit $rc; last line: $(grep -a . "$log" | tail -n 1))"
	else
		WHY="no result (QEMU exit $rc; last line: $(grep -a . "$log" | tail -n 1))"
	fi
}

# Progress lines of a guest, indented.
show_progress() {
	grep -a -o "FAMFS-VM: \(ok\|BOOT\) .*" "$1" | sed "s/^FAMFS-VM: /    $2/"
}

show_failure() {
	echo "    --- last lines of $1:"
	grep -a -v '^dmesg: ' "$1" | tail -n 25 | sed 's/^/    | /'
	grep -a '^dmesg: ' "$1" | tail -n 8 | sed 's/^/    | /'
}

PASSED=0 FAILED=0 SKIPPED=
now() { date +%s; }

result() {
	local name=$1 secs=$2
	shift 2
	if [ -z "$WHY" ]; then
		echo "PASS $name (${secs} s)"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL $name: $WHY (${secs} s)"
		FAILED=$((FAILED + 1))
	fi
}

skip() {
	echo "SKIP $1: $2"
	SKIPPED="$SKIPPED $1"
}

# single SCENARIO [MEM]: one guest (MEM as for guest()).
single() {
	local t=$1 log=$LOGS/$1.log start rc
	start=$(now)
	guest "$log" "$t" "${2:-}"
	rc=$?
	judge "$log" "$t" $rc
	show_progress "$log" ""
	result "$t" $(($(now) - start))
	[ -z "$WHY" ] || show_failure "$log"
}

# shared_file NAME SIZE: a new sparse file in VM_OUT for shared memory.
shared_file() {
	rm -f "$VM_OUT/$1"
	truncate -s "$2" "$VM_OUT/$1"
}

# pair NAME TEST_A TEST_B MEM_A MEM_B: guest A runs TEST_A to the end,
# then guest B boots and runs TEST_B (MEM as for guest(): the shared
# file(s) both see).
pair() {
	local name=$1 ta=$2 tb=$3 ma=$4 mb=$5 start rc why=
	local la=$LOGS/$ta.log lb=$LOGS/$tb.log
	start=$(now)
	guest "$la" "$ta" "$ma"
	rc=$?
	judge "$la" "$ta" $rc
	show_progress "$la" "A "
	if [ -n "$WHY" ]; then
		why="guest A: $WHY"
	else
		guest "$lb" "$tb" "$mb"
		rc=$?
		judge "$lb" "$tb" $rc
		show_progress "$lb" "B "
		[ -z "$WHY" ] || why="guest B: $WHY"
	fi
	WHY=$why
	result "$name" $(($(now) - start))
	if [ -n "$WHY" ]; then
		show_failure "$la"
		[ -f "$lb" ] && show_failure "$lb"
	fi
}

twohost() {
	shared_file shared.img 2G
	pair twohost twohost-a twohost-b "$VM_OUT/shared.img" "$VM_OUT/shared.img"
}

# Two shared 1 GiB files; guest B has them in the opposite order, so its
# /dev/pmem0 is guest A's /dev/pmem1.
multihost() {
	local f0=$VM_OUT/shared0.img f1=$VM_OUT/shared1.img
	shared_file shared0.img 1G
	shared_file shared1.img 1G
	pair multihost multihost-a multihost-b "$f0,$f1" "$f1,$f0"
}

# twohost_live [TEST_A TEST_B NAME [TEST_C]]: both guests at once
# (default: live-a, live-b, reported as twohost-live); if both pass and
# TEST_C is given, a third guest boots after them on the memory they left.
twohost_live() {
	local ta=${1:-live-a} tb=${2:-live-b} name=${3:-twohost-live} tc=${4:-}
	local la=$LOGS/$ta.log lb=$LOGS/$tb.log lc=$LOGS/${tc:-none}.log start ra rb rc pa why=
	start=$(now)
	shared_file shared.img 2G
	guest "$la" "$ta" "$VM_OUT/shared.img" &
	pa=$!
	guest "$lb" "$tb" "$VM_OUT/shared.img"
	rb=$?
	wait $pa
	ra=$?
	judge "$la" "$ta" $ra
	show_progress "$la" "A "
	[ -z "$WHY" ] || why="guest A: $WHY"
	judge "$lb" "$tb" $rb
	show_progress "$lb" "B "
	if [ -n "$WHY" ]; then
		why="${why:+$why; }guest B: $WHY"
	fi
	if [ -z "$why" ] && [ -n "$tc" ]; then
		guest "$lc" "$tc" "$VM_OUT/shared.img"
		rc=$?
		judge "$lc" "$tc" $rc
		show_progress "$lc" "C "
		[ -z "$WHY" ] || why="guest C: $WHY"
	fi
	WHY=$why
	result "$name" $(($(now) - start))
	if [ -n "$WHY" ]; then
		show_failure "$la"
		show_failure "$lb"
		[ -z "$tc" ] || [ ! -f "$lc" ] || show_failure "$lc"
	fi
}

# races: one guest with QEMU's gdb stub; once it has printed the kernel
# addresses the holds need, tests/vm/hold.py (the gdb remote protocol,
# no gdb) attaches and holds a vCPU in each race window.  Passes only if
# the guest passed and both holds happened (a run where nothing was held
# proves nothing).
races() {
	local log=$LOGS/races.log hlog=$LOGS/races-hold.log sock=$VM_OUT/races-gdb.sock
	local start rc gp='' qp vars i
	start=$(now)
	WHY=
	: >"$log"
	: >"$hlog"
	rm -f "$sock"
	VM_GDB_SOCK=$sock guest "$log" races &
	qp=$!
	vars=
	for ((i = 0; i < TIMEOUT * 5; i++)); do
		vars=$(grep -a -o 'FAMFS-VM: HOLD-SYMS HOLD_D6=0x[0-9a-f]* HOLD_D9=0x[0-9a-f]* HOLD_UTS=0x[0-9a-f]*' "$log" |
			head -n 1 | grep -o 'HOLD_[A-Z0-9]*=0x[0-9a-f]*')
		[ -z "$vars" ] && kill -0 $qp 2>/dev/null || break
		sleep 0.2
	done
	if [ -n "$vars" ]; then
		# shellcheck disable=SC2086 # three NAME=0xHEX words
		env $vars HOLD_SOCK="$sock" HOLD_SECS="${HOLD_SECS:-6}" \
			python3 tests/vm/hold.py >"$hlog" 2>&1 &
		gp=$!
	fi
	wait $qp
	rc=$?
	[ -z "$gp" ] || wait $gp
	rm -f "$sock"
	judge "$log" races $rc
	show_progress "$log" ""
	sed 's/^/    /' "$hlog" | grep 'HOLD:'
	for i in D6 D9; do
		[ -n "$WHY" ] || grep -q "HOLD: $i held cpu 0 " "$hlog" ||
			WHY="the host never held CPU 0 for $i (see $hlog)"
	done
	result races $(($(now) - start))
	[ -z "$WHY" ] || show_failure "$log"
}

# The fuzz guest runs FUZZ_SECS on top of the usual limit.
fuzz() {
	local TIMEOUT=$((TIMEOUT + FUZZ_SECS))
	local GUEST_APPEND=" famfs.fuzz=$FUZZ_SECS famfs.fuzzseed=$FUZZ_SEED"
	single fuzz
}

# summary: the counts of a debug run (scenarios, fuzz, kernel reports).
summary() {
	local f n total=0 logs=0 fz
	for f in "$LOGS"/*.log; do
		[ -f "$f" ] || continue
		logs=$((logs + 1))
		n=$(kernel_reports "$f" | wc -l)
		total=$((total + n))
		if [ "$n" != 0 ]; then
			echo "  vm: $n kernel report line(s) in $f:"
			kernel_reports "$f" | head -n 5 | sed 's/^/    | /'
		fi
	done
	echo "  vm: kernel reports: $total in $logs console log(s)"
	fz=$(grep -a -h -o 'FUZZ-COUNTS .*' "$LOGS"/fuzz.log 2>/dev/null | tail -n 1)
	[ -z "$fz" ] || echo "  vm: fuzz: ${fz#FUZZ-COUNTS } (first seed $FUZZ_SEED)"
}

TOTAL_START=$(now)
for s in ${*:-$ALL}; do
	case $s in
	boot | fallback1) single "$s" ;;
	bench) single bench ;;
	daxref)
		if kconfig_y EXT2_FS || kconfig_y EXT4_USE_FOR_EXT2; then
			single daxref
		else
			skip daxref "the kernel has no ext2 driver (${KCONFIG_SRC})"
		fi
		;;
	dax1 | negative | evict | remove)
		if [ $HAS_DAX = 1 ]; then
			single "$s"
		else
			skip "$s" "the kernel has no CONFIG_FUSE_FAMFS_DAX=y (${KCONFIG_SRC}): not run, not passed"
		fi
		;;
	races)
		if [ $HAS_DAX != 1 ] || ! kconfig_y KASAN || [ "$SMP" -lt 2 ]; then
			skip "$s" "races needs CONFIG_FUSE_FAMFS_DAX=y, KASAN=y (D9 is a use-after-free) and 2 vCPUs (${KCONFIG_SRC}, smp $SMP): not run, not passed"
		elif ! command -v python3 >/dev/null; then
			skip "$s" "races needs python3 on the host (tests/vm/hold.py): not run, not passed"
		else
			races
		fi
		;;
	fuzz)
		if [ $HAS_DAX = 1 ]; then
			fuzz
		else
			skip "$s" "the kernel has no CONFIG_FUSE_FAMFS_DAX=y (${KCONFIG_SRC}): not run, not passed"
		fi
		;;
	devdax | devdax-remove | devdax-reopen | devdax-twohost | devdaxbench)
		if [ $HAS_DAX != 1 ] || ! kconfig_y DEV_DAX_FSDEV; then
			skip "$s" "the kernel lacks CONFIG_FUSE_FAMFS_DAX=y or CONFIG_DEV_DAX_FSDEV=y (${KCONFIG_SRC}): not run, not passed"
		elif [ "$s" = devdax-twohost ]; then
			twohost_live devdax-live-a devdax-live-b devdax-twohost devdax-late
		elif [ "$s" = devdax ]; then
			single "$s" 2
		else
			single "$s"
		fi
		;;
	cxl)
		if [ $HAS_DAX != 1 ] || ! kconfig_y DEV_DAX_FSDEV || ! kconfig_y CXL_REGION ||
			! kconfig_y CXL_PMEM || ! kconfig_y CXL_ACPI; then
			skip "$s" "the kernel lacks one of CONFIG_FUSE_FAMFS_DAX, DEV_DAX_FSDEV, CXL_REGION, CXL_PMEM, CXL_ACPI =y (${KCONFIG_SRC}): not run, not passed"
		else
			single "$s" cxl
		fi
		;;
	multi) single "$s" 2 ;;
	multibench) single "$s" 3 ;;
	twohost | twohost-live | multihost)
		if ! kconfig_y NUMA; then
			skip "$s" "the shared-memory guests need CONFIG_NUMA=y (${KCONFIG_SRC})"
		elif [ "$s" = twohost ]; then
			twohost
		elif [ "$s" = multihost ]; then
			multihost
		else
			twohost_live
		fi
		;;
	lib | init)
		echo "FAIL $s: not a scenario"
		FAILED=$((FAILED + 1))
		;;
	*)
		# Any other guest script runs alone in one guest (development).
		if [ -f "tests/vm/guest/$s.sh" ]; then
			single "$s"
		else
			echo "FAIL $s: no such scenario (have: $ALL)"
			FAILED=$((FAILED + 1))
		fi
		;;
	esac
done

echo "  vm: $(($(now) - TOTAL_START)) s; logs in $LOGS${SKIPPED:+; skipped:$SKIPPED}"
summary
echo "  vm: scenarios: $((PASSED + FAILED)) run, $PASSED passed, $FAILED failed${SKIPPED:+, skipped:$SKIPPED}"
echo "vm: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
