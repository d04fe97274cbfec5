#!/usr/bin/env bash
# Security: on a client nothing can be created or written, and on the
# master the .meta files cannot be written either.  t11 already checks
# the plain system calls on a client's files (open O_WRONLY/O_RDWR,
# O_TRUNC, creat, mkdir, unlink, rmdir, rename, truncate, chmod, chown,
# setxattr, pwrite, open .meta/.log for writing) and the control file's
# CREATE/MKDIR/CLONE; t12 the same on the master's files.  Added here:
# mmap(PROT_WRITE, MAP_SHARED), link/symlink/mknod, utime, every write path into
# .meta/.log, .meta/.superblock and .meta itself on both roles, and the
# famfs commands (creat, cp, mkdir) run against a client mount.  After
# all of it the image (every byte), the log and the namespace are
# unchanged and fsck is clean.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
need_exec "$TESTGEN"

HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
testgen img mkdir d e
testgen img file d/f 10000
testgen img file g 4096
newmnt A B
expect_exit 0 "$FAMFS" mount img A
head -c 10000 /dev/urandom >pat.f
dd if=pat.f of=A/d/f conv=notrunc status=none
mkdir -p hostB
onB expect_exit 0 "$FAMFS" mount img B
check_eq "master client" "$(ctl -k role A status) $(ctl -k role B status)" "roles of A and B"

state() {	# everything a write could change, seen from both mounts
	(cd B && find . -printf '%p %y %m %s\n' | sort)
	echo "logA $(sha256sum <A/.meta/.log | cut -c1-64)"
	echo "logB $(sha256sum <B/.meta/.log | cut -c1-64)"
	echo "f $(sha256sum <B/d/f | cut -c1-64)"
	echo "img $(sha img)"
}
S0=$(state)
# sys MNT ERRNO OP PATH [ARGS]: one system call, refused with ERRNO
sys() {
	local want=$1 op=$2
	shift 2
	check_eq "$want" "$(fsop "$op" "$@")" "$op $*"
}

# ---- the client: files --------------------------------------------------------
sys EACCES mmapw B/d/f		# read-only descriptor, MAP_SHARED + PROT_WRITE
sys EROFS mmaprw B/d/f		# a writable descriptor is never handed out
sys EROFS link B/d/f B/d/h
sys EROFS symlink f B/d/s
sys EROFS mknod B/d/c
sys EROFS mkfifo B/d/p
sys EROFS rename B/d B/e/d
sys EROFS rename B/d/f B/.meta/f
sys EROFS removexattr B/d/f user.famfs.identity
sys EROFS fallocate B/d/f 0 4096
sys EROFS utime B/d/f			# setattr of the times
sys EROFS utime B/d
sys EROFS chown B/d 1 1
same_state "link, symlink, mknod, mmap and renames on the client"

# ---- the client and the master: .meta -------------------------------------------
for m in B A; do
	if [ $m = B ]; then W=EROFS; P=EROFS; else W=EACCES; P=EPERM; fi
	for f in .log .superblock; do
		sys $W openw $m/.meta/$f
		sys $W openrw $m/.meta/$f
		sys $P opentrunc $m/.meta/$f
		sys $W pwrite $m/.meta/$f 0 16
		sys EACCES mmapw $m/.meta/$f
		sys $W mmaprw $m/.meta/$f
		sys $P truncate $m/.meta/$f 0
		sys $P chmod $m/.meta/$f 666
		sys $P utime $m/.meta/$f
		sys $P unlink $m/.meta/$f
		sys $P rename $m/.meta/$f $m/.meta/x
	done
	sys $P creat $m/.meta/x
	sys $P mkdir $m/.meta/x
	sys $P rmdir $m/.meta
	sys $P chmod $m/.meta 777
	check_eq "444 444 600" "$(stat -c %a $m/.meta/.log $m/.meta/.superblock $m/.meta/.ctl | tr '\n' ' ' | sed 's/ $//')" "modes of .log .superblock .ctl on $m"
	same_state "write attempts on $m/.meta"
done

# ---- the famfs commands against the client mount ----------------------------------
echo hello >src.txt
onB expect_exit 1 "$FAMFS" creat -s 4096 B/new
out_has "client"
# shellcheck disable=SC2016  # $0 expands in the inner shell
onB expect_exit 1 bash -c 'cd B && "$0" creat -M n1,4096 -M n2,8192' "$FAMFS"
onB expect_exit 1 "$FAMFS" cp src.txt B/e/
out_has "client"
onB expect_exit 1 "$FAMFS" cp -r "$HERE" B/e/
onB expect_exit 1 "$FAMFS" mkdir B/nd
out_has "client"
onB expect_exit 1 "$FAMFS" mkdir -p B/x/y/z
onB expect_exit 1 "$FAMFS" creat -r -S 7 -s 10000 B/d/f	# reuse = rewrite
same_state "famfs creat, cp and mkdir on the client"
onB expect_exit 0 "$FAMFS" logplay B
same_state "famfs logplay on the client"

# ---- after unmounting: fsck is clean, the image is as it was ------------------------
umount_wait B
umount_wait A
expect_exit 0 "$FAMFS" fsck img
out_has "clean"
check_eq "$(printf '%s\n' "$S0" | sed -n 's/^img //p')" "$(sha img)" "image bytes after unmounting"

finish
