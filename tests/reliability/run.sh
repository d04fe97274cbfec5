#!/usr/bin/env bash
# The reliability layer of make test, in bounded CI modes:
#   crash.sh   CRASH_STOPS=200 stops of creat/cp/mkdir/devadd (kill -9, fault hook)
#   crash_kinds.sh  KINDS_STOPS=100 stops of the root-tree entries (symlinks,
#              hard links, xattrs, attributes, special and empty files),
#              first-release images included (fault hook)
#   crash_cpa.sh  CPA_STOPS=30 rounds of famfs cp -a of a tree of every kind
#              (plus slices of /usr/bin, /etc) stopped at random (fault hook,
#              kill -9 of the server or the cp); entries present whole, the
#              rerun finishes the copy exactly
#   crash_batch.sh  BATCH_STOPS=20 rounds of crash_cpa.sh in batch mode:
#              cp -a in batches of 1..16 creates (one tail publish each)
#              stopped inside, between and in the publish of batches
#   flips.sh   one bit flip per metadata byte, torn writes, truncations,
#              and a FUSE mount sample
#   mkfs_cut.sh  mkfs -f cut after N bytes (test build), every 61st N
#   storm.sh   8 writers x STORM_FILES=200 creates, a client watching
# Prints PASS/FAIL per test with its figures (the whole output of a failed
# one) and "reliability: N passed, N failed".  Full runs:
#   CRASH_STOPS=1000 FLIP_BITS=all STORM_FILES=1000 tests/reliability/run.sh
#
#   tests/reliability/run.sh [crash|crash_kinds|crash_cpa|crash_batch|flips|mkfs_cut|storm ...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
export CRASH_STOPS=${CRASH_STOPS:-200} STORM_FILES=${STORM_FILES:-200}
export KINDS_STOPS=${KINDS_STOPS:-100} CPA_STOPS=${CPA_STOPS:-30}
export BATCH_STOPS=${BATCH_STOPS:-20}
export FLIP_BITS=${FLIP_BITS:-one}
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(crash crash_kinds crash_cpa crash_batch flips mkfs_cut storm)
pass=0 fail=0
for t in "${tests[@]}"; do
	log=$(mktemp /tmp/famfs-rel-log.XXXXXX)
	t0=$(date +%s)
	"$here/$t.sh" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(($(date +%s) - t0))
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "PASS $t (${secs} s)"
		grep -E "^(flips|storm|crash|crash-kinds|crash_cpa|crash_batch|mkfs-cut): |^  [a-z]" "$log" | grep -v 'passed, ' |
			grep -v '^flips: truncated at' | sed 's/^/    /'
	else
		fail=$((fail + 1))
		echo "FAIL $t (exit $rc, ${secs} s)"
		grep -v '^ok ' "$log" | tail -n 60 | sed 's/^/    /'
	fi
	rm -f "$log"
done
echo "reliability: $pass passed, $fail failed"
[ $fail -eq 0 ]
