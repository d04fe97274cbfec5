#!/usr/bin/env bash
# timeout-factor: 2
# Rogue operations through the master's mount: famfs files are preallocated
# and only the log may change the namespace, so every create, remove,
# rename or size change made with ordinary tools or system calls is refused
# (EPERM), as is any change of a .meta file or of the server's identity
# xattr (the changes the log records -- ln, ln -s, mknod, chmod, chown,
# utimens, xattrs -- are t82's), writes at or past the end fail (ENOSPC)
# and a write straddling the end is short.  After each attempt the
# namespace, the log, the data and the free space are unchanged and the
# mount still answers; after unmounting, fsck reports what it reported
# before mounting.  Malformed control requests are refused too.
# Every mount is undone by the EXIT trap, also on failure.
# shellcheck disable=SC2012,SC2317 # ls is what is tested; cleanup runs from the trap
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"

# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

# ---- an image populated before mounting --------------------------------------
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
testgen img mkdir d e
testgen img file f 10000
testgen img file d/g 4096
expect_exit 0 "$FAMFS" fsck --json img
cp "$OUT.stdout" pre.json
newmnt mnt
expect_exit 0 "$FAMFS" mount img mnt
head -c 10000 /dev/urandom >pat.f
head -c 4096 /dev/urandom >pat.g
dd if=pat.f of=mnt/f conv=notrunc status=none
dd if=pat.g of=mnt/d/g conv=notrunc status=none
off_f=$(ctl -k extents.0.offset mnt getmap f)
len_f=$(ctl -k extents.0.len mnt getmap f)
if [ -n "$off_f" ] && cmp -s -n 10000 pat.f img 0 "$off_f"; then
	ok "f written through the mount (extent at $off_f, $len_f bytes)"
else
	fail "f's bytes are not at its extent '$off_f'"
fi

# The whole observable state: namespace (names, types, modes, sizes,
# owners), the log read through the mount, the data of both files, the
# bytes of f's extent past its end (in the image), the free space.
state() {
	(cd mnt && find . -printf '%p %y %m %s %U %G\n' | sort)
	echo "log $(sha256sum <mnt/.meta/.log | cut -c1-64)"
	echo "f $(sha256sum <mnt/f | cut -c1-64)"
	echo "g $(sha256sum <mnt/d/g | cut -c1-64)"
	echo "slack $(dd if=img bs=64k iflag=skip_bytes,count_bytes skip=$((off_f + 10000)) count=$((len_f - 10000)) status=none | sha256sum | cut -c1-64)"
	echo "free $(stat -f -c '%f' mnt)"
	echo "entries $(ctl -k log_entries mnt status)"
}
S0=$(state)
check_eq 8 "$(printf '%s\n' "$S0" | grep -c '^\./')" "entries in the namespace"
unchanged() {	# unchanged WHAT: the state is S0 and the mount answers
	if [ "$(stat -c %i mnt 2>/dev/null)" != 1 ]; then
		fail "the mount no longer answers after $1"
		return
	fi
	same_state "$1"
}
# tool CODE MSG WHAT CMD...: a command-line tool fails with CODE and MSG
tool() {
	local code=$1 msg=$2 what=$3
	shift 3
	expect_exit "$code" "$@"
	[ -n "$msg" ] && out_has "$msg"
	unchanged "$what"
}
# sys ERRNO WHAT FSOP...: one system call fails with ERRNO
sys() {
	local want=$1 what=$2
	shift 2
	check_eq "$want" "$(fsop "$@")" "$what"
	unchanged "$what"
}
EPERM_MSG="Operation not permitted"

