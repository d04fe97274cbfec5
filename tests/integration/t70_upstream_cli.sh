#!/usr/bin/env bash
# Upstream famfs's command line (cxl-micron-reskit/famfs) works here: each
# of its verbs and flags gives upstream's exit code and effect, or is a
# documented no-op, or is refused with the reason and the image untouched.
# The letters that used to mean something else here are checked both ways:
# famfs VERB takes upstream's meaning, our own meaning moved to a long
# option, and fsck.famfs / mount.famfs keep the fsck(8) / mount(8) ones.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }

newmnt mnt
M=$PWD/mnt
mkimg img 1G
ln -s "$FAMFS" fsck.famfs
ln -s "$FAMFS" mount.famfs

# unchanged WHAT: the image has the bytes it had when S was taken
unchanged() { check_eq "$S" "$(sha img)" "image unchanged by $1"; }

# ---- mode: --fuse, -F/--nofuse, FAMFS_MODE ----------------------------------
expect_exit 0 "$FAMFS" mkfs --fuse img
out_has "created famfs"
S=$(sha img)
for f in -F --nofuse; do
	expect_exit 2 "$FAMFS" mkfs -f "$f" img
	out_has "not supported: this famfs runs only as a FUSE filesystem"
	stdout_empty
	unchanged "mkfs -f $f"
	expect_exit 16 "$FAMFS" fsck "$f" img
	out_has "nofuse"
	expect_exit 2 "$FAMFS" mount "$f" img mnt
	check_eq 0 "$(mnt_count mnt)" "mounts after mount $f"
done
expect_exit 2 env FAMFS_MODE=v1 "$FAMFS" mkfs -f img
out_has "FAMFS_MODE=v1"
unchanged "FAMFS_MODE=v1 mkfs -f"
expect_exit 16 env FAMFS_MODE=v1 "$FAMFS" fsck img
expect_exit 2 env FAMFS_MODE=v1 "$FAMFS" mount img mnt
check_eq 0 "$(mnt_count mnt)" "mounts after FAMFS_MODE=v1 mount"
expect_exit 2 env FAMFS_MODE=v1 "$FAMFS" logplay mnt
out_has "FAMFS_MODE=v1"
expect_exit 0 env FAMFS_MODE=v1 "$FAMFS" fsck --fuse img
expect_exit 0 env FAMFS_MODE=fuse "$FAMFS" fsck img
expect_exit 0 env FAMFS_MODE=bogus "$FAMFS" fsck img
out_has "FAMFS_MODE=bogus is neither fuse nor v1"
expect_exit 0 env FAMFS_MODE=v1 "$FAMFS" mkfs -f --fuse img
out_has "created famfs"

# ---- -? is help, and --dryrun is upstream's no-op global flag ---------------
for c in $("$FAMFS" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}'); do
	[ "$c" = help ] && continue
	expect_exit 0 "$FAMFS" "$c" -?
	check_eq "$("$FAMFS" help "$c")" "$(cat "$OUT.stdout")" "famfs $c -? prints its help"
done
expect_exit 0 "$FAMFS" -?
out_has "usage: famfs"
expect_exit 0 "$FAMFS" --dryrun fsck img
out_has "img: clean"
expect_exit 0 "$FAMFS" help upstream
out_has "Letters that moved:"

# ---- mkfs -f -k -l -M -D -v --------------------------------------------------
expect_exit 0 "$FAMFS" mkfs -f -l 16m -M -D -v img
expect_exit 0 "$FAMFS" fsck img
out_has "log size (bytes):  16777216"
expect_exit 0 "$FAMFS" mkfs -f -k img
expect_exit 8 "$FAMFS" fsck img
expect_exit 2 "$FAMFS" mkfs -k img
expect_exit 0 "$FAMFS" mkfs img
S=$(sha img)

