# SPDX-License-Identifier: Apache-2.0
# multibench: figures, not checks (tests/vm/run.sh multibench, run by
# bench/vm.sh multi; not in the default list).  Two 1 GiB pmem regions
# (/dev/pmem0, /dev/pmem1).  Sequential read bandwidth of one file size
# (BENCH_SIZE, default 384M: two fit on one 1 GiB device) laid out three
# ways:
#   one device   famfs on /dev/pmem0 alone: a contiguous file, and a file
#                interleaved -N 2 -C 2M within that device
#   two devices  famfs over /dev/pmem0 + /dev/pmem1 (mkfs -f): a file
#                interleaved -N 2 -C 2M, one strip on each device
# membench (guest/membench.c) mmap-seq-read and rw-seq-read, page cache
# dropped before each run; the median is reported, with the min and max.
# Both data paths: the mount's own (dax on a famfs kernel; BENCH_REPS
# runs, default 5, each bounded by MEMBENCH_MAX_SECS, default 5) and
# -m fallback (the server's reads; BENCH_FB_REPS runs, default 3, bounded
# by BENCH_FB_SECS, default 3: the figure is from the part read).  Prints a
# markdown table between "FAMFS-VM: BENCH-BEGIN" and "FAMFS-VM: BENCH-END".

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

# one_run LAYOUT FILE MODE DATA_PATH: one membench run, recorded.
one_run() {
	sync
	echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
	_o=$(membench "$2" "$SIZE" "$3" 2>&1) || die "membench $2 $3: $_o"
	echo "$4 $3 $1 $(kv mbps "$_o") $(kv capped "$_o")" >>"$RES"
	say "$1 ($4) $_o"
}

# measure_all "LAYOUT:FILE:DEVS ...": the files of the mounted famfs, on
# its own data path and then remounted -m fallback.  DEVS is what each
# map must use ("0" or "0,1").  Rounds alternate between the files so
# that a slow spell of the shared host hits all of them; one unrecorded
# pass over each file first (the first pass after boot is slower).
measure_all() {
	for _x in $1; do
		_f=$(echo "$_x" | cut -d: -f2)
		expect_eq "devices of $_f" "$(devs_of "$_f" | tr ' ' ,)" "$(echo "$_x" | cut -d: -f3)"
	done
	for _path in default fallback; do
		_reps=$REPS
		if [ $_path = fallback ]; then
			unmount /mnt
			run famfs mount -m fallback "$PMEM" /mnt
			_reps=$FB_REPS
			export MEMBENCH_MAX_SECS=$FB_SECS
		fi
		_dp=$(json_get data_path "$(status /mnt)")
		for _x in $1; do
			membench "$(echo "$_x" | cut -d: -f2)" "$SIZE" mmap-seq-read >/dev/null 2>&1
		done
		_r=0
		while [ $_r -lt "$_reps" ]; do
			for _m in mmap-seq-read rw-seq-read; do
				for _x in $1; do
					one_run "${_x%%:*}" "$(echo "$_x" | cut -d: -f2)" $_m "$_dp"
				done
			done
			_r=$((_r + 1))
		done
		export MEMBENCH_MAX_SECS=$MAX_SECS
	done
	unmount /mnt
}

run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt
run famfs creat -s "$SIZE" /mnt/one
run famfs creat -N 2 -C 2M -s "$SIZE" /mnt/one2
measure_all "one:/mnt/one:0 one2:/mnt/one2:0"

run famfs mkfs -f "$PMEM" "$PMEM1"
run famfs mount "$PMEM" /mnt
run famfs creat -N 2 -C 2M -s "$SIZE" /mnt/two
run famfs getmap /mnt/two
measure_all "two:/mnt/two:0,1"

echo "FAMFS-VM: BENCH-BEGIN"
sort "$RES" | awk -v size="$SIZE" -v reps="$REPS" -v fbreps="$FB_REPS" -v maxs="$MAX_SECS" -v fbsecs="$FB_SECS" '
function num(x) { return x < 10 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function med(k,   n, i, j, t, a) {
	n = cnt[k]
	for (i = 1; i <= n; i++) a[i] = val[k, i]
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	lo[k] = a[1]; hi[k] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function cell(k) { return (k in cnt) ? num(m[k]) " (" num(lo[k]) "-" num(hi[k]) ")" (cap[k] ? "*" : "") : "-" }
function ratio(a, b) { return (a in cnt) && (b in cnt) && m[b] > 0 ? sprintf("%.2f", m[a] / m[b]) : "-" }
{ k = $1 SUBSEP $2 SUBSEP $3; cnt[k]++; val[k, cnt[k]] = $4; if ($5 == "1") cap[k] = 1; if (!($1 SUBSEP $2 in seen)) { seen[$1 SUBSEP $2] = 1; rows[nr++] = $1 SUBSEP $2 } }
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