# ---- namespace changes ---------------------------------------------------------
tool 1 "$EPERM_MSG" "touch a new file" touch mnt/new
sys EPERM "open O_CREAT|O_EXCL" creat mnt/new
sys EPERM "open O_CREAT in a subdirectory" creat mnt/d/new
echo hello >src.txt
tool 1 "$EPERM_MSG" "cp a new file in" cp src.txt mnt/
tool 1 "$EPERM_MSG" "cp over an existing file" cp src.txt mnt/f
tool 1 "$EPERM_MSG" "cp -r a directory in" cp -r "$HERE" mnt/d/
tool 1 "$EPERM_MSG" "mkdir" mkdir mnt/nd
tool 1 "$EPERM_MSG" "mkdir -p" mkdir -p mnt/d/x/y
sys EPERM "mkdir(2)" mkdir mnt/nd
tool 1 "$EPERM_MSG" "rmdir of an empty directory" rmdir mnt/e
tool 1 "" "rmdir of a directory" rmdir mnt/d
sys EPERM "rmdir(2)" rmdir mnt/e
tool 1 "$EPERM_MSG" "rm" rm -f mnt/f
tool 1 "$EPERM_MSG" "rm -rf" rm -rf mnt/d
sys EPERM "unlink(2)" unlink mnt/d/g
tool 1 "$EPERM_MSG" "mv rename" mv mnt/f mnt/f2
tool 1 "$EPERM_MSG" "mv into a directory" mv mnt/f mnt/d/
tool 1 "$EPERM_MSG" "mv over an existing file" mv -f mnt/d/g mnt/f
tool 1 "" "mv a directory" mv mnt/e mnt/d/
sys EPERM "rename(2)" rename mnt/f mnt/f2
sys EPERM "rename(2) over a file" rename mnt/d/g mnt/f
# moving out of famfs copies, then cannot remove the source
tool 1 "$EPERM_MSG" "mv out of famfs" mv mnt/f out.f
if cmp -s pat.f mnt/f; then ok "f still in place after mv out"; else fail "f gone or changed after mv out"; fi
# ln, ln -s, mknod of FIFOs and devices are logged on the master: t82
# ---- size changes ----------------------------------------------------------
tool 1 "$EPERM_MSG" "truncate shorter" truncate -s 100 mnt/f
tool 1 "$EPERM_MSG" "truncate longer" truncate -s 100000 mnt/f
tool 1 "$EPERM_MSG" "truncate to 0" truncate -s 0 mnt/f
sys EPERM "truncate(2) shorter" truncate mnt/f 100
sys EPERM "truncate(2) longer" truncate mnt/f 3000000
sys EPERM "ftruncate(2)" ftruncate mnt/f 0
expect_exit 1 bash -c ': >mnt/f'
out_has "$EPERM_MSG"
unchanged ": > file (O_TRUNC)"
sys EPERM "open O_WRONLY|O_TRUNC" opentrunc mnt/f
sys EPERM "open O_TRUNC of .meta/.log" opentrunc mnt/.meta/.log
tool 1 "$EPERM_MSG" "fallocate -l (extend)" fallocate -l 1M mnt/f
tool 1 "$EPERM_MSG" "fallocate inside the file" fallocate -o 0 -l 4096 mnt/f
tool 1 "$EPERM_MSG" "fallocate --punch-hole" fallocate -p -o 0 -l 4096 mnt/f
tool 1 "$EPERM_MSG" "fallocate --zero-range" fallocate -z -o 0 -l 4096 mnt/f
tool 1 "" "fallocate --collapse-range" fallocate -c -o 0 -l 4096 mnt/f
sys EPERM "posix_fallocate(3)" fallocate mnt/f 0 20000

# ---- attribute changes --------------------------------------------------------
# chmod, chown, utimens and xattrs of the namespace's inodes are logged on
# the master (t82); the .meta files and the identity stay as they are
tool 1 "$EPERM_MSG" "chmod of .meta/.ctl" chmod 666 mnt/.meta/.ctl
sys EPERM "chmod(2) of .meta/.log" chmod mnt/.meta/.log 777
sys EPERM "utime(2) of .meta/.log" utime mnt/.meta/.log
sys EPERM "setxattr(2) of user.famfs.identity" setxattr mnt/f user.famfs.identity forged
sys EPERM "removexattr(2) of user.famfs.identity" removexattr mnt/f user.famfs.identity
check_eq "OK fs_uuid=$(json_get pre.json fs_uuid) role=master" "$(fsop getxattr mnt/f user.famfs.identity)" "identity xattr after the attempts"

