#!/usr/bin/env bash
# Crash consistency of the root-tree entries (docs/format-roottree.md):
# files, empty files, directories, symlinks (short and 4 KiB targets),
# hard links, FIFOs and device nodes, xattr sets and removes, attribute
# changes, made through the library by famfs-testgen and stopped at a
# random byte of their metadata stores, KINDS_STOPS times (default 100).
#
# The stop is the fault hook of the test build (lib/fault.c):
# build/fault/famfs-testgen-fault with FAMFS_FAULT_META_BYTES=N stores the
# first N bytes of metadata (superblock when a feature is turned on, entry,
# zeroed window, tail record) and SIGKILLs itself.  N is drawn below what
# the operation stores, so most runs are cut; some complete.
#
# Every KINDS_FRESH=10 stops the image is made again; every other time as
# a first-release filesystem (no feature bits, 4 KiB entries), so the
# first use of each feature - a superblock write before the entry - is cut
# too.  After each stop:
#   * fsck is clean, or reports only a torn tail (uncommitted, tail_garbage,
#     tail_slot) or a superblock write turning a feature on that was cut
#     (sb_torn_feature), which fsck --repair fixes (on every other torn stop; the
#     next append heals the others) and a second fsck finds clean;
#   * the replayed namespace (famfs-testgen dump: every name, kind, mode,
#     owner, size, links, target, device and xattrs) is exactly the one
#     before the operation or the one the same operation gives when it is
#     not stopped (run on a copy first): only whole entries survive.
#
#   KINDS_STOPS=1000 tests/reliability/crash_kinds.sh     longer run
#   KINDS_SEED=N      replay a run (bash RANDOM seed; printed at the start)
#   KINDS_KEEP=1      keep the work directory
# Ends with "crash-kinds: N stops (N cut, N complete), N repaired: ok".
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
FAMFS=$BUILD/famfs
TG=$BUILD/asan/tools/famfs-testgen
TGF=$BUILD/fault/famfs-testgen-fault
STOPS=${KINDS_STOPS:-100}
FRESH=${KINDS_FRESH:-10}
SEED=${KINDS_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
unset FAMFS_CONFIG FAMFS_ROLE

for b in "$FAMFS" "$TG" "$TGF"; do
	[ -x "$b" ] || { echo "crash-kinds: $b is not built (make all asan fault)"; exit 1; }
done
work=$(mktemp -d /tmp/famfs-kinds.XXXXXX)
export FAMFS_SYSTEM_UUID_FILE=$work/hostid
[ "${KINDS_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
img=$work/img
ref=$work/ref
echo "crash-kinds: seed $SEED, $STOPS stops, work $work"

fail() {
	echo "FAIL stop $stop (${op:0:60}; N=$cut; first-release $first): $*"
	echo "  fault mark: $(cat "$work/mark" 2>/dev/null)"
	exit 1
}

fresh() {
	rm -f "$img"
	truncate -s 64M "$img"
	"$FAMFS" mkfs "$img" >/dev/null || fail "mkfs"
	first=$(( fresh_count % 2 ))
	fresh_count=$((fresh_count + 1))
	if [ "$first" = 1 ]; then
		"$TG" "$img" features clear 0xff || fail "first-release image"
	fi
	"$TG" "$img" mkdir k || fail "mkdir k"
	files=() n=0
}

# The problem codes of a read-only fsck, one per line ("" when clean).
fsck_codes() {
	"$FAMFS" fsck --json "$img" 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("\n".join(p["code"] for p in r.get("problems", [])))
if "error" in r: print("error:" + r["error"])'
}

# One random operation on names under k/ (an existing file where needed).
draw() {
	local f='' m
	[ ${#files[@]} -gt 0 ] && f=${files[$((RANDOM % ${#files[@]}))]}
	n=$((n + 1))
	case $(( ${#files[@]} ? RANDOM % 12 : RANDOM % 2 )) in
	0) op="file k/f$n $((RANDOM % 3 + 1))M"; newfile=k/f$n ;;
	1) op="empty k/e$n"; newfile=k/e$n ;;
	2) op="symlink k/s$n ../$f" ;;
	3) op="symlink k/S$n $(head -c 3000 /dev/zero | tr '\0' x)" ;;
	4) op="link k/h$n $f" ;;
	5) op="mknod k/p$n fifo" ;;
	6) op="mknod k/c$n chr $((RANDOM % 256)) $((RANDOM % 256))" ;;
	7) op="xattr $f user.x$((RANDOM % 3)) v$n" ;;
	8) op="xattr $f security.selinux system_u:object_r:etc_t:s$n" ;;
	9) op="rmxattr $f user.x$((RANDOM % 3))" ;;
	10) printf -v m '%o' $((RANDOM % 4096))	# not in $(): a subshell reseeds RANDOM
	    op="attr $f $m $((RANDOM % 2000)) $RANDOM" ;;
	11) op="mkdir k/d$n" ;;
	esac
}

