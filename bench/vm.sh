#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm.sh [multi]: section (g) of the benchmarks, DAX in QEMU, or
# with "multi" section (i), a file interleaved over two devices vs one.
#
# (g) boots one guest with tests/vm/run.sh's scenario "bench"
# (tests/vm/guest/bench.sh): membench (tests/vm/guest/membench.c) over a
# 1 GiB file on famfs in DAX mode, the same file after a remount with
# -m fallback, a 1 GiB file on ext2 -o dax on the same /dev/pmem0, and
# anonymous memory.
# (i) boots one guest with three 1 GiB pmem regions, scenario
# "multibench" (tests/vm/guest/multibench.sh): a famfs over /dev/pmem0 +
# /dev/pmem1 and one on /dev/pmem2, mounted at once; sequential reads
# (mmap and read(2)) of a 384 MiB file interleaved -N 2 -C 2M over the two
# devices, and of files of that size contiguous on one device and
# interleaved within one device; medians and ratios.
# Prints the guest's markdown table with a heading and the run's date,
# machine and time.  Figures, never a pass or a fail; exit nonzero only
# when the guest printed no table.
#
# Environment: VM_KERNEL, VM_KCONFIG (as tests/vm/run.sh; default
# build/kernel/bzImage), VM_TIMEOUT (default 300 s for the one guest),
# VM_OUT (default build/vm-bench: not build/vm, so a concurrent make
# vmtest keeps its logs).

set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export VM_OUT=${VM_OUT:-$BUILD/vm-bench}
export VM_TIMEOUT=${VM_TIMEOUT:-300}
SCEN=bench
[ "${1:-}" = multi ] && SCEN=multibench
LOG=$VM_OUT/logs/$SCEN.log

start=$(date +%s)
out=$(tests/vm/run.sh $SCEN 2>&1)
rc=$?
secs=$(($(date +%s) - start))
table=$(sed -n '/FAMFS-VM: BENCH-BEGIN/,/FAMFS-VM: BENCH-END/p' "$LOG" 2>/dev/null |
	grep -a -v 'FAMFS-VM: BENCH-')

if [ $SCEN = bench ]; then
	echo "## (g) DAX in QEMU"
else
	echo "## (i) A file interleaved over two devices vs one device, in QEMU"
fi
echo
if [ -z "$table" ]; then
	echo "No table: the guest did not finish (tests/vm/run.sh exit $rc)."
	echo "$out" | tail -n 30 | sed 's/^/    /'
	exit 1
fi
kernel=$(sed -n 's/.*FAMFS-VM: BOOT kernel \([^ ]*\) cpus \([0-9]*\).*/\1, \2 vCPUs/p' "$LOG" | head -n 1)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), host $(uname -m) ${cpu:-unknown CPU}, $(nproc) cores;"
if [ $SCEN = bench ]; then
	echo "QEMU TCG (no KVM), guest kernel $kernel, 6 GiB RAM, /dev/pmem0 ="
	echo "memmap=2G!4G.  One guest boot, $secs s in all (bench/vm.sh)."
else
	echo "QEMU TCG (no KVM), guest kernel $kernel, 6 GiB RAM; /dev/pmem0,"
	echo "/dev/pmem1, /dev/pmem2 = memmap=1G!4G, 1G!5G, 1G!6G; two devices ="
	echo "a famfs over pmem0 + pmem1, one device = a famfs on pmem2, both"
	echo "mounted.  One guest boot, $secs s in all (bench/vm.sh multi)."
fi
echo
echo "$table"
