# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables set here are the sourcing script's
#
# tests/vm/host.sh: the host side that tests/vm/run.sh and
# tests/appliance/run.sh share, sourced after they set
#   QEMU KERNEL (VM_KERNEL: a bzImage or "debian") VM_OUT BUILD
#   and a function skip_all REASON (exits 77).
# Installs QEMU if missing, fetches Debian's 6.12 cloud kernel for
# KERNEL=debian (cached in VM_DEBIAN, default build/vm/debian), snapshots
# the kernel and its .config into VM_OUT and sets
#   KERNEL KCONFIG KERNEL_SRC KCONFIG_SRC MODDIR HAS_DAX EXPECT SMP
# and the functions kconfig_y and vm_qemu.

VM_DEBIAN=${VM_DEBIAN:-$BUILD/vm/debian}
MODDIR=

# --- QEMU -----------------------------------------------------------------
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "  vm: installing qemu-system-x86 (apt-get)"
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		qemu-system-x86 || { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		qemu-system-x86; }; } >"$VM_OUT/apt-qemu.log" 2>&1
	command -v "$QEMU" >/dev/null 2>&1 ||
		skip_all "$QEMU is not installed and apt-get could not install it (see $VM_OUT/apt-qemu.log)"
fi

# --- kernel ---------------------------------------------------------------
# Debian's cloud kernel: FUSE built in, libnvdimm/nd_pmem/nd_e820 and
# overlay (the appliance's root) as modules.
debian_kernel() {
	local dir=$VM_DEBIAN pkg deb x m f
	if [ -f "$dir/vmlinuz" ] && [ -f "$dir/modules/overlay.ko" ] && [ -f "$dir/config" ]; then
		return 0
	fi
	pkg=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' 2>/dev/null |
		cut -d' ' -f1 | sort -V | tail -n 1)
	[ -n "$pkg" ] || return 1
	rm -rf "$dir"
	mkdir -p "$dir/modules"
	echo "  vm: fetching $pkg (apt-get download)"
	(cd "$dir" && apt-get download -q "$pkg" >apt.log 2>&1) || return 1
	for deb in "$dir"/*.deb; do break; done
	[ -f "$deb" ] || return 1
	x=$dir/x
	dpkg-deb -x "$deb" "$x" || return 1
	cp "$x"/boot/vmlinuz-* "$dir/vmlinuz" && cp "$x"/boot/config-* "$dir/config" || return 1
	for m in libnvdimm nd_btt nd_pmem nd_e820 overlay; do
		f=$(find "$x/lib/modules" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || return 1
		case $f in
		*.xz) xz -dc "$f" >"$dir/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$dir/modules/$m.ko" ;;
		*) cp "$f" "$dir/modules/$m.ko" ;;
		esac || return 1
		echo "$m" >>"$dir/modules/load"
	done
	rm -rf "$x" "$deb"
}

if [ "$KERNEL" = debian ]; then
	debian_kernel || skip_all "cannot get Debian's linux-image-6.12 cloud kernel (see $VM_DEBIAN/apt.log)"
	KERNEL=$VM_DEBIAN/vmlinuz
	KCONFIG=${VM_KCONFIG:-$VM_DEBIAN/config}
	MODDIR=$VM_DEBIAN/modules
else
	KCONFIG=${VM_KCONFIG:-$(dirname "$KERNEL")/.config}
fi
[ -f "$KERNEL" ] || skip_all "no kernel at $KERNEL: run 'make kernel' (or VM_KERNEL=debian tests/vm/run.sh)"
# Boot a snapshot: make kernel may rewrite the image while the tests run.
KERNEL_SRC=$KERNEL
cp "$KERNEL" "$VM_OUT/bzImage" || skip_all "cannot copy $KERNEL"
KERNEL=$VM_OUT/bzImage
if [ -f "$KCONFIG" ]; then
	cp "$KCONFIG" "$VM_OUT/kernel.config"
	KCONFIG_SRC=$KCONFIG
	KCONFIG=$VM_OUT/kernel.config
else
	KCONFIG_SRC=$KCONFIG
fi

kconfig_y() { [ -f "$KCONFIG" ] && grep -q "^CONFIG_$1=y" "$KCONFIG"; }

HAS_DAX=0
kconfig_y FUSE_FAMFS_DAX && HAS_DAX=1
EXPECT=fallback
[ $HAS_DAX = 1 ] && EXPECT=dax
if [ -n "${VM_SMP:-}" ]; then
	SMP=$VM_SMP
elif kconfig_y SMP; then
	SMP=2
else
	SMP=1
fi
# Two vCPUs run under single-threaded TCG.  With one host thread per vCPU
# (MTTCG, QEMU's default here) a vCPU can execute a translated block made
# before another vCPU finished patching kernel text: the stale int3 of a
# static-key patch reaches the kernel after the patch completed, and
# poke_int3_handler() finds no patch to resolve it (CI, "Oops: int3" in
# sched_clock_cpu).  thread=single switches vCPUs only between blocks and
# retranslates patched code before running it.
TCG=tcg
[ "$SMP" -gt 1 ] && TCG=tcg,thread=single

# vm_qemu LOG INITRD APPEND [MEM]: boot one guest under timeout TIMEOUT;
# its console (stdin from this function's stdin) goes to LOG.  MEM chooses
# the pmem regions:
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
#   cxl           no memmap=: one CXL type-3 device (1 GiB persistent
#                 backend, 256 KiB label area; QEMU 7.2 emulates CXL pmem
#                 only) on root port 0 of a CXL host bridge, under a 4 GiB
#                 fixed memory window.  Its backends are fresh files in
#                 VM_OUT (cxl-mem0, cxl-lsa0).
# Returns QEMU's (or timeout's) exit status.
vm_qemu() {
	local log=$1 initrd=$2 append=$3 shared=${4:-} mem rc machine=q35 cpu=max
	case $shared in
	cxl)
		rm -f "$VM_OUT/cxl-mem0" "$VM_OUT/cxl-lsa0"
		truncate -s 1G "$VM_OUT/cxl-mem0"
		truncate -s 256K "$VM_OUT/cxl-lsa0"
		machine=q35,cxl=on
		# Committing a region needs cpu_cache_invalidate_memregion(),
		# which x86 offers only without X86_FEATURE_HYPERVISOR (WBINVD
		# on bare metal); under TCG the cache is QEMU's, coherent.
		cpu=max,hypervisor=off
		# shellcheck disable=SC2054  # QEMU's own commas
		mem=(-smp "$SMP" -m 4G
			-object "memory-backend-file,id=cxl-mem0,share=on,mem-path=$VM_OUT/cxl-mem0,size=1G"
			-object "memory-backend-file,id=cxl-lsa0,share=on,mem-path=$VM_OUT/cxl-lsa0,size=256K"
			-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
			-device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2
			-device cxl-type3,bus=rp0,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0
			-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G)
		;;
	"")
		mem=(-smp "$SMP" -m 6G)
		append="$append memmap=2G!4G"
		;;
	2 | 3)
		mem=(-smp "$SMP" -m 6G)
		append="$append memmap=1G!4G memmap=1G!5G"
		[ "$shared" = 2 ] || append="$append memmap=1G!6G"
		;;
	*,*)
		# shellcheck disable=SC2054  # QEMU's own commas
		mem=(-smp 1 -m 6G
			-object memory-backend-ram,id=m0,size=4G
			-object "memory-backend-file,id=m1,size=1G,mem-path=${shared%%,*},share=on"
			-object "memory-backend-file,id=m2,size=1G,mem-path=${shared#*,},share=on"
			-numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1
			-numa node,nodeid=2,memdev=m2)
		append="$append memmap=1G!6G memmap=1G!7G"
		;;
	*)
		# shellcheck disable=SC2054  # QEMU's own commas
		mem=(-smp 1 -m 6G
			-object memory-backend-ram,id=m0,size=4G
			-object "memory-backend-file,id=m1,size=2G,mem-path=$shared,share=on"
			-numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1)
		append="$append memmap=2G!6G"
		;;
	esac
	# VM_GDB_SOCK: QEMU's gdb stub on that unix socket (tests/vm/hold.py)
	[ -z "${VM_GDB_SOCK:-}" ] ||
		mem+=(-chardev "socket,path=$VM_GDB_SOCK,server=on,wait=off,id=gdb0" -gdb chardev:gdb0)
	timeout -k 10 "$TIMEOUT" "$QEMU" -machine "$machine" -accel "$TCG" -cpu "$cpu" "${mem[@]}" \
		-kernel "$KERNEL" -initrd "$initrd" -nographic -no-reboot -net none \
		-append "$append" 2>&1 | stdbuf -o0 tr -d '\r' >"$log"
	rc=${PIPESTATUS[0]}
	return "$rc"
}