fresh_count=0 stop=0 cuts=0 whole=0 repaired=0 cut=0 first=0 op=
fresh
while [ $stop -lt "$STOPS" ]; do
	[ $stop -gt 0 ] && [ $((stop % FRESH)) -eq 0 ] && fresh
	newfile=
	draw
	# the operation unstopped, on a copy: its result, or not possible
	cp --sparse=always "$img" "$ref"
	# shellcheck disable=SC2086
	if ! "$TG" "$ref" $op >/dev/null 2>&1; then
		continue		# e.g. removing an xattr that is not there
	fi
	stop=$((stop + 1))
	"$TG" "$img" dump >"$work/before" || fail "dump before"
	"$TG" "$ref" dump >"$work/after" || fail "dump after"
	# about what the operation stores: entry, window, tail (a superblock
	# on first use, a long symlink's 3 KiB)
	case $op in
	"symlink k/S"*) cut=$((RANDOM % 4000)) ;;
	*) cut=$((RANDOM % (first ? 900 : 400))) ;;
	esac
	# the superblock a first use writes comes first; no store tears its
	# aligned 4-byte checksum word (bytes 508..511), the hook would
	case $cut in 509|510|511) cut=512 ;; esac
	rm -f "$work/mark"
	# shellcheck disable=SC2086
	# (a subshell: its "Killed" goes to /dev/null, not to the log)
	(FAMFS_FAULT_META_BYTES=$cut FAMFS_FAULT_MARK=$work/mark \
		"$TGF" "$img" $op >/dev/null 2>"$work/err") 2>/dev/null
	rc=$?
	if [ -s "$work/mark" ]; then
		cuts=$((cuts + 1))
		[ $rc -eq 137 ] || fail "cut, but exit $rc: $(cat "$work/err")"
	else
		whole=$((whole + 1))
		[ $rc -eq 0 ] || fail "exit $rc: $(cat "$work/err")"
	fi
	codes=$(fsck_codes)
	for c in $codes; do
		case $c in
		uncommitted|tail_garbage|tail_slot|sb_torn_feature) ;;
		*) fail "fsck: $c: $("$FAMFS" fsck "$img" 2>&1 | head -3)" ;;
		esac
	done
	if [ -n "$codes" ] && [ $((stop % 2)) -eq 0 ]; then
		"$FAMFS" fsck --repair "$img" >/dev/null 2>&1
		rc=$?
		[ $rc -eq 1 ] || fail "fsck --repair exit $rc"
		[ -z "$(fsck_codes)" ] || fail "not clean after --repair"
		repaired=$((repaired + 1))
	fi
	"$TG" "$img" dump >"$work/now" || fail "replay after the stop"
	if cmp -s "$work/now" "$work/after"; then
		[ -n "$newfile" ] && files+=("$newfile")
	elif ! cmp -s "$work/now" "$work/before"; then
		diff "$work/before" "$work/now" | head -5
		fail "the namespace is neither the one before nor the one after"
	fi
	echo "ok $stop ${op:0:48}: N=$cut $( [ -s "$work/mark" ] && cut -d' ' -f1 "$work/mark" || echo complete)${codes:+, torn tail}"
done
echo "crash-kinds: $stop stops ($cuts cut, $whole complete), $repaired repaired: ok"
