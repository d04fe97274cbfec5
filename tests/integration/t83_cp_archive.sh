#!/usr/bin/env bash
# famfs cp -a: a tree with every kind of node (directories with the sticky
# and setgid bits, setuid and empty files, relative, dangling and 4000-byte
# symbolic links, a FIFO, a socket, character and block devices, a hard
# link group of three names across directories, xattrs of the user,
# trusted and security namespaces, owners and ns mtimes) is copied with
# cp -a; what the log holds (famfs chkread -l, decoded independently here)
# matches lstat/readlink/listxattr of the source, file data reads back
# through the mount.  Then:
#  - restart: the same cp -a (and cp -aT) again exits 0, logs nothing and
#    writes no data that is there already (a changed file is rewritten);
#    cp -a SRC NEW run again finishes NEW (NEW/ copies into it);
#    a source whose mode and mtime changed gets one ATTR entry each;
#  - interrupted: cp -a killed (-9) in the middle of a 3000-name tree,
#    then run again, leaves each name once and every file's data right;
#  - -u/-g/-m override what -a keeps; -a and -c are refused together;
#  - no room: a tree that does not fit (the device, or the log) stops at
#    the first ENOSPC with one error line (exit 1), and the mount still
#    works;
#  - a first-release (0.1) image (tests/golden/v0.1): cp -a of symbolic
#    links turns the feature bits on at the first one;
#  - the master mount shows the source tree (lstat, readlink, xattr
#    values, hard links), also after a remount and on a client host.
# timeout-factor: 4
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
ROOT=$(cd "$HERE/../.." && pwd)

# ---- a source tree with every kind ---------------------------------------------
mk_tree() {
	local t=$1
	mkdir -p "$t/sticky" "$t/sgid/sub" "$t/owned"
	chmod 1777 "$t/sticky"
	chmod 2750 "$t/sgid"
	printf 'setuid program\n' >"$t/suid"
	chmod 4755 "$t/suid"
	: >"$t/empty"
	head -c 300000 /dev/urandom >"$t/sgid/sub/big"
	printf 'shared\n' >"$t/h1"
	ln "$t/h1" "$t/sgid/h2"
	ln "$t/h1" "$t/owned/h3"
	ln -s suid "$t/rel"
	ln -s /nonexistent/target "$t/dangling"
	ln -s "$(printf 'x%.0s' $(seq 4000))" "$t/longlink"
	ln -s sgid "$t/dirlink"
	mkfifo "$t/fifo"
	"$PY" -S -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$t/sock"
	mknod "$t/null" c 1 3
	mknod "$t/blk" b 7 200
	printf 'owned by 1234:5678\n' >"$t/owned/f"
	chown 1234:5678 "$t/owned/f" "$t/owned"
	chmod 0640 "$t/owned/f"
	"$PY" -S - "$t" <<-'EOF'
	import os, sys
	t = sys.argv[1]
	os.setxattr(t + "/suid", "user.note", b"hello")
	os.setxattr(t + "/suid", "trusted.bin", bytes(range(256)) * 4)
	os.setxattr(t + "/suid", "security.capability",
	            bytes.fromhex("01000002" "00200000" "00000000" "00000000" "00000000"))
	os.setxattr(t + "/sgid", "user.dir", b"on a directory")
	os.setxattr(t + "/h1", "user.linked", b"one inode")
	os.setxattr(t + "/empty", "user.empty", b"")
	EOF
	touch -h -d '2001-02-03 04:05:06.123456789' "$t/suid" "$t/rel" "$t/owned"
	touch -d '1999-12-31 23:59:59.999999999' "$t/sgid/sub"
}

