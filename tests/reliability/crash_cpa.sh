#!/usr/bin/env bash
# Crash consistency of `famfs cp -a` (issue 11): an archive copy of a tree
# with every kind of entry is stopped at a random point, CPA_STOPS rounds
# (default 30).  The source is a tree on tmpfs (/dev/shm, or CPA_SHM):
# tests/tools/mktree.py's synthetic tree (files empty to 1 MiB + 3,
# setuid/setgid/sticky, 32-bit owners, ns mtimes, symlinks up to 4095
# bytes, hard links across directories, FIFO, socket, devices, odd names,
# user/trusted/security/ACL xattrs up to 8 KiB), and in one round in
# CPA_SLICE_EVERY=3 also a slice of this machine's /usr/bin (40 random
# names under 1 MiB) or /etc (12 random top-level names of up to 80
# entries), staged with GNU cp -a so that it stays the same all round.
#
# Each round: the image (a 512 MiB sparse file, famfs mkfs -a 4K) is made
# again in the first round and in about one in five, else the copies of
# the rounds before stay on it.  The master is mounted and
# `famfs cp -a SRC MNT/copyN` runs, stopped in one of three ways:
#   fault        (6 rounds in 10) the server is the test build
#                build/fault/famfs-fault-asan with FAMFS_FAULT_META_BYTES=N,
#                N drawn up to about 1.2 times what the copy stores (in
#                half of the rounds weighted to small N, the namespace): it
#                stores only the first N bytes of log metadata and SIGKILLs
#                itself, torn inside a store (entry, zeroed window, tail
#                record, heal); when the copy stores less, the server is
#                killed -9 after it
#   kill-server  (2 in 10) kill -9 of the server at a random time
#   kill-cli     (2 in 10) kill -9 of the cp at a random time
# The random times are drawn up to 0.6 times what the unstopped copy took
# (measured once at the start, on the synthetic tree).  In one round in
# four (one in two after a torn tail left, below) the restart is stopped
# too, in the same ways, before the last one: a stop of a copy that
# reuses entries, and of the first append over a torn tail (the fault
# budget then often under 600 bytes: the heal of a damaged tail record,
# the zeroing of garbage after the tail).  After each stop:
#   * the mount is gone (umount), the server process too;
#   * famfs fsck is clean, or reports only a torn tail (uncommitted,
#     tail_garbage, tail_slot), which in half of the rounds fsck --repair
#     fixes (exit 1, then clean) and in the others is left to the appends
#     of the restart (below; the mounts replay over it); with kill-cli (the
#     server lived) it is clean (but for a tail left by a first stop);
#   * a mount with the normal server replays the copy; every entry present
#     in it is whole (tests/tools/treelist.py lines, entry by entry, with
#     the source's): it is in the source with the same type, mode, owner,
#     size, mtime, device number and symlink target; each of its xattrs
#     is one of the source's with the source's whole value (a missing one
#     is allowed: it is a later entry); its link count is the number of
#     its names present in the copy and at most the source's; its
#     contents are the source's once the data phase has ended (cp -a sets
#     regular files' xattrs after all data is written, so when one of
#     them carries one), else may be unfinished;
#   * a client mount of another host identity (FAMFS_SYSTEM_UUID_FILE)
#     lists exactly what the master lists (write bits masked: a client
#     shows none on non-directories);
#   * `famfs cp -a SRC MNT/copyN` run again (the restart) exits 0 and the
#     copy is then exactly the source (treelist --diff empty: every field,
#     contents, xattrs, link counts, the root's mtime); run once more, it
#     logs nothing (everything is in place); after unmount fsck is clean
#     (a torn tail left stays only when the restart appended nothing: then
#     fsck --repair fixes it).
# Before the rounds an unstopped cp -a of the source is checked the same
# way (the baseline: a difference there is no crash bug).
#
#   CPA_STOPS=200 tests/reliability/crash_cpa.sh   longer run
#   CPA_SEED=N     replay a run (bash RANDOM seed; printed at the start):
#                  the same rounds, images, slices, budgets N and kill
#                  times as fractions of the copy time measured
#   CPA_KEEP=1     keep the work directory (kept anyway after a failure)
#   CPA_BATCH=1    batch mode (crash_batch.sh): the stopped copy sends its
#                  creates in batches of FAMFS_BATCH_MAX records drawn from
#                  1..16 (else cp's own 512; the synthetic tree has
#                  about 60 names), so stops fall inside a
#                  batch, between two and in their one tail publish
#                  (group commit); the checks are the same: entries whole,
#                  fsck clean or a torn tail, client == master
# Ends with "crash_cpa: N passed, N failed" (rounds).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" && pwd)
FAMFS=$BUILD/famfs
FAULT=$BUILD/fault/famfs-fault-asan
TOOLS=$root/tests/tools
PY=${PYTHON:-python3}
STOPS=${CPA_STOPS:-30}
FAMFS_CTL_BATCH_RECORDS=512	# cp's batch: FAMFS_CTL_BATCH_MAX
SLICE_EVERY=${CPA_SLICE_EVERY:-3}
SEED=${CPA_SEED:-$(($(date +%s) % 32768))}
RANDOM=$SEED
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
unset FAMFS_CONFIG FAMFS_ROLE

