#!/usr/bin/env bash
# Security: no path escapes the mount.
#  - create time: famfs creat, cp and mkdir with "..", absolute paths
#    outside the mount, symbolic links that point out of it, and ".meta"
#    are refused, saying why; nothing is created outside (the directory
#    around the mount stays as it was) and the log gains no entry.
#    (t12 checks the control file's own refusals of "/abs", "../x",
#    "d/../x", "d//x" and ".meta/x" sent by hand.)
#  - replay time: committed log entries whose path is "../escape",
#    "/etc/...", "d/../../x", "d//x", ".", "..", ".meta/x" or "x/./y"
#    (written with famfs-testgen badpath, CRC and tail valid) are refused:
#    fsck exits 4 naming the entry, its offset and the rule (entry_bad);
#    mount serves the entries before it and says where replay stopped;
#    the name exists nowhere, inside or outside the mount; a client that
#    is already mounted when the bad entry lands keeps serving its prefix
#    and its logplay reports the entry.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
need_exec "$TESTGEN"

outside() { (cd "$PWD" && find . -maxdepth 1 ! -name '.out*' | sort | tr '\n' ' '); }
HB=$PWD/hostB/system_uuid
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }

# ---- create time ----------------------------------------------------------------
mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
newmnt m
expect_exit 0 "$FAMFS" mount img m
expect_exit 0 "$FAMFS" mkdir m/d
echo hi >src.txt
mkdir -p out tree/sub
echo a >tree/a
ln -s /etc/passwd tree/sub/evil		# a link in a tree pointing out
ln -s "$PWD/out" outlink		# a link outside pointing outside
ln -s "$PWD/m/d" inlink			# a link outside pointing in (fine)
ln -s / m_root_link
entries0=$(ctl -k log_entries m status)
before=$(outside)
refuse() {	# refuse MSG CMD...: exit 1, MSG in the output
	local msg=$1
	shift
	expect_exit 1 "$@"
	out_has "$msg"
}
NOTIN="is not in a famfs filesystem"
refuse "$NOTIN" "$FAMFS" creat -s 4096 m/../esc
refuse "$NOTIN" "$FAMFS" creat -s 4096 m/d/../../esc
refuse "$NOTIN" "$FAMFS" creat -s 4096 "$PWD/out/esc"
refuse "$NOTIN" "$FAMFS" creat -s 4096 /esc.famfs-t61
refuse "$NOTIN" "$FAMFS" creat -s 4096 outlink/esc
refuse "$NOTIN" "$FAMFS" creat -s 4096 m_root_link/tmp/esc
refuse "'.meta' is reserved" "$FAMFS" creat -s 4096 m/.meta/x
refuse "$NOTIN" "$FAMFS" cp src.txt m/../esc
refuse "$NOTIN" "$FAMFS" cp src.txt m/d/../../esc
refuse "$NOTIN" "$FAMFS" cp src.txt "$PWD/out/"
refuse "$NOTIN" "$FAMFS" cp src.txt outlink/
refuse "'.meta' is reserved" "$FAMFS" cp src.txt m/.meta/
# a link in a tree is copied as a link, never followed (as cp -r does)
expect_exit 0 "$FAMFS" cp -r tree m/d/
refuse "into itself" "$FAMFS" cp -r tree/.. m/d
NOTINSIDE="it is not inside a famfs filesystem"
refuse "$NOTINSIDE" "$FAMFS" mkdir m/../escd
refuse "$NOTINSIDE" "$FAMFS" mkdir -p m/d/../../escd
refuse "$NOTINSIDE" "$FAMFS" mkdir -p outlink/x/y
refuse "$NOTINSIDE" "$FAMFS" mkdir /escd.famfs-t61
refuse "reserved" "$FAMFS" mkdir m/.meta/x
check_eq "$before" "$(outside)" "the directory around the mount after the refusals"
check_eq "" "$(ls -A out)" "nothing created in out/"
for p in /esc.famfs-t61 /escd.famfs-t61 /tmp/esc; do
	if [ -e "$p" ]; then fail "$p exists"; else ok "$p does not exist"; fi
done
# the copy of tree has the link as a link (one log entry per name);
# nothing else reached the log
check_eq "tree" "$(words m/d)" "m/d after the refusals"
check_eq "a sub" "$(words m/d/tree)" "the copied tree"
check_eq "/etc/passwd" "$(readlink m/d/tree/sub/evil)" "the link copied as a link, not followed"
check_eq "$((entries0 + 4))" "$(ctl -k log_entries m status)" "log entries: tree, tree/a, tree/sub, tree/sub/evil only"
# a link outside that points into the mount is just a way to name it
expect_exit 0 "$FAMFS" creat -s 4096 inlink/viaink
check_eq "regular file 4096" "$(stat -c '%F %s' m/d/viaink 2>&1)" "a file created through a link pointing in"
umount_wait m
expect_exit 0 "$FAMFS" fsck img
out_has "clean"

# ---- replay time: crafted entries --------------------------------------------------
mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
testgen base mkdir d
testgen base file d/good 4096
off2=$(printf '0x%x' "$(tail_field base 1)")	# where the bad entry goes
newmnt r
for bad in ../escape /etc/famfs-t61 d/../../x d//x . .. .meta/x x/./y; do
	for kind in file dir; do
		cpimg base bad.img
		testgen bad.img badpath $kind "$bad" || continue
		expect_exit 4 "$FAMFS" fsck --json bad.img
		check_eq entry_bad "$(json_codes "$OUT.stdout" | tr '\n' ' ' | sed 's/ $//')" "fsck problem for $kind '$bad'"
		out_has "log entry 2 at offset $off2"
		expect_exit 0 "$FAMFS" mount bad.img r
		out_has "replay stopped at the damage: log entry 2 at offset $off2"
		out_has "2 entries are served"
		check_eq ".meta d" "$(words r)" "root of the mount with a bad $kind '$bad'"
		check_eq "good" "$(words r/d)" "r/d with a bad $kind '$bad'"
		check_eq "2 0" "$(ctl -k log_entries r status) $(find r -name escape -o -name x -o -name y -o -name famfs-t61 | wc -l)" "entries served, names found"
		umount_wait r
	done
done
for p in escape ../escape /etc/famfs-t61 x; do
	if [ -e "$p" ]; then fail "'$p' exists outside"; else ok "'$p' does not exist outside"; fi
done

# ---- replay time, live: a client mounted before the bad entry lands ------------------
cpimg base live.img
cpimg base live2.img
testgen live2.img file d/second 4096
testgen live2.img badpath file ../escape
lo=$(tail_field live.img 3)
mkdir -p hostB
newmnt c
onB expect_exit 0 "$FAMFS" mount live.img c
check_eq "good" "$(words c/d)" "the client before the entries land"
# the log region of live2.img (two more entries, one of them bad) copied
# into the mounted image, as another host's appends would land
dd if=live2.img of=live.img bs=1M skip=$((lo >> 20)) seek=$((lo >> 20)) count=8 conv=notrunc status=none
check_eq "good second" "$(words c/d | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" "the client serves the good new entry"
check_eq ".meta d" "$(words c)" "the client's root after the bad entry"
check_eq 3 "$(ctl -k log_entries c status)" "entries served by the client"
onB expect_exit 1 "$FAMFS" logplay c
out_has "'.' and '..' are not allowed"
if [ -e escape ] || [ -e c/../escape ]; then fail "escape exists"; else ok "escape exists nowhere"; fi
umount_wait c

finish
