#!/usr/bin/env bash
# The log at its limits, through the library (famfs-testgen): an append the
# library rejects must leave the log as it was; a full log refuses the next
# append and stays clean.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"

mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
testgen base mkdir d
testgen base file d/a 2M

echo "## rejected appends leave nothing behind"
# Entries the encoder refuses: a zero-length extent, device index 64 (the
# format allows 0..63), an extent whose end overflows 64 bits.  The append
# fails; the log after the tail must still be all zeros, as the log's
# invariant says (every byte after the committed tail is zero).
n=0
for spec in "0 0xa00000 0" "64 0xa00000 2M" "0 0xffffffffffe00000 4M"; do
	n=$((n + 1))
	cpimg base rej$n
	s=$(sha rej$n)
	# shellcheck disable=SC2086
	expect_exit 1 "$TESTGEN" rej$n rawfile x 2M $spec
	out_has "does not validate"
	expect_exit 0 "$FAMFS" fsck rej$n
	out_has "rej$n: clean"
	check_eq "$s" "$(sha rej$n)" "rej$n: image unchanged by the rejected append ($spec)"
done

echo "## a full log"
# 2 MiB log, 4K units: about 16000 one-extent entries fit, not 40000
mkimg full 1G
expect_exit 0 "$FAMFS" mkfs -l 2M -a 4K full
expect_exit 1 "$TESTGEN" full files 40000 d 4K
out_matches "log (is )?full"
read -r next_off next_seq _ < <("$TESTGEN" full tail)
if [ "$next_off" -le $((0x200000)) ] && [ $((0x200000 - next_off)) -lt 200 ]; then
	ok "log filled up to $next_off of 2097152 bytes"
else
	fail "log filled up to $next_off of 2097152 bytes"
fi
expect_exit 0 "$FAMFS" fsck --json full
cp "$OUT.stdout" full.json
check_eq "$next_seq" "$(json_get full.json log_entries)" "entries in the full log"
check_eq 1 "$(json_get full.json directories)" "directories in the full log"
check_eq $((next_seq - 1)) "$(json_get full.json files)" "files in the full log"
check_eq "$next_off" "$(json_get full.json log_used)" "log_used of the full log"
check_eq true "$(json_get full.json clean)" "the full log is clean"
# one more entry is refused, and still leaves the log clean
expect_exit 1 "$TESTGEN" full file z 4K
out_matches "log (is )?full"
expect_exit 0 "$FAMFS" fsck full
out_has "full: clean"
# garbage in the last byte of a full log is still found and repaired
hexpatch full $((LOG_OFF + 0x200000 - 1)) 77
expect_exit 4 "$FAMFS" fsck full
out_has "nonzero bytes at offset 0x1fffff"
expect_exit 1 "$FAMFS" fsck --repair full
expect_exit 0 "$FAMFS" fsck full

finish
