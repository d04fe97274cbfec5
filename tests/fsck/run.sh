#!/usr/bin/env bash
# fsck test corpus, in the style of e2fsprogs' tests/f_*: every directory
# tests/fsck/<case>/ holds
#   name         one line: what the case is
#   mkimage.sh   builds the damaged image from scratch: `mkimage.sh IMG`,
#                with FAMFS and TESTGEN in the environment, run in a scratch
#                directory; exit 77 skips the case
#   expect.1     output of the first  `famfs fsck --repair IMG`, filtered
#   expect.2     output of the second `famfs fsck --repair IMG`, filtered
# The filter replaces UUIDs with <UUID>, the image path with IMG and the
# two CRC values of a checksum message with <CRC> (they cover the random
# UUIDs and the mkfs time); everything else is kept.  The runner appends
# "exit N" (fsck's exit code) as the last line before comparing, and checks
# it separately so a failure says which code was expected.  Before the
# repairs a read-only fsck must leave the image byte-identical.
#
#   tests/fsck/run.sh [CASE...]          run (default: every case)
#   tests/fsck/run.sh --regen [CASE...]  rewrite expect.1/expect.2 from the
#                                        current output (review the diff!)
# Ends with "fsck: N passed, N failed" (", N skipped" if any).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" 2>/dev/null && pwd) || BUILD=$root/build
export BUILD
export FAMFS=$BUILD/famfs
export TESTGEN=$BUILD/asan/tools/famfs-testgen
unset FAMFS_CONFIG FAMFS_ROLE
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

regen=0
if [ "${1:-}" = --regen ]; then
	regen=1
	shift
fi

# famfs and the image generator: a missing one fails the layer (the cases
# must not turn into skips)
for b in "$FAMFS" "$TESTGEN"; do
	if [ ! -x "$b" ]; then
		echo "fsck: $b is not built (run make all asan)"
		echo "fsck: 0 passed, 1 failed"
		exit 1
	fi
done

PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PY" ] || PY=python3

# Content hash of a (sparse) image: size plus every nonzero 4 KiB block
# with its offset, read through SEEK_DATA/SEEK_HOLE (fast on 256 MiB holes).
imghash() {
	"$PY" -S - "$1" <<'EOF'
import hashlib, os, sys
B = 4096
fd = os.open(sys.argv[1], os.O_RDONLY)
size = os.fstat(fd).st_size
h = hashlib.sha256(b"size %d\n" % size)
off = done = 0
while off < size:
    try:
        d = os.lseek(fd, off, os.SEEK_DATA)
    except OSError:
        break
    e = os.lseek(fd, d, os.SEEK_HOLE)
    pos = max(d - d % B, done)
    while pos < e:
        buf = os.pread(fd, min(1 << 20, e - pos + (-(e - pos)) % B), pos)
        if not buf:
            break
        for i in range(0, len(buf), B):
            blk = buf[i:i + B]
            if blk.count(0) != len(blk):
                h.update(b"%d:" % (pos + i))
                h.update(blk)
        pos += len(buf)
    done = pos
    off = max(e, pos)
print(h.hexdigest())
EOF
}

# filter IMG: the output with the run-specific parts replaced
filter() {
	sed -E -e "s|$1|IMG|g" \
		-e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<UUID>/g' \
		-e 's/\(stored 0x[0-9a-f]+, computed 0x[0-9a-f]+\)/(stored <CRC>, computed <CRC>)/g'
}

cases=()
if [ $# -gt 0 ]; then
	for c in "$@"; do
		c=${c%/}
		cases+=("$here/${c##*/}")
	done
else
	for d in "$here"/*/; do
		[ -f "$d/mkimage.sh" ] && cases+=("${d%/}")
	done
fi

pass=0 fail=0 skip=0
start=$(date +%s)
for dir in "${cases[@]}"; do
	name=$(basename "$dir")
	desc=$(head -n 1 "$dir/name" 2>/dev/null)
	if [ ! -f "$dir/mkimage.sh" ]; then
		echo "FAIL $name: no such case"
		fail=$((fail + 1))
		continue
	fi
	tmp=$(mktemp -d /tmp/famfs-fsck.XXXXXX)
	img=$tmp/image
	why=
	(cd "$tmp" && FAMFS_SYSTEM_UUID_FILE=$tmp/hostid \
		timeout 60 bash "$dir/mkimage.sh" "$img") >"$tmp/mkimage.log" 2>&1 </dev/null
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "SKIP $name: $(tail -n 1 "$tmp/mkimage.log")"
		skip=$((skip + 1))
		rm -rf "$tmp"
		continue
	fi
	if [ $rc -ne 0 ]; then
		why="mkimage.sh exited $rc"
	else
		# a read-only check must not change a byte
		h0=$(imghash "$img")
		FAMFS_SYSTEM_UUID_FILE=$tmp/hostid "$FAMFS" fsck "$img" \
			>"$tmp/ro.out" 2>&1 </dev/null
		[ "$h0" = "$(imghash "$img")" ] ||
			why="read-only fsck changed the image"
	fi
	for pass_no in 1 2; do
		[ -z "$why" ] || break
		FAMFS_SYSTEM_UUID_FILE=$tmp/hostid "$FAMFS" fsck --repair "$img" \
			>"$tmp/raw.$pass_no" 2>&1 </dev/null
		rc=$?
		{ filter "$img" <"$tmp/raw.$pass_no"; echo "exit $rc"; } >"$tmp/out.$pass_no"
		exp=$dir/expect.$pass_no
		if [ $regen -eq 1 ]; then
			cp "$tmp/out.$pass_no" "$exp"
			continue
		fi
		if [ ! -f "$exp" ]; then
			why="no expect.$pass_no"
			break
		fi
		want=$(tail -n 1 "$exp" | sed -n 's/^exit \([0-9]*\)$/\1/p')
		if [ "$want" != "$rc" ]; then
			why="fsck --repair run $pass_no: exit $rc, expected ${want:-?}"
		elif ! cmp -s "$exp" "$tmp/out.$pass_no"; then
			why="fsck --repair run $pass_no: output differs from expect.$pass_no"
		fi
		if [ -n "$why" ]; then
			diff -u "$exp" "$tmp/out.$pass_no" >"$tmp/diff" 2>&1
		fi
	done
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		if [ $regen -eq 1 ]; then
			echo "REGEN $name: $desc"
		else
			echo "PASS $name: $desc"
		fi
	else
		fail=$((fail + 1))
		echo "FAIL $name: $desc: $why"
		for f in mkimage.log diff; do
			[ -s "$tmp/$f" ] || continue
			echo "  --- $f"
			sed 's/^/  | /' "$tmp/$f" | head -n 60
		done
	fi
	rm -rf "$tmp"
done
echo "($(($(date +%s) - start)) s)"
summary="fsck: $pass passed, $fail failed"
[ $skip -gt 0 ] && summary="$summary, $skip skipped"
echo "$summary"
[ $fail -eq 0 ]
