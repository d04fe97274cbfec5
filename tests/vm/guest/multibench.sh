# SPDX-License-Identifier: Apache-2.0
# multibench: figures, not checks (tests/vm/run.sh multibench, run by
# bench/vm.sh multi; not in the default list).  Three 1 GiB pmem regions
# (/dev/pmem0, /dev/pmem1, /dev/pmem2) and two famfs mounted at once:
#   /mnt   famfs over /dev/pmem0 + /dev/pmem1: "two", a file interleaved
#          -N 2 -C 2M with one strip on each device
#   /mnt2  famfs on /dev/pmem2 alone: "one", a contiguous file, and
#          "one2", a file interleaved -N 2 -C 2M within that one device
# all of one size (BENCH_SIZE, default 384M: two fit on one 1 GiB device),
# so that every round measures all three files one after the other.
# Sequential read bandwidth with membench (guest/membench.c) mmap-seq-read
# and rw-seq-read, the page cache dropped before each run; the median is
# reported, with the min and max.  Both data paths: the mounts' own (dax
# on a famfs kernel; BENCH_REPS rounds, default 5, each run bounded by
# MEMBENCH_MAX_SECS, default 5) and -m fallback (the servers' reads;
# BENCH_FB_REPS rounds, default 3, bounded by BENCH_FB_SECS, default 3:
# the figure is from the part read).  Prints a markdown table between
# "FAMFS-VM: BENCH-BEGIN" and "FAMFS-VM: BENCH-END".

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
SIZE=${BENCH_SIZE:-384M}
REPS=${BENCH_REPS:-5}
FB_REPS=${BENCH_FB_REPS:-3}
MAX_SECS=${MEMBENCH_MAX_SECS:-5}
FB_SECS=${BENCH_FB_SECS:-3}
export MEMBENCH_MAX_SECS=$MAX_SECS
RES=/tmp/multibench.res
: >"$RES"
two_regions 4294967296
wait_pmem /dev/pmem2
pmem_at /dev/pmem2 6442450944 1073741824

# one_run LAYOUT FILE MODE DATA_PATH: one membench run, recorded.
one_run() {
	sync
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	_o=$(membench "$2" "$SIZE" "$3" 2>&1) || die "membench $2 $3: $_o"
	echo "$4 $3 $1 $(kv mbps "$_o") $(kv capped "$_o")" >>"$RES"
	say "$1 ($4) $_o"
}

# mount_both [-m fallback]: the two-device famfs on /mnt, the one-device
# famfs on /mnt2; DP = their data path (the same for both).
mount_both() {
	run famfs mount "$@" "$PMEM" /mnt
	run famfs mount "$@" /dev/pmem2 /mnt2
	DP=$(json_get data_path "$(status /mnt)")
	expect_eq "data path of /mnt2" "$(json_get data_path "$(status /mnt2)")" "$DP"
}

# measure_all "LAYOUT:FILE:DEVS ...": the files, on the mounts' own data
# path (mounted by the caller) and then remounted -m fallback.  DEVS is what each map must use
# ("0" or "0,1").  Every round measures every file, one after the other,
# so that a slow spell of the shared host hits all of them; one
# unrecorded pass over each file first (the first pass after boot is
# slower).
measure_all() {
	for _x in $1; do
		_f=$(echo "$_x" | cut -d: -f2)
		expect_eq "devices of $_f" "$(devs_of "$_f" | tr ' ' ,)" "$(echo "$_x" | cut -d: -f3)"
	done
	for _path in default fallback; do
		_reps=$REPS
		if [ $_path = fallback ]; then
			unmount /mnt
			unmount /mnt2
			mount_both -m fallback
			_reps=$FB_REPS
			export MEMBENCH_MAX_SECS=$FB_SECS
		fi
		for _x in $1; do
			membench "$(echo "$_x" | cut -d: -f2)" "$SIZE" mmap-seq-read >/dev/null 2>&1
		done
		_r=0
		while [ $_r -lt "$_reps" ]; do
			for _m in mmap-seq-read rw-seq-read; do
				for _x in $1; do
					one_run "${_x%%:*}" "$(echo "$_x" | cut -d: -f2)" $_m "$DP"
				done
			done
			_r=$((_r + 1))
		done
		export MEMBENCH_MAX_SECS=$MAX_SECS
	done
	unmount /mnt
	unmount /mnt2
}

run famfs mkfs "$PMEM" "$PMEM1"
run famfs mkfs /dev/pmem2
mount_both
run famfs creat -N 2 -C 2M -s "$SIZE" /mnt/two
run famfs creat -s "$SIZE" /mnt2/one
run famfs creat -N 2 -C 2M -s "$SIZE" /mnt2/one2
run famfs getmap /mnt/two /mnt2/one /mnt2/one2
measure_all "one:/mnt2/one:0 one2:/mnt2/one2:0 two:/mnt/two:0,1"

echo "FAMFS-VM: BENCH-BEGIN"
sort "$RES" | awk -v size="$SIZE" -v reps="$REPS" -v fbreps="$FB_REPS" -v maxs="$MAX_SECS" -v fbsecs="$FB_SECS" '
function num(x) { x += 0; return x < 10 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function med(k,   n, i, j, t, a) {
	n = cnt[k]
	for (i = 1; i <= n; i++) a[i] = val[k, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	lo[k] = a[1]; hi[k] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function cell(k) { return (k in cnt) ? num(m[k]) " (" num(lo[k]) "-" num(hi[k]) ")" (cap[k] ? "*" : "") : "-" }
function ratio(a, b) { return (a in cnt) && (b in cnt) && m[b] > 0 ? sprintf("%.2f", m[a] / m[b]) : "-" }
{ k = $1 SUBSEP $2 SUBSEP $3; cnt[k]++; val[k, cnt[k]] = $4 + 0; if ($5 == "1") cap[k] = 1; if (!($1 SUBSEP $2 in seen)) { seen[$1 SUBSEP $2] = 1; rows[nr++] = $1 SUBSEP $2 } }
END {
	for (k in cnt) m[k] = med(k)
	what["mmap-seq-read"] = "mmap sequential read (64-bit loads)"
	what["rw-seq-read"] = "read(2) 1 MiB sequential"
	printf "| MB/s, %s file, median (min-max) | one device, contiguous | one device, -N 2 -C 2M | two devices, -N 2 -C 2M | two / one contiguous | two / one -N 2 |\n", size, reps
	print "|---|---:|---:|---:|---:|---:|"
	for (i = 0; i < nr; i++) {
		split(rows[i], p, SUBSEP)
		a = rows[i] SUBSEP "one"; b = rows[i] SUBSEP "one2"; c = rows[i] SUBSEP "two"
		printf "| %s, data path %s | %s | %s | %s | %s | %s |\n", what[p[2]], p[1], cell(a), cell(b), cell(c), ratio(c, a), ratio(c, b)
	}
	printf "\nMedian of %s runs on the first data path, %s with -m fallback.  * = a run stopped at its bound (%s s; %s s for fallback); its figure is from the part done.\n", reps, fbreps, maxs, fbsecs
}'
echo "FAMFS-VM: BENCH-END"
