#!/usr/bin/env bash
# timeout-factor: 3
# Every corruption class fsck knows, on images populated by famfs-testgen:
# the exit code, the message, the --json problem code, what --repair does,
# and that a read-only fsck never changes a byte.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"

# Base image: 256 MiB, default geometry (log at 2M, 8M long, data at 0xa00000)
#   entry 0 mkdir d, 1 file d/a (3M -> 2 units), 2 mkdir e, 3..5 e/f0..e/f2
mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
testgen base mkdir d
off1=$(tail_field base 1)		# where entry 1 starts (log-relative)
testgen base file d/a 3M
testgen base files 3 e 1M
read -r NEXT_OFF NEXT_SEQ LOGOFF < <("$TESTGEN" base tail)
check_eq 6 "$NEXT_SEQ" "entries in the base image"
check_eq "$LOG_OFF" "$LOGOFF" "log offset"
expect_exit 0 "$FAMFS" fsck base
out_has "base: clean"
out_has "  log       6 entries"
out_has "  files     4 files (6.0 MiB), 2 directories"
hex_next=$(printf '%#x' "$NEXT_OFF")

# ro_fsck CODE IMG: read-only fsck (human, -n and --json), exit CODE each
# time, image unchanged; the JSON report is left in $IMG.json.
ro_fsck() {
	local want=$1 img=$2 s
	s=$(sha "$img")
	expect_exit "$want" "$FAMFS" fsck -n --json "$img"
	cp "$OUT.stdout" "$img.json"
	json_valid "$img.json" || fail "fsck --json $img does not parse"
	expect_exit "$want" "$FAMFS" fsck "$img"
	check_eq "$s" "$(sha "$img")" "$img unchanged by read-only fsck"
}

# codes_are IMG CODE...: the problem codes of the last ro_fsck report
codes_are() {
	local img=$1
	shift
	check_eq "$*" "$(json_codes "$img.json" | tr '\n' ' ' | sed 's/ $//')" "$img problem codes"
}

# unrepairable IMG CODE: --repair exits CODE and changes nothing, twice
unrepairable() {
	local img=$1 want=$2 s
	s=$(sha "$img")
	expect_exit "$want" "$FAMFS" fsck --repair "$img"
	out_lacks "FIXED"
	expect_exit "$want" "$FAMFS" fsck --repair "$img"
	check_eq "$s" "$(sha "$img")" "$img unchanged by fsck --repair"
}

# repair_cycle IMG: (after ro_fsck 4) --repair exits 1, then 0; a check 0
repair_cycle() {
	local img=$1
	expect_exit 1 "$FAMFS" fsck --repair "$img"
	out_has "FIXED: "
	out_matches "^$img: [0-9]+ problem\(s\), [0-9]+ fixed; exit 1$"
	expect_exit 0 "$FAMFS" fsck --repair "$img"
	out_has "$img: clean"
	expect_exit 0 "$FAMFS" fsck "$img"
	out_has "$img: clean"
}

entries_of() {
	"$FAMFS" fsck --json "$1" | "$PY" -S -c 'import json,sys; print(json.load(sys.stdin)["log_entries"])'
}

echo "## cross-link"
cpimg base xl
testgen xl clone d/a d/b
ro_fsck 4 xl
out_has "cross-link: 'd/a' and 'd/b' share device 0 bytes [0xa00000, 0xe00000)"
out_has "xl: 1 problem(s), 0 fixed; exit 4"
codes_are xl crosslink
check_eq 5 "$(json_get xl.json files)" "files with the clone"
unrepairable xl 4
# a three-way cross-link names every pair against the first owner
testgen xl clone d/a d/c
ro_fsck 4 xl
out_has "'d/b'"
out_has "'d/c'"
codes_are xl crosslink crosslink
# a partial overlap: a file that starts inside another's second unit
cpimg base xp
testgen xp rawfile d/p 2M 0 0xc00000 2M
ro_fsck 4 xp
out_has "cross-link: 'd/a' and 'd/p' share device 0 bytes [0xc00000, 0xe00000)"
codes_are xp crosslink

echo "## extent past the end of the device"
cpimg base er
testgen er rawfile x 2M 0 0x10000000 2M
ro_fsck 4 er
out_has "log entry 6 at offset $hex_next: extent [0x10000000, +0x200000) runs past device 0 (268435456 bytes)"
codes_are er extent_range
unrepairable er 4
cpimg base er2
testgen er2 rawfile x 4M 0 0xfe00000 4M
ro_fsck 4 er2
out_has "runs past device 0"
codes_are er2 extent_range

