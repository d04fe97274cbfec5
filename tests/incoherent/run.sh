#!/usr/bin/env bash
# The incoherent-memory layer of make test, bounded.  Every famfs process
# is build/incoherent/famfs-incoherent: each device it opens is a private
# view of 64-byte cache lines, and only famfs_flush/famfs_invalidate (and,
# in the eviction mode, a seeded early write-back) move data between a
# view and the shared image (lib/incoherent.c).
#   1. test_incoherent: the model shows a stale read, a lost store, a torn
#      log entry (refused by the reader), early eviction, seeding
#   2. multi-host integration tests (master creates, copies and makes
#      directories, a client host lists, stats and verifies; famfs flush
#      and verify as upstream documents them, fsck on both hosts (t14);
#      multi-device files; the fallback data path), each run in
#      the never-write-back mode and under two eviction seeds
#   3. storm.sh: writers creating on the master while a client watches,
#      under an eviction seed
#   4. crash.sh: the master's server or command killed (or cut by the
#      fault build) at random points, a client host listing all through,
#      fsck and a fresh replay checked; never-write-back and a seed
# Prints PASS/FAIL per step with its time, the model's counters, and
# "incoherent: N passed, N failed".
#
#   INCO_FULL=1 tests/incoherent/run.sh   every test in every mode
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
BIN=$BUILD/incoherent/famfs-incoherent
UNIT=$BUILD/incoherent/tests/test_incoherent
pass=0 fail=0

if [ ! -x "$BIN" ] || [ ! -x "$UNIT" ]; then
	echo "incoherent: not built (make incoherent)"
	echo "incoherent: 0 passed, 1 failed"
	exit 1
fi
W=$(mktemp -d /tmp/famfs-inco.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT

# step NAME CMD...: counts one pass or fail; the output of a failed step
step() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	"$@" >"$W/log" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS $name ($(($(date +%s) - t0)) s)"
		grep -E '^crash: [0-9]+ stops in|^[a-z-]+: [0-9]+ passed|^all [0-9]+ checks' \
			"$W/log" | head -n 1 | sed 's/^/    /'
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc, $(($(date +%s) - t0)) s)"
		grep -v '^    ok ' "$W/log" | tail -n 80 | sed 's/^/    /'
	fi
}

# integration MODE TEST...: the tests with every famfs process in MODE
integration() {
	local mode=$1
	shift
	FAMFS_INCOHERENT=$mode FAMFS_INCOHERENT_STATS=$W/stats \
		FAMFS_BIN=$BIN PER_TEST_TIMEOUT=180 \
		"$root/tests/integration/run.sh" "$@"
}

# crash MODE: crash.sh's stops with every famfs process in MODE but the
# fault server (build/fault, which stores to the image directly)
crash() {
	FAMFS_INCOHERENT=$1 FAMFS_INCOHERENT_STATS=$W/stats FAMFS_BIN=$BIN \
		CRASH_STOPS=${INCO_CRASH_STOPS:-12} CRASH_SEED=$2 \
		"$root/tests/reliability/crash.sh"
}

storm() {
	FAMFS_INCOHERENT=$1 FAMFS_INCOHERENT_STATS=$W/stats FAMFS_BIN=$BIN \
		STORM_WRITERS=${STORM_WRITERS:-4} \
		STORM_FILES=${INCO_STORM_FILES:-15} "$root/tests/reliability/storm.sh"
}

step model "$UNIT"
if [ -n "${INCO_FULL:-}" ]; then
	for mode in never evict:1 evict:2; do
		step "integration $mode" integration "$mode" t11 t14 t20 t41 t42 t60
		step "storm $mode" storm "$mode"
		step "crash $mode" crash "$mode" 7
	done
else
	step "integration never" integration never t11 t14 t20 t42 t60
	step "integration evict:1" integration evict:1 t11 t14 t20
	step "integration evict:2" integration evict:2 t11 t14 t42
	step "storm evict:3" storm evict:3
	step "crash never" crash never 8
	step "crash evict:5" crash evict:5 7
fi
if [ -s "$W/stats" ]; then
	awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } n++ }
	END { printf "    model: %d processes, %d views; lines flushed %d, reloaded %d, written back by invalidate %d, evicted early %d, dropped early %d\n",
		n, s["views"], s["flushed"], s["reloaded"], s["inval_wb"], s["evicted"], s["dropped"] }' "$W/stats"
fi
echo "incoherent: $pass passed, $fail failed"
[ $fail -eq 0 ]
