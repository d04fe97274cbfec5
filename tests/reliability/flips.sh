#!/usr/bin/env bash
# Torn writes, bit flips and truncations of the metadata, on a real image:
#
# 1. flipsweep.py flips one bit of every byte of the superblock, the log
#    header, both tail records, the last 3 log entries and the 64 bytes
#    after the tail (FLIP_BITS=all: every bit of every byte), tears each
#    region (written up to byte k, zero after) and truncates the image
#    inside each region; `famfs fsck` must exit nonzero and name the
#    damaged region every time ("detected X of Y").
# 2. A sample through real FUSE mounts: a damaged superblock or log header
#    or a truncated image is refused (exit 1, nothing mounted); a damaged
#    tail record loses nothing; a damaged entry is where replay stops: the
#    mount says "replay stopped at the damage: log entry N at offset X",
#    serves exactly entries 0..N-1 and refuses to append past the damage;
#    garbage after the tail is served around and overwritten by the next
#    create.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
export FAMFS=$BUILD/famfs TESTGEN=$BUILD/asan/tools/famfs-testgen
W=$(mktemp -d "${TMPDIR:-/tmp}/famfs-flips.XXXXXX")
cd "$W" || exit 1
export FAMFS_SYSTEM_UUID_FILE=$W/hostid
# shellcheck source=tests/integration/lib.sh
. "$root/tests/integration/lib.sh"
need_exec "$FAMFS" "$TESTGEN"

# shellcheck source=tests/reliability/rlib.sh
. "$here/rlib.sh"
MNT=$W/mnt
on_exit_clean "$W" "$MNT"

# ---------------------------------------------------------------- the image
# entry i of the log makes PATHS[i]
PATHS=(d e e/f0 e/f1 e/f2 d/a d/sub)
mkimg img 64M
expect_exit 0 "$FAMFS" mkfs -a 4k img
testgen img mkdir d
testgen img files 3 e 5000
testgen img file d/a 10000
testgen img mkdir d/sub
expect_exit 0 "$FAMFS" fsck img
cpimg img clean.img

# ---------------------------------------------------------------- the sweep
t0=$(date +%s)
"$PY" "$here/flipsweep.py" "$FAMFS" img --bits "${FLIP_BITS:-one}" >sweep.out 2>&1
rc=$?
grep -v '^flips: truncated at' sweep.out
check_eq 0 "$rc" "flipsweep exit ($(( $(date +%s) - t0 )) s)"
check_eq "$(sha clean.img)" "$(sha img)" "image restored by the sweep"

# ---------------------------------------------------------------- mounts
read -ra OFFS <<<"$("$PY" "$here/flipsweep.py" "$FAMFS" img --offsets)"
LOG=${OFFS[0]} TAILOFF=${OFFS[1]} ENT=("${OFFS[@]:2}")
words() { LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }
listing() { (cd "$MNT" && find . -mindepth 1 -path ./.meta -prune -o -printf '%P\n' | words); }
prefix() { printf '%s\n' "${PATHS[@]:0:$1}" | words; }

refused() {	# refused OFFSET WHAT: a flip there and the mount says no
	cpimg clean.img img
	flipbyte img "$1"
	expect_exit 1 "$FAMFS" mount img "$MNT"
	out_has "famfs mount: "
	if mounted "$MNT"; then fail "$2: mounted anyway"; umount "$MNT"; else ok "$2: not mounted"; fi
}
refused 0x0 "superblock magic"
refused 0x60 "superblock device size"
refused 0x150 "superblock reserved byte (CRC-covered)"
refused 0x1fd "superblock CRC"
refused $((LOG + 0x10)) "log header UUID"
refused $((LOG + 0x150)) "log header reserved byte"
cpimg clean.img img
truncate -s 40M img
expect_exit 1 "$FAMFS" mount img "$MNT"
out_has "but the device has only"

unmount() {	# umount and wait for the server to be gone
	local pid
	pid=$(server_pid "$MNT")
	expect_exit 0 umount "$MNT"
	wait_gone "$pid" || fail "server $pid still running after umount"
}

served() {	# served N WHAT: mount works and serves exactly entries 0..N-1
	expect_exit 0 "$FAMFS" mount img "$MNT"
	check_eq "$(prefix "$1")" "$(listing)" "$2: entries 0..$(($1 - 1)) served"
}

for s in 0 1; do	# either tail record: nothing committed is lost
	cpimg clean.img img
	flipbyte img $((LOG + 0x200 + s * 0x40 + 9))
	served ${#PATHS[@]} "tail record $s damaged"
	expect_exit 0 "$FAMFS" creat -s 4k "$MNT/after$s"
	unmount
	expect_exit 0 "$FAMFS" fsck img
done

for n in 4 5 6; do	# entry n damaged: replay stops there and says so
	cpimg clean.img img
	flipbyte img $((ENT[n] + 20))
	served "$n" "entry $n damaged"
	out_has "replay stopped at the damage: log entry $n at offset $(printf '%#x' $((ENT[n] - LOG)))"
	expect_exit 1 "$FAMFS" creat -s 4k "$MNT/new"
	out_has "log entry $n"
	unmount
	expect_exit 4 "$FAMFS" fsck img
	out_has "log entry $n at offset"
done

cpimg clean.img img	# garbage after the tail: served around, then overwritten
flipbyte img $((TAILOFF + 8))
served ${#PATHS[@]} "garbage after the tail"
expect_exit 0 "$FAMFS" creat -s 4k "$MNT/over"
unmount
expect_exit 0 "$FAMFS" fsck img

finish
