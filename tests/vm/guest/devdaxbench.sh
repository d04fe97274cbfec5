# SPDX-License-Identifier: Apache-2.0
# devdaxbench: figures, not checks (tests/vm/run.sh devdaxbench, run by
# bench/vm.sh devdax; not in the default scenario list).  One guest, one
# 2 GiB memmap= region:
#   ext2 -o dax   mke2fs on /dev/pmem0, a 1 GiB file written by dd, the
#                 eight membench modes once (the kernel's fs-dax on pmem)
# then the region becomes /dev/dax0.0 (devdax_setup, lib.sh), "famfs
# mkfs -M" binds it to fsdev_dax and a 1 GiB file is made (one extent at
# offset OFF), one unrecorded raw pass writes that memory, and N rounds
# (default 5) each measure, in
# alternating order (N = famfs.benchrounds on the kernel command line,
# which bench/vm.sh sets from its BENCH_ROUNDS):
#   raw           /dev/dax0.0 bound to device_dax again, membench's four
#                 mmap modes on the character device at OFF: the same
#                 memory as the file, with no file system (device_dax has
#                 no read/write, and no fsync: its write modes have no
#                 msync)
#   famfs         "famfs mount -M" (back to fsdev_dax), all eight modes on
#                 the file, unmounted after
# The page cache is dropped before every measurement.  Prints markdown
# tables (medians over the rounds, famfs / raw and famfs / ext2) between
# "FAMFS-VM: BENCH-BEGIN" and "FAMFS-VM: BENCH-END".  BENCH_SIZE,
# BENCH_OPS, BENCH_ROUNDS and MEMBENCH_MAX_SECS can be set for
# development.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
grep -q 'famfs.expect=dax' /proc/cmdline ||
	die "devdaxbench needs a kernel with CONFIG_FUSE_FAMFS_DAX=y"
SIZE=${BENCH_SIZE:-1G}
OPS=${BENCH_OPS:-32768}
# famfs.benchrounds=N on the kernel command line (bench/vm.sh's BENCH_ROUNDS)
ROUNDS=$(sed -n 's/.*famfs\.benchrounds=\([0-9]*\).*/\1/p' /proc/cmdline)
ROUNDS=${ROUNDS:-${BENCH_ROUNDS:-5}}
export MEMBENCH_MAX_SECS=${MEMBENCH_MAX_SECS:-5}
MODES="mmap-seq-read mmap-seq-write mmap-rand-read mmap-rand-write rw-seq-read rw-seq-write rw-rand-read rw-rand-write"
MMAP_MODES="mmap-seq-read mmap-seq-write mmap-rand-read mmap-rand-write"
# the faults alone: one load or store per 2 MiB (raw and famfs only)
TOUCH_MODES="mmap-touch-read mmap-touch-write"
RES=/tmp/bench.res
: >"$RES"
wait_pmem

bench_ext2

devdax_setup
run famfs mkfs -M "$DAXDEV"
expect_eq "driver of $DAXNAME after mkfs -M" "$(dax_driver "$DAXNAME")" fsdev_dax
run famfs mount "$DAXDEV" /mnt
run famfs creat -s "$SIZE" /mnt/f
ext=$(extents /mnt/f) || exit 1
expect_eq "extents of /mnt/f" "$(echo "$ext" | wc -l)" 1
OFF=$(first_offset /mnt/f) || exit 1
s=$(status /mnt) || exit 1
DP=$(json_get data_path "$s")
say "famfs on $DAXDEV: data_path $DP, /mnt/f at offset $OFF, statx $(daxcheck statx /mnt/f)"
unmount /mnt

# to_device_dax: rebind the device from fsdev_dax to device_dax (after
# an even round it is there already).
to_device_dax() {
	[ "$(dax_driver "$DAXNAME")" = device_dax ] && return 0
	echo "$DAXNAME" >/sys/bus/dax/drivers/fsdev_dax/unbind ||
		die "unbind $DAXNAME from fsdev_dax failed"
	echo "$DAXNAME" >/sys/bus/dax/drivers/device_dax/bind ||
		die "bind $DAXNAME to device_dax failed"
	expect_eq "driver of $DAXNAME" "$(dax_driver "$DAXNAME")" device_dax
}

