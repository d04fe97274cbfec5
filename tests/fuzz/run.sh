#!/usr/bin/env bash
# Run libFuzzer targets for a bounded time each, then every regression
# input once.  Usage: tests/fuzz/run.sh BUILD_FUZZ_DIR TARGET...
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_GEN_SEEDS an absolute directory of seeds made by this tree
#                  (<dir>/<target>)
# Seeds: tests/fuzz/seeds/<target> and the generated ones; regressions:
# tests/fuzz/regress/<target>.
# The corpus grows in DIR/corpus-<target>; a crash leaves its input in
# DIR/crashes/ and fails the target.  Prints "fuzz: N passed, N failed".
set -u
dir=${1:?usage: tests/fuzz/run.sh DIR TARGET...}
shift
secs=${FUZZ_SECONDS:-60}
src=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0

max_len() {
	case $1 in
	replay) echo 17600 ;;	# flags + sb + log header + tails + 16 KiB
	*) echo 4096 ;;
	esac
}

# One bounded run of target $1; 0 if it ended without a finding.
fuzz_one() {
	local t=$1 bin=$dir/fuzz_$1 log=$dir/fuzz-$1.log
	local seeds=$src/seeds/$1 gen=${FUZZ_GEN_SEEDS:+$FUZZ_GEN_SEEDS/$1}

	mkdir -p "$dir/corpus-$t" "$dir/crashes"
	[ -d "$seeds" ] || seeds=
	[ -n "$gen" ] && [ -d "$gen" ] || gen=
	(cd "$dir" && "./fuzz_$t" -max_total_time="$secs" -timeout=20 \
		-max_len="$(max_len "$t")" -print_final_stats=1 \
		-artifact_prefix="crashes/$t-" "corpus-$t" $seeds $gen) \
		>"$log" 2>&1
	local rc=$?
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
		"$log" | sed "s/^/  $t /"
	if [ $rc -ne 0 ]; then
		grep -E 'ERROR|invariant failed|SUMMARY|Test unit written' "$log" |
			head -n 8 | sed "s/^/  $t: /"
	fi
	return $rc
}

# Every input in tests/fuzz/regress/$1 once (the crashes fixed so far).
regress_one() {
	local t=$1 inputs=("$src/regress/$1"/*)

	[ -e "${inputs[0]}" ] || return 2	# none for this target
	"$dir/fuzz_$t" "${inputs[@]}" >"$dir/regress-$t.log" 2>&1 && return 0
	tail -n 20 "$dir/regress-$t.log"
	return 1
}

for t in "$@"; do
	if [ ! -x "$dir/fuzz_$t" ]; then
		echo "FAILED: fuzz_$t not built"
		fail=$((fail + 1))
		continue
	fi
	regress_one "$t"
	case $? in
	0) pass=$((pass + 1)); echo "ok: $t regressions" ;;
	1) fail=$((fail + 1)); echo "FAILED: $t regressions" ;;
	esac
	if fuzz_one "$t"; then
		pass=$((pass + 1))
		echo "ok: $t fuzzed ${secs}s"
	else
		fail=$((fail + 1))
		echo "FAILED: $t (log: $dir/fuzz-$t.log)"
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
