# SPDX-License-Identifier: Apache-2.0
# fuzz: a malicious server.  /bin/famfs-fault (build/famfs-fault) with
# FAMFS_FAULT_FMAP=random:SEED answers every GET_FMAP of a regular file,
# and every GET_DAXDEV after one, with a random or mutated reply; with
# FAMFS_FAULT_LOG=FILE it appends one line per reply it sent that way
# (the interface is in tests/vm/README.md, "The fault server's random
# mode").  For famfs.fuzz=SECONDS (the runner's FUZZ_VM_SECONDS) this
# scenario mounts with a new seed (famfs.fuzzseed + round) per round, and
# in each round makes 3 passes of famstress "fuzzpass" over 12 files
# (open, read(2), map and load every page; read-only: an accepted map may
# point anywhere on the device) with drop_caches between passes, so that
# every pass asks for the maps again (a map is kept until its inode is
# evicted).  The kernel may refuse a map (the open fails) or accept it
# (then it must be inside the device); anything else is for the console
# check of tests/vm/run.sh (no BUG, WARNING, KASAN, lockdep report).
# Fails if the server corrupted no reply (a famfs-fault without the random
# mode), or if a plain mount does not read every file back afterwards.
# Prints "FUZZ-COUNTS ..." for the runner's summary.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
FF=/bin/famfs-fault
[ -x $FF ] || die "$FF is not in the initramfs (make build/famfs-fault)"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "fuzz needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
command -v famstress >/dev/null || die "famstress is not in the initramfs"
secs=$(sed -n 's/.*famfs\.fuzz=\([0-9]*\).*/\1/p' /proc/cmdline)
seed=$(sed -n 's/.*famfs\.fuzzseed=\([0-9]*\).*/\1/p' /proc/cmdline)
secs=${secs:-60} seed=${seed:-1}
wait_pmem

# --- the files: contiguous and interleaved, several sizes ---------------
run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt
run famfs creat -M /mnt/c0,4K,1 -M /mnt/c1,64K,2 -M /mnt/c2,2M,3 \
	-M /mnt/c3,4M,4 -M /mnt/c4,6M,5 -M /mnt/c5,8M,6
run famfs creat -N 2 -C 2M -M /mnt/i0,4M,7 -M /mnt/i1,8M,8
run famfs creat -N 4 -C 2M -M /mnt/i2,8M,9 -M /mnt/i3,16M,10
run famfs creat -N 3 -C 4M -M /mnt/i4,12M,11 -M /mnt/i5,20M,12
FILES="c0 c1 c2 c3 c4 c5 i0 i1 i2 i3 i4 i5"
paths=
for f in $FILES; do paths="$paths /mnt/$f"; done
unmount /mnt
say "12 files (6 contiguous, 6 interleaved over 2-4 strips); fuzzing for $secs s from seed $seed"

# --- the rounds -----------------------------------------------------------
LOG=/tmp/fault.log
: >$LOG
: >/tmp/fuzz.passes
start=$(cut -d. -f1 /proc/uptime)
end=$((start + secs))
rounds=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	s=$((seed + rounds))
	FAMFS_FAULT_FMAP=random:$s FAMFS_FAULT_LOG=$LOG run $FF mount "$PMEM" /mnt
	p=0
	while [ $p -lt 3 ]; do
		# shellcheck disable=SC2086
		o=$(famstress fuzzpass $paths 2>&1) || die "seed $s: famstress fuzzpass: $(echo "$o" | tr '\n' ';')"
		echo "$o" >>/tmp/fuzz.passes
		echo 3 >/proc/sys/vm/drop_caches
		p=$((p + 1))
	done
	unmount /mnt
	rounds=$((rounds + 1))
	[ $((rounds % 10)) != 1 ] ||
		say "round $rounds (seed $s): $(tail -n 1 /tmp/fuzz.passes); replies corrupted so far: $(grep -c '^fmap' $LOG) GET_FMAP, $(grep -c '^daxdev' $LOG) GET_DAXDEV"
done
elapsed=$(($(cut -d. -f1 /proc/uptime) - start))

# --- counts ---------------------------------------------------------------
# sum KEY: the total of KEY=N over all passes
sum() {
	awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) s += a[2] } }
		END { print s + 0 }' /tmp/fuzz.passes
}
errnos=$(sed -n 's/.*open_errno=\([^ ]*\).*/\1/p' /tmp/fuzz.passes | tr ',' '\n' | grep -v '^-$' |
	awk -F: '{ n[$1] += $2 } END { for (e in n) printf "%s:%d,", e, n[e] }' | sed 's/,$//')
fm=$(grep -c '^fmap' $LOG)
dx=$(grep -c '^daxdev' $LOG)
kinds=$(awk '{ n[$1 "/" $2]++ } END { for (k in n) printf "%s:%d,", k, n[k] }' $LOG | sed 's/,$//')
passes=$(wc -l </tmp/fuzz.passes)
echo "FUZZ-COUNTS seconds=$elapsed minutes=$(awk -v s="$elapsed" 'BEGIN { printf "%.1f", s / 60 }') rounds=$rounds passes=$passes" \
	"opens=$(sum opens) open_ok=$(sum open_ok) open_errno=${errnos:--}" \
	"reads=$(sum reads) read_err=$(sum read_err) faults=$(sum faults) sigbus=$(sum sigbus)" \
	"corrupted_fmap=$fm corrupted_daxdev=$dx"
say "reply kinds: ${kinds:-none}"
[ "$fm" -gt 0 ] ||
	die "famfs-fault corrupted no GET_FMAP reply in $rounds rounds: it has no random mode (FAMFS_FAULT_FMAP=random:SEED with FAMFS_FAULT_LOG, tests/vm/README.md)"

# --- the device is as it was: a plain mount reads every file back -------
run famfs mount "$PMEM" /mnt
n=1
for f in $FILES; do
	run famfs verify -S $n -f /mnt/$f
	n=$((n + 1))
done
say "after $rounds rounds of fuzz: a plain mount verifies all 12 files"
unmount /mnt