bench_raw() {
	to_device_dax
	export MEMBENCH_OFFSET="$OFF"
	bench_measure raw "$DAXDEV" "$MMAP_MODES $TOUCH_MODES"
	unset MEMBENCH_OFFSET
}

bench_famfs() {
	run famfs mount -M "$DAXDEV" /mnt
	expect_eq "driver of $DAXNAME after mount -M" "$(dax_driver "$DAXNAME")" fsdev_dax
	_s=$(status /mnt) || exit 1
	expect_eq data_path "$(json_get data_path "$_s")" dax
	SRV=$(json_get pid "$_s")
	bench_measure famfs /mnt/f "$MODES $TOUCH_MODES"
	SRV=
	_s=$(status /mnt) || exit 1
	say "famfs round $r: server reads $(json_get reads "$_s"), writes $(json_get writes "$_s"), fmaps $(json_get fmaps "$_s")"
	unmount /mnt
}

# One unrecorded pass that writes the file's memory through the raw
# device: QEMU allocates guest RAM on the host at first touch, which
# must not land in round 1.
to_device_dax
_o=$(MEMBENCH_OFFSET="$OFF" membench "$DAXDEV" "$SIZE" mmap-seq-write 2>&1) ||
	die "membench $DAXDEV warm-up: $_o"
say "warm-up (not recorded): raw $_o"

r=1
while [ $r -le "$ROUNDS" ]; do
	if [ $((r % 2)) = 1 ]; then
		bench_raw
		bench_famfs
	else
		bench_famfs
		bench_raw
	fi
	r=$((r + 1))
done

bench_rows >/tmp/bench.rows
echo "FAMFS-VM: BENCH-BEGIN"
# The tables: MB/s (10^6 bytes/s), medians over the rounds; "*" = some
# round stopped at MEMBENCH_MAX_SECS.  Ratios: of the medians, and the
# min-max of the per-round ratios (round k of raw with round k of famfs).
awk -v size="$SIZE" -v ops="$OPS" -v dp="$DP" -v maxs="$MEMBENCH_MAX_SECS" \
	-v rounds="$ROUNDS" -v dev="$DAXDEV" -v off="$OFF" '