echo "## extent inside the superblock region / the log"
cpimg base em
testgen em rawfile x 2M 0 0x400000 2M
ro_fsck 4 em
out_has "log entry 6 at offset $hex_next: extent at 0x400000 overlaps the superblock or log (data starts at 0xa00000)"
codes_are em extent_meta
unrepairable em 4
cpimg base em0
testgen em0 rawfile x 2M 0 0 2M
ro_fsck 4 em0
out_has "extent at 0 overlaps the superblock or log"
codes_are em0 extent_meta

echo "## misaligned extent"
cpimg base ea
testgen ea rawfile x 2M 0 0x8000200 2M
ro_fsck 4 ea
out_has "log entry 6 at offset $hex_next: extent [0x8000200, +0x200000) is not aligned to the 4096-byte granule of packed files"
codes_are ea extent_align
unrepairable ea 4
cpimg base ea2
testgen ea2 rawfile x 1M 0 0x8000000 0x100200
ro_fsck 4 ea2
out_has "extent [0x8000000, +0x100200) is not aligned"
codes_are ea2 extent_align

echo "## unknown device index"
cpimg base ed
testgen ed rawfile x 2M 1 0xa00000 2M
ro_fsck 4 ed
out_has "log entry 6 at offset $hex_next: extent names device index 1; the log knows 1 device(s)"
codes_are ed extent_device
unrepairable ed 4
cpimg base ed63
testgen ed63 rawfile x 2M 63 0xa00000 2M
ro_fsck 4 ed63
out_has "extent names device index 63"
codes_are ed63 extent_device

echo "## several problems at once are all reported"
# (famfs-testgen cannot append after an entry that fails to apply, so the
# bad extent comes last)
cpimg base multi
testgen multi clone d/a d/b
testgen multi clone e/f0 e/g
testgen multi rawfile x1 2M 0 0x10000000 2M
ro_fsck 4 multi
out_has "log entry 8 at offset"
out_has "cross-link: 'd/a' and 'd/b'"
out_has "cross-link: 'e/f0' and 'e/g'"
out_has "3 problem(s), 0 fixed; exit 4"
codes_are multi extent_range crosslink crosslink

echo "## superblock byte flipped"
cpimg base sb
flipbyte sb 0x40			# inside the master UUID
ro_fsck 4 sb
out_has "superblock: superblock checksum mismatch"
out_has "sb: 1 problem(s), 0 fixed; exit 4"
codes_are sb sb_crc
unrepairable sb 4
s=$(sha sb)
expect_exit 1 "$FAMFS" mkfs sb
out_has "damaged"
out_has "use -f"
check_eq "$s" "$(sha sb)" "damaged superblock image after mkfs without -f"
cpimg base sbc
flipbyte sbc 0x1fc			# the CRC itself
ro_fsck 4 sbc
codes_are sbc sb_crc
# mkfs -f over it makes a clean filesystem again
expect_exit 0 "$FAMFS" mkfs -f sbc
expect_exit 0 "$FAMFS" fsck sbc

echo "## log header byte flipped"
cpimg base lh
flipbyte lh $((LOG_OFF + 0x100))	# reserved, covered by the CRC
ro_fsck 4 lh
out_has "log header: log header checksum mismatch"
codes_are lh log_header
unrepairable lh 4
cpimg base lhm
flipbyte lhm $LOG_OFF			# the magic
ro_fsck 4 lhm
out_has "log header: no log header at offset 0x200000 (bad magic)"
codes_are lhm log_header
cpimg base lhu
flipbyte lhu $((LOG_OFF + 0x10))	# the filesystem UUID: damage, not foreign
ro_fsck 4 lhu
out_has "log header: log header checksum mismatch"
codes_are lhu log_header
# an intact log header of another filesystem (the memory was re-formatted
# under an old superblock): foreign
mkimg other 256M
expect_exit 0 "$FAMFS" mkfs other
cpimg base lhf
dd if=other of=lhf bs=512 skip=$((LOG_OFF / 512)) seek=$((LOG_OFF / 512)) count=1 \
	conv=notrunc status=none
ro_fsck 4 lhf
out_has "log header: log belongs to another filesystem (UUID differs from the superblock's)"
codes_are lhf log_foreign
unrepairable lhf 4

