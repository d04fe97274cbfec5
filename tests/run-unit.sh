#!/usr/bin/env bash
# Run every cmocka unit-test binary in DIR; each prints its own summary.
# Ends with one "N passed, N failed" line counting binaries.
set -u
dir=${1:?usage: tests/run-unit.sh DIR}
pass=0 fail=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	if "$t"; then
		pass=$((pass + 1))
	else
		echo "FAILED: $(basename "$t")"
		fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
