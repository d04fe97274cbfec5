#!/usr/bin/env bash
# The tools that work on a mounted famfs: mkdir (-p, modes, owners, paths
# that leave the filesystem, refused on a client), getmap (exit 0/1/2 and
# the extents), clone + `fsck MOUNTPOINT` naming the cross-link while
# `fsck IMAGE` refuses the mounted device, `fsck MOUNTPOINT` on a clean
# filesystem agreeing with statfs, flush (exit = number of errors),
# chkread of a file and of .meta/.superblock and .meta/.log, logplay (-n,
# and on a client after the master created), status (human, --json, and
# the configured mount point), the user.famfs.identity xattr.  Host A is
# the master (mount M), host B a client of the same image (mount B).  The
# mounts must still answer after every refusal; the EXIT trap unmounts.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$TESTGEN"

HB=$PWD/hostB/system_uuid		# host B: created by its first mount
onB() { FAMFS_SYSTEM_UUID_FILE=$HB "$@"; }

# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"

M=$PWD/mnt
B=$PWD/mntb
mkdir -p "$M" "$B"
MOUNTS=("$M" "$B")

# still_ok MOUNT: the mount answers (lookup, read, the server's status)
still_ok() {
	if [ -f "$1/f1" ] && head -c 1 "$1/f1" >/dev/null 2>&1 &&
		"$FAMFS" status "$1" >/dev/null 2>&1; then
		ok "mount $(basename "$1") still answers"
	else
		fail "mount $(basename "$1") no longer answers"
	fi
}

xattr() {	# xattr PATH: the user.famfs.identity value, or ERROR:...
	"$PY" -S -c 'import os, sys
try:
    print(os.getxattr(sys.argv[1], "user.famfs.identity").decode())
except OSError as e:
    print("ERROR:%s" % e.strerror)' "$1"
}

mkimg img 1G
expect_exit 0 "$FAMFS" mkfs img
testgen img file f1 3M
testgen img mkdir d1
expect_exit 0 "$FAMFS" mount img "$M"
mounted "$M" || { fail "the master mount is not there"; finish; }
echo plain >plain

# ---- status (human and JSON) on the master -------------------------------
expect_exit 0 "$FAMFS" status "$M"
out_has "role        master"
out_has "device      $PWD/img (image file)"
out_has "mount       $M"
out_has "state       serving"
out_matches "files +1 files, 1 directories"
out_matches "log +2 entries"
expect_exit 0 "$FAMFS" status --json "$M"
cp "$OUT.stdout" st.json
if json_valid st.json; then ok "status --json is JSON"; else fail "status --json is not JSON"; show_out; fi
check_eq master "$(json_get st.json role)" "role in status --json (master)"
check_eq "$M" "$(json_get st.json mount)" "mount in status --json"
fs_uuid=$(json_get st.json fs_uuid)
pid=$(json_get st.json pid)
if kill -0 "$pid" 2>/dev/null; then ok "status pid $pid is a live process"; else fail "status pid '$pid' is not running"; fi
expect_exit 0 "$FAMFS" status "$M/d1"	# any path inside the mount
out_has "role        master"
expect_exit 1 "$FAMFS" status "$PWD"
out_has "is not a famfs mount"
expect_exit 2 "$FAMFS" status "$M" "$M"
printf '[mount]\nmountpoint = %s\n' "$M" >famfs.ini
expect_exit 0 "$FAMFS" -c famfs.ini status
out_has "mount       $M"
printf '[mount]\nmountpoint = %s\n' "$PWD" >other.ini
expect_exit 1 "$FAMFS" -c other.ini status
out_has "is not a famfs mount"

# ---- fsck MOUNTPOINT on a clean filesystem vs statfs -----------------------
expect_exit 0 "$FAMFS" fsck "$M"
out_has "$M: clean"
out_has "role of this host: master"
expect_exit 0 "$FAMFS" fsck --json "$M"
cp "$OUT.stdout" clean.json
read -r bsize blocks bfree < <(stat -f -c '%S %b %f' "$M")
check_eq $((bsize * blocks)) "$(json_get clean.json capacity)" "statfs numbers match fsck: capacity"
check_eq $((bsize * bfree)) "$(json_get clean.json free)" "statfs numbers match fsck: free"
check_eq "$(json_get st.json capacity)" "$(json_get clean.json capacity)" "capacity: status = fsck"
check_eq "$(json_get st.json free)" "$(json_get clean.json free)" "free: status = fsck"
read -r dfsize dfavail < <(df -B1 --output=size,avail "$M" | tail -n 1)
check_eq "$dfsize" "$(json_get clean.json capacity)" "df size = fsck capacity"
check_eq "$dfavail" "$(json_get clean.json free)" "df avail = fsck free"
check_eq "$fs_uuid" "$(json_get clean.json fs_uuid)" "fs_uuid: status = fsck"
expect_exit 8 "$FAMFS" fsck img
out_has "mounted"
expect_exit 16 "$FAMFS" fsck --repair "$M"
out_has "--repair works only on the unmounted device"
expect_exit 8 "$FAMFS" fsck "$PWD"
out_has "not in a famfs mount"
still_ok "$M"

