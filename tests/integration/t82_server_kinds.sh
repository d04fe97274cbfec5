#!/usr/bin/env bash
# Every kind of inode through the FUSE server.  The master mount (A) makes
# them with the ordinary tools -- ln -s, ln, mkfifo, mknod c/b, setxattr,
# chmod, chown, touch with nanoseconds -- and each is logged; a client of
# another host identity (B) and a remount of both show the same inode:
# type, mode, links, owner, size, device number, times with nanoseconds,
# one ino for both names of a hard link, the link target, the xattrs, a
# POSIX ACL the kernel enforces.  xattr limits answer as Linux does
# (ERANGE, E2BIG, ENOSPC; size probes, ERANGE for a short buffer, ENODATA).
# An empty regular file reads EOF.  A write by a non-root user clears
# set-user-ID (and set-group-ID of a group-executable file), on every host
# and after a remount; root's write keeps it.  The client refuses every
# change with EROFS.  Every mount is undone by the EXIT trap.
# shellcheck disable=SC2317 # cleanup runs from the trap
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"
command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }

HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
as1000() { setpriv --reuid=1000 --regid=1000 --clear-groups "$@"; }

# py OP ARGS: one xattr operation; prints OK [result] or the errno's name
py() {
	"$PY" -S - "$@" <<'EOF' 2>&1
import errno, os, sys
op, path, a = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    if op == "set":
        flags = {"create": os.XATTR_CREATE, "replace": os.XATTR_REPLACE}
        val = a[1].encode() if not a[1].startswith("*") else b"v" * int(a[1][1:])
        os.setxattr(path, a[0], val, flags.get(a[2], 0) if len(a) > 2 else 0)
        print("OK")
    elif op == "get":
        v = os.getxattr(path, a[0])
        print("OK", v.decode() if len(v) < 64 else len(v))
    elif op == "rm":
        os.removexattr(path, a[0])
        print("OK")
    elif op == "list":
        print("OK", " ".join(sorted(n if len(n) < 64 else str(len(n))
                                    for n in os.listxattr(path))))
    elif op == "probe":	# size probe, then a one-byte-short buffer
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        n = libc.getxattr(path.encode(), a[0].encode(), None, 0)
        buf = ctypes.create_string_buffer(max(n, 1))
        r = libc.getxattr(path.encode(), a[0].encode(), buf, n - 1)
        print("OK", n, errno.errorcode.get(ctypes.get_errno(), r))
    elif op == "fill":	# 8192-byte values until the inode is full
        i = 0
        while True:
            try:
                os.setxattr(path, "user.fill%d" % i, b"f" * 8192)
            except OSError as e:
                print("OK", i, errno.errorcode[e.errno])
                break
            i += 1
    elif op == "sock":	# mknod(2) of a socket
        import stat
        os.mknod(path, stat.S_IFSOCK | 0o600)
        print("OK")
    elif op == "mmap0":	# a shared mapping of an empty file
        import ctypes, mmap
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                              ctypes.c_int, ctypes.c_int, ctypes.c_long]
        fd = os.open(path, os.O_RDONLY)
        p = libc.mmap(None, 4096, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        if p in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), "mmap")
        print("OK")
    elif op == "acl":	# user 1000 may read: a POSIX ACL in xattr form
        import struct
        ents = [(1, 6, 0xffffffff), (2, 4, 1000), (4, 0, 0xffffffff),
                (0x10, 4, 0xffffffff), (0x20, 0, 0xffffffff)]
        v = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in ents)
        os.setxattr(path, "system.posix_acl_access", v)
        print("OK", os.getxattr(path, "system.posix_acl_access") == v)
except OSError as e:
    print(errno.errorcode[e.errno])
EOF
}
# stat of the fields famfs keeps; a client shows regular files without w
fields() { stat -c '%n %F %a %h %u %g %s %t:%T %y %z' "$@" 2>&1; }
inode() { stat -c '%i %h' "$1" 2>&1; }
LONG=user.$(printf 'n%.0s' $(seq 250))	# 255 bytes
TOOLONG=${LONG}x

chmod 755 .		# uid 1000 must reach the mount points
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
testgen img file f 8192
testgen img empty e
testgen img mkdir many
newmnt A B
expect_exit 0 "$FAMFS" mount img A
expect_exit 0 ctl -m 04777 A create s 4096
expect_exit 0 ctl -m 02777 A create g 4096
expect_exit 0 ctl -m 04755 A create r 4096
expect_exit 0 ctl -m 0600 A create acl 4096

