# shellcheck shell=bash disable=SC2034  # constants and helpers used by t*.sh
# Shared helpers for tests/integration/t*.sh (sourced, bash).
#
# run.sh starts every script in a fresh temporary directory (the current
# directory) with FAMFS, FAMFS_ASAN, TESTGEN, BUILD and
# FAMFS_SYSTEM_UUID_FILE set.  A check that fails is reported and counted;
# the script goes on with the next check and `finish` exits 1 at the end,
# so one broken behaviour does not hide the others.
#
#   check_eq EXPECTED ACTUAL WHAT       (assert_eq is the same)
#   expect_exit CODE CMD...             run CMD, output in $OUT, exit in $RC
#   out_has TEXT / out_lacks TEXT       fixed-string match on the last $OUT
#   out_matches ERE                     extended regex match on the last $OUT
#   mkimg NAME SIZE                     fresh sparse image (truncate)
#   sha IMG                             sha256 of a file
#   hexpatch IMG OFFSET HEXBYTES        write bytes, e.g. hexpatch i 0x40 ff00
#   flipbyte IMG OFFSET                 invert one byte (never a no-op)
#   json_get FILE KEY                   a top-level value of a JSON report
#   json_valid FILE                     the file parses as JSON
#   need_exec PATH...                   fail (exit 1) unless all are built:
#                                       a missing test tool is a failure
#   gone PID / wait_gone PID SECONDS    the process has ended (a zombie too)
#   finish                              exit 0 if every check passed

set -u

: "${FAMFS:?FAMFS is not set (run tests/integration/run.sh)}"
FAMFS_ASAN=${FAMFS_ASAN:-}
TESTGEN=${TESTGEN:-}
BUILD=${BUILD:-$(dirname "$FAMFS")}

# The interpreter behind `python3` (found once: a version-manager shim in
# front of it costs ~150 ms a call; -S skips site, only stdlib is used).
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -x "$PY" ] || PY=python3

# famfs logs to syslog when stderr is no terminal: a socket of this test's
# own (t34 listens on it), never the host's journal.
export FAMFS_SYSLOG_SOCKET=${FAMFS_SYSLOG_SOCKET:-$PWD/syslog.sock}

FAILS=0
CHECKS=0
OUT=$PWD/.out		# output (stdout+stderr) of the last expect_exit
RC=0			# its exit status

# The log starts at 2 MiB (omf.h FAMFS_LOG_OFFSET); tail slots and the
# first entry are at fixed offsets inside it.
LOG_OFF=$((0x200000))
TAIL0=$((LOG_OFF + 0x200))
TAIL1=$((LOG_OFF + 0x240))
ENTRIES=$((LOG_OFF + 0x1000))

ok() {
	CHECKS=$((CHECKS + 1))
	echo "ok   $*"
}

fail() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	echo "FAIL $*"
}

# Show the output of the last command (indented) after a failed check.
show_out() {
	[ -f "$OUT" ] || return 0
	sed -e 's/^/     | /' "$OUT" | head -n 40
}

check_eq() {
	local exp=$1 act=$2 what=${3:-value}
	if [ "$exp" = "$act" ]; then
		ok "$what = '$act'"
	else
		fail "$what: expected '$exp', got '$act'"
	fi
}

assert_eq() { check_eq "$@"; }

check_ne() {
	local a=$1 b=$2 what=${3:-values}
	if [ "$a" != "$b" ]; then
		ok "$what differ"
	else
		fail "$what: both are '$a'"
	fi
}

# expect_exit CODE CMD...: run CMD with stdin from /dev/null; stdout and
# stderr both go to $OUT (stdout alone to $OUT.stdout).
expect_exit() {
	local want=$1
	shift
	"$@" </dev/null >"$OUT.stdout" 2>"$OUT.stderr"
	RC=$?
	cat "$OUT.stdout" "$OUT.stderr" >"$OUT"
	if [ "$RC" -eq "$want" ]; then
		ok "exit $RC: $*"
	else
		fail "exit $RC, expected $want: $*"
		show_out
	fi
}

out_has() {
	if grep -qF -- "$1" "$OUT"; then
		ok "output has '$1'"
	else
		fail "output lacks '$1'"
		show_out
	fi
}

out_lacks() {
	if grep -qF -- "$1" "$OUT"; then
		fail "output should not have '$1'"
		show_out
	else
		ok "output lacks '$1'"
	fi
}

