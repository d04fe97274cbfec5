# SPDX-License-Identifier: Apache-2.0
# bench: figures, not checks (tests/vm/run.sh bench, run by bench/vm.sh;
# not in the default scenario list).  One guest, one after the other on
# /dev/pmem0:
#   anon            private anonymous memory (the limit)
#   famfs DAX       famfs mkfs + mount (data path dax), a 1 GiB file
#   famfs fallback  the same file system remounted with -m fallback
#   ext2 -o dax     mke2fs over the same device, a 1 GiB file written by dd
# and for each, membench (guest/membench.c) in eight modes.  The page
# cache is dropped before every measurement (no effect on DAX; for the
# fallback mount the reads go to the server).  Prints markdown tables
# (MB/s with ratios; the famfs server's context switches per operation)
# between "FAMFS-VM: BENCH-BEGIN" and "FAMFS-VM: BENCH-END".
# BENCH_SIZE (default 1G), BENCH_OPS (random ops, default 32768) and
# MEMBENCH_MAX_SECS (default 5) can be set for development.  The
# helpers (bench_measure, bench_csw, bench_mib) are in lib.sh.

export FAMFS_SYSTEM_UUID_FILE="$HOST_A"
SIZE=${BENCH_SIZE:-1G}
OPS=${BENCH_OPS:-32768}
export MEMBENCH_MAX_SECS=${MEMBENCH_MAX_SECS:-5}
MODES="mmap-seq-read mmap-seq-write mmap-rand-read mmap-rand-write rw-seq-read rw-seq-write rw-rand-read rw-rand-write"
RES=/tmp/bench.res
: >"$RES"
wait_pmem

bench_measure anon anon

run famfs mkfs "$PMEM"
run famfs mount "$PMEM" /mnt
run famfs creat -s "$SIZE" /mnt/f
s=$(status /mnt) || exit 1
DP=$(json_get data_path "$s")
say "famfs mounted, data_path $DP, statx $(daxcheck statx /mnt/f)"
SRV=$(json_get pid "$s")
bench_measure famfs /mnt/f
SRV=
s=$(status /mnt) || exit 1
say "famfs DAX after all modes: server reads $(json_get reads "$s"), writes $(json_get writes "$s"), fmaps $(json_get fmaps "$s")"
unmount /mnt

run famfs mount --data-path fallback "$PMEM" /mnt
s=$(status /mnt) || exit 1
say "famfs remounted, data_path $(json_get data_path "$s"), statx $(daxcheck statx /mnt/f)"
SRV=$(json_get pid "$s")
bench_measure fallback /mnt/f
SRV=
s=$(status /mnt) || exit 1
say "famfs fallback after all modes: server reads $(json_get reads "$s"), writes $(json_get writes "$s")"
unmount /mnt

bench_ext2

# The table: MB/s (10^6 bytes/s); "*" = stopped at MEMBENCH_MAX_SECS.
bench_rows >/tmp/bench.rows
echo "FAMFS-VM: BENCH-BEGIN"
awk -v size="$SIZE" -v ops="$OPS" -v dp="$DP" -v maxs="$MEMBENCH_MAX_SECS" '
function num(x) { return x < 1 ? sprintf("%.2f", x) : x < 10 ? sprintf("%.1f", x) : sprintf("%.0f", x) }
function cell(t, m) { return (t SUBSEP m) in v ? num(v[t, m]) (c[t, m] == "1" ? "*" : "") : "-" }
function ratio(a, b, m, r) { if (!(v[b, m] > 0)) return "-"; r = v[a, m] / v[b, m]; return r < 100 ? sprintf("%.2f", r) : sprintf("%.0f", r) }
NR == FNR { what[$1] = substr($0, length($1) + 2); next }
{ v[$1, $2] = $3; c[$1, $2] = $4; ops[$1, $2] = $5 / ($2 ~ /-seq-/ ? 1048576 : 4096); sw[$1, $2] = $6; if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
END {
	printf "| MB/s, %s file, %s random ops | anon | famfs DAX | ext2 -o dax | famfs fallback | famfs/ext2 | DAX/fallback |\n", size, ops
	print "|---|---:|---:|---:|---:|---:|---:|"
	for (i = 0; i < n; i++) {
		m = order[i]
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", what[m], cell("anon", m), cell("famfs", m), cell("ext2", m), cell("fallback", m), ratio("famfs", "ext2", m), ratio("famfs", "fallback", m)
	}
	printf "\n| famfs server context switches per operation | famfs DAX | famfs fallback |\n|---|---:|---:|\n"
	for (i = 0; i < n; i++) {
		m = order[i]
		printf "| %s | %s | %s |\n", what[m], ops["famfs", m] ? sprintf("%.2f", sw["famfs", m] / ops["famfs", m]) : "-", ops["fallback", m] ? sprintf("%.2f", sw["fallback", m] / ops["fallback", m]) : "-"
	}
	printf "\nfamfs data path: %s.  anon read/write rows: memcpy to/from a 1 MiB (4 KiB) buffer.  * = stopped after %s s.\n", dp, maxs
}' /tmp/bench.rows "$RES"
echo "FAMFS-VM: BENCH-END"