function num(x) { return x < 1 ? sprintf("%.2f", x) : x < 10 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function rat(x) { return sprintf("%.2f", x) }
# sorted copy of arr[k, 1..n] into s[1..n]; returns n
function sorted(arr, k, n, i, j, x) {
	for (i = 1; i <= n; i++) s[i] = arr[k, i]
	for (i = 2; i <= n; i++) { x = s[i]; for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]; s[j + 1] = x }
	return n
}
function med(arr, k, n) { n = sorted(arr, k, n); return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
function span(arr, k, n) { n = sorted(arr, k, n); return num(s[1]) "-" num(s[n]) }
function cell(t, m, k) { k = t SUBSEP m; if (!(k in cnt)) return "-"; return num(med(v, k, cnt[k])) (capd[k] ? "*" : "") (cnt[k] > 1 ? " (" span(v, k, cnt[k]) ")" : "") }
# per-round ratios famfs / raw of array arr into pr[]; returns the count
function rounds_ratio(arr, m, n, i, a, b) {
	a = "famfs" SUBSEP m; b = "raw" SUBSEP m
	n = cnt[a] < cnt[b] ? cnt[a] : cnt[b]
	for (i = 1; i <= n; i++) pr[m, i] = arr[b, i] > 0 ? arr[a, i] / arr[b, i] : 0
	return n
}
function ratio_cell(arr, m, n, a, b) {
	a = "famfs" SUBSEP m; b = "raw" SUBSEP m
	if (!(a in cnt) || !(b in cnt)) return "-"
	n = rounds_ratio(arr, m)
	sorted(pr, m, n)
	lo = s[1]; hi = s[n]
	return rat(med(arr, a, cnt[a]) / med(arr, b, cnt[b])) " (" rat(lo) "-" rat(hi) ")"
}
NR == FNR { what[$1] = substr($0, length($1) + 2); next }
{
	k = $1 SUBSEP $2; i = ++cnt[k]
	v[k, i] = $3; if ($4 == "1") capd[k] = 1
	per = $2 ~ /-seq-/ ? 1048576 : 4096
	sw[k, i] = $5 > 0 ? $6 / ($5 / per) : 0
	sy[k, i] = $7
	nx[k, i] = $8 - $7 > 0 ? $5 / ($8 - $7) / 1e6 : 0
	fl[k, i] = $9
	pf[k, i] = $9 > 0 ? ($8 - $7) / $9 * 1e6 : 0
	if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
}
END {
	printf "| MB/s, %s, %s random ops; median (min-max) of %s rounds | raw %s, device_dax | famfs on %s, fsdev_dax | famfs / raw (per-round min-max) | ext2 -o dax on pmem, 1 pass | famfs / ext2 |\n", size, ops, rounds, dev, dev
	print "|---|---:|---:|---:|---:|---:|"
	for (i = 0; i < n; i++) {
		m = order[i]; f = "famfs" SUBSEP m; e = "ext2" SUBSEP m
		if (m ~ /-touch-/) continue
		raw = m ~ /^rw-/ ? "n/a: no read/write" : cell("raw", m)
		fe = (f in cnt) && (e in cnt) && v[e, 1] > 0 ? rat(med(v, f, cnt[f]) / v[e, 1]) : "-"
		printf "| %s | %s | %s | %s | %s | %s |\n", what[m], raw, cell("famfs", m), ratio_cell(v, m), cell("ext2", m), fe
	}
	printf "\n| famfs on %s, medians | msync/fsync s | MB/s without it | raw MB/s (no msync) | famfs / raw without it (per-round min-max) | page faults famfs / raw / ext2 | server context switches per op |\n", dev
	print "|---|---:|---:|---:|---:|---:|---:|"
	for (i = 0; i < n; i++) {
		m = order[i]; f = "famfs" SUBSEP m; r = "raw" SUBSEP m
		if (!(f in cnt) || m ~ /-touch-/) continue
		w = m ~ /write/
		e = "ext2" SUBSEP m
		fs = med(fl, f, cnt[f]) " / " ((r in cnt) ? med(fl, r, cnt[r]) : "-") " / " ((e in cnt) ? fl[e, 1] : "-")
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", what[m], w ? sprintf("%.3f", med(sy, f, cnt[f])) : "-", w ? num(med(nx, f, cnt[f])) : "-", w && (r in cnt) ? num(med(v, r, cnt[r])) : "-", w && (r in cnt) ? ratio_cell(nx, m) : "-", fs, sprintf("%.2f", med(sw, f, cnt[f]))
	}
	printf "\n| the faults alone: 1 GiB mapped, one 64-bit access per 2 MiB; medians | page faults famfs / raw | raw us per fault | famfs us per fault (without its msync) | famfs - raw us |\n"
	print "|---|---:|---:|---:|---:|"
	for (i = 0; i < n; i++) {
		m = order[i]; f = "famfs" SUBSEP m; r = "raw" SUBSEP m
		if (m !~ /-touch-/ || !(f in cnt) || !(r in cnt)) continue
		a = med(pf, f, cnt[f]); b = med(pf, r, cnt[r])
		printf "| %s | %s / %s | %.1f | %.1f | %.1f |\n", what[m], med(fl, f, cnt[f]), med(fl, r, cnt[r]), b, a, a - b
	}
	printf "\nfamfs data path: %s; the file is one extent at offset %d of %s, and raw maps %s of %s at that offset.  device_dax has no read(2)/write(2) and no fsync (msync fails with EINVAL), so raw has mmap rows only and its write rows end without msync.  * = some round stopped after %s s.\n", dp, off, dev, size, dev, maxs
}' /tmp/bench.rows "$RES"
echo "FAMFS-VM: BENCH-END"