# logged MNT: the namespace the log of MNT describes, one line a name
# (entries applied in order), as check_tree prints the source
logged() {
	"$FAMFS" chkread -l "$1/.meta/.log" >chk.out 2>&1 || { cat chk.out; return 1; }
	"$PY" -S - chk.out <<-'EOF'
	import re, sys
	ns, xa, ino = {}, {}, {}
	for line in open(sys.argv[1]):
	    m = re.match(r"\s*entry \d+ at 0x[0-9a-f]+: (\w+) '([^']*)'(.*)$", line)
	    if not m:
	        continue
	    kind, p, rest = m.groups()
	    f = dict(re.findall(r"(mode|uid|gid|mtime|size|rdev) ([0-9.:]+)", rest))
	    if kind == "link":
	        ino[p] = ino[re.match(r" to '([^']*)'", rest).group(1)]
	        continue
	    if kind == "xattr":
	        n = ino.get(p, p)
	        m2 = re.match(r" (set|remove) (\S+)(?: \((\d+) bytes\))?", rest)
	        if m2.group(1) == "set":
	            xa.setdefault(n, {})[m2.group(2)] = m2.group(3)
	        else:
	            xa.get(n, {}).pop(m2.group(2), None)
	        continue
	    if kind == "attr":
	        ns[ino.get(p, p)].update(f)
	        continue
	    t = re.search(r" -> '(.*)'$", rest)
	    f["kind"] = kind
	    f["target"] = t.group(1) if t else ""
	    ns[p] = f
	    ino[p] = p
	for p in sorted(ino):
	    f = ns[ino[p]]
	    x = ",".join("%s=%s" % kv for kv in sorted(xa.get(ino[p], {}).items()))
	    print(p, f["kind"], f.get("mode"), f.get("uid"), f.get("gid"),
	          f.get("mtime"), f.get("size", "-") if f["kind"] == "file" else "-",
	          f.get("rdev", "-"), len(f["target"]), "link:" + ino[p], "x:" + x)
	EOF
}

# source DIR PREFIX: the same lines for a source tree copied to PREFIX
source_lines() {
	"$PY" -S - "$1" "$2" <<-'EOF'
	import os, stat, sys
	src, pre = sys.argv[1], sys.argv[2]
	kinds = {stat.S_IFREG: "file", stat.S_IFDIR: "mkdir", stat.S_IFLNK: "symlink",
	         stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket", stat.S_IFCHR: "chardev",
	         stat.S_IFBLK: "blockdev"}
	first, out = {}, []
	def one(path, rel):
	    st = os.lstat(path)
	    key = (st.st_dev, st.st_ino)
	    link = first.setdefault(key, rel) if not stat.S_ISDIR(st.st_mode) else rel
	    fmt = stat.S_IFMT(st.st_mode)
	    dev = "%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)) \
	        if fmt in (stat.S_IFCHR, stat.S_IFBLK) else "-"
	    x = ",".join("%s=%d" % (n, len(os.getxattr(path, n, follow_symlinks=False)))
	                 for n in sorted(os.listxattr(path, follow_symlinks=False)))
	    out.append((rel, kinds[fmt], "%04o" % stat.S_IMODE(st.st_mode), str(st.st_uid),
	                str(st.st_gid), "%d.%09d" % divmod(st.st_mtime_ns, 10**9),
	                str(st.st_size) if fmt == stat.S_IFREG else "-", dev,
	                str(len(os.readlink(path))) if fmt == stat.S_IFLNK else "0",
	                "link:" + link, "x:" + x))
	    if fmt == stat.S_IFDIR:
	        for n in sorted(os.listdir(path)):
	            one(os.path.join(path, n), rel + "/" + n)
	one(src, pre)
	for o in sorted(out):
	    print(*o)
	EOF
}

# through DIR: what the mount shows of each name, as source_lines does
# (xattr values hashed, hard links named by their first name)
shown() {	# shown DIR PREFIX [ro]
	"$PY" -S - "$@" <<-'EOF'
	import hashlib, os, stat, sys
	top, pre = sys.argv[1], sys.argv[2]
	ro = len(sys.argv) > 3		# as a client shows files: no write bits
	first, out = {}, []
	def one(path, rel):
	    st = os.lstat(path)
	    link = first.setdefault(st.st_ino, rel) if not stat.S_ISDIR(st.st_mode) else rel
	    fmt = stat.S_IFMT(st.st_mode)
	    mode = st.st_mode & ~0o222 if ro and fmt == stat.S_IFREG else st.st_mode
	    x = ",".join("%s=%s" % (n, hashlib.sha1(os.getxattr(path, n, follow_symlinks=False)).hexdigest()[:8])
	                 for n in sorted(os.listxattr(path, follow_symlinks=False))
	                 if n != "user.famfs.identity")	# the server's own
	    out.append((rel, "%o" % mode, st.st_uid, st.st_gid, st.st_mtime_ns,
	                st.st_size if fmt != stat.S_IFDIR else "-",
	                st.st_rdev if fmt in (stat.S_IFCHR, stat.S_IFBLK) else "-",
	                os.readlink(path) if fmt == stat.S_IFLNK else "",
	                "link:" + link, "x:" + x))
	    if fmt == stat.S_IFDIR:
	        for n in sorted(os.listdir(path)):
	            one(os.path.join(path, n), rel + "/" + n)
	one(top, pre)
	for o in sorted(out):
	    print(*o)
	EOF
}

