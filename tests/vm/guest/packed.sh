# SPDX-License-Identifier: Apache-2.0
# packed: small files packed at 4 KiB granularity (the PACKED feature of a
# default mkfs, docs/packing.md) map and read correctly through DAX next to
# their neighbours (needs CONFIG_FUSE_FAMFS_DAX):
#   several files below the 2 MiB unit lie in one unit at 4 KiB-aligned,
#   disjoint extents; each is DAX (statx), and (those of whole pages) its
#   touched mapping has Rss 0 and its pages are in pmem; each file's bytes
#   (read through DAX) equal its source and the raw device's at
#   its extent; a write through one file changes its extent on the device
#   and no byte of its neighbours; a 2 MiB file is 2 MiB-aligned; no
#   READ/WRITE upcall reached the server.
# On a kernel without it (famfs.expect=fallback) the placement and the
# bytes are checked through the server's data path, and the log says that
# the DAX proofs were not run.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
wait_pmem
out=$(famfs mkfs "$PMEM" 2>&1) || die "famfs mkfs $PMEM: $out"
echo "$out" | grep -q "packed at 4K granularity" || die "mkfs did not pack small files: $out"
run famfs mount "$PMEM" /mnt
SIZES="4096 12288 20000 8192 4097 65536"
i=0
for sz in $SIZES; do
	i=$((i + 1))
	dd if=/dev/urandom of=/tmp/src$i bs=$sz count=1 2>/dev/null
	run famfs cp /tmp/src$i /mnt/p$i
done
run famfs creat -r -S 3 -s 2M /mnt/big

# one unit, 4 KiB-aligned, disjoint
units="" spans=""
i=0
for sz in $SIZES; do
	i=$((i + 1))
	e=$(extents /mnt/p$i) || exit 1
	[ "$(echo "$e" | wc -l)" = 1 ] || die "/mnt/p$i has $(echo "$e" | wc -l) extents"
	o=${e%% *} l=${e##* }
	expect_eq "/mnt/p$i offset mod 4 KiB" $((o % 4096)) 0
	expect_eq "/mnt/p$i extent length" "$l" $(((sz + 4095) / 4096 * 4096))
	units="$units $((o / 2097152))"
	spans="$spans$o $((o + l))
"
done
expect_eq "2 MiB units holding the $i small files" "$(echo "$units" | tr ' ' '\n' | sort -u | grep -c .)" 1
echo "$spans" | grep . | sort -n | awk 'NR > 1 && $1 < end { bad = 1 } { end = $2 } END { exit bad }' ||
	die "packed extents overlap: $(echo "$spans" | tr '\n' ';')"
big=$(first_offset /mnt/big) || exit 1
expect_eq "offset of the 2 MiB file mod 2 MiB" $((big % 2097152)) 0
say "$i small files in unit$units at 4 KiB-aligned disjoint extents; /mnt/big at $big"

# DAX: statx, Rss 0, pages in pmem; bytes equal the source and the device
i=0
for sz in $SIZES; do
	i=$((i + 1))
	# daxcheck mmap maps whole pages: files of other sizes get statx
	if [ "$FAMFS_VM_EXPECT" != dax ]; then
		:
	elif [ $((sz % 4096)) = 0 ]; then
		dax_mapped /mnt/p$i
	else
		x=$(daxcheck statx /mnt/p$i) || die "STATX_ATTR_DAX is not set on /mnt/p$i ($x)"
		say "/mnt/p$i ($sz bytes): $x"
	fi
	cmp /tmp/src$i /mnt/p$i || die "/mnt/p$i differs from its source"
	file_matches_device /mnt/p$i
done
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	dax_mapped /mnt/big
else
	say "no famfs DAX kernel: the DAX proofs were not run, the bytes were checked"
fi

# a write through p3 lands on its extent and nowhere else
for n in 2 4; do md5sum </mnt/p$n >/tmp/before$n; done
dd if=/dev/urandom of=/tmp/pat bs=20000 count=1 2>/dev/null
dd if=/tmp/pat of=/mnt/p3 bs=20000 count=1 conv=notrunc 2>/dev/null || die "dd write into /mnt/p3 failed"
o3=$(first_offset /mnt/p3) || exit 1
expect_eq "device bytes at /mnt/p3's extent after the write (md5)" \
	"$(raw_read "$o3" 20000 | md5sum | cut -d' ' -f1)" "$(md5sum </tmp/pat | cut -d' ' -f1)"
for n in 2 4; do
	md5sum </mnt/p$n | cmp -s - /tmp/before$n || die "/mnt/p$n changed when /mnt/p3 was written"
	cmp /tmp/src$n /mnt/p$n || die "/mnt/p$n differs from its source after the write to p3"
	file_matches_device /mnt/p$n
done
say "a write through /mnt/p3 is on its extent; its neighbours p2 and p4 are unchanged"

s=$(status /mnt) || exit 1
expect_eq data_path "$(json_get data_path "$s")" "$FAMFS_VM_EXPECT"
if [ "$FAMFS_VM_EXPECT" = dax ]; then
	expect_eq "reads after mmap, cmp and dd of packed files" "$(json_get reads "$s")" 0
	expect_eq "writes after the dd write into a packed file" "$(json_get writes "$s")" 0
	say "data_path dax, reads 0, writes 0"
fi
unmount /mnt
out=$(famfs fsck "$PMEM" 2>&1) || die "famfs fsck $PMEM: $out"
say "fsck: $(echo "$out" | tail -n 1)"
