#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/boot.sh: section (h) of the benchmarks, the appliance's boot time.
#
# Boots the appliance image (initramfs/mkinitramfs.sh, famfs init as PID
# 1) under QEMU TCG on the shared-memory layout of tests/vm/host.sh with a
# 2 GiB memory file: once to format it (famfs.init.format=blank), then
# BENCH_BOOTS times (default 5) on the filesystem left there, with a
# payload that exits at once (power off).  Each boot's console gives two
# figures, both CLOCK_BOOTTIME (seconds since the kernel started) as famfs
# init prints them: PID 1 started, and famfs serving (init's serve state:
# the mount answers).  Prints the median, minimum and maximum of each and
# of their difference (famfs init's own part: probe, validate, replay,
# mount).  Figures, never a pass or a fail; exit nonzero only when a boot
# printed no figure.
#
# Environment: VM_KERNEL, VM_KCONFIG (as tests/vm/run.sh; default
# build/kernel/bzImage), VM_TIMEOUT (per boot, default 90), VM_OUT
# (default build/bench-boot), BENCH_BOOTS.

set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/bench-boot}
TIMEOUT=${VM_TIMEOUT:-90}
KERNEL=${VM_KERNEL:-$BUILD/kernel/bzImage}
BOOTS=${BENCH_BOOTS:-5}
QEMU=qemu-system-x86_64
SHARED=$VM_OUT/pmem.img
INITRD=$VM_OUT/appliance.cpio.gz

skip_all() {
	echo "bench boot: cannot run: $*"
	exit 1
}
mkdir -p "$VM_OUT/logs"
# shellcheck source=tests/vm/host.sh
. tests/vm/host.sh
initramfs/mkinitramfs.sh "$INITRD" ${MODDIR:+"$MODDIR"} >/dev/null ||
	skip_all "initramfs/mkinitramfs.sh failed"

APPEND="console=ttyS0 panic=-1 quiet famfs.device.path=/dev/pmem0 famfs.init.payload=/bin/true"
rm -f "$SHARED"
truncate -s 2G "$SHARED"
start=$(date +%s)
vm_qemu "$VM_OUT/logs/format.log" "$INITRD" "$APPEND famfs.init.format=blank" "$SHARED" </dev/null
grep -a -q 'famfs-init: serving' "$VM_OUT/logs/format.log" ||
	skip_all "the formatting boot did not serve (see $VM_OUT/logs/format.log)"

init_t=() serve_t=() own_t=()
for ((i = 1; i <= BOOTS; i++)); do
	log=$VM_OUT/logs/boot$i.log
	vm_qemu "$log" "$INITRD" "$APPEND" "$SHARED" </dev/null
	p=$(sed -n 's/.*famfs-init: famfs .* as PID 1, \([0-9.]*\) s after kernel start.*/\1/p' "$log" | head -n 1)
	s=$(sed -n 's/.*famfs-init: serving .*, \([0-9.]*\) s after kernel start.*/\1/p' "$log" | head -n 1)
	if [ -z "$p" ] || [ -z "$s" ]; then
		skip_all "boot $i printed no figure (see $log)"
	fi
	init_t+=("$p") serve_t+=("$s") own_t+=("$(awk -v a="$s" -v b="$p" 'BEGIN { printf "%.3f", a - b }')")
done
secs=$(($(date +%s) - start))

# stats V...: "median (min to max)"
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f s (%.3f to %.3f)", m, v[1], v[NR] }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "## (h) Appliance boot time in QEMU"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), host $(uname -m) ${cpu:-unknown CPU}, $(nproc) cores,"
echo "load average $(cut -d' ' -f1 /proc/loadavg) at the end; QEMU TCG (no KVM), kernel $KERNEL_SRC,"
echo "1 vCPU, 6 GiB RAM of which a 2 GiB memory file is /dev/pmem0 (memmap=2G!6G),"
echo "\"quiet\", image $(stat -c %s "$INITRD") bytes.  $BOOTS boots after one formatting"
echo "boot, $secs s in all (bench/boot.sh).  Times since the kernel started"
echo "(CLOCK_BOOTTIME, printed by famfs init); median (min to max)."
echo
echo "| from kernel start to | time |"
echo "|---|---:|"
echo "| famfs init running as PID 1 | $(stats "${init_t[@]}") |"
echo "| famfs serving (init state serve) | $(stats "${serve_t[@]}") |"
echo "| famfs init's part (PID 1 to serving) | $(stats "${own_t[@]}") |"