same_data() {	# same_data SRC COPY WHAT: every regular file's bytes
	local bad=0 f
	while IFS= read -r -d '' f; do
		cmp -s "$1/$f" "$2/$f" || { bad=$((bad + 1)); echo "     | differs: $f"; }
	done < <(cd "$1" && find . -type f -print0)
	check_eq 0 "$bad" "$3: files whose data differ"
}

entries() { ctl -k log_entries "$1" status; }

mk_tree src
mkimg img 1G
expect_exit 0 "$FAMFS" mkfs -a 4K img
newmnt m
expect_exit 0 "$FAMFS" mount img m

# ---- the copy --------------------------------------------------------------------
expect_exit 0 "$FAMFS" cp -a src m/
stdout_empty
check_eq "" "$(cat "$OUT.stderr")" "cp -a says nothing"
source_lines src src >want.txt
logged m | grep -E '^src[ /]' >got.txt
if cmp -s want.txt got.txt; then
	ok "the log holds the source tree: $(wc -l <want.txt) names, every type, mode, owner, mtime ns, size, rdev, target, hard links, xattrs"
else
	fail "the log and the source tree differ"
	diff want.txt got.txt | sed 's/^/     | /' | head -40
fi
grep -c "ctime" chk.out >/dev/null
same_data src m/src "cp -a"
shown src src >want.mnt
shown m/src src >got.mnt
if cmp -s want.mnt got.mnt; then
	ok "the master mount shows the source tree (lstat, readlink, xattr values, hard links)"
else
	fail "the master mount and the source tree differ"
	diff want.mnt got.mnt | sed 's/^/     | /' | head -40
fi
check_eq "4755 regular file" "$(stat -c '%a %F' m/src/suid)" "a setuid file through the mount"
check_eq "1234 5678 640" "$(stat -c '%u %g %a' m/src/owned/f)" "owner and mode through the mount"
check_eq 1 "$(grep -c "link 'src/sgid/h2' to 'src/h1'" chk.out)" "the second name of h1 is a LINK entry"
check_eq 0 "$(grep -c "xattr 'src/sgid/h2'\|xattr 'src/owned/h3'" chk.out)" "xattrs of a hard link group are logged once"

