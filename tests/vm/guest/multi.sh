# SPDX-License-Identifier: Apache-2.0
# multi: one famfs over two pmem regions of one guest (tests/vm/run.sh
# gives it memmap=1G!4G memmap=1G!5G): /dev/pmem0 (index 0, the primary)
# and /dev/pmem1 (index 1).
#   - numbering: /dev/pmem0 is the region at 4 GiB, /dev/pmem1 at 5 GiB;
#   - mkfs over both, mount; no device resolved before a file is opened
#     (DAX: daxdevs 0);
#   - an interleaved file (-N 2 -C 2M, seed 31; 64 MiB with DAX, else
#     16 MiB): one strip on each device, and its bytes are the raw
#     devices' bytes in chunk order
#     (chunk k on strip k % 2 at the strip offset + (k / 2) * 2 MiB),
#     checked with O_DIRECT reads against the file and `famfs getmap`;
#   - a write through the file into a chunk of each device is on that
#     device; (DAX) a pattern put on the raw device of strip 1 is what the
#     file reads;
#   - a contiguous file next to it (seed 32) equals its extents, and a
#     file of 4 strips (seed 33) uses both devices and equals its map;
#   - DAX (famfs kernel): statx STATX_ATTR_DAX, a touched mapping of the
#     interleaved file has Rss 0 and every page in a pmem range, no
#     READ/WRITE upcalls, exactly one GET_DAXDEV per device, sent at the
#     first open of a file that uses it (daxdevs 0 after mount, 2 after);
#     fallback (other kernels): the server's data path, no DAX bit;
#   - fsck after unmount;
#   - /dev/pmem1 unbound (missing): the mount works, the file on device 0
#     verifies (DAX), opening the interleaved file fails with ENXIO, and
#     status names the missing device's UUID; bound again, the
#     interleaved file's first two chunks (one per device) read as before.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
DEVS="$PMEM $PMEM1"
GiB=1073741824
MiB=1048576
# 64 MiB (32 chunks) with DAX; 16 MiB (8 chunks) on the server's data path,
# which is slow under TCG on a stock kernel.
SIZE=64M
[ "$FAMFS_VM_EXPECT" = dax ] || SIZE=16M
two_regions $((4 * GiB))

mkfs_mount $DEVS
D0=$(json_get daxdevs "$S")
say "mounted over $DEVS: data_path $FAMFS_VM_EXPECT, daxdevs $D0"
[ "$FAMFS_VM_EXPECT" != dax ] || expect_eq "daxdevs right after mount" "$D0" 0

# -t 0: one opener, so the kernel sends exactly one GET_DAXDEV per device
# (racing first opens may each send one; the kernel keeps the first).
run famfs creat -t 0 -r -S 31 -N 2 -C 2M -s $SIZE /mnt/inter
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	expect_eq "daxdevs after the first open of /mnt/inter" \
		"$(json_get daxdevs "$(status /mnt)")" 2
	say "first open of /mnt/inter resolved both devices: daxdevs 0 -> 2"
fi
run famfs verify -S 31 -f /mnt/inter
run famfs getmap /mnt/inter
expect_eq "chunk of /mnt/inter" "$(map_chunk /mnt/inter)" $((2 * MiB))
expect_eq "devices of /mnt/inter's strips" "$(devs_of /mnt/inter)" "0 1"
expect_eq "strips of /mnt/inter" "$(map_of /mnt/inter | wc -l)" 2
file_matches_devices /mnt/inter "$DEVS"

# Chunk order, spelled out for the first four chunks.
S0=$(map_of /mnt/inter | sed -n 1p)
S1=$(map_of /mnt/inter | sed -n 2p)
for k in 0 1 2 3; do
	st=$S0
	[ $((k % 2)) = 0 ] || st=$S1
	d=$(dev_path "${st%% *}" "$DEVS")
	o=$(($(echo "$st" | cut -d' ' -f2) + k / 2 * 2 * MiB))
	a=$(dd if=/mnt/inter bs=1M skip=$((k * 2)) count=2 2>/dev/null | md5sum | cut -d' ' -f1)
	b=$(dev_read "$d" "$o" $((2 * MiB)) | md5sum | cut -d' ' -f1)
	expect_eq "chunk $k of /mnt/inter on $d at $o (md5)" "$b" "$a"
	eval "C$k=$a"
done
[ "$C0" != "$C1" ] || die "chunks 0 and 1 have the same bytes: the check proves nothing"
say "chunks 0..3 are on $(dev_path "${S0%% *}" "$DEVS"), $(dev_path "${S1%% *}" "$DEVS"), then again, at +0 and +2 MiB"

# File -> device, one chunk on each device: chunk 4 (strip 0, stripe 2)
# and chunk 5 (strip 1, stripe 2).
for k in 4 5; do
	st=$S0
	[ $((k % 2)) = 0 ] || st=$S1
	d=$(dev_path "${st%% *}" "$DEVS")
	o=$(($(echo "$st" | cut -d' ' -f2) + k / 2 * 2 * MiB))
	dd if=/dev/urandom of=/tmp/pat bs=1M count=2 2>/dev/null
	dd if=/tmp/pat of=/mnt/inter bs=1M seek=$((k * 2)) count=2 conv=notrunc 2>/dev/null ||
		die "dd write into chunk $k of /mnt/inter failed"
	a=$(md5sum </tmp/pat | cut -d' ' -f1)
	b=$(dev_read "$d" "$o" $((2 * MiB)) | md5sum | cut -d' ' -f1)
	expect_eq "$d at $o after a write into chunk $k (md5)" "$b" "$a"
	say "2 MiB written through the file into chunk $k are on $d at $o"