# ---- the master makes every kind --------------------------------------------
expect_exit 0 ln -s ../some/where A/sl
expect_exit 0 ln A/f A/hl
expect_exit 0 mkfifo -m 0620 A/ff
expect_exit 0 mknod -m 0640 A/cd c 1 3
expect_exit 0 mknod A/bd b 7 9
check_eq OK "$(py sock A/so)" "mknod(2) of a socket"
expect_exit 0 chown 12:34 A/f
expect_exit 0 chmod 2751 A/f
expect_exit 0 touch -m -d '2001-02-03 04:05:06.123456789 UTC' A/f
check_eq "../some/where" "$(readlink A/sl)" "readlink on A"
check_eq "$(inode A/f)" "$(inode A/hl)" "both names of the hard link: one ino"
check_eq "2" "$(stat -c %h A/f)" "links of f"
check_eq "A/sl symbolic link 777 1 0 0 13 0:0" "$(stat -c '%n %F %a %h %u %g %s %t:%T' A/sl)" "symlink on A"
check_eq "A/ff fifo 620 1" "$(stat -c '%n %F %a %h' A/ff)" "fifo on A"
check_eq "A/cd character special file 640 1:3" "$(stat -c '%n %F %a %t:%T' A/cd)" "char device on A"
check_eq "A/bd block special file 7:9" "$(stat -c '%n %F %t:%T' A/bd)" "block device on A"
check_eq "A/f 2751 12 34 8192 2001-02-03 04:05:06.123456789 +0000" \
	"$(stat -c '%n %a %u %g %s %y' A/f)" "f's mode, owner, size, mtime (ns)"
check_eq "A/e regular empty file 0 0" "$(stat -c '%n %F %s %b' A/e)" "empty file on A"
check_eq "0" "$(wc -c <A/e)" "an empty file reads EOF"
check_eq OK "$(py mmap0 A/e)" "an empty file maps"
check_eq "A/so socket 600" "$(stat -c '%n %F %a' A/so)" "socket on A"
(echo through-fifo >A/ff) &
check_eq through-fifo "$(timeout 10 cat A/ff)" "a FIFO made through the mount carries data"
wait
check_eq "$(printf '%s\n' b c d f f f f f f f l p s | tr '\n' ' ' | sed 's/ $//')" \
	"$(find A -mindepth 1 -maxdepth 1 ! -name .meta -printf '%y\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"readdir types of every entry"

# a listing that resumes after a hard link's second name (many buffers)
for i in $(seq 1 120); do ln A/f "A/many/link-with-a-long-name-$i" || break; done
check_eq "122 120" "$(ls -fa A/many | wc -l) $(ls -a A/many | sort -u | grep -c link-with)" \
	"a directory of 120 hard links lists each name once"

# ---- xattrs: values, limits, flags ------------------------------------------
check_eq OK "$(py set A/f user.a v1)" "setxattr user.a"
check_eq OK "$(py set A/f "$LONG" '*8192')" "255-byte name, 8192-byte value"
check_eq ERANGE "$(py set A/f "$TOOLONG" x)" "256-byte name"
check_eq E2BIG "$(py set A/f user.big '*8193')" "8193-byte value"
check_eq EEXIST "$(py set A/f user.a v2 create)" "XATTR_CREATE of an existing name"
check_eq ENODATA "$(py set A/f user.none v replace)" "XATTR_REPLACE of a missing name"
check_eq OK "$(py set A/f user.a v2 replace)" "XATTR_REPLACE"
check_eq "OK v2" "$(py get A/hl user.a)" "getxattr through the second name"
check_eq ENODATA "$(py get A/f user.none)" "getxattr of a missing name"
check_eq "OK 2 ERANGE" "$(py probe A/f user.a)" "size probe, then a short buffer"
ct0=$(stat -c %Z.%z A/f)
sleep 0.01
check_eq OK "$(py set A/f user.gone x)" "setxattr user.gone"
check_ne "$ct0" "$(stat -c %Z.%z A/f)" "ctime before and after a setxattr"
check_eq OK "$(py rm A/f user.gone)" "removexattr"
check_eq ENODATA "$(py rm A/f user.gone)" "removexattr of a missing name"
check_eq "OK 255 user.a user.famfs.identity" "$(py list A/f)" "listxattr of f"
check_eq "OK 6 ENOSPC" "$(py fill A/hl)" "xattrs beyond 64 KiB: ENOSPC"
check_eq "OK True" "$(py acl A/acl)" "a POSIX ACL stored and read back"
if as1000 cat A/acl >/dev/null 2>&1; then ok "the ACL lets uid 1000 read a 0600 file"
else fail "uid 1000 cannot read through the ACL"; fi
if as1000 cat A/r >/dev/null 2>&1; then ok "uid 1000 reads r (0755)"; else fail "uid 1000 cannot read r"; fi

