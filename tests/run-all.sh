#!/usr/bin/env bash
# make test: every layer, then one combined "N passed, N failed" line.
set -u
cd "$(dirname "$0")/.."
total_pass=0 total_fail=0
run_layer() {
	local name=$1; shift
	local out line p f
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "$name: no summary line: counted as failed"
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}
run_layer unit tests/run-unit.sh build/asan/tests
run_layer integration tests/integration/run.sh
run_layer fsck tests/fsck/run.sh
# crash stops, bit flips and a create storm, in their bounded CI modes
run_layer reliability tests/reliability/run.sh
# every device open a private cache-incoherent view (build/incoherent):
# the model's hazards, two-host tests never-write-back and under two
# eviction seeds, a storm with a watching client (INCO_FULL=1: all modes)
run_layer incoherent tests/incoherent/run.sh
# the whole integration suite again with every famfs command and server
# built with ASan+UBSan (reports of the daemonized server are logged)
run_layer asan-integration env FAMFS_BIN=build/asan/famfs-asan \
	tests/integration/run.sh
# the server under valgrind (make vg): the mount-heavy tests here; the
# whole suite by hand with FAMFS_VALGRIND=1 tests/integration/run.sh
# (figures in RELIABILITY.md)
run_layer valgrind env FAMFS_VALGRIND=1 tests/integration/run.sh \
	${VALGRIND_TESTS:-t10 t11 t12 t60 t62}
# one minute of mixed work with the server's memory sampled
run_layer soak env SOAK_SECONDS=${SOAK_SECONDS:-60} tests/soak/run.sh
# libFuzzer: every target for a short bounded time (make fuzz runs each for
# FUZZ_SECONDS and every crash regression input once)
run_layer fuzz make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
# QEMU with our patched kernel (make test builds it first: make kernel)
run_layer vm env VM_KERNEL=build/kernel/bzImage VM_KCONFIG=build/kernel/.config \
	tests/vm/run.sh
# the same scenarios and evict, remove and a FUZZ_VM_SECONDS (300) fuzz of
# the kernel's map parsing on the debug kernel (make test builds it: make
# kernel-debug; KASAN, lockdep, panic_on_warn): any kernel report fails
run_layer vm-debug env VM_KERNEL=build/kernel-debug/bzImage \
	VM_KCONFIG=build/kernel-debug/.config VM_OUT=build/vm-debug \
	FUZZ_VM_SECONDS="${FUZZ_VM_SECONDS:-300}" tests/vm/run.sh
# the appliance (famfs init as PID 1) on the patched kernel
run_layer appliance env VM_KERNEL=build/kernel/bzImage VM_KCONFIG=build/kernel/.config \
	tests/appliance/run.sh
# a Debian root (systemd as PID 1) booted from one shared famfs memory by
# two appliance guests at once, on the patched kernel (DAX)
run_layer debian env VM_KERNEL=build/kernel/bzImage VM_KCONFIG=build/kernel/.config \
	tests/debian/run.sh
# kernel/smoke: the contiguous and interleaved DAX checks, and a server
# without CAP_SYS_RAWIO that must not be offered DAX (falls back)
kernel_smoke() {
	local log=build/kernel-smoke.log

	if kernel/smoke/run.sh >"$log" 2>&1; then
		echo "kernel-smoke: 1 passed, 0 failed"
	else
		tail -n 40 "$log"
		echo "kernel-smoke: 0 passed, 1 failed"
	fi
}
run_layer kernel-smoke kernel_smoke
# the same binary on Debian's stock 6.12 kernel: fallback mode, one and two
# hosts, two devices (multihost: the second host has them in the other order)
run_layer vm-stock env VM_KERNEL=debian tests/vm/run.sh boot fallback1 twohost \
	twohost-live multi multihost
# the appliance on Debian's stock 6.12 kernel: modules from the initramfs,
# fallback data path
run_layer appliance-stock env VM_KERNEL=debian tests/appliance/run.sh
echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