# ---- mkdir ---------------------------------------------------------------
expect_exit 0 "$FAMFS" mkdir "$M/d2"
check_eq 755 "$(stat -c %a "$M/d2" 2>&1)" "default mode of mkdir"
expect_exit 0 "$FAMFS" mkdir -m 0700 "$M/d3"
check_eq 700 "$(stat -c %a "$M/d3" 2>&1)" "mode of mkdir -m 0700"
expect_exit 0 "$FAMFS" mkdir -u 1234 -g 5678 "$M/own"
check_eq "1234 5678" "$(stat -c '%u %g' "$M/own" 2>&1)" "owner of mkdir -u -g"
expect_exit 0 "$FAMFS" mkdir -v -p -m 750 "$M/p1/p2/p3"
out_has "created directory"
check_eq 750 "$(stat -c %a "$M/p1/p2/p3" 2>&1)" "mode of mkdir -p -m 750"
expect_exit 0 "$FAMFS" mkdir -p "$M/p1/p2"		# exists: fine with -p
expect_exit 0 "$FAMFS" mkdir -p "$M/p1/x/../y/./z"
if [ -d "$M/p1/x" ] && [ -d "$M/p1/y/z" ]; then ok "mkdir -p through . and .."; else fail "mkdir -p through . and .. made the wrong directories"; fi
expect_exit 1 "$FAMFS" mkdir "$M/d2"
out_has "exists"
expect_exit 1 "$FAMFS" mkdir "$M"
out_has "File exists"
expect_exit 0 "$FAMFS" mkdir -p "$M"
expect_exit 1 "$FAMFS" mkdir "$M/../escape"
out_has "not inside a famfs filesystem"
expect_exit 1 "$FAMFS" mkdir -p "$M/p1/../../escape2"
out_has "not inside a famfs filesystem"
if [ -e escape ] || [ -e escape2 ]; then fail "mkdir made a directory outside famfs"; else ok "nothing made outside famfs"; fi
expect_exit 1 "$FAMFS" mkdir "$M/nodir/x"
expect_exit 1 "$FAMFS" mkdir -p "$M/f1/x"
out_has "not a directory"
expect_exit 1 "$FAMFS" mkdir "$M/.meta/x"
out_has "reserved"
expect_exit 1 "$FAMFS" mkdir "$M/m1" "$M/d2" "$M/m2"	# one of three fails
if [ -d "$M/m1" ] && [ -d "$M/m2" ]; then ok "mkdir goes on after a failure"; else fail "mkdir stopped at the failing DIR"; fi
expect_exit 2 "$FAMFS" mkdir
expect_exit 2 "$FAMFS" mkdir -m 999 "$M/bad"
expect_exit 2 "$FAMFS" mkdir -u -5 "$M/bad"
if [ -e "$M/bad" ]; then fail "a usage error made a directory"; else ok "usage errors made nothing"; fi
still_ok "$M"

# ---- getmap --------------------------------------------------------------
expect_exit 0 "$FAMFS" getmap "$M/f1"
out_has "size 3145728"
out_matches "extent 0: dev 0 offset 0x[0-9a-f]+ len 0x400000"
f1map=$(grep "extent 0" "$OUT.stdout")
expect_exit 0 "$FAMFS" getmap -q "$M/f1"
stdout_empty
expect_exit 1 "$FAMFS" getmap plain
out_has "not in a famfs filesystem"
expect_exit 1 "$FAMFS" getmap "$M/nonexistent"
expect_exit 2 "$FAMFS" getmap "$M/d1"
out_has "not a mapped file"
expect_exit 2 "$FAMFS" getmap "$M/.meta/.log"
expect_exit 2 "$FAMFS" getmap -q "$M/d1"
check_eq 0 "$(wc -c <"$OUT")" "getmap -q output bytes"
expect_exit 2 "$FAMFS" getmap "$M/d1" "$M/f1"		# stops at d1
out_lacks "size 3145728"
expect_exit 2 "$FAMFS" getmap -c "$M/d1" "$M/f1"	# -c: goes on
out_has "size 3145728"
expect_exit 3 "$FAMFS" getmap
if "$FAMFS" help creat >/dev/null 2>&1; then
	expect_exit 0 "$FAMFS" creat -s 8M -N 2 "$M/il"
	expect_exit 0 "$FAMFS" getmap "$M/il"
	out_has "interleaved: 2 strips, chunk 0x200000"
	out_matches "strip 1: dev 0 offset 0x[0-9a-f]+ len 0x400000"