# ---- a non-root write clears set-user-ID and group-exec set-group-ID --------
printf x | as1000 dd of=A/s conv=notrunc status=none
check_eq 777 "$(stat -c %a A/s)" "s after uid 1000 wrote it"
printf x | as1000 dd of=A/g conv=notrunc status=none
check_eq 777 "$(stat -c %a A/g)" "g (02777) after uid 1000 wrote it"
printf x | dd of=A/r conv=notrunc status=none
check_eq 4755 "$(stat -c %a A/r)" "r after root wrote it"

snapA=$(cd A && fields sl hl f ff so cd bd e s g r acl)

# ---- the client: the same inodes, no change allowed -------------------------
expect_exit 0 onB "$FAMFS" mount img B
snapB=$(cd B && fields sl hl f ff so cd bd e s g r acl)
# a client shows regular files without write bits
same=1
while read -r a && read -r b <&3; do
	[ "$a" = "$b" ] && continue
	case "$a" in *regular*) ;; *) same=0; echo "     | A: $a"; echo "     | B: $b" ;; esac
done <<<"$snapA" 3<<<"$snapB"
if [ "$same" = 1 ]; then ok "B's stat of every non-regular kind is A's"; else fail "B differs from A"; fi
check_eq "B/f 2551 12 34 8192 2001-02-03 04:05:06.123456789 +0000" \
	"$(stat -c '%n %a %u %g %s %y' B/f)" "f on B (write bits dropped)"
check_eq "B/s 555" "$(stat -c '%n %a' B/s)" "s on B: set-user-ID gone"
check_eq "$(stat -c %i B/f)" "$(stat -c %i B/hl)" "one ino for both names on B"
check_eq "../some/where" "$(readlink B/sl)" "readlink on B"
check_eq "OK v2" "$(py get B/f user.a)" "getxattr on B"
check_eq "OK 8192" "$(py get B/hl "$LONG")" "8192-byte value on B"
check_eq "0" "$(wc -c <B/e)" "the empty file reads EOF on B"
check_eq "122 120" "$(ls -fa B/many | wc -l) $(ls -a B/many | sort -u | grep -c link-with)" \
	"120 hard links listed once each on B"
if as1000 cat B/acl >/dev/null 2>&1; then ok "the ACL lets uid 1000 read acl on B"
else fail "uid 1000 cannot read acl on B"; fi
for op in "chmod 600 B/f" "chown 1:1 B/f" "touch B/f" "ln -s x B/nl" "ln B/f B/nh" \
	  "mkfifo B/nf" "mknod B/nc c 1 3"; do
	# shellcheck disable=SC2086 # the words of op
	expect_exit 1 $op
	out_has "Read-only file system"
done
check_eq EROFS "$(py set B/f user.x v)" "setxattr on B"
check_eq EROFS "$(py rm B/f user.a)" "removexattr on B"

# ---- a change on A reaches B ------------------------------------------------
expect_exit 0 chmod 0640 A/f
check_eq OK "$(py set A/f user.late v3)" "a new xattr on A"
check_eq "OK v3" "$(py get B/f user.late)" "B reads it at once"
ls B >/dev/null			# a listing replays the log tail
check_eq "440" "$(stat -c %a B/f)" "B sees the mode A set after a listing"
snapA=$(cd A && fields sl hl f ff so cd bd e s g r acl)

# ---- remount both: the log says the same ------------------------------------
snapB=$(cd B && fields sl hl f ff so cd bd e s g r acl)
expect_exit 0 umount A
expect_exit 0 umount B
expect_exit 0 "$FAMFS" mount img A
expect_exit 0 onB "$FAMFS" mount img B
check_eq "$snapA" "$(cd A && fields sl hl f ff so cd bd e s g r acl)" "A after a remount"
check_eq "$snapB" "$(cd B && fields sl hl f ff so cd bd e s g r acl)" "B after a remount"
check_eq "OK 255 user.a user.famfs.identity user.fill0 user.fill1 user.fill2 user.fill3 user.fill4 user.fill5 user.late" \
	"$(py list B/f)" "listxattr on B after a remount"
expect_exit 0 umount B
expect_exit 0 umount A
check_eq "0 0" "$(mnt_count A) $(mnt_count B)" "nothing left mounted"

finish