# ---- restart: the same again logs nothing ---------------------------------------------
n0=$(entries m)
w0=$(ctl -k writes m status)
expect_exit 0 "$FAMFS" cp -a src m/
check_eq "$n0" "$(entries m)" "log entries after the same cp -a again"
check_eq "$w0" "$(ctl -k writes m status)" "writes through the mount when the data is there already"
# new bytes, the same size and times (a write drops the source's
# security.capability: set again)
printf 'setuid PROGRAM\n' >suid.new && touch -r src/suid suid.new
cat suid.new >src/suid && touch -r suid.new src/suid
"$PY" -S -c 'import os,sys; os.setxattr(sys.argv[1], "security.capability", bytes.fromhex("01000002" "00200000" + "00" * 12))' src/suid
expect_exit 0 "$FAMFS" cp -a src m/
check_ne "$w0" "$(ctl -k writes m status)" "a file whose bytes changed is written"
check_eq "setuid PROGRAM" "$(cat m/src/suid)" "the changed bytes"
check_eq "$n0" "$(entries m)" "and nothing logged for it (same size, same attributes)"
w0=$(ctl -k writes m status)
expect_exit 0 "$FAMFS" cp -aT src m/src
check_eq "$n0" "$(entries m)" "log entries after cp -aT src m/src"
expect_exit 0 "$FAMFS" cp -av src m/
out_has "src/sgid/h2 -> $PWD/m/src/sgid/h2 (already there: kept)"
# cp -a SRC NEW, run again: NEW is the copy, not a directory to copy into
expect_exit 0 "$FAMFS" cp -a src/sgid m/again
n1=$(entries m)
expect_exit 0 "$FAMFS" cp -av src/sgid m/again
out_has "m/again is the copy of src/sgid made before: finishing it"
check_eq "$n1 h2 sub" "$(entries m) $(words m/again)" "log entries and m/again after the same cp -a SRC NEW"
expect_exit 0 "$FAMFS" cp -a src/sgid m/again/
check_eq "h2 sgid sub" "$(words m/again)" "with DEST/ the copy goes into it"
n0=$(entries m)
chmod 0700 src/owned/f
touch -d '2010-10-10 10:10:10.5' src/sgid
expect_exit 0 "$FAMFS" cp -a src m/
check_eq "$((n0 + 2))" "$(entries m)" "a changed mode and a changed mtime: one ATTR each"
source_lines src src >want.txt
logged m | grep -E '^src[ /]' >got.txt
if cmp -s want.txt got.txt; then ok "the log follows the changed source"; else fail "the log misses the changes"; diff want.txt got.txt | head -10; fi
# another type or size at a name is an error for that name only
rm src/rel && printf 'now a file\n' >src/rel
expect_exit 1 "$FAMFS" cp -a src m/
out_has "src/rel: 'src/rel' already exists as another type of node"
check_eq 1 "$(wc -l <"$OUT.stderr")" "one line for the one name that differs"
rm src/rel && ln -s suid src/rel && touch -h -d '2001-02-03 04:05:06.123456789' src/rel
expect_exit 0 "$FAMFS" cp -a src m/

# ---- options -----------------------------------------------------------------------
expect_exit 0 "$FAMFS" cp -a -u 7 -g 8 -m 0604 src/owned m/ov
check_eq "7 8 604" "$(stat -c '%u %g %a' m/ov/f)" "-u -g -m override with -a (a file)"
check_eq 1 "$(grep -c "mkdir 'ov' mode 0755 uid 7 gid 8" < <("$FAMFS" chkread -l m/.meta/.log))" "-m leaves directories their mode, -u -g apply"
expect_exit 2 "$FAMFS" cp -a -c src m/
out_has "do not go together"
expect_exit 2 "$FAMFS" cp -aT src src m/
out_has "-T/--no-target-directory takes one source"
# a symbolic link given as SRC is copied as a link, never followed
expect_exit 0 "$FAMFS" cp -a src/dirlink m/toplink
check_eq "symlink 'toplink' mode 0777" "$("$FAMFS" chkread -l m/.meta/.log | grep -o "symlink 'toplink' mode 0777")" "a top-level symbolic link stays a link"

# ---- interrupted, then run again -------------------------------------------------------
mkdir -p big
"$PY" -S - big <<-'EOF'
import os, sys
for d in range(30):
    p = os.path.join(sys.argv[1], "d%02d" % d)
    os.mkdir(p)
    for i in range(100):
        with open(os.path.join(p, "f%03d" % i), "wb") as f:
            f.write(os.urandom(1 + (d * 100 + i) * 37 % 9000))
        if i % 10 == 0:
            os.symlink("f%03d" % i, os.path.join(p, "l%03d" % i))
EOF
nbig=$(find big | wc -l)
n1=$(entries m)
# one record a batch: names are logged one by one, slowly enough to be
# killed between two
FAMFS_BATCH_MAX=1 "$FAMFS" cp -a big m/ 2>/dev/null &
cpid=$!
for _ in $(seq 400); do
	[ "$(entries m)" -gt $((n1 + 300)) ] && break
	sleep 0.02
done
kill -9 $cpid 2>/dev/null
wait $cpid 2>/dev/null
mid=$(($(entries m) - n1))
if [ "$mid" -gt 0 ] && [ "$mid" -lt "$nbig" ]; then
	ok "cp -a killed after $mid of $nbig names"
else
	fail "cp -a was not killed in the middle ($mid of $nbig names logged)"