out_matches() {
	if grep -qE -- "$1" "$OUT"; then
		ok "output matches /$1/"
	else
		fail "output does not match /$1/"
		show_out
	fi
}

# Nothing on stdout (e.g. a refusal prints only its error).
stdout_empty() {
	if [ -s "$OUT.stdout" ]; then
		fail "stdout should be empty"
		show_out
	else
		ok "stdout is empty"
	fi
}

mkimg() {
	rm -f "$1"
	truncate -s "$2" "$1"
}

# sha IMG: sha256 of the file's contents, computed from its data segments
# (SEEK_DATA/SEEK_HOLE) so a sparse 1 GiB image costs milliseconds, not the
# seconds sha256sum needs to read its holes.  Two files with the same bytes
# give the same value however their blocks are allocated: the hash covers
# the size and every 4 KiB block that is not all zeros, with its offset.
sha() {
	"$PY" -S - "$1" <<'PYEOF'
import hashlib, os, sys
B = 4096
ZERO = bytes(B)
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
            if blk != ZERO[:len(blk)]:
                h.update(b"%d:" % (pos + i))
                h.update(blk)
        pos += len(buf)
    done = pos
    off = max(e, pos)
print(h.hexdigest())
PYEOF
}

# Sparse copy of an image (keeps the test fast and small on disk).
cpimg() {
	rm -f "$2"
	cp --sparse=always "$1" "$2"
}

# hexpatch IMG OFFSET HEXBYTES: OFFSET decimal or 0x..., bytes as hex pairs.
hexpatch() {
	local img=$1 off=$(($2)) hex=$3 esc
	esc=$(printf '%s' "$hex" | sed 's/../\\x&/g')
	# shellcheck disable=SC2059
	printf "$esc" | dd of="$img" bs=1 seek="$off" conv=notrunc status=none
}

# readbyte IMG OFFSET: two hex digits.
readbyte() {
	od -An -tx1 -j $(($2)) -N1 "$1" | tr -d ' \n'
}

# read_le64 IMG OFFSET: a little-endian 64-bit field, in decimal.
read_le64() {
	local hex
	hex=$(od -An -tx1 -j $(($2)) -N8 "$1" | tr -d ' \n')
	# reverse the byte order
	echo $((0x$(echo "$hex" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\8\7\6\5\4\3\2\1/')))
}

flipbyte() {
	local b
	b=$(readbyte "$1" "$2")
	hexpatch "$1" "$2" "$(printf '%02x' $((0x$b ^ 0xff)))"
}

json_valid() {
	"$PY" -S -m json.tool "$1" >/dev/null 2>&1
}

# json_get FILE KEY: a top-level scalar, as JSON prints it (strings bare).
json_get() {
	if command -v jq >/dev/null 2>&1; then
		jq -r --arg k "$2" '.[$k] | if type == "array" then length else . end' "$1"
	else
		"$PY" -S -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(len(v) if isinstance(v, list) else ("true" if v is True else "false" if v is False else v))' "$1" "$2"
	fi
}

# json_codes FILE: the problem codes of a report, one per line.
json_codes() {
	"$PY" -S -c 'import json, sys
for p in json.load(open(sys.argv[1]))["problems"]:
    print(p["code"])' "$1"
}

need_exec() {
	local p
	for p in "$@"; do
		if [ -z "$p" ] || [ ! -x "$p" ]; then
			echo "FAIL: '$p' is not built (make all asan)"
			exit 1
		fi
	done
}

# gone PID: the process no longer exists (a zombie waiting for init counts)
gone() {
	local st
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

wait_gone() {	# wait_gone PID SECONDS
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		gone "$1" && return 0
		sleep 0.05
	done
	gone "$1"
}

# testgen IMG CMD...: populate or damage an image, silently; a failure is a
# failed check (with famfs-testgen's message).
testgen() {
	if ! "$TESTGEN" "$@" >"$OUT.tg" 2>&1; then
		fail "famfs-testgen $* failed"
		sed -e 's/^/     | /' "$OUT.tg"
		return 1
	fi
}

# tail_field IMG N: field N (1 next_off, 2 next_seq, 3 log_offset) of `tail`.
tail_field() {
	"$TESTGEN" "$1" tail | awk -v n="$2" '{ print $n }'
}

finish() {
	if [ "$FAILS" -eq 0 ]; then
		echo "all $CHECKS checks passed"
		exit 0
	fi
	echo "$FAILS of $CHECKS checks failed"
	exit 1
}