# ---- writes: inside is fine, at or past the end ENOSPC, straddling short ---------
tool 1 "No space left on device" "dd at EOF" dd if=/dev/zero of=mnt/f bs=1 count=1 seek=10000 conv=notrunc status=none
tool 1 "No space left on device" "dd far past EOF" dd if=/dev/zero of=mnt/f bs=4096 count=1 seek=1000 conv=notrunc status=none
expect_exit 1 bash -c 'echo appended >>mnt/f'
out_has "No space left on device"
unchanged "append (>>)"
sys ENOSPC "pwrite(2) at EOF" pwrite mnt/f 10000 1
sys ENOSPC "pwrite(2) past EOF within the extent" pwrite mnt/f 12000 100
sys ENOSPC "pwrite(2) past the extent" pwrite mnt/f $((len_f + 4096)) 100
sys EACCES "open .meta/.superblock for writing" openw mnt/.meta/.superblock
# a write straddling EOF is short: 10 of 100 bytes land, none past the end
check_eq "OK 10" "$(fsop pwrite mnt/f 9990 100 0x41)" "pwrite(2) straddling EOF returns the short count"
check_eq "10000 AAAAAAAAAA" "$(stat -c %s mnt/f) $(tail -c 10 mnt/f)" "size and last bytes of f after the short write"
if cmp -s -n 9990 pat.f mnt/f; then ok "the rest of f is unchanged"; else fail "the short write changed f before 9990"; fi
head -c 9990 pat.f >pat.f2
printf 'AAAAAAAAAA' >>pat.f2
if cmp -s -n 10000 pat.f2 img 0 "$off_f"; then ok "the short write is in the image"; else fail "the image does not hold the short write"; fi
S0=$(printf '%s\n' "$S0" | sed "s/^f .*/f $(sha256sum <pat.f2 | cut -c1-64)/")
unchanged "a write straddling EOF (beyond the 10 bytes)"

# ---- the control file refuses malformed or impossible requests --------------------
expect_exit 3 ctl -M 0x12345678 mnt status
out_has "EINVAL"
expect_exit 3 ctl mnt op 0
out_has "EINVAL"
expect_exit 3 ctl mnt op 99
out_has "EINVAL"
expect_exit 3 ctl -F 0x80 mnt status
out_has "EINVAL"
unchanged "malformed control requests"
expect_exit 1 cat mnt/.meta/.ctl
out_has "No data available"
check_eq EACCES "$("$PY" -S -c 'import errno, os, sys
pid = os.fork()
if pid == 0:
    os.setgid(65534); os.setuid(65534)
    try:
        os.close(os.open(sys.argv[1], os.O_RDWR)); print("OK")
    except OSError as e:
        print(errno.errorcode[e.errno])
    sys.stdout.flush(); os._exit(0)
os.waitpid(pid, 0)' mnt/.meta/.ctl)" "a non-root user opening .meta/.ctl"
free=$(ctl -k free mnt status)
for req in "EEXIST create f 10000" "EEXIST create f 20000" "EINVAL create /abs 10" \
	"EINVAL create ../x 10" "EINVAL create d/../x 10" "EINVAL create d//x 10" \
	"EINVAL create .meta/x 10" "ENOENT create nodir/x 10" "ENOTDIR create f/x 10" \
	"EINVAL create z 0" "EINVAL create huge 999999999999" "ENOSPC create big $((free + 1))" \
	"EEXIST mkdir d" "EEXIST mkdir f" "ENOENT mkdir nodir/x" "EINVAL mkdir .meta" \
	"ENOENT clone nothere x" "EEXIST clone f d/g"; do
	# shellcheck disable=SC2086
	set -- $req
	want=$1
	shift
	check_eq "$want" "$(ctl -k errname mnt "$@")" "control $*"
done
check_eq "'f' exists with size 10000" "$(ctl -k msg mnt create f 20000)" "message of a conflicting create"
unchanged "refused control requests"

# ---- after unmounting, fsck sees what it saw before mounting -----------------------
pid=$(ctl -k pid mnt status)
expect_exit 0 umount mnt
check_eq 0 "$(mnt_count mnt)" "mounts on mnt after umount"
for ((i = 0; i < 40; i++)); do
	st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ] && break
	sleep 0.05
done
expect_exit 0 "$FAMFS" fsck --json img
if cmp -s pre.json "$OUT.stdout"; then
	ok "fsck --json after the rogue operations = before mounting"
else
	fail "fsck --json changed:"
	diff <(tr ',' '\n' <pre.json) <(tr ',' '\n' <"$OUT.stdout") | sed 's/^/     | /' | head -n 20
fi
check_eq true "$(json_get "$OUT.stdout" clean)" "fsck clean"

finish