fi
expect_exit 0 "$FAMFS" cp -a big m/
check_eq "$nbig" "$(($(entries m) - n1))" "each name of the tree logged once after the rerun"
source_lines big big >want.txt
logged m | grep '^big' >got.txt
if cmp -s want.txt got.txt; then ok "the finished copy is the source tree"; else fail "the finished copy differs"; diff want.txt got.txt | head -10; fi
same_data big m/big "interrupted and finished copy"

# ---- no room: stop at once --------------------------------------------------------------
mkimg small 64M
expect_exit 0 "$FAMFS" mkfs small
newmnt s
expect_exit 0 "$FAMFS" mount small s
mkdir many
# small files are packed: 1600K each takes a 2 MiB unit of its own
for i in $(seq 60); do echo "$i" >"many/f$i"; [ "$i" = 1 ] || truncate -s 1600K "many/f$i"; done
expect_exit 1 "$FAMFS" cp -a many s/
check_eq 1 "$(wc -l <"$OUT.stderr")" "one error line when the device is full"
out_matches "famfs cp: many/f[0-9]+: .*: copy stopped"
out_has "no space on "
check_eq 0 "$(grep -c . "$OUT.stdout")" "nothing on stdout"
check_eq "1 1" "$(ls s >/dev/null && echo 1) $(cat s/many/f1)" "the mount works, the files made have their data"
umount_wait s
# the log full: 700 symbolic links of 4000-byte targets in a 2 MiB log
mkimg tiny 64M
expect_exit 0 "$FAMFS" mkfs -l 2M tiny
newmnt t
expect_exit 0 "$FAMFS" mount tiny t
mkdir longs
"$PY" -S -c 'import os
for i in range(700): os.symlink(("%04d" % i) * 1000, "longs/l%04d" % i)'
expect_exit 1 "$FAMFS" cp -a longs t/
check_eq 1 "$(wc -l <"$OUT.stderr")" "one error line when the log is full"
out_matches "famfs cp: longs/l[0-9]+: log full on .*: copy stopped"
umount_wait t

# ---- a first-release image: the features turn on at the first use ------------------------
mkdir v01
xz -dc "$ROOT/tests/golden/v0.1/primary.img.xz" >v01/p.img
xz -dc "$ROOT/tests/golden/v0.1/secondary.img.xz" >v01/s.img
# this host is the image's master (its UUID, in a host identity of its own)
"$FAMFS" fsck --json v01/p.img >v01.json 2>/dev/null
mkdir -p hostO && json_get v01.json master_uuid >hostO/system_uuid
onO() { FAMFS_SYSTEM_UUID_FILE=$PWD/hostO/system_uuid "$@"; }
newmnt o
onO expect_exit 0 "$FAMFS" mount v01/p.img o
"$FAMFS" chkread -s o/.meta/.superblock >sb0.txt 2>&1
mkdir old && ln -s a old/l && echo x >old/f && : >old/e
onO expect_exit 0 "$FAMFS" cp -a old o/
"$FAMFS" chkread -s o/.meta/.superblock >sb1.txt 2>&1
check_eq 0 "$(grep -ci symlink sb0.txt)" "no symlink feature on the 0.1 image before"
check_eq 1 "$(grep -ci -m1 symlink sb1.txt)" "the symlink feature after cp -a"
source_lines old old >want.txt
logged o | grep '^old' >got.txt
if cmp -s want.txt got.txt; then ok "the tree on the 0.1 image"; else fail "the tree on the 0.1 image differs"; diff want.txt got.txt | head; fi
umount_wait o
onO expect_exit 0 "$FAMFS" fsck v01/p.img

# ---- the same after a remount, and on a client host ------------------------------------
umount_wait m
newmnt m2 c
expect_exit 0 "$FAMFS" mount img m2
mkdir -p hostB
FAMFS_SYSTEM_UUID_FILE=$PWD/hostB/system_uuid expect_exit 0 "$FAMFS" mount img c
for where in m2 c; do
	shown src src ${where#m2} >want.mnt
	shown $where/src src ${where#m2} >got.mnt
	if cmp -s want.mnt got.mnt; then
		ok "$where shows the source tree"
	else
		fail "$where and the source tree differ"
		diff want.mnt got.mnt | sed 's/^/     | /' | cut -c1-200 | head -20
	fi
	same_data src $where/src "data read on $where"
done
umount_wait c
umount_wait m2
expect_exit 0 "$FAMFS" fsck img
finish