fi

# ---- clone, and fsck MOUNTPOINT naming the cross-link ----------------------
expect_exit 0 "$FAMFS" clone "$M/f1" "$M/f1c"
expect_exit 0 "$FAMFS" getmap "$M/f1c"
check_eq "$f1map" "$(grep "extent 0" "$OUT.stdout")" "the clone's extent"
expect_exit 4 "$FAMFS" fsck "$M"
out_has "cross-link: 'f1' and 'f1c' share device 0"
expect_exit 4 "$FAMFS" fsck --json "$M/d1"	# a path inside the mount
cp "$OUT.stdout" xl.json
check_eq crosslink "$(json_codes xl.json 2>&1)" "problem codes of fsck MOUNTPOINT"
expect_exit 8 "$FAMFS" fsck img
out_has "check it through the mount instead"
expect_exit 1 "$FAMFS" clone "$M/d1" "$M/dc"
expect_exit 1 "$FAMFS" clone "$M/f1" plain2
out_has "not inside a famfs filesystem"
expect_exit 1 "$FAMFS" clone "$M/f1" "$M/d2"
expect_exit 2 "$FAMFS" clone "$M/f1"
still_ok "$M"

# ---- flush ---------------------------------------------------------------
expect_exit 0 "$FAMFS" flush "$M/f1" "$M/f1c"
expect_exit 0 "$FAMFS" flush -v "$M/f1"
out_has "flushed '$M/f1'"
expect_exit 1 "$FAMFS" flush "$M/d1"
out_has "not a regular file"
expect_exit 3 "$FAMFS" flush "$M/d1" "$M/none" plain "$M/f1"
out_has "not a famfs file"
expect_exit 2 "$FAMFS" flush

# ---- chkread -------------------------------------------------------------
head -c 3145728 /dev/urandom >data
if dd if=data of="$M/f1" bs=1M conv=notrunc status=none 2>/dev/null; then
	ok "wrote 3 MiB into f1"
else
	fail "cannot write into f1"
fi
expect_exit 0 "$FAMFS" chkread "$M/f1"
out_has "agree on all 3145728 bytes"
check_eq "$(sha256sum <data)" "$(sha256sum <"$M/f1")" "f1 reads back what was written"
expect_exit 0 "$FAMFS" chkread -s "$M/.meta/.superblock"
out_has "fs uuid       $fs_uuid"
out_has "device size   1073741824"
out_has "master uuid   $(head -n 1 "$FAMFS_SYSTEM_UUID_FILE")"
expect_exit 0 "$FAMFS" chkread -l "$M/.meta/.log"
out_has "file 'f1' size 3145728"
out_has "mkdir 'd1'"
out_has "file 'f1c'"
expect_exit 0 "$FAMFS" status --json "$M"
cp "$OUT.stdout" st2.json
expect_exit 0 "$FAMFS" chkread -l "$M/.meta/.log"
out_has "$(json_get st2.json log_entries) entries, $(json_get st2.json log_used) bytes of the log used"
expect_exit 1 "$FAMFS" chkread -s "$M/f1"
out_has "not a famfs superblock"
expect_exit 1 "$FAMFS" chkread "$M/d1"
expect_exit 1 "$FAMFS" chkread plain
expect_exit 2 "$FAMFS" chkread -s -l "$M/.meta/.log"
expect_exit 2 "$FAMFS" chkread

# ---- logplay on the master -------------------------------------------------
expect_exit 0 "$FAMFS" logplay -n "$M"
out_has "0 log entries to apply"
expect_exit 0 "$FAMFS" logplay "$M"
out_has "0 log entries applied"
expect_exit 1 "$FAMFS" logplay "$PWD"
out_has "is not a famfs mount"
expect_exit 2 "$FAMFS" logplay

# ---- host B: a client mount of the same image ------------------------------
onB expect_exit 0 "$FAMFS" mount img "$B"
mounted "$B" || { fail "the client mount is not there"; finish; }
expect_exit 0 "$FAMFS" status "$B"
out_has "role        client"
expect_exit 0 "$FAMFS" status --json "$B"
cp "$OUT.stdout" stb.json
check_eq client "$(json_get stb.json role)" "role in status --json (client)"
check_eq "fs_uuid=$fs_uuid role=master" "$(xattr "$M/f1")" "identity xattr of a file on the master"
check_eq "fs_uuid=$fs_uuid role=master" "$(xattr "$M")" "identity xattr of the master's root"
check_eq "fs_uuid=$fs_uuid role=master" "$(xattr "$M/p1/p2")" "identity xattr of a directory on the master"
check_eq "fs_uuid=$fs_uuid role=client" "$(xattr "$B/f1")" "identity xattr of a file on the client"
check_eq "fs_uuid=$fs_uuid role=client" "$(xattr "$B/d1")" "identity xattr of a directory on the client"

