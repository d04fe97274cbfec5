# SPDX-License-Identifier: Apache-2.0
# fuzz: a malicious server.  /bin/famfs-fault (build/famfs-fault) with
# FAMFS_FAULT_FMAP=random:SEED answers every GET_FMAP of a regular file,
# and every GET_DAXDEV after one, with a mutated reply, reproducibly from
# SEED (server/server_fault.c; tests/vm/README.md, "The fault server's
# random mode").  For famfs.fuzz=SECONDS (the runner's FUZZ_VM_SECONDS) this
# scenario mounts with a new seed (famfs.fuzzseed + round) per round, and
# in each round makes 3 passes of famstress "fuzzpass" over 12 files
# (open, read(2), map and load every page; read-only: an accepted map may
# point anywhere on the device) with drop_caches between passes, so that
# every pass asks for the maps again (a map is kept until its inode is
# evicted).  The kernel may refuse a map (the open fails) or accept it
# (then it must be inside the device); anything else is for the console
# check of tests/vm/run.sh (no BUG, WARNING, KASAN, lockdep report).
# The iterations are the server's own counts of GET_FMAP and GET_DAXDEV
# replies (status "fmaps", "daxdevs", read before each umount).  Fails if
# no open was refused (a famfs-fault that does not corrupt: about 7 in 8
# random replies are mutated, many of them into maps the kernel must
# refuse), or if a plain mount does not read every file back afterwards.
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
: >/tmp/fuzz.passes
: >/tmp/fuzz.klog
fmaps=0 daxdevs=0
dmesg -c >/dev/null
start=$(cut -d. -f1 /proc/uptime)
end=$((start + secs))
rounds=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	s=$((seed + rounds))
	FAMFS_FAULT_FMAP=random:$s run $FF mount "$PMEM" /mnt
	p=0
	while [ $p -lt 3 ]; do
		# shellcheck disable=SC2086
		o=$(famstress fuzzpass $paths 2>&1) || die "seed $s: famstress fuzzpass: $(echo "$o" | tr '\n' ';')"
		echo "$o" >>/tmp/fuzz.passes
		echo 3 >/proc/sys/vm/drop_caches
		p=$((p + 1))
	done
	st=$(status /mnt) || exit 1
	fmaps=$((fmaps + $(json_get fmaps "$st")))
	daxdevs=$((daxdevs + $(json_get daxdevs "$st")))
	unmount /mnt
	rounds=$((rounds + 1))
	dmesg -c | grep -a -E 'famfs|fmap' >>/tmp/fuzz.klog
	[ $((rounds % 10)) != 1 ] ||
		say "round $rounds (seed $s): $(tail -n 1 /tmp/fuzz.passes); so far $fmaps GET_FMAP and $daxdevs GET_DAXDEV replies"
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
passes=$(wc -l </tmp/fuzz.passes)
refused=$(($(sum opens) - $(sum open_ok)))
echo "FUZZ-COUNTS seconds=$elapsed minutes=$(awk -v s="$elapsed" 'BEGIN { printf "%.1f", s / 60 }') rounds=$rounds passes=$passes" \
	"opens=$(sum opens) open_ok=$(sum open_ok) open_errno=${errnos:--}" \
	"reads=$(sum reads) read_err=$(sum read_err) faults=$(sum faults) sigbus=$(sum sigbus)" \
	"get_fmap=$fmaps get_daxdev=$daxdevs"
say "kernel: $(wc -l </tmp/fuzz.klog 2>/dev/null || echo 0) famfs lines (rate-limited), e.g. $(sort /tmp/fuzz.klog 2>/dev/null | uniq -c | sort -rn | head -n 3 | tr -s ' ' | tr '\n' ';')"
[ "$refused" -gt 0 ] ||
	die "no open was refused in $fmaps GET_FMAP replies of $rounds rounds: famfs-fault did not corrupt them (does it have FAMFS_FAULT_FMAP=random:SEED?)"

# --- the device is as it was: a plain mount reads every file back -------
run famfs mount "$PMEM" /mnt
n=1
for f in $FILES; do
	run famfs verify -S $n -f /mnt/$f
	n=$((n + 1))
done
say "after $rounds rounds of fuzz: a plain mount verifies all 12 files"
unmount /mnt