done

if [ "$FAMFS_VM_EXPECT" = dax ]; then
	# Device -> file: chunk 7 = strip 1, stripe 3.
	d=$(dev_path "${S1%% *}" "$DEVS")
	o=$(($(echo "$S1" | cut -d' ' -f2) + 3 * 2 * MiB))
	dd if=/dev/urandom of=/tmp/pat bs=1M count=2 2>/dev/null
	dev_write "$d" "$o" </tmp/pat || die "O_DIRECT write to $d failed"
	a=$(md5sum </tmp/pat | cut -d' ' -f1)
	b=$(dd if=/mnt/inter bs=1M skip=14 count=2 2>/dev/null | md5sum | cut -d' ' -f1)
	expect_eq "chunk 7 of /mnt/inter after a raw write to $d at $o (md5)" "$b" "$a"
	say "2 MiB stored on $d at $o read back through the file as chunk 7"
	file_matches_devices /mnt/inter "$DEVS"
fi

run famfs creat -r -S 32 -s 8M /mnt/contig
run famfs verify -S 32 -f /mnt/contig
run famfs getmap /mnt/contig
file_matches_devices /mnt/contig "$DEVS"

# More strips than devices: 4 strips over the 2 devices (16 MiB with DAX,
# 8 MiB otherwise: one or two chunks per strip).
S4=16M
[ "$FAMFS_VM_EXPECT" = dax ] || S4=8M
run famfs creat -r -S 33 -N 4 -C 2M -s $S4 /mnt/inter4
run famfs verify -S 33 -f /mnt/inter4
run famfs getmap /mnt/inter4
expect_eq "devices of /mnt/inter4's strips" "$(devs_of /mnt/inter4)" "0 1"
expect_eq "strips of /mnt/inter4" "$(map_of /mnt/inter4 | wc -l)" 4
file_matches_devices /mnt/inter4 "$DEVS"

s=$(status /mnt) || exit 1
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	dax_mapped /mnt/inter
	s=$(status /mnt) || exit 1
	expect_eq "reads (DAX)" "$(json_get reads "$s")" 0
	expect_eq "writes (DAX)" "$(json_get writes "$s")" 0
	expect_eq "daxdevs at the end (cached after the first open)" "$(json_get daxdevs "$s")" 2
	say "DAX over both devices: Rss 0, all pages in pmem, reads 0, writes 0, daxdevs 2, fmaps $(json_get fmaps "$s")"
else
	out=$(daxcheck statx /mnt/inter)
	[ "$?" = 1 ] || die "daxcheck statx /mnt/inter: $out, expected no DAX"
	r=$(json_get reads "$s")
	[ "${r:-0}" -gt 0 ] || die "reads is '$r' on the fallback path, expected > 0"
	say "fallback: no DAX bit ($out), reads $r"
fi

U1=$(json_get_dev_uuid 1 "$(status /mnt)")
[ -n "$U1" ] || die "famfs status names no device 1"
# chunks 0 and 1: bytes of both devices (all of it is slow on fallback)
head4() { dd if=/mnt/inter bs=1M count=4 2>/dev/null | md5sum | cut -d' ' -f1; }
M1=$(head4)
unmount /mnt
run famfs fsck "$PMEM"

# A missing device: unbind /dev/pmem1's namespace from nd_pmem, mount
# again.  The mount works, files on device 0 work (with DAX), opening the
# interleaved file fails with ENXIO (twice: the kernel keeps no failed
# device), status names the UUID; bound again, the file's first two
# chunks read as before.
NS=$(basename "$(readlink -f /sys/block/pmem1/device)")
echo "$NS" >/sys/bus/nd/drivers/nd_pmem/unbind || die "cannot unbind $NS"
[ ! -b "$PMEM1" ] || die "$PMEM1 still exists after unbinding $NS"
run famfs mount "$PMEM" /mnt
expect_eq "devices of /mnt/contig" "$(devs_of /mnt/contig)" 0
run famfs verify -t 0 -S 32 -f /mnt/contig
[ "$FAMFS_VM_EXPECT" != dax ] || dax_mapped /mnt/contig
for i in 1 2; do
	out=$(dd if=/mnt/inter of=/dev/null bs=1M count=1 2>&1) &&
		die "/mnt/inter opened with device 1 missing"
	case $out in
	*"No such device or address"*) ;;
	*) die "open of /mnt/inter with device 1 missing: '$out', expected ENXIO" ;;
	esac
done
s=$(status /mnt) || exit 1
case $s in
*"\"state\":\"missing\",\"why\":\"device 1 (UUID $U1)"*) ;;
*) die "status does not name missing device 1 ($U1): $s" ;;
esac
say "$PMEM1 unbound: mount works, /mnt/contig verifies, /mnt/inter fails twice with ENXIO, status names device 1 $U1"
unmount /mnt
echo "$NS" >/sys/bus/nd/drivers/nd_pmem/bind || die "cannot bind $NS"
wait_pmem "$PMEM1"
run famfs mount "$PMEM" /mnt
expect_eq "md5 of /mnt/inter's first 4 MiB after $NS is back" "$(head4)" "$M1"
say "$NS bound again: /mnt/inter's chunks 0 and 1 read as before (md5 $M1)"
unmount /mnt
run famfs fsck "$PMEM"