# the master creates; the client has not looked: logplay finds the entries
expect_exit 0 "$FAMFS" mkdir "$M/late1" "$M/late2"
expect_exit 0 "$FAMFS" clone "$M/f1" "$M/late3"
expect_exit 0 "$FAMFS" logplay -n "$B"
out_has "3 log entries to apply"
expect_exit 0 "$FAMFS" logplay -v "$B"
out_has "3 log entries applied"
expect_exit 0 "$FAMFS" logplay "$B"
out_has "0 log entries applied"
if [ -d "$B/late1" ] && [ -d "$B/late2" ] && [ -f "$B/late3" ]; then
	ok "the client shows what the master made"
else
	fail "the client lacks late1, late2 or late3"
fi

# a client refuses to create, and goes on serving
expect_exit 1 "$FAMFS" mkdir "$B/nope"
out_has "client"
expect_exit 1 "$FAMFS" mkdir -p "$B/nope/deeper"
out_has "client"
expect_exit 1 "$FAMFS" clone "$B/f1" "$B/nope"
out_has "client"
if [ -e "$M/nope" ]; then fail "the client's refused mkdir reached the log"; else ok "nothing logged by the client"; fi
expect_exit 0 "$FAMFS" mkdir -p "$B/d1"		# exists: nothing to make

# the read-only tools work on a client
expect_exit 0 "$FAMFS" getmap "$B/f1"
check_eq "$f1map" "$(grep "extent 0" "$OUT.stdout")" "f1's extent seen by the client"
expect_exit 0 "$FAMFS" flush "$B/f1"
expect_exit 0 "$FAMFS" chkread "$B/f1"
check_eq "$(sha256sum <data)" "$(sha256sum <"$B/f1")" "the client reads the master's data"
expect_exit 0 "$FAMFS" chkread -l "$B/.meta/.log"
out_has "file 'late3'"
onB expect_exit 4 "$FAMFS" fsck "$B"
out_has "role of this host: client"
out_has "cross-link: 'f1' and 'f1c'"
still_ok "$B"
still_ok "$M"

# ---- the same tools built with ASan/UBSan: no finding --------------------
asan() {	# asan CODE ARGS...: famfs-asan ARGS exits CODE, sanitizers silent
	local code=$1
	shift
	expect_exit "$code" "$FAMFS_ASAN" "$@"
	if grep -qE "Sanitizer|runtime error" "$OUT"; then
		fail "sanitizer finding in famfs-asan $*"
		show_out
	fi
}
if [ -x "$FAMFS_ASAN" ]; then
	asan 0 status "$M"
	asan 0 status --json "$B"
	asan 0 mkdir -p -v "$M/asan/a/b" "$M/asan/x/../y"
	asan 1 mkdir "$B/asan2"
	asan 2 getmap -c "$M/d1" "$M/f1" "$M/.meta/.log"
	asan 0 clone "$M/f1" "$M/asan/c"
	asan 1 flush "$M/f1" "$M/d1"
	asan 0 chkread -s "$M/.meta/.superblock"
	asan 0 chkread -l "$B/.meta/.log"
	asan 0 logplay -n "$B"
	asan 0 logplay "$B"
	asan 4 fsck "$M"
	asan 4 fsck --json "$B/d1"
	asan 16 fsck --repair "$M"
	still_ok "$M"
	still_ok "$B"
else
	fail "$FAMFS_ASAN is not built: the ASan runs cannot run"
fi

# unmounted, the image says what fsck MOUNTPOINT said
expect_exit 4 "$FAMFS" fsck --json "$M"
cp "$OUT.stdout" mnt.json
umount_wait "$B"		# and wait for the servers: fsck needs the device
umount_wait "$M"
expect_exit 4 "$FAMFS" fsck --json img
cp "$OUT.stdout" img.json
for k in files directories log_entries log_used capacity used free; do
	check_eq "$(json_get mnt.json "$k")" "$(json_get img.json "$k")" "fsck MOUNTPOINT = fsck IMAGE: $k"
done
check_eq crosslink "$(json_codes img.json | sort -u)" "problem codes of fsck IMAGE"

finish
