#!/usr/bin/env bash
# Run every cmocka unit-test binary in DIR; each prints its own summary.
# Every tests/unit/test_*.c must have its binary in DIR: one that is not
# built (or not executable) counts as failed, so a broken build of a test
# cannot pass the layer by absence.
# Ends with one "N passed, N failed" line counting binaries.
set -u
dir=${1:?usage: tests/run-unit.sh DIR}
src=$(cd "$(dirname "$0")/unit" && pwd)
pass=0 fail=0
for c in "$src"/test_*.c; do
	name=$(basename "$c" .c)
	t=$dir/$name
	if [ ! -x "$t" ]; then
		echo "FAILED: $name: not built ($t)"
		fail=$((fail + 1))
	elif "$t"; then
		pass=$((pass + 1))
	else
		echo "FAILED: $name"
		fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