for b in "$FAMFS" "$FAULT"; do
	[ -x "$b" ] || { echo "crash_cpa: $b is not built (make all fault)"; exit 1; }
done
if grep -q FAMFS_FAULT_META_BYTES "$FAMFS" || ! grep -q FAMFS_FAULT_META_BYTES "$FAULT"; then
	echo "crash_cpa: the fault hook must be in $FAULT and only there"
	echo "crash_cpa: 0 passed, 1 failed"
	exit 1
fi
W=$(mktemp -d "${CPA_SHM:-/dev/shm}/famfs-cpa.XXXXXX") || exit 1
IMG=$W/img MNT=$W/mnt CMNT=$W/cmnt SRC=$W/src
export FAMFS_SYSTEM_UUID_FILE=$W/hostA
# shellcheck source=tests/reliability/rlib.sh
. "$here/rlib.sh"
mkdir -p "$MNT" "$CMNT" "$SRC"

PASSED=0 FAILED=0 ROUND=0 KIND=setup
cleanup() {
	umount_all "$CMNT" "$MNT"
	if [ "${CPA_KEEP:-0}" = 1 ] || [ "$FAILED" = 1 ]; then
		echo "crash_cpa: work directory kept: $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

die() {
	FAILED=1
	echo "crash_cpa: FAIL (round $ROUND, $KIND${CUT:+, cut: $CUT}, seed $SEED): $*"
	[ -s "$W/out" ] && sed 's/^/     | /' "$W/out" | head -n 30
	echo "crash_cpa: $PASSED passed, 1 failed"
	exit 1
}

declare -A COUNT
count() { COUNT[$1]=$((${COUNT[$1]:-0} + 1)); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# sleep_ms MS: without a fork (a read that times out on a pipe that
# never has data): the kill times are short, a fork is slow under load
exec {NAP}<> <(:)
sleep_ms() {
	local t
	printf -v t '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
	read -r -t "$t" -u "$NAP" _
}
# rand MOD: a random number 0..MOD-1 (up to 2^30) in R, in this shell
# (a subshell reseeds RANDOM: CPA_SEED would not replay)
rand() { R=$(((RANDOM * 32768 + RANDOM) % $1)); }

# The checks, by one python process (a coprocess: python starts slowly)
# with tests/tools/treelist.py as a module and its options: every field,
# link counts, the root's times, not user.famfs.identity (what a famfs
# server shows of itself):
#   tl list DIR OUT              the listing of DIR
#   tl exact SRC.LST DIR OUT     DIR's listing is SRC.LST (else the first
#                                differences, exit 1)
#   tl partial SRC.LST DIR CDIR OUT
#       every entry of DIR (a stopped copy; absent: none) whole against
#       SRC.LST, and CDIR (the same copy on a client) listed the same, but
#       for the write bits of non-directories; prints "PRESENT TOTAL"
tl() {
	local IFS=$'\t' rc
	printf '%s\n' "$*" >&"${TLP[1]}"
	read -r rc <&"${TLP[0]}" || die "the treelist process is gone"
	return "$rc"
}
cat >"$W/tl.py" <<'EOF'
import os, sys
sys.path.insert(0, sys.argv[1])
import treelist as T
OPT = ["--nlink", "--root-times", "--ignore-xattr", "user.famfs.identity"]

def lines(root, *extra):
    if not os.path.lexists(root):
        return []
    return list(T.listing(root, T.parser().parse_args(OPT + list(extra) + [root])))

def save(name, ls):
    with open(name, "w") as f:
        f.writelines(ln + "\n" for ln in ls)

def masked(ln):
    p, f = T.parse(ln)
    if f["type"] != "d":
        f["mode"] = "%04o" % (int(f["mode"], 8) & ~0o222)
    return p, f

def fail(what, out):
    for b in out[:12]:
        print(b)
    print(what)
    return 1


def check(mode, args):
    if mode == "list":
        save(args[1], lines(args[0]))
        return 0
    src = open(args[0]).read().splitlines()
    cp = lines(args[1])
    save(args[-1], cp)
    if mode == "exact":
        out, n = T.diff_lists(src, cp)
        if n:
            return fail("%d entries differ (source -> copy)" % n, out)
        return 0
    # partial: the client first (it must list what the master lists)
    cl = lines(args[2], "--mask-mode", "0222")
    save(args[-1] + ".client", cl)
    if [masked(ln) for ln in cp] != [T.parse(ln) for ln in cl]:
        out, n = T.diff_lists(["%s %s" % (p, " ".join("%s=%s" % kv for kv in f.items()))
                               for p, f in map(masked, cp)], cl)
        return fail("the client lists another copy than the master (master -> client)", out)
    srcd = dict(T.parse(ln) for ln in src)
    cpd = dict(T.parse(ln) for ln in cp)
    bad = []
    # cp -a sets regular files' xattrs once all data is written
    data_done = any(f["type"] == "f" and f.get("size") != "0" and
                    any(k.startswith("x:") for k in f) for f in cpd.values())
    for p, f in cpd.items():
        s = srcd.get(p)
        if s is None:
            bad.append("%s: not in the source" % p)
            continue
        for k in ("type", "mode", "uid", "gid", "size", "mtime", "rdev", "target"):
            if f.get(k) != s.get(k):
                bad.append("%s: %s %s -> %s" % (p, k, s.get(k), f.get(k)))
        for k in f:
            if k in ("err", "x-err") or (k.startswith("x:") and f[k] != s.get(k)):
                bad.append("%s: %s %s -> %s" % (p, k, s.get(k, "(none)"), f[k]))
        if f["type"] == "f" and f.get("sha256") != s.get("sha256") and \
                (data_done or f.get("size") == "0"):
            bad.append("%s: contents differ after the data phase" % p)
        if f["type"] != "d":
            names = int(f["hl"].rsplit("/", 1)[1]) if "hl" in f else 1
            if f.get("nlink") != str(names) or int(f["nlink"]) > int(s["nlink"]):
                bad.append("%s: nlink %s with %d name(s) present (source %s)" %
                           (p, f.get("nlink"), names, s.get("nlink")))
    if bad:
        return fail("%d entries of the stopped copy are not whole (source -> copy)" % len(bad), bad)
    print(len(cp), len(src))
    return 0

# one request a line (its words separated by tabs), its output to OUT, the
# exit code back as a line
for req in sys.stdin:
    words = req.rstrip("\n").split("\t")
    with open(sys.argv[2], "w") as sys.stdout:
        try:
            rc = check(words[0], words[1:])
        except Exception as e:
            print("%s: %s" % (type(e).__name__, e))
            rc = 2
    sys.__stdout__.write("%d\n" % rc)
    sys.__stdout__.flush()
EOF
coproc TLP { exec "$PY" -S "$W/tl.py" "$TOOLS" "$W/out"; }

# ---------------------------------------------------------------- source
"$PY" -S "$TOOLS/mktree.py" "$SRC/synth" >"$W/out" 2>&1 ||
	die "mktree.py failed (${CPA_SHM:-/dev/shm} must be a tmpfs taking trusted.* and 8 KiB xattrs)"
SLICES=0

# A slice of /usr/bin or /etc in SRC/slice, staged with GNU cp -a (in one
# call: hard links among the names picked stay links).
make_slice() {
	local -a all picks=()
	local p
	local i n from
	rm -rf "$SRC/slice"
	mkdir "$SRC/slice"
	if [ $((SLICES % 2)) = 0 ]; then
		from=/usr/bin
		mapfile -t all < <(find /usr/bin -mindepth 1 -maxdepth 1 \
			\( -type l -o \( -type f -size -1024k \) \) | LC_ALL=C sort)
		n=40
	else
		from=/etc
		mapfile -t all < <(find /etc -mindepth 1 -maxdepth 1 | LC_ALL=C sort)
		n=12
	fi
	SLICES=$((SLICES + 1))
	for ((i = 0; i < n * 4 && ${#picks[@]} < n && ${#all[@]} > 0; i++)); do
		p=${all[RANDOM % ${#all[@]}]}
		[[ " ${picks[*]} " == *" $p "* ]] && continue
		[ -d "$p" ] && [ ! -L "$p" ] && [ "$(find "$p" 2>/dev/null | head -n 81 | wc -l)" -gt 80 ] && continue
		picks+=("$p")
	done
	[ ${#picks[@]} -gt 0 ] && cp -a "${picks[@]}" "$SRC/slice/" 2>/dev/null
	count "slices of $from"
}

# the source's listing in src.lst, its number of entries in NENT
source_list() {
	tl list "$SRC" "$W/src.lst" || die "treelist of the source failed"
	NENT=$(wc -l <"$W/src.lst")
}

# ---------------------------------------------------------------- a round
server_start() {	# KIND [budget]: mount the master, the server's pid in SPID
	rm -f "$W/mark"
	if [ "$1" = fault ]; then
		FAMFS_FAULT_META_BYTES=$2 FAMFS_FAULT_MARK=$W/mark \
			"$FAULT" mount "$IMG" "$MNT" >"$W/out" 2>&1
	else
		"$FAMFS" mount "$IMG" "$MNT" >"$W/out" 2>&1
	fi || die "mount failed"
	SPID=$(server_pid "$MNT")
	[ -n "$SPID" ] || die "no server pid"
}

unmount() {	# MNT PID: unmount and wait for the server to be gone
	local i
	for i in 1 2 3 4 5; do
		mounted "$1" || break
		umount "$1" 2>/dev/null || sleep 0.05
	done
	mounted "$1" && die "cannot unmount $1"
	wait_gone "$2" || die "server $2 still running after umount"
}

# fsck after the stop: clean, or only a torn tail that --repair fixes (in
# half of the rounds, or with an argument "repair"), or that the next
# appends heal (the other half: LEFT=1)
check_fsck() {
	local rc codes c
	"$FAMFS" fsck -j "$IMG" >"$W/out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		count "fsck clean"
		LEFT=0
		return
	fi
	[ $rc -eq 4 ] || die "fsck exit $rc (expected 0 or 4)"
	# a living server leaves nothing torn (a tail left by the stop before
	# stays until an append)
	[ "$KIND" = kill-cli ] && [ "$LEFT" = 0 ] && die "fsck found problems though the server lived"
	codes=$(grep -o '"code":"[a-z_]*"' "$W/out" | cut -d'"' -f4 | sort -u | tr '\n' ' ')
	for c in $codes; do
		case $c in
		uncommitted | tail_garbage | tail_slot) ;;
		*) die "fsck reports '$c' after a crash" ;;
		esac
	done
	if [ "${1:-}" != repair ] && [ $((RANDOM % 2)) = 0 ]; then
		count "fsck torn tail (${codes% }), left to the restart's appends"
		LEFT=1
		return
	fi
	"$FAMFS" fsck --repair "$IMG" >"$W/out" 2>&1
	rc=$?
	[ $rc -eq 1 ] || die "fsck --repair exit $rc (expected 1)"
	"$FAMFS" fsck "$IMG" >"$W/out" 2>&1 || die "fsck not clean after --repair"
	count "fsck torn tail (${codes% }), repaired${1:+ (the restart appended nothing)}"
	LEFT=0
}

# After the stop, with the normal server and a client mount of another
# host identity: the entries present are whole, the client lists the same.
check_partial() {
	local pid p t
	FAMFS_SYSTEM_UUID_FILE=$W/hostB "$FAMFS" mount "$IMG" "$CMNT" >"$W/out" 2>&1 ||
		die "client mount failed"
	pid=$(server_pid "$CMNT")
	tl partial "$W/src.lst" "$MNT/copy$ROUND" "$CMNT/copy$ROUND" "$W/part.lst" ||
		die "after the stop"
	read -r p t <"$W/out"
	unmount "$CMNT" "$pid"
	PRESENT=$((PRESENT + p)) TOTAL=$((TOTAL + t))
	NAMES="$p of $t names"
	if [ "$p" = 0 ]; then count "copy absent after the stop"
	elif [ "$p" = "$t" ]; then count "copy: every name present at the stop"
	else count "copy: some names present at the stop"; fi
}

# cp -a SRC to copyN, unstopped (the restart, or the baseline): it exits 0
# and the copy is exactly the source
copy_exact() {
	"$FAMFS" cp -a "$SRC" "$MNT/copy$ROUND" >"$W/out" 2>&1 || die "$1: cp -a exit $?"
	tl exact "$W/src.lst" "$MNT/copy$ROUND" "$W/copy.lst" ||
		die "$1: the copy is not the source"
}

# wait for the cp (pid $1), at most 60 s: a cp that hangs is a failure
wait_cp() {
	local i
	for ((i = 0; i < 3000; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" && wait "$1"
		cp "$W/cp.log" "$W/out"
		die "cp -a still running 60 s after the start$([ "$KIND" = kill-cli ] || echo ' (or after the server died)')"
	fi
	wait "$1"
} 2>/dev/null	# no "Killed" line from bash

# One stop of cp -a SRC MNT/copyN (the image unmounted before and after),
# then fsck, and the stopped copy checked with the normal server, which is
# left serving MNT (SPID).  Appends what happened to DESC.
stop_once() {
	local r budget delay cpid what done_at bmax
	CUT=
	r=$((RANDOM % 10))
	if [ $r -lt 6 ]; then KIND=fault
	elif [ $r -lt 8 ]; then KIND=kill-server
	else KIND=kill-cli; fi
	# the budget: up to 1.2 times what the copy stores, in half of the
	# rounds weighted to small values (the namespace is made first, the
	# xattrs of regular files, 8 KiB among them, come last)
	budget=$((BYTES_PER_ENTRY * NENT * 6 / 5 + 1))
	if [ $((RANDOM % 2)) = 0 ]; then rand "$budget"; budget=$((R + 1)); fi
	# over a torn tail left: often within the first append's repair of
	# it (the heal of a damaged tail record, the zeroing of garbage)
	if [ "$LEFT" = 1 ] && [ $((RANDOM % 2)) = 0 ]; then budget=600; fi
	rand "$budget"
	budget=$R
	# (sleep(1) itself takes a few ms)
	rand 1000
	delay=$(((MS_PER_KENTRY * NENT * 6 / 10000 + 5) * R / 1000))
	server_start "$KIND" "$budget"
	bmax=$FAMFS_CTL_BATCH_RECORDS
	if [ "${CPA_BATCH:-0}" = 1 ]; then
		bmax=$((RANDOM % 16 + 1))
		count "stopped copies in batches of $(((bmax + 3) / 4 * 4 - 3))..$(((bmax + 3) / 4 * 4)) records"
	fi
	FAMFS_BATCH_MAX=$bmax "$FAMFS" cp -a "$SRC" "$MNT/copy$ROUND" >"$W/cp.log" 2>&1 </dev/null &
	cpid=$!
	case $KIND in
	fault)
		wait_cp "$cpid"
		if [ -s "$W/mark" ]; then
			read -r what done_at _ <"$W/mark"
			CUT="$what after $done_at bytes"
			count "fault: cut in the $what store$([ "$done_at" = 0 ] && echo ' (at its first byte)')"
		else
			count "fault: budget not reached, server killed -9 after the copy"
			kill -9 "$SPID"
		fi
		;;
	kill-server)
		sleep_ms "$delay"
		if kill -0 "$cpid" 2>/dev/null; then count "kill -9 server: during the copy"
		else count "kill -9 server: after the copy"; fi
		kill -9 "$SPID"
		wait_cp "$cpid"
		;;
	kill-cli)
		sleep_ms "$delay"
		if kill -9 "$cpid" 2>/dev/null; then count "kill -9 cp: during the copy"
		else count "kill -9 cp: it had exited"; fi
		wait_cp "$cpid"
		;;
	esac
	unmount "$MNT" "$SPID"
	check_fsck
	server_start normal
	check_partial
	NSTOP=$((NSTOP + 1))
	DESC+=" $KIND $([ "$KIND" = fault ] && echo "N=$budget" || echo "at $delay ms")${CUT:+ cut in $CUT}: $NAMES;"
}

one_round() {
	if [ "$ROUND" = 1 ] || [ $((RANDOM % 5)) = 0 ]; then
		"$FAMFS" mkfs -f -a 4K "$IMG" >"$W/out" 2>&1 || die "mkfs failed"
		count "images made afresh"
	fi
	if [ $((ROUND % SLICE_EVERY)) = 0 ]; then
		make_slice
		source_list
	elif [ -e "$SRC/slice" ]; then
		rm -rf "$SRC/slice"
		source_list
	fi
	LEFT=0 DESC=
	stop_once
	# the restart is stopped too: in one round in four, one in two over a
	# torn tail left
	if [ $((RANDOM % (LEFT ? 2 : 4))) = 0 ]; then
		unmount "$MNT" "$SPID"
		count "rounds stopped twice (a restart stopped too)"
		stop_once
	fi
	KIND=restart CUT=
	b0=$(log_used)
	copy_exact "restart"
	b1=$(log_used)
	"$FAMFS" cp -a "$SRC" "$MNT/copy$ROUND" >"$W/out" 2>&1 || die "cp -a after the restart: exit $?"
	[ "$(log_used)" = "$b1" ] || die "cp -a after the restart logged $(($(log_used) - b1)) bytes (nothing to do)"
	unmount "$MNT" "$SPID"
	if ! "$FAMFS" fsck "$IMG" >"$W/out" 2>&1; then
		# a torn tail left stays only when the restart appended nothing
		if [ "$LEFT" != 1 ] || [ "$b0" != "$b1" ]; then
			die "fsck not clean after the restart"
		fi
		check_fsck repair
	fi
	PASSED=$((PASSED + 1))
	echo "ok $ROUND:${DESC%;}"
}

log_used() { "$FAMFS" status -j "$MNT" | grep -o '"log_used":[0-9]*' | cut -d: -f2; }

# ---------------------------------------------------------------- run
truncate -s 512M "$IMG"
"$FAMFS" mkfs -a 4K "$IMG" >"$W/out" 2>&1 || die "mkfs failed"
T0=$(date +%s)
# the baseline: an unstopped copy with the normal server, measured (how
# long it takes, what it stores)
source_list
server_start normal
b0=$(log_used)
t0=$(now_ms)
"$FAMFS" cp -a "$SRC" "$MNT/copy0" >"$W/out" 2>&1 || die "baseline (no stop): cp -a exit $?"
MS_PER_KENTRY=$((($(now_ms) - t0) * 1000 / NENT + 1))
b1=$(log_used)
tl exact "$W/src.lst" "$MNT/copy0" "$W/copy.lst" ||
	die "baseline (no stop): the copy is not the source"
# the metadata stored: the entries, about 1/5 more for windows and tails
BYTES_PER_ENTRY=$(((b1 - b0) * 6 / 5 / NENT + 1))
# the check of a stopped copy on this whole one, with a client: it passes;
# and against a source listing with one mode changed: it must fail
FAMFS_SYSTEM_UUID_FILE=$W/hostB "$FAMFS" mount "$IMG" "$CMNT" >"$W/out" 2>&1 ||
	die "client mount failed"
pid=$(server_pid "$CMNT")
tl partial "$W/src.lst" "$MNT/copy0" "$CMNT/copy0" "$W/part.lst" ||
	die "baseline (no stop): the check of a stopped copy fails on a whole one"
[ "$(cat "$W/out")" = "$NENT $NENT" ] || die "baseline: $(cat "$W/out") (expected $NENT $NENT)"
sed 's/^synth\/modes\/setuid type=f mode=4755 /synth\/modes\/setuid type=f mode=0755 /' \
	"$W/src.lst" >"$W/neg.lst"
if cmp -s "$W/src.lst" "$W/neg.lst" ||
	tl partial "$W/neg.lst" "$MNT/copy0" "$CMNT/copy0" "$W/part.lst" ||
	! grep -q '^synth/modes/setuid: mode 0755 -> 4755' "$W/out"; then
	die "the check of a stopped copy misses a mode changed on purpose"
fi
unmount "$CMNT" "$pid"
unmount "$MNT" "$SPID"
echo "crash_cpa: $STOPS rounds, seed $SEED (CPA_SEED=$SEED replays), work $W;" \
	"the unstopped copy: $NENT entries, $((MS_PER_KENTRY * NENT / 1000)) ms, $((b1 - b0)) log bytes"
"$FAMFS" fsck "$IMG" >"$W/out" 2>&1 || die "fsck not clean after the baseline copy"
PRESENT=0 TOTAL=0 NSTOP=0
while [ "$ROUND" -lt "$STOPS" ]; do
	ROUND=$((ROUND + 1))
	one_round
done
KIND=end
T1=$(date +%s)
for k in "${!COUNT[@]}"; do
	printf '  %-64s %5d\n' "$k" "${COUNT[$k]}"
done | LC_ALL=C sort
c() { echo "${COUNT[$1]:-0}"; }
cuts=$(for w in entry zero tail heal superblock; do
	n=$(($(c "fault: cut in the $w store") + $(c "fault: cut in the $w store (at its first byte)")))
	[ "$n" -gt 0 ] && printf '%s %d, ' "$w" "$n"
done)
echo "crash_cpa: $ROUND rounds, $NSTOP stops in $((T1 - T0)) s: cut in a store ${cuts%, }," \
	"kill -9 during the copy of the server $(c "kill -9 server: during the copy")" \
	"or the cp $(c "kill -9 cp: during the copy"), after it" \
	"$(($(c "kill -9 server: after the copy") + $(c "kill -9 cp: it had exited") +
		$(c "fault: budget not reached, server killed -9 after the copy")));" \
	"$PRESENT of $TOTAL names present at the stops, each whole; every restart exact"
echo "crash_cpa: $PASSED passed, 0 failed"
