#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# bench/debian.sh: the boot time of the Debian root from famfs (BENCHMARKS.md).
#
# The root of tests/debian (mkroot.sh: bookworm + systemd, famfs from its
# package) is copied into a 2 GiB memory file on this host
# (tests/debian/image.sh: famfs cp -a), then the appliance boots it
# BENCH_BOOTS times (default 3), one guest at a time, under QEMU TCG on
# the shared-memory layout of tests/vm/host.sh: famfs init serves famfs,
# switch_root into the overlay over /rootfs, systemd reaches
# multi-user.target, famfs-debian-ok.service prints its marker and powers
# off.  Two figures per boot, both seconds since the kernel started: famfs
# serving (famfs init's line, CLOCK_BOOTTIME) and multi-user.target active
# (systemd's monotonic timestamp, printed by the unit; nothing suspends, so
# the two clocks agree).  Prints the median, minimum and maximum of each
# and of their difference (systemd's part).  Figures, never a pass or a
# fail; exit nonzero only when a boot printed no figure.
#
# Environment: VM_KERNEL, VM_KCONFIG (default build/kernel/bzImage),
# VM_TIMEOUT (per boot, default 300), VM_OUT (default build/bench-debian),
# BENCH_BOOTS, FAMFS_CACHE (tests/debian/mkroot.sh's cache).

set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
VM_OUT=${VM_OUT:-$BUILD/bench-debian}
TIMEOUT=${VM_TIMEOUT:-300}
KERNEL=${VM_KERNEL:-$BUILD/kernel/bzImage}
BOOTS=${BENCH_BOOTS:-3}
QEMU=qemu-system-x86_64
SHARED=$VM_OUT/debian.img
INITRD=$VM_OUT/appliance.cpio.gz
ROOT=$VM_OUT/root

skip_all() {
	echo "bench debian: cannot run: $*"
	exit 1
}
mkdir -p "$VM_OUT/logs"
# shellcheck source=tests/vm/host.sh
. tests/vm/host.sh
kconfig_y CGROUPS || skip_all "systemd needs CONFIG_CGROUPS=y ($KCONFIG_SRC)"
initramfs/mkinitramfs.sh "$INITRD" ${MODDIR:+"$MODDIR"} >/dev/null || skip_all "initramfs/mkinitramfs.sh failed"
rm -f "$VM_OUT"/deb/*.deb
mkdir -p "$VM_OUT/deb"
deb=$(mk/deb.sh "$BUILD" "$VM_OUT/deb") || skip_all "mk/deb.sh $BUILD failed"
BUILD=$BUILD tests/debian/mkroot.sh "$ROOT" "$deb" >"$VM_OUT/logs/mkroot.out" 2>&1 ||
	skip_all "tests/debian/mkroot.sh failed (see $VM_OUT/logs/mkroot.out)"
BUILD=$BUILD tests/debian/image.sh "$SHARED" "$ROOT" >"$VM_OUT/logs/image.out" 2>&1 ||
	skip_all "tests/debian/image.sh: $(tail -n 1 "$VM_OUT/logs/image.out")"

APPEND="console=ttyS0 panic=-1 quiet systemd.show_status=error famfs.device.path=/dev/pmem0"
APPEND="$APPEND famfs.init.root=/rootfs famfs.init.root_init=/sbin/init"
serve_t=() mu_t=() sd_t=() dp=
start=$(date +%s)
for ((i = 1; i <= BOOTS; i++)); do
	log=$VM_OUT/logs/boot$i.log
	vm_qemu "$log" "$INITRD" "$APPEND systemd.hostname=bench$i" "$SHARED" </dev/null
	s=$(sed -n 's/.*famfs-init: serving .*, \([0-9.]*\) s after kernel start.*/\1/p' "$log" | head -n 1)
	m=$(sed -n 's/.*DEBIAN-ROOT-OK .* multi_user=\([0-9.]*\) .*/\1/p' "$log" | head -n 1)
	if [ -z "$s" ] || [ -z "$m" ]; then
		skip_all "boot $i printed no figure (see $log)"
	fi
	dp=$(sed -n 's/.*DEBIAN-ROOT-OK .* data_path=\([a-z?]*\) .*/\1/p' "$log" | head -n 1)
	serve_t+=("$s") mu_t+=("$m") sd_t+=("$(awk -v a="$m" -v b="$s" 'BEGIN { printf "%.3f", a - b }')")
done
secs=$(($(date +%s) - start))

# stats V...: "median (min to max)"
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f s (%.3f to %.3f)", m, v[1], v[NR] }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "## (j) Debian root with systemd, booted from famfs in QEMU"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), host $(uname -m) ${cpu:-unknown CPU}, $(nproc) cores,"
echo "load average $(cut -d' ' -f1 /proc/loadavg) at the end; QEMU TCG (no KVM), kernel $KERNEL_SRC,"
echo "1 vCPU, 6 GiB RAM of which a 2 GiB memory file is /dev/pmem0 (memmap=2G!6G),"
echo "\"quiet\"; root tree $(du -sm "$ROOT" | cut -f1) MiB, $(find "$ROOT" | wc -l) entries, copied in by"
echo "famfs cp -a on the host; data path ${dp:-?}.  $BOOTS boots, $secs s in all"
echo "(bench/debian.sh).  Times since the kernel started; median (min to max)."
echo
echo "| from kernel start to | time |"
echo "|---|---:|"
echo "| famfs serving (famfs init, before switch_root) | $(stats "${serve_t[@]}") |"
echo "| multi-user.target active (systemd) | $(stats "${mu_t[@]}") |"
echo "| systemd's part (serving to multi-user.target) | $(stats "${sd_t[@]}") |"
