#!/usr/bin/env bash
# famfs ln: hard links (LINK entries: a second name of the same inode) and
# symbolic links (-s: the target stored exactly as given, up to 4095
# bytes, dangling or not); a TARGET that is a symbolic link is linked, not
# followed.  Refusals, each one line with exit 1 and no log entry: an
# existing LINKNAME (also a link to the same file), a hard link to a
# directory, a missing TARGET, a TARGET in another mount or outside famfs,
# a target of 4096 bytes, LINKNAME outside famfs or under .meta, and on a
# client host.  Usage errors exit 2.  Long control requests written by
# hand: LINK's second path is refused as the first is ("..", absolute,
# "//", .meta), malformed requests are refused whole.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

entries() { ctl -k log_entries "$1" status; }
logline() { "$FAMFS" chkread -l "$1/.meta/.log" | grep -F -- "$2"; }

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
mkimg other 256M
expect_exit 0 "$FAMFS" mkfs other
newmnt m o
expect_exit 0 "$FAMFS" mount img m
expect_exit 0 "$FAMFS" mount other o
expect_exit 0 "$FAMFS" mkdir m/d
echo data >src.txt
expect_exit 0 "$FAMFS" cp src.txt m/f
expect_exit 0 "$FAMFS" cp src.txt o/g

# ---- links that are made ------------------------------------------------------------
expect_exit 0 "$FAMFS" ln m/f m/d/hard
stdout_empty
check_eq 1 "$(logline m "link 'd/hard' to 'f'" | wc -l)" "a LINK entry for the hard link"
check_eq "data" "$(cat m/d/hard)" "the hard link reads the file's data"
expect_exit 0 "$FAMFS" ln -v -s ../f m/d/sym
out_has "famfs ln: 'm/d/sym' -> '../f'"
check_eq 1 "$(logline m "symlink 'd/sym' mode 0777 uid 0 gid 0" | grep -c "> '../f'$")" "a symlink entry, the target as given"
expect_exit 0 "$FAMFS" ln -s /no/such/place m/dangling
check_eq 1 "$(logline m "symlink 'dangling'" | grep -c "> '/no/such/place'$")" "a dangling target is stored"
long=$(printf 'y%.0s' $(seq 4095))
expect_exit 0 "$FAMFS" ln -s "$long" m/long
check_eq 1 "$(logline m "symlink 'long'" | grep -c "> '$long'$")" "a 4095-byte target"
expect_exit 0 "$FAMFS" ln m/d/sym m/d/sym2
check_eq 1 "$(logline m "link 'd/sym2' to 'd/sym'" | wc -l)" "a hard link to a symbolic link names the link"
expect_exit 0 "$FAMFS" ln --symbolic f m/d/sym3
n0=$(entries m)

# ---- refusals: one line, exit 1, nothing logged -----------------------------------------
refuse() {	# refuse MSG CMD...
	local msg=$1
	shift
	expect_exit 1 "$@"
	out_has "$msg"
	check_eq 1 "$(wc -l <"$OUT")" "one line: $*"
}
refuse "'d/hard' already exists" "$FAMFS" ln m/f m/d/hard
refuse "'f' already exists" "$FAMFS" ln -s x m/f
refuse "'d/sym' already exists" "$FAMFS" ln -s ../f m/d/sym
refuse "is a directory: no hard links to directories" "$FAMFS" ln m/d m/dlink
refuse "'m/nope': No such file or directory" "$FAMFS" ln m/nope m/x
refuse "a hard link stays in its mount" "$FAMFS" ln o/g m/x
refuse "'src.txt' is not inside a famfs filesystem" "$FAMFS" ln src.txt m/x
refuse "symbolic link target of 4096 bytes: 1 to 4095 are allowed" "$FAMFS" ln -s "${long}y" m/x
refuse "is not inside a famfs filesystem" "$FAMFS" ln -s a ./outside
refuse "'.meta' is reserved" "$FAMFS" ln -s a m/.meta/x
refuse "m/nodir/x: No such file or directory" "$FAMFS" ln -s a m/nodir/x
check_eq "$n0" "$(entries m)" "log entries after the refusals"
[ -e outside ] && fail "./outside was made" || ok "nothing made outside"
expect_exit 2 "$FAMFS" ln m/f
out_has "need TARGET and LINKNAME"
expect_exit 2 "$FAMFS" ln -x a b

# ---- long control requests sent by hand: the second path of LINK is
# checked as the first; a malformed request is refused before anything
longreq() {	# longreq OP PATH SRC MODE DATA: prints the errno, or the
		# write's error name when the request is refused whole
	"$PY" -S - m/.meta/.ctl "$@" <<-'EOF'
	import errno, os, struct, sys
	ctl, op, path, src, mode, data = sys.argv[1:7]
	hdr = struct.pack("<8I2Q", 0x4c544346, int(op), 0, int(mode, 8), 0, 0, 0, 0, 0, 0)
	ext = struct.pack("<2IqIIq4I", 0, 0, 0, 0, 0, 0, 0, 0, len(data), 0)
	req = hdr + path.encode().ljust(1024, b"\0") + src.encode().ljust(1024, b"\0") + \
	    ext + data.encode().ljust(8192, b"\0")
	assert len(req) == 0x2860
	fd = os.open(ctl, os.O_RDWR)
	try:
	    os.pwrite(fd, req, 0)
	except OSError as e:
	    print(errno.errorcode[e.errno])
	    sys.exit(0)
	rep = os.pread(fd, 0x20 + 3072, 0)
	print(errno.errorcode.get(struct.unpack_from("<I", rep, 4)[0], "OK"))
	EOF
}
check_eq EINVAL "$(longreq 10 x ../escape 0 '')" "LINK to ../escape"
check_eq EINVAL "$(longreq 10 x /f 0 '')" "LINK to /f"
check_eq EINVAL "$(longreq 10 x d//hard 0 '')" "LINK to d//hard"
check_eq EINVAL "$(longreq 10 x .meta/.ctl 0 '')" "LINK to .meta/.ctl"
check_eq EINVAL "$(longreq 10 ../x f 0 '')" "LINK named ../x"
check_eq EPERM "$(longreq 10 x d 0 '')" "LINK to a directory"
check_eq ENOENT "$(longreq 10 x nope 0 '')" "LINK to nothing"
check_eq EINVAL "$(longreq 9 x '' 0644 '')" "MKNODE without a file type"
check_eq EINVAL "$(longreq 9 x '' 0120777 '')" "MKNODE of a symlink without a target"
check_eq EINVAL "$(longreq 1 x '' 0644 '')" "CREATE sent as a long request"
check_eq EEXIST "$(longreq 9 f '' 0120777 t)" "MKNODE over an existing name"
check_eq OK "$(longreq 9 bysock '' 0140600 '')" "MKNODE of a socket"
check_eq 1 "$(logline m "socket 'bysock' mode 0600" | wc -l)" "the socket in the log"
n0=$(entries m)

# ---- a client host cannot make links --------------------------------------------------
mkdir -p hostB
newmnt c
FAMFS_SYSTEM_UUID_FILE=$PWD/hostB/system_uuid expect_exit 0 "$FAMFS" mount img c
refuse "only a read-write master mount can create" "$FAMFS" ln -s x c/clientlink
refuse "only a read-write master mount can create" "$FAMFS" ln c/f c/clienthard
check_eq "$n0" "$(entries m)" "nothing logged by the client's refusals"
umount_wait c

umount_wait m
umount_wait o
expect_exit 0 "$FAMFS" fsck img
finish
