#!/usr/bin/env bash
# famfs ln: hard links (LINK entries: a second name of the same inode) and
# symbolic links (-s: the target stored exactly as given, up to 4095
# bytes, dangling or not); a TARGET that is a symbolic link is linked, not
# followed.  Refusals, each one line with exit 1 and no log entry: an
# existing LINKNAME (also a link to the same file), a hard link to a
# directory, a missing TARGET, a TARGET in another mount or outside famfs,
# a target of 4096 bytes, LINKNAME outside famfs or under .meta, and on a
# client host.  Usage errors exit 2.
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
