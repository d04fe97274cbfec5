# SPDX-License-Identifier: Apache-2.0
# dax1: famfs with the kernel's DAX data path (needs CONFIG_FUSE_FAMFS_DAX):
# the proofs of KERNEL.md section 5 on a 64 MiB file.
#   statx STATX_ATTR_DAX on the open file; a touched mapping has Rss 0 and
#   its pages are in the Persistent Memory range; data_path "dax",
#   fmaps > 0, daxdevs > 0; READ/WRITE upcalls stay 0 through creat -r,
#   verify, mmap stores, dd reads and writes; the file's bytes equal the
#   raw device's, both ways (device -> file, file -> device); an open
#   mapping reads and writes after the server is killed.
# Every kind of inode on this kernel: an empty regular file (made with
# famfs-testgen) opens and reads EOF (its GET_FMAP reply is empty: no map);
# a hard link's second name is the same DAX inode; a symlink and a FIFO
# made through the mount work as the kernel's own, a device node is there
# but does not open (famfs mounts nodev unless -o dev); a write by
# uid 1000 clears set-user-ID (the kernel's file_remove_privs -> SETATTR ->
# an ATTR entry).
# The probes that need no answer from the server (statx, mmap) come first.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
wait_pmem
# shellcheck disable=SC2086 # devdax.sh puts -M here
run famfs mkfs ${DAX1_MKFS_FLAGS:-} "$PMEM"
run famfs-testgen "$PMEM" empty e
run famfs mount "$PMEM" /mnt
run famfs creat -r -S 7 -s 64M /mnt/a
run famfs verify -S 7 -f /mnt/a
# cp of a tree: the initramfs's own /bin (static binaries, links followed)
run famfs mkdir /mnt/tree
run famfs cp -r /etc /mnt/tree/etc
run famfs cp /bin/famfs /mnt/tree/famfs
cmp /bin/famfs /mnt/tree/famfs || die "cp: /mnt/tree/famfs differs from /bin/famfs"
diff -r /etc /mnt/tree/etc >/dev/null || die "cp -r: /mnt/tree/etc differs from /etc"
say "cp: a file and the /etc tree copied into famfs read back identical"

out=$(daxcheck statx /mnt/a) || die "STATX_ATTR_DAX is not set on /mnt/a ($out)"
say "statx: $out"

m=$(daxcheck mmap /mnt/a) || die "daxcheck mmap /mnt/a failed: $m"
say "mmap: $m"
expect_eq "Rss (kB) of a touched DAX mapping" "$(kv rss_kb "$m")" 0
pages=$(kv pages "$m")
expect_eq "touched pages inside Persistent Memory" "$(kv pmem_pages "$m")" "$pages"
say "mmap: Rss 0 kB, $pages/$pages pages in pmem"

s=$(status /mnt) || exit 1
expect_eq data_path "$(json_get data_path "$s")" dax
expect_eq role "$(json_get role "$s")" master
fmaps=$(json_get fmaps "$s")
[ "${fmaps:-0}" -gt 0 ] || die "fmaps is '$fmaps' after creat+verify, expected > 0"
[ "$(json_get daxdevs "$s")" -gt 0 ] || die "daxdevs is '$(json_get daxdevs "$s")', expected > 0"
expect_eq "reads after creat -r, verify, cp, mmap" "$(json_get reads "$s")" 0
expect_eq "writes after creat -r, verify, cp, mmap" "$(json_get writes "$s")" 0
say "data_path dax, fmaps $fmaps, daxdevs $(json_get daxdevs "$s"), reads 0, writes 0 after creat -r, verify, cp, mmap"

file_matches_device /mnt/a
off=$(first_offset /mnt/a) || exit 1

# Device -> file: a pattern stored on the raw device is what the file reads.
dd if=/dev/urandom of=/tmp/pat1 bs=1M count=2 2>/dev/null
raw_write $((off + 32 * 1048576)) </tmp/pat1 || die "O_DIRECT write to $PMEM failed"
a=$(md5sum </tmp/pat1 | cut -d' ' -f1)
b=$(dd if=/mnt/a bs=1M skip=32 count=2 2>/dev/null | md5sum | cut -d' ' -f1)
expect_eq "file bytes at 32 MiB after a raw device write (md5)" "$b" "$a"
say "2 MiB stored on $PMEM at the file's offset 32 MiB read back through the file"

# File -> device: a write through the mount is on the device at once.
dd if=/dev/urandom of=/tmp/pat2 bs=1M count=2 2>/dev/null
dd if=/tmp/pat2 of=/mnt/a bs=1M seek=40 count=2 conv=notrunc 2>/dev/null ||
	die "dd write into /mnt/a failed"
a=$(md5sum </tmp/pat2 | cut -d' ' -f1)
b=$(raw_read $((off + 40 * 1048576)) 2097152 | md5sum | cut -d' ' -f1)
expect_eq "device bytes after a write through the file at 40 MiB (md5)" "$b" "$a"
say "2 MiB written through the file at 40 MiB are on $PMEM"

dd if=/mnt/a of=/dev/null bs=1M 2>/dev/null || die "dd read of /mnt/a failed"
s=$(status /mnt) || exit 1
expect_eq "reads after dd read+write of the file" "$(json_get reads "$s")" 0
expect_eq "writes after dd read+write of the file" "$(json_get writes "$s")" 0
say "no READ/WRITE upcalls after dd reads and writes: reads 0, writes 0"

# ---- every kind of inode ----------------------------------------------------
expect_eq "size of the empty file" "$(stat -c %s /mnt/e)" 0
n=$(wc -c </mnt/e) || die "read of the empty file failed"
expect_eq "bytes read from the empty file" "$n" 0
run ln /mnt/a /mnt/a2
expect_eq "ino of the second name" "$(stat -c '%i %h' /mnt/a2)" "$(stat -c %i /mnt/a) 2"
daxcheck statx /mnt/a2 >/dev/null || die "the second name of /mnt/a is not DAX"
cmp /mnt/a /mnt/a2 || die "/mnt/a2 reads other bytes than /mnt/a"
run ln -s a /mnt/sl
expect_eq "readlink" "$(readlink /mnt/sl)" a
cmp /mnt/sl /mnt/a || die "the symlink reads other bytes than /mnt/a"
run mkfifo /mnt/ff
(echo through-fifo >/mnt/ff) &
expect_eq "read from the FIFO" "$(cat /mnt/ff)" through-fifo
wait
run mknod /mnt/null c 1 3
expect_eq "device node" "$(stat -c '%F %t:%T' /mnt/null)" "character special file 1:3"
# famfs mounts nodev unless told -o dev: the node is there, its device not
if (echo discarded >/mnt/null) 2>/dev/null; then
	die "a device node opened on a nodev mount"
fi
run chmod 4777 /mnt/a
run daxcheck write-as 1000 /mnt/a
expect_eq "mode of /mnt/a after uid 1000 wrote it" "$(stat -c %a /mnt/a)" 777
say "empty file reads EOF; hard link, symlink, FIFO work, a device node is there (nodev); a non-root write cleared set-user-ID"

pid=$(json_get pid "$s")
if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
	die "server pid '$pid' from status is not running"
fi
out=$(daxcheck survive /mnt/a "$pid" "$PMEM" "$off")
rc=$?
say "server killed: $out"
[ "$rc" = 0 ] || die "mapping after the server was killed: $out"
umount -l /mnt 2>/dev/null
say "mapping read and wrote after kill -9 of server $pid; the stores are on $PMEM"
