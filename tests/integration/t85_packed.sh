#!/usr/bin/env bash
# Issue 15 item 2, a default filesystem holds real trees:
#  - packing: on a default filesystem (PACKED) files below the 2 MiB unit
#    share one unit at 4 KiB granularity, read back byte for byte, and fsck
#    is clean; files of 2 MiB and more take whole 2 MiB-aligned units; -a 4K
#    and a first-release filesystem stay unpacked;
#  - the log-size rule: 1/256 of the device, 8M..512M, in mkfs's summary;
#    -l overrides, -l auto is the default;
#  - near full: famfs status and fsck warn at 90% of the log or the space;
#  - a create that does not fit says "no space on"/"log full on" with the
#    image's name, and famfs cp -r stops there: exit 1, one error line.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }
trap mnt_cleanup EXIT

extents() { "$FAMFS" getmap "$1" | sed -n 's/.*offset \(0x[0-9a-f]*\) len \(0x[0-9a-f]*\).*/\1 \2/p'; }

# ---- packing ------------------------------------------------------------------
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
out_has "  small files      packed at 4K granularity; files of 2M and more 2M-aligned"
newmnt m
expect_exit 0 "$FAMFS" mount img m
mkdir -p src
for i in $(seq 20); do head -c $((i * 997)) /dev/urandom >"src/f$i"; done
head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >src/big
expect_exit 0 "$FAMFS" cp -r src m/
units=""
for i in $(seq 20); do
	read -r off len < <(extents "m/src/f$i")
	check_eq 0 $((off % 4096)) "f$i starts at a 4 KiB boundary"
	check_eq $(((i * 997 + 4095) / 4096 * 4096)) $((len)) "f$i takes its size in 4 KiB granules"
	units="$units $((off / 0x200000))"
	if cmp -s "src/f$i" "m/src/f$i"; then ok "f$i reads back"; else fail "f$i differs"; fi
done
check_eq 1 "$(echo "$units" | tr ' ' '\n' | sort -u | grep -c .)" "the 20 small files share one 2 MiB unit"
read -r off len < <(extents m/src/big)
check_eq "0 $((4 * 1024 * 1024))" "$((off % 0x200000)) $((len))" "a 3 MiB file takes two whole aligned units"
check_ne "$((off / 0x200000))" "$(echo "$units" | awk '{print $1}')" "not in the unit set aside for small files"
umount_wait m
expect_exit 0 "$FAMFS" fsck img
out_has "packed"
out_has "img: clean"
# the same log without the bit is what an older famfs would see: misaligned
cp --sparse=always img nobit
expect_exit 0 "$TESTGEN" nobit features clear 0x100
expect_exit 4 "$FAMFS" fsck nobit
out_has "is not aligned to the 2097152-byte allocation unit"
rm -f nobit
# the raw image holds each file at its extent
expect_exit 0 "$FAMFS" mount img m
read -r off len < <(extents m/src/f7)
if tail -c +$((off + 1)) img | head -c $((7 * 997)) | cmp -s - src/f7; then ok "f7 is at its extent in the image"; else fail "f7 is not at its extent"; fi
umount_wait m

# -a 4K: nothing to pack
mkimg img4k 64M
expect_exit 0 "$FAMFS" mkfs -a 4K img4k
out_has "one allocation unit or more each (not packed)"
expect_exit 0 "$FAMFS" fsck img4k
out_lacks "packed"

# ---- the log-size rule ----------------------------------------------------------
for sz in 64M:8.0 2G:8.0 4G:16.0 64G:256.0 1T:512.0; do
	mkimg logimg "${sz%%:*}"
	expect_exit 0 "$FAMFS" mkfs logimg
	out_matches "^  log              ${sz#*:} MiB \\(auto: 1/256 of the device, 8M to 512M\\)"
done
expect_exit 0 "$FAMFS" mkfs -f -l 32M logimg
out_matches "^  log              32\\.0 MiB \\(room for"
expect_exit 0 "$FAMFS" mkfs -f -l auto logimg
out_matches "^  log              512\\.0 MiB \\(auto"
expect_exit 2 "$FAMFS" mkfs -f -l automatic logimg
out_has "bad log length"
rm -f logimg

# ---- near full: status and fsck warn ---------------------------------------------------
mkimg full 64M			# 27 units of 2 MiB
expect_exit 0 "$FAMFS" mkfs full
newmnt f
expect_exit 0 "$FAMFS" mount full f
expect_exit 0 "$FAMFS" status f
out_lacks "famfs status: warning"
for i in $(seq 25); do "$FAMFS" creat -s 2M "f/u$i" >/dev/null || fail "creat u$i"; done
expect_exit 0 "$FAMFS" status f
out_matches "famfs status: warning: .*/f: space 9[0-9]% used .*famfs devadd"
expect_exit 0 "$FAMFS" status --json f
out_has "space 9"
# a create that does not fit: "no space on" the image, what to do, nothing logged
n0=$("$FAMFS" chkread -l f/.meta/.log | grep -c "entry ")
expect_exit 1 "$FAMFS" creat -s 6M f/toobig
out_matches "no space on .*full: .*add a device \\(famfs devadd\\)"
check_eq "$n0" "$("$FAMFS" chkread -l f/.meta/.log | grep -c "entry ")" "the refused create logs nothing"
# cp -r stops at the first file that does not fit: one error line
mkdir -p tree
for i in $(seq 30); do truncate -s 1600K "tree/g$i"; done
expect_exit 1 "$FAMFS" cp -r tree f/
check_eq 1 "$(wc -l <"$OUT.stderr")" "cp -r: one error line when the device is full"
out_matches "famfs cp: .*/tree/g[0-9]+: no space on "
check_eq 0 "$(grep -c . "$OUT.stdout")" "nothing on stdout"
umount_wait f
expect_exit 0 "$FAMFS" fsck full
out_matches "famfs fsck: warning: full: space 9[0-9]% used"
out_has "full: clean"

# the log nearly full, then full: 2M log, 4 KiB units
mkimg lfull 256M
expect_exit 0 "$FAMFS" mkfs -l 2M -a 4K lfull
expect_exit 1 "$TESTGEN" lfull files 40000 d 4K
expect_exit 0 "$FAMFS" fsck lfull
out_matches "famfs fsck: warning: lfull: log (9[0-9]|100)% full .*famfs mkfs -l"
newmnt l
expect_exit 0 "$FAMFS" mount lfull l
expect_exit 0 "$FAMFS" status l
out_matches "famfs status: warning: .*/l: log (9[0-9]|100)% full"
expect_exit 1 "$FAMFS" creat -s 4K l/one-more
out_matches "log full on .*lfull.*: make the filesystem again with a larger log \\(famfs mkfs -l"
umount_wait l
rm -f img img4k full lfull

finish