# ---- fsck: upstream's report lines, -h human, -B, -m/-r, -f -M -L -D ---------
expect_exit 0 "$FAMFS" fsck img
for l in "Famfs Superblock:" "role of this node: Owner" "alloc_unit:        0x200000" \
	"Log stats:" "# of log entries in use: 0 of " "Log size (total bytes)    8388608" \
	"No allocation errors found" "Capacity:" "Famfs log:" "0 bad log entries detected"; do
	out_has "$l"
done
out_has "Device capacity:        1073741824"
out_matches "Free space: +[0-9]+$"
out_has "img: clean"			# our own lines stay
expect_exit 0 "$FAMFS" fsck -h img
out_has "Device capacity:        1.00G"
out_has "Allocated space:"
expect_exit 0 "$FAMFS" fsck --human img
out_has "Device capacity:        1.00G"
expect_exit 0 "$FAMFS" fsck -B 4 img
out_has "Free space per bucket (4 buckets"
out_has "bucket 3:"
expect_exit 16 "$FAMFS" fsck -B 0 img
for f in -m --mmap -r --read -f -M --mock -L -D --nodax -v -hv; do
	expect_exit 0 "$FAMFS" fsck "$f" img
	out_has "img: clean"
done
expect_exit 16 "$FAMFS" fsck -m -r img
out_has "exclude each other"
for f in -p -a -y --repair; do
	expect_exit 0 "$FAMFS" fsck "$f" img
done
unchanged "fsck's upstream flags on a clean image"
# fsck.famfs: fsck(8)'s letters; -h is help there
expect_exit 0 ./fsck.famfs -h
out_has "usage: famfs fsck"
expect_exit 0 ./fsck.famfs -a img
expect_exit 0 ./fsck.famfs -n -f img
expect_exit 0 ./fsck.famfs -D "$PWD/nothing*" img
expect_exit 16 ./fsck.famfs -r img
unchanged "fsck.famfs"

# ---- mount: -f is --fuse (returns), -m mmap, -r, -S, -M, -L, -u, -p, -v ------
expect_exit 0 timeout 20 "$FAMFS" mount -f img mnt
check_eq 1 "$(mnt_count mnt)" "mounted by mount -f (upstream's --fuse)"
umount_wait mnt
expect_exit 0 timeout 20 "$FAMFS" mount -m -r -S "$PWD/shadow" -M -L -b -v -u -p img mnt
check_eq 1 "$(mnt_count mnt)" "mounted with -m -r -S -M -L -b -v -u -p"
check_eq 0 "$(ls -d shadow 2>/dev/null | wc -l)" "no shadow tree made"
umount_wait mnt
expect_exit 2 "$FAMFS" mount -R img mnt
out_has "umount the mount point and mount again"
expect_exit 2 "$FAMFS" mount -D img mnt
out_has "use --device"
expect_exit 2 "$FAMFS" mount --bouncedax --dummy img
out_has "dummy mount is not supported"
expect_exit 2 "$FAMFS" mount -c never -t 5 img mnt
expect_exit 2 "$FAMFS" mount -c sometimes img mnt
check_eq 0 "$(mnt_count mnt)" "nothing mounted by the refused mounts"
expect_exit 0 timeout 20 "$FAMFS" mount -c never --data-path fallback img mnt
check_eq fallback "$(ctl -k data_path mnt status)" "--data-path fallback"
umount_wait mnt
# -d: the mount returns; the server traces on the caller's stderr
timeout 20 "$FAMFS" mount -d img mnt 2>dbg.log
check_eq 0 "$?" "exit of mount -d (returns once mounted)"
stat mnt/.meta >/dev/null
if grep -q 'opcode' dbg.log; then ok "mount -d traces requests"; else fail "mount -d wrote no trace"; fi
umount_wait mnt
# mount.famfs: mount(8)'s -f (fake)
expect_exit 0 ./mount.famfs -f img mnt
check_eq 0 "$(mnt_count mnt)" "mounts after mount.famfs -f (fake)"
unchanged "mount's flags and refusals"

