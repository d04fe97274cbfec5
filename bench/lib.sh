# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# bench/lib.sh - sourced by bench/run.sh and bench/fuse.sh: builds the
# helpers the benchmarks run (not built by the Makefile): bench/peakrss and
# a famfs-testgen without sanitizers.  Needs BDIR, PEAK, TESTGEN and die().

stale() {	# stale TARGET SOURCE...: missing or older than a source
	local t=$1 s
	shift
	[ -e "$t" ] || return 0
	for s in "$@"; do
		[ "$s" -nt "$t" ] && return 0
	done
	return 1
}

build_bench_helpers() {
	local f
	local -a cflags=(-O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra) srcs=()

	mkdir -p "$BDIR"
	if stale "$PEAK" bench/peakrss.c; then
		gcc "${cflags[@]}" -o "$PEAK" bench/peakrss.c ||
			die "cannot build $PEAK"
	fi
	# the Makefile's LIB_SRCS: the library, without the FUSE server
	srcs=(lib/*.c)
	if stale "$TESTGEN" "${srcs[@]}" include/famfs/*.h lib/*.h \
		tests/tools/famfs-testgen.c; then
		gcc "${cflags[@]}" -Iinclude/famfs \
			-o "$TESTGEN" "${srcs[@]}" tests/tools/famfs-testgen.c \
			-luuid -linih -lpthread ||
			die "cannot build $TESTGEN"
	fi
}
