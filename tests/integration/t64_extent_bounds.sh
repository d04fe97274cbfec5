#!/usr/bin/env bash
# Security: extents beyond a device are refused in userspace before they
# are ever sent.  Committed log entries (famfs-testgen rawfile, CRC and
# tail valid) whose extent runs past the end of the device, starts at it,
# names a device the log does not know, or overlaps the superblock or log
# are refused at replay: fsck exits 4 with extent_range / extent_device /
# extent_meta naming the entry; mount serves the entries before it and
# says where it stopped; the name does not exist, so opening it fails and
# the server answers no GET_FMAP or READ for it (status: 0 fmaps).  An
# image cut shorter than its superblock says (so that files would lie
# past its end) is refused by fsck and mount, and nothing is mounted.  The
# server checks every map against its devices again before a GET_FMAP
# reply or an open (famfs_srv_fmap_bounded): tests/unit/test_srv_fmap_bounds.c
# and test_srv_io.c (a GET_FMAP for a map outside the device is answered
# -EIO with no map).  A wrapping extent cannot even be encoded
# (famfs-testgen's own append refuses it).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
need_exec "$TESTGEN"

M=$((1 << 20))
mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
testgen base mkdir d
testgen base file d/good 4096
newmnt m
while read -r code dev off len what; do
	cpimg base bad.img
	testgen bad.img rawfile d/evil 4096 "$dev" "$off" "$len" || continue
	expect_exit 4 "$FAMFS" fsck --json bad.img
	check_eq "$code" "$(json_codes "$OUT.stdout" | tr '\n' ' ' | sed 's/ $//')" "fsck code for an extent $what"
	out_has "log entry 2 at offset"
	expect_exit 0 "$FAMFS" mount bad.img m
	out_has "replay stopped at the damage: log entry 2"
	check_eq "good" "$(words m/d)" "m/d with an extent $what"
	check_eq ENOENT "$(fsop openr m/d/evil)" "open of the file with an extent $what"
	check_eq "OK" "$(fsop openr m/d/good)" "the good file opens"
	expect_exit 0 "$FAMFS" status m
	out_matches "I/O +[0-9]+ reads, 0 writes, 0 fmaps, 0 daxdevs"
	umount_wait m
done <<EOT
extent_range 0 $((256 * M)) $((2 * M)) starting at the device end
extent_range 0 $((254 * M)) $((4 * M)) running 2 MiB past the end
extent_range 0 $((256 * M - 4096)) 8192 straddling the end
extent_device 3 $((20 * M)) $((2 * M)) on device index 3
extent_meta 0 0 $((2 * M)) over the superblock
extent_meta 0 $((4 * M)) $((2 * M)) inside the log
EOT
# the device shrank under its files
cpimg base short.img
testgen short.img file d/late 64M
truncate -s 64M short.img
expect_exit 4 "$FAMFS" fsck short.img
out_has "filesystem is $((256 * M)) bytes but the device has only $((64 * M))"
expect_exit 1 "$FAMFS" mount short.img m
out_has "the device has only"
check_eq 0 "$(mnt_count m)" "mounts after the refused short image"
cpimg base bad.img
expect_exit 1 "$TESTGEN" bad.img rawfile d/evil 4096 0 0xffffffffffe00000 $((4 * M))
out_has "does not validate"
check_eq "$(sha base)" "$(sha bad.img)" "image after the refused wrapping extent"
finish
