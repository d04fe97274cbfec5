#!/usr/bin/env bash
# famfs creat / cp / verify on a mounted image: files made through the
# control file hold the test-data stream of their seed (checked here against
# an independent python3 generator), verify finds the first bad offset,
# re-creating with the same size is fine and another size is refused, cp
# copies files and trees (diff -r through the mount) and can be re-run,
# and every refusal (bad sizes, seeds, flags, paths out of famfs, empty
# files, devices, a client host) says why and leaves the mount working.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
command -v mount >/dev/null 2>&1 || { echo "skip: mount(8) is missing"; exit 77; }

MNT=$PWD/mnt
CMNT=$PWD/cmnt
HOST2=$PWD/host2/system_uuid		# a second host: a client of img
mkdir -p "$MNT" "$CMNT"

mounted() { awk -v m="$1" '$5 == m { f = 1 } END { exit !f }' /proc/self/mountinfo; }
cleanup() {
	local m
	for m in "$CMNT" "$MNT"; do
		for _ in 1 2 3; do
			mounted "$m" || break
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	done
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

# stream SEED OFFSET LEN: bytes of the test-data stream, computed here
stream() {
	"$PY" -S -c '
import struct, sys
M = (1 << 64) - 1
def sm(x):
    z = (x + 0x9e3779b97f4a7c15) & M
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
s, off, n = (int(a, 0) for a in sys.argv[1:4])
w0 = off // 8
words = b"".join(struct.pack("<Q", sm((s + w0 + i) & M)) for i in range((off % 8 + n + 7) // 8))
sys.stdout.buffer.write(words[off % 8:off % 8 + n])' "$@"
}

# range_is FILE SEED OFFSET LEN WHAT: a range of FILE is the stream
range_is() {
	stream "$2" "$3" "$4" >expect.bin
	if tail -c +$(($3 + 1)) "$1" 2>/dev/null | head -c "$4" | cmp -s - expect.bin; then
		ok "$5"
	else
		fail "$5"
	fi
}

# the mount answers: a listing and a read of a known file
alive() {
	if ls "$MNT" >/dev/null 2>&1 &&
	   head -c 65536 "$MNT/r1" 2>/dev/null | cmp -s - r1.head; then
		ok "mount still works after: $*"
	else
		fail "mount does not work after: $*"
	fi
}

absent() {	# absent PATH WHAT
	if [ -e "$1" ]; then fail "$2: $1 exists"; else ok "$2: $1 not created"; fi
}

size_of() { stat -c %s "$1" 2>/dev/null; }

same_file() {	# same_file A B WHAT: the same bytes
	if cmp -s "$1" "$2"; then ok "$3"; else fail "$3: $1 and $2 differ"; fi
}

same_tree() {	# same_tree A B WHAT: diff -r, empty files aside
	if diff -r -x empty "$1" "$2" >diff.out 2>&1; then
		ok "$3"
	else
		fail "$3"
		sed 's/^/     | /' diff.out | head -n 20
	fi
}

# ---------------------------------------------------------------- setup
mkimg img 1G
expect_exit 0 "$FAMFS" mkfs img
expect_exit 0 "$FAMFS" mount img "$MNT"

# ---------------------------------------------------------------- creat
expect_exit 0 "$FAMFS" creat -s 4k "$MNT/a"
stdout_empty
check_eq 4096 "$(size_of "$MNT/a")" "size of a"
check_eq 644 "$(stat -c %a "$MNT/a")" "default mode of a"
expect_exit 0 "$FAMFS" creat -r -S 42 -s 3M "$MNT/r1"
out_has "famfs creat: $MNT/r1: randomized 3145728 bytes with seed 42"
check_eq 3145728 "$(size_of "$MNT/r1")" "size of r1"
stream 42 0 65536 >r1.head
range_is "$MNT/r1" 42 0 65536 "r1 starts with the stream of seed 42"
range_is "$MNT/r1" 42 1234561 5000 "r1 at an odd offset is the stream"
range_is "$MNT/r1" 42 $((3145728 - 777)) 777 "r1 ends with the stream"
alive "creat"

# ---------------------------------------------------------------- verify
expect_exit 0 "$FAMFS" verify -f "$MNT/r1" -S 42
out_has "famfs verify: $MNT/r1: 3145728 bytes match seed 42"
expect_exit 0 "$FAMFS" verify -q --filename "$MNT/r1" --seed 0x2a
stdout_empty
expect_exit 1 "$FAMFS" verify -f "$MNT/r1" -S 43
out_has "famfs verify: $MNT/r1: mismatch at offset 0"
# one damaged byte, written through the mount: found at any thread count
printf 'Z' | dd of="$MNT/r1" bs=1 seek=1234567 conv=notrunc status=none
for t in 0 1 2 8; do
	expect_exit 1 "$FAMFS" verify -t "$t" -f "$MNT/r1" -S 42
	out_has "famfs verify: $MNT/r1: mismatch at offset 1234567"
done
# re-creating with the same size re-randomizes it
expect_exit 0 "$FAMFS" creat -r -S 42 -s 3M "$MNT/r1"
expect_exit 0 "$FAMFS" verify -f "$MNT/r1" -S 42
# -r without -S: a fresh seed, printed, that verify accepts
expect_exit 0 "$FAMFS" creat -r -s 100k "$MNT/r2"
seed=$(sed -n 's/.* with seed \([0-9]*\)$/\1/p' "$OUT")
check_ne "" "$seed" "printed seed"
expect_exit 0 "$FAMFS" verify -f "$MNT/r2" -S "${seed:-1}"
# -S 0 means: do not randomize
expect_exit 0 "$FAMFS" creat -r -S 0 -s 8k "$MNT/z0"
stdout_empty
head -c 8192 /dev/zero >zeros.bin
same_file zeros.bin "$MNT/z0" "z0 left as zeros (fresh image)"
alive "verify"

# ---------------------------------------------------------------- creat -M
expect_exit 0 "$FAMFS" creat -M "$MNT/m1,4k,1" -M "$MNT/m2,1M,2" \
	-M "$MNT/m3,0x200003,3" -M "$MNT/m4,8k"
out_has "4 file(s): 4 created, 0 reused, 3 randomized, 0 failed"
check_eq "4096 1048576 2097155 8192" \
	"$(size_of "$MNT/m1") $(size_of "$MNT/m2") $(size_of "$MNT/m3") $(size_of "$MNT/m4")" \
	"sizes of m1..m4"
expect_exit 0 "$FAMFS" verify -m "$MNT/m1,1" -m "$MNT/m2,2" -m "$MNT/m3,3"
out_has "$MNT/m3: 2097155 bytes match seed 3"
range_is "$MNT/m3" 3 2097000 155 "m3's tail is the stream of seed 3"
expect_exit 1 "$FAMFS" verify -q -m "$MNT/m1,1" -m "$MNT/m2,1" -m "$MNT/m4,4"
out_has "$MNT/m2: mismatch at offset 0"
out_has "$MNT/m4: mismatch at offset 0"
out_lacks "$MNT/m1"
# the same set again: all reused
expect_exit 0 "$FAMFS" creat -M "$MNT/m1,4k,1" -M "$MNT/m2,1M,2" \
	-M "$MNT/m3,0x200003,3" -M "$MNT/m4,8k"
out_has "4 file(s): 0 created, 4 reused, 3 randomized, 0 failed"
# one bad member fails the command; the others are made
expect_exit 1 "$FAMFS" creat -M "$MNT/m5,4k" -M "$MNT/m1,8k" -M "$MNT/m6,4k,6"
out_has "$MNT/m1: already exists with size 4096 (asked for 8192)"
out_has "3 file(s): 2 created, 0 reused, 1 randomized, 1 failed"
expect_exit 0 "$FAMFS" verify -f "$MNT/m6" -S 6
# interleaved, and owner/mode
expect_exit 0 "$FAMFS" creat -N 2 -C 2M -B 4 -r -S 9 -s 9M "$MNT/il"
expect_exit 0 "$FAMFS" verify -f "$MNT/il" -S 9
expect_exit 0 "$FAMFS" creat -m 600 -u 123 -g 456 -s 4k "$MNT/owned"
check_eq "600 123 456" "$(stat -c '%a %u %g' "$MNT/owned")" "mode uid gid"
alive "creat -M"

# ---------------------------------------------------------------- re-creat
expect_exit 0 "$FAMFS" creat -s 4096 "$MNT/a"
expect_exit 1 "$FAMFS" creat -s 8k "$MNT/a"
out_has "famfs creat: $MNT/a: already exists with size 4096 (asked for 8192)"
stdout_empty
check_eq 4096 "$(size_of "$MNT/a")" "size of a after a refused re-create"
expect_exit 1 "$FAMFS" creat -s 4k "$MNT/.meta"
expect_exit 1 "$FAMFS" creat -s 4k "$MNT"
out_has "is the root of the famfs filesystem"
expect_exit 1 "$FAMFS" creat -s 4k "$MNT/slash/"
out_has "not a file name"
absent "$MNT/slash" "creat NAME/"
alive "re-creat"

# ---------------------------------------------------------------- cp
mkdir -p src/d1/d2 src/d3 other
head -c 5000000 /dev/urandom >src/f1
head -c 1 /dev/urandom >src/d1/one
head -c $((2 * 1048576 + 3)) /dev/urandom >src/d1/d2/big
head -c 4096 /dev/urandom >src/d3/page
: >src/d1/empty
head -c 70000 /dev/urandom >other/g
: >other/empty
expect_exit 0 "$FAMFS" cp other/g "$MNT/g"
same_file other/g "$MNT/g" "cp of a file: same bytes"
# a tree into a new directory; empty files are skipped with a message
expect_exit 0 "$FAMFS" cp -r src "$MNT/tree"
out_has "src/d1/empty: is empty: skipped"
same_tree src "$MNT/tree" "diff -r src tree (empty files aside)"
absent "$MNT/tree/d1/empty" "empty file in a tree"
# into an existing directory: the tree lands under its name
expect_exit 0 "$FAMFS" cp -r -t 0 src "$MNT/tree"
same_tree src "$MNT/tree/src" "cp -r into an existing dir"
expect_exit 1 "$FAMFS" cp -r "$MNT/tree" "$MNT/tree/d1"
out_has "cannot copy a directory into itself"
# the mount point and a directory, with a trailing slash (upstream #134)
expect_exit 0 "$FAMFS" cp src/d3/page "$MNT/"
same_file src/d3/page "$MNT/page" "cp FILE MNT/"
expect_exit 0 "$FAMFS" cp other/g "$MNT/tree/d3/"
same_file other/g "$MNT/tree/d3/g" "cp FILE MNT/dir/"
expect_exit 1 "$FAMFS" cp other/g "$MNT/nodir/"
out_has "no such directory"
# several sources into a directory; a directory without -r is reported
expect_exit 1 "$FAMFS" cp -v src/f1 src/d1 other/g "$MNT/tree/d1/d2"
out_has "src/d1: is a directory: not copied (use -r)"
same_file src/f1 "$MNT/tree/d1/d2/f1" "the other sources were copied"
alive "cp"

# ---------------------------------------------------------------- restartable cp
printf 'XXXX' | dd of="$MNT/g" bs=1 seek=1000 conv=notrunc status=none
if cmp -s other/g "$MNT/g"; then fail "damage did not reach $MNT/g"; else ok "g damaged"; fi
expect_exit 0 "$FAMFS" cp other/g "$MNT/g"
same_file other/g "$MNT/g" "cp again rewrote g"
expect_exit 0 "$FAMFS" cp -r src "$MNT/tree"
expect_exit 1 "$FAMFS" cp src/f1 "$MNT/g"
out_has "$MNT/g: already exists with size 70000 (asked for 5000000)"
same_file other/g "$MNT/g" "g untouched by a refused cp"
alive "restartable cp"

# ---------------------------------------------------------------- cp refusals
expect_exit 1 "$FAMFS" cp other/empty "$MNT/e"
out_has "other/empty: is empty: famfs files cannot be empty"
absent "$MNT/e" "cp of an empty file"
expect_exit 1 "$FAMFS" cp /dev/zero "$MNT/zero"
out_has "/dev/zero: not a regular file"
absent "$MNT/zero" "cp of /dev/zero"
expect_exit 1 "$FAMFS" cp src/f1 other/g "$MNT/g"
out_has "$MNT/g: not a directory"
expect_exit 1 "$FAMFS" cp src/f1 other/g "$MNT/newdir"
absent "$MNT/newdir" "several sources to a missing directory"
expect_exit 1 "$FAMFS" cp other/g "$PWD/other/copy"
out_has "is not in a famfs filesystem"
expect_exit 1 "$FAMFS" cp missing "$MNT/missing"
out_has "missing: No such file or directory"
alive "cp refusals"

# ---------------------------------------------------------------- out of famfs
expect_exit 1 "$FAMFS" creat -s 4k "$MNT/../x"
out_has "not in a famfs filesystem"
absent "$PWD/x" "creat MNT/../x"
mkdir outside
ln -s "$PWD/outside" "$MNT-link"
expect_exit 1 "$FAMFS" creat -s 4k "$MNT-link/y"
out_has "not in a famfs filesystem"
absent outside/y "creat through a symlink out"
expect_exit 1 "$FAMFS" cp other/g "$MNT/../g2"
absent "$PWD/g2" "cp to MNT/../g2"
expect_exit 1 "$FAMFS" creat -s 4k "$MNT/nodir/x"
out_has "No such file or directory"
alive "paths out of famfs"

# ---------------------------------------------------------------- bad sizes
for s in 0 0x0 garbage 4kx -1 ""; do
	expect_exit 2 "$FAMFS" creat -s "$s" "$MNT/bad"
	out_has "bad size"
done
expect_exit 1 "$FAMFS" creat -s 2G "$MNT/bad"
out_has "larger than the device"
expect_exit 1 "$FAMFS" creat -s 1020M "$MNT/bad"
out_has "no space on "
# size 0 in -M is the existing file's size (as upstream): none here
expect_exit 1 "$FAMFS" creat -M "$MNT/bad,0"
out_has "the file does not exist"
absent "$MNT/bad" "bad sizes"
alive "bad sizes"

# ---------------------------------------------------------------- bad seeds, flags
expect_exit 2 "$FAMFS" creat -r -S abc -s 4k "$MNT/bad"
out_has "bad seed 'abc'"
expect_exit 2 "$FAMFS" creat -r -S -5 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -S 5 -s 4k "$MNT/bad"
out_has "-S/--seed needs -r/--randomize"
expect_exit 2 "$FAMFS" creat -M "$MNT/bad,4k,x1"
expect_exit 2 "$FAMFS" creat -M "$MNT/bad,4k" -s 4k
out_has "cannot be combined"
expect_exit 2 "$FAMFS" creat -M "$MNT/bad,4k" "$MNT/bad2"
expect_exit 2 "$FAMFS" verify -f "$MNT/r1" -S 0
out_has "bad seed '0'"
expect_exit 2 "$FAMFS" verify -f "$MNT/r1" -S 18446744073709551616
expect_exit 2 "$FAMFS" verify -f "$MNT/r1"
out_has "no seed given"
expect_exit 2 "$FAMFS" verify -m "$MNT/r1"
expect_exit 2 "$FAMFS" verify -m "$MNT/r1,42" -f "$MNT/r1" -S 42
expect_exit 2 "$FAMFS" verify
for cmd in creat cp verify; do
	expect_exit 2 "$FAMFS" "$cmd" --bogus "$MNT/bad"
	out_has "Try 'famfs help $cmd'."
done
expect_exit 2 "$FAMFS" creat -t 257 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -N 33 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -N 4 -B 2 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -B 65 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -C 3M -N 2 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -m 9 -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -u alice -s 4k "$MNT/bad"
expect_exit 2 "$FAMFS" creat -s 4k
expect_exit 2 "$FAMFS" creat -s 4k "$MNT/bad" "$MNT/bad2"
expect_exit 2 "$FAMFS" cp "$MNT/r1"
expect_exit 2 "$FAMFS" cp -t x other/g "$MNT/bad"
expect_exit 1 "$FAMFS" verify -f "$MNT/nothere" -S 1
out_has "$MNT/nothere: No such file or directory"
expect_exit 1 "$FAMFS" verify -f "$MNT/tree" -S 1
out_has "is a directory"
absent "$MNT/bad" "bad seeds and flags"
absent "$MNT/bad2" "bad seeds and flags"
alive "bad seeds and flags"

# ---------------------------------------------------------------- a client
# mount creates host 2's identity: another UUID, so a client of img
FAMFS_SYSTEM_UUID_FILE=$HOST2 expect_exit 0 "$FAMFS" mount img "$CMNT"
FAMFS_SYSTEM_UUID_FILE=$HOST2 expect_exit 1 "$FAMFS" creat -s 4k "$CMNT/cl"
out_has "famfs creat: $CMNT/cl: this host is a client of the filesystem"
FAMFS_SYSTEM_UUID_FILE=$HOST2 expect_exit 1 "$FAMFS" cp other/g "$CMNT/cl2"
out_has "client"
absent "$MNT/cl" "creat on a client (seen by the master)"
absent "$CMNT/cl" "creat on a client"
absent "$MNT/cl2" "cp on a client"
# the client reads what the master wrote
FAMFS_SYSTEM_UUID_FILE=$HOST2 expect_exit 0 "$FAMFS" verify -f "$CMNT/r1" -S 42
same_tree src "$CMNT/tree/src" "the client sees the tree"
alive "client refusals"

# ---------------------------------------------------------------- ASan build
if [ -x "$FAMFS_ASAN" ]; then
	expect_exit 0 "$FAMFS_ASAN" cp -r -t 3 src "$MNT/atree"
	same_tree src "$MNT/atree" "asan cp -r"
	expect_exit 0 "$FAMFS_ASAN" creat -t 3 -M "$MNT/am1,5M,11" -M "$MNT/am2,1,12" -M "$MNT/am3,4k"
	expect_exit 1 "$FAMFS_ASAN" verify -m "$MNT/am1,11" -m "$MNT/am2,12" -m "$MNT/am3,13"
	out_has "$MNT/am3: mismatch at offset 0"
	out_lacks "ERROR: AddressSanitizer"
	out_lacks "runtime error"
	expect_exit 1 "$FAMFS_ASAN" cp src/f1 src/d1 /dev/zero other/empty "$MNT/tree"
	expect_exit 2 "$FAMFS_ASAN" creat -M "$MNT/x,4k" -M bad
else
	fail "$FAMFS_ASAN is not built: the ASan runs cannot run"
fi
alive "the asan runs"

finish
