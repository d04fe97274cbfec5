#!/usr/bin/env bash
# Integration tests: run every tests/integration/t[0-9]*.sh in a fresh
# temporary directory (its current directory), with
#   FAMFS       build/famfs (static musl), absolute
#   FAMFS_ASAN  build/asan/famfs-asan
#   TESTGEN     build/asan/tools/famfs-testgen
#   BUILD       the build directory, absolute ($BUILD may be preset)
#   FAMFS_SYSTEM_UUID_FILE  $tmp/hostid;  FAMFS_CONFIG unset
# A script exits 0 (pass), 77 (skip) or anything else (fail).  Prints
# PASS/FAIL/SKIP per script, the output of failed ones, and one summary line
# "integration: N passed, N failed[, N skipped]".
#
#   tests/integration/run.sh [-v] [NAME...]   NAME: t01 or t01_mkfs_fsck.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" 2>/dev/null && pwd) || {
	echo "integration: no build directory (run make)"
	echo "integration: 0 passed, 1 failed"
	exit 1
}
export BUILD
export FAMFS=$BUILD/famfs
export FAMFS_ASAN=$BUILD/asan/famfs-asan
export TESTGEN=$BUILD/asan/tools/famfs-testgen
unset FAMFS_CONFIG FAMFS_ROLE
# A sanitizer finding must fail the run and be visible in the output.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-60}
verbose=0
if [ "${1:-}" = -v ]; then
	verbose=1
	shift
fi

if [ ! -x "$FAMFS" ]; then
	echo "integration: $FAMFS is not built (run make)"
	echo "integration: 0 passed, 1 failed"
	exit 1
fi

scripts=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		for s in "$here"/"${n%.sh}"*.sh; do
			[ -f "$s" ] && scripts+=("$s")
		done
	done
else
	for s in "$here"/t[0-9]*.sh; do
		[ -f "$s" ] && scripts+=("$s")
	done
fi

pass=0 fail=0 skip=0
start=$(date +%s)
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	tmp=$(mktemp -d /tmp/famfs-it.XXXXXX)
	log=$(mktemp /tmp/famfs-it-log.XXXXXX)
	t0=$(date +%s%N)
	# Output goes to a file, never a pipe: a stray background process
	# cannot hold the runner up.
	(cd "$tmp" && FAMFS_SYSTEM_UUID_FILE=$tmp/hostid \
		timeout -k 5 "$PER_TEST_TIMEOUT" bash "$s") >"$log" 2>&1 </dev/null
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	case $rc in
	0)
		pass=$((pass + 1))
		echo "PASS $name (${ms} ms)"
		[ $verbose -eq 1 ] && sed 's/^/    /' "$log"
		;;
	77)
		skip=$((skip + 1))
		echo "SKIP $name: $(tail -n 1 "$log")"
		;;
	*)
		fail=$((fail + 1))
		[ $rc -eq 124 ] && echo "timeout after ${PER_TEST_TIMEOUT}s" >>"$log"
		echo "FAIL $name (exit $rc, ${ms} ms)"
		sed 's/^/    /' "$log"
		;;
	esac
	rm -rf "$tmp" "$log"
done
secs=$(($(date +%s) - start))
summary="integration: $pass passed, $fail failed"
[ $skip -gt 0 ] && summary="$summary, $skip skipped"
echo "($secs s)"
echo "$summary"
[ $fail -eq 0 ]
