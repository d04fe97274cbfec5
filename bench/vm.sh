#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/vm.sh [multi|devdax]: section (g) of the benchmarks, DAX in QEMU;
# with "multi" section (i), a file interleaved over two devices vs one;
# with "devdax" section (g2), famfs on device-dax vs the raw device.
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
# (g2) boots one guest with the 2 GiB region, scenario "devdaxbench"
# (tests/vm/guest/devdaxbench.sh): membench on ext2 -o dax on /dev/pmem0,
# then the region made /dev/dax0.0, and BENCH_ROUNDS rounds (default 5)
# of its raw mmap through device_dax (mmap modes only) and of a 1 GiB
# famfs file on it through fsdev_dax (all modes), the raw mapping at the
# file's offset; medians, famfs / raw and famfs / ext2.
# Prints the guest's markdown table with a heading and the run's date,
# machine, load (uptime before and after) and time.  Figures, never a pass or a fail; exit nonzero only
# when the guest printed no table.
#
# Environment: VM_KERNEL, VM_KCONFIG (as tests/vm/run.sh; default
# build/kernel/bzImage), VM_TIMEOUT (default 300 s for the one guest),
# VM_OUT (default build/vm-bench: not build/vm, so a concurrent make
# vmtest keeps its logs); for devdax VM_TIMEOUT defaults to 900 s and
# BENCH_ROUNDS (default 5) is passed to the guest.

set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export VM_OUT=${VM_OUT:-$BUILD/vm-bench}
case ${1:-} in
"") SCEN=bench ;;
multi) SCEN=multibench ;;
devdax)
	SCEN=devdaxbench
	export GUEST_APPEND=" famfs.benchrounds=${BENCH_ROUNDS:-5}"
	;;
*)
	echo "usage: bench/vm.sh [multi|devdax]" >&2
	exit 2
	;;
esac
if [ $SCEN = devdaxbench ]; then
	export VM_TIMEOUT=${VM_TIMEOUT:-900}
else
	export VM_TIMEOUT=${VM_TIMEOUT:-300}
fi
LOG=$VM_OUT/logs/$SCEN.log

load0=$(uptime | sed 's/.*load average: //')
start=$(date +%s)
out=$(tests/vm/run.sh $SCEN 2>&1)
rc=$?
secs=$(($(date +%s) - start))
load1=$(uptime | sed 's/.*load average: //')
table=$(sed -n '/FAMFS-VM: BENCH-BEGIN/,/FAMFS-VM: BENCH-END/p' "$LOG" 2>/dev/null |
	grep -a -v 'FAMFS-VM: BENCH-')

case $SCEN in
bench) echo "## (g) DAX in QEMU" ;;
multibench) echo "## (i) A file interleaved over two devices vs one device, in QEMU" ;;
*) echo "## (g2) device-dax in QEMU (issue 13)" ;;
esac
echo
if [ -z "$table" ]; then
	echo "No table: the guest did not finish (tests/vm/run.sh exit $rc)."
	echo "$out" | tail -n 30 | sed 's/^/    /'
	exit 1
fi
kernel=$(sed -n 's/.*FAMFS-VM: BOOT kernel \([^ ]*\) cpus \([0-9]*\).*/\1, \2 vCPUs/p' "$LOG" | head -n 1)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), host $(uname -m) ${cpu:-unknown CPU}, $(nproc) cores;"
echo "load average before $load0, after $load1;"
if [ $SCEN = bench ]; then
	echo "QEMU TCG (no KVM), guest kernel $kernel, 6 GiB RAM, /dev/pmem0 ="
	echo "memmap=2G!4G.  One guest boot, $secs s in all (bench/vm.sh)."
elif [ $SCEN = devdaxbench ]; then
	echo "QEMU TCG (no KVM), guest kernel $kernel, 6 GiB RAM, /dev/pmem0 ="
	echo "memmap=2G!4G, then the same region as /dev/dax0.0.  One guest boot,"
	echo "$secs s in all (bench/vm.sh devdax)."
else
	echo "QEMU TCG (no KVM), guest kernel $kernel, 6 GiB RAM; /dev/pmem0,"
	echo "/dev/pmem1, /dev/pmem2 = memmap=1G!4G, 1G!5G, 1G!6G; two devices ="
	echo "a famfs over pmem0 + pmem1, one device = a famfs on pmem2, both"
	echo "mounted.  One guest boot, $secs s in all (bench/vm.sh multi)."
fi
echo
echo "$table"