# ---- the file tools on a mount ----------------------------------------------
expect_exit 0 timeout 20 "$FAMFS" mount img mnt
expect_exit 0 "$FAMFS" creat -s 8M -r -S 7 "$M/a"
expect_exit 2 "$FAMFS" creat -s 8M -S 7 "$M/b"
out_has "needs -r"
# -r -S N FILE with no -s: re-randomized at its size
expect_exit 0 "$FAMFS" creat -r -S 9 "$M/a"
out_has "randomized 8388608 bytes with seed 9"
expect_exit 0 "$FAMFS" verify -f "$M/a" -S 9
expect_exit 1 "$FAMFS" verify -f "$M/a" -S 7
expect_exit 1 "$FAMFS" creat -r -S 9 "$M/none"
out_has "does not exist"
# -M FILE,0,SEED: 0 is the existing size
expect_exit 0 "$FAMFS" creat -M "$M/a,0,11"
out_has "1 reused, 1 randomized"
expect_exit 0 "$FAMFS" verify -m "$M/a,11" -q
# an interleaved file from cp -N 7 -B 8, re-randomized by creat -M
head -c 16M /dev/urandom >src
expect_exit 0 "$FAMFS" cp -N 7 -B 8 src "$M/il"
expect_exit 0 "$FAMFS" creat -M "$M/il,16777216,42"
out_has "1 reused, 1 randomized"
expect_exit 0 "$FAMFS" verify -f "$M/il" -S 42
expect_exit 1 "$FAMFS" creat -N 3 -M "$M/il,16777216,5"
out_has "another layout"
expect_exit 1 "$FAMFS" creat -M "$M/il,4M,5"
out_has "already exists with size 16777216"
# cp -c compares, and copies nothing
expect_exit 0 "$FAMFS" cp src "$M/c"
expect_exit 0 "$FAMFS" cp -c src "$M/c"
head -c 16M /dev/urandom >other
expect_exit 1 "$FAMFS" cp -c other "$M/c"
out_has "differ at offset"
expect_exit 1 "$FAMFS" cp -c src "$M/none"
expect_exit 2 ls "$M/none"
# mkdir, flush, getmap, chkread, clone, logplay
expect_exit 0 "$FAMFS" mkdir -p -m 0755 -v "$M/d/e"
expect_exit 0 "$FAMFS" flush -v "$M/a"
expect_exit 0 "$FAMFS" getmap -q "$M/a"
expect_exit 2 "$FAMFS" getmap -q -c "$M/d" "$M/a"
expect_exit 0 "$FAMFS" chkread "$M/a"
expect_exit 0 "$FAMFS" logplay -n -v "$M"
for f in -m -r -c -s -M --mmap --read --client --shadowtest --mock --set-daxmode; do
	expect_exit 0 "$FAMFS" logplay "$f" "$M"
	out_has "log entr"
done
expect_exit 0 "$FAMFS" logplay -S "$PWD/shadow" "$M"
expect_exit 0 "$FAMFS" logplay -rc "$M"
expect_exit 2 "$FAMFS" logplay -rm "$M"
out_has "exclude each other"
expect_exit 2 "$FAMFS" logplay -d img "$M"
out_has "no shadow tree"
# check and mkmeta (upstream's v1 verbs)
expect_exit 0 "$FAMFS" check "$M"
out_has "0 without a map"
expect_exit 0 "$FAMFS" mkmeta img
out_has "mounted at $M"
expect_exit 8 "$FAMFS" check "$PWD"
# fsck -r of a mount is upstream's read mode: a check, not a refused repair
expect_exit 0 "$FAMFS" fsck -r "$M"
out_has "Famfs log:"
expect_exit 16 "$FAMFS" fsck --repair "$M"
expect_exit 0 "$FAMFS" clone "$M/a" "$M/a2"
expect_exit 4 "$FAMFS" fsck "$M"
out_has "ALLOCATION COLLISIONS FOUND"
umount_wait mnt
expect_exit 1 "$FAMFS" mkmeta img
out_has "not mounted"
finish