echo "## committed entry byte flipped"
cpimg base ce0
flipbyte ce0 $((ENTRIES + 0x18))	# entry 0's body
ro_fsck 4 ce0
out_has "log entry 0 at offset 0x1000: entry checksum mismatch; the 6 committed entries from there on cannot be read"
codes_are ce0 entry_bad
unrepairable ce0 4
cpimg base ce1
flipbyte ce1 $((LOG_OFF + off1 + 0x30))	# inside entry 1 (d/a)
ro_fsck 4 ce1
out_has "log entry 1 at offset $(printf '%#x' "$off1"): entry checksum mismatch; the 5 committed entries from there on cannot be read"
codes_are ce1 entry_bad
check_eq 1 "$(json_get ce1.json log_entries)" "entries readable before the damaged one"
unrepairable ce1 4
cpimg base ce2
flipbyte ce2 $((LOG_OFF + off1))	# entry 1's CRC field
ro_fsck 4 ce2
out_has "log entry 1 at offset"
codes_are ce2 entry_bad

echo "## uncommitted (torn) entry after the tail"
cpimg base torn
testgen torn torn d/t 1M
ro_fsck 4 torn
out_has "log: entry 6 ('d/t') after the tail was never committed (interrupted append)"
codes_are torn uncommitted
repair_cycle torn
check_eq 6 "$(entries_of torn)" "entries after repairing a torn append"
check_eq "$(sha base)" "$(sha torn)" "repaired image equals the base image"

echo "## garbage after the tail"
cpimg base gt
hexpatch gt $((LOG_OFF + NEXT_OFF + 100)) deadbeef
ro_fsck 4 gt
out_has "log: nonzero bytes at offset $(printf '%#x' $((NEXT_OFF + 100))) after the tail at $hex_next (torn append)"
codes_are gt tail_garbage
repair_cycle gt
check_eq 6 "$(entries_of gt)" "entries after removing garbage"
check_eq "$(sha base)" "$(sha gt)" "repaired image equals the base image"
# garbage in the last bytes of the log
cpimg base ge
hexpatch ge $((LOG_OFF + 0x800000 - 8)) 01
ro_fsck 4 ge
out_has "nonzero bytes at offset 0x7ffff8"
repair_cycle ge
check_eq "$(sha base)" "$(sha ge)" "repaired image equals the base image"
# garbage right at the tail (not a valid entry)
cpimg base g0
hexpatch g0 $((LOG_OFF + NEXT_OFF)) 5a
ro_fsck 4 g0
out_has "nonzero bytes at offset $hex_next after the tail at $hex_next"
codes_are g0 tail_garbage
repair_cycle g0

echo "## one tail slot damaged"
gen0=$(read_le64 base $TAIL0)
gen1=$(read_le64 base $TAIL1)
check_eq 1 $(((gen0 & 1) == 0 && (gen1 & 1) == 1)) "slot parity (gen $gen0 in slot 0, $gen1 in slot 1)"
if [ "$gen0" -lt "$gen1" ]; then old=0 new=1; else old=1 new=0; fi
old_off=$((old ? TAIL1 : TAIL0))
new_off=$((new ? TAIL1 : TAIL0))
# the older record: nothing is lost
cpimg base ts
flipbyte ts $((old_off + 8))
ro_fsck 4 ts
out_has "log: tail record $old is damaged (the other one is used)"
codes_are ts tail_slot
check_eq 6 "$(json_get ts.json log_entries)" "entries with the older slot damaged"
repair_cycle ts
check_eq 6 "$(entries_of ts)" "entries after repairing the older slot"
# the newer record: the older one is used, rolled forward over the
# complete entry it does not cover, so no committed entry is lost
cpimg base tn
flipbyte tn $((new_off + 0x3c))
ro_fsck 4 tn
out_has "log: tail record $new is damaged (the other one is used, with the complete entry after it)"
codes_are tn tail_slot
check_eq 6 "$(json_get tn.json log_entries)" "entries with the newer slot damaged"
repair_cycle tn
check_eq 6 "$(entries_of tn)" "entries after repairing the newer slot"

echo "## both tail slots damaged"
cpimg base tb
flipbyte tb $((TAIL0 + 8))
flipbyte tb $((TAIL1 + 8))
ro_fsck 4 tb
out_has "log: both tail records are damaged; 6 entries can be recovered by a scan"
codes_are tb tail_both
repair_cycle tb
check_eq 6 "$(entries_of tb)" "entries recovered by the scan"

echo "## the base image itself never changed"
expect_exit 0 "$FAMFS" fsck base
out_has "base: clean"

finish
