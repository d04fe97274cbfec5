#!/usr/bin/env bash
# Integration tests: run every tests/integration/t[0-9]*.sh in a fresh
# temporary directory (its current directory), with
#   FAMFS       build/famfs (static musl), absolute
#   FAMFS_ASAN  build/asan/famfs-asan
#   TESTGEN     build/asan/tools/famfs-testgen
#   BUILD       the build directory, absolute ($BUILD may be preset)
#   FAMFS_SYSTEM_UUID_FILE  $tmp/hostid;  FAMFS_CONFIG unset
# A script exits 0 (pass), 77 (skip) or anything else (fail).  Prints
# PASS/FAIL/SKIP per script, the output of failed ones, and one summary line
# "integration: N passed, N failed[, N skipped]".  Each script runs under
# the layer's time limit (60 s; 120 s with ASan, 300 s under valgrind),
# times N if it has a "# timeout-factor: N" line.
#
#   tests/integration/run.sh [-v] [NAME...]   NAME: t01 or t01_mkfs_fsck.sh
#
# Other binaries for the whole suite (FAMFS becomes a link named famfs):
#   FAMFS_BIN=build/asan/famfs-asan   every famfs command and server is the
#       ASan/UBSan build; sanitizer reports (also of the daemonized server,
#       whose stderr is /dev/null) go to log files, and a test that leaves
#       one fails with it.  Summary "asan-integration: ...".
#   FAMFS_VALGRIND=1 (FAMFS_BIN defaults to build/vg/famfs-vg)  every
#       `famfs mount` (and mount.famfs) runs under valgrind: the mounting
#       parent and the forked server, one log per process; a test whose
#       logs show an error or a definite leak fails.  Summary
#       "valgrind: ...".  tests/valgrind.supp lists what is suppressed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=$(cd "${BUILD:-$root/build}" 2>/dev/null && pwd) || {
	echo "integration: no build directory (run make)"
	echo "integration: 0 passed, 1 failed"
	exit 1
}
export BUILD
export FAMFS=$BUILD/famfs
LAYER=integration
SANDIR=
VGDIR=
if [ -n "${FAMFS_VALGRIND:-}" ]; then
	FAMFS_BIN=${FAMFS_BIN:-$BUILD/vg/famfs-vg}
	LAYER=valgrind
	PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-300}
elif [ -n "${FAMFS_BIN:-}" ]; then
	LAYER=asan-integration
	PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-120}
fi
if [ -n "${FAMFS_BIN:-}" ]; then
	real=$(realpath "$FAMFS_BIN" 2>/dev/null)
	if [ ! -x "$real" ]; then
		echo "$LAYER: $FAMFS_BIN is not built"
		echo "$LAYER: 0 passed, 1 failed"
		exit 1
	fi
	bindir=$(mktemp -d /tmp/famfs-it-bin.XXXXXX)
	chmod 755 "$bindir"		# tests run famfs as nobody too
	trap 'rm -rf "$bindir"' EXIT
	if [ "$LAYER" = valgrind ]; then
		VGDIR=$bindir/vg
		mkdir -p "$VGDIR"
		chmod 1777 "$VGDIR"
		mkdir -p "$bindir/real"		# argv[0] names the command
		for n in famfs mkfs.famfs fsck.famfs mount.famfs mount.fuse.famfs init; do
			ln -s "$real" "$bindir/real/$n"
		done
		# famfs mount (and the mount.famfs names) under valgrind; the
		# server is forked, not exec'ed, so it stays under valgrind
		cat >"$bindir/famfs" <<EOF2
#!/bin/sh
name=\$(basename "\$0")
case "\$name" in mount.famfs|mount.fuse.famfs) vg=1 ;; *) vg=0 ;; esac
for a in "\$@"; do
	case "\$a" in -*) ;; mount) vg=1; break ;; *) break ;; esac
done
[ -e "$bindir/real/\$name" ] || name=famfs	# a link a test made
[ \$vg = 1 ] || exec "$bindir/real/\$name" "\$@"
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --error-exitcode=99 \\
	--suppressions="$root/tests/valgrind.supp" \\
	--log-file="$VGDIR/vg.%p.log" "$bindir/real/\$name" "\$@"
EOF2
		chmod +x "$bindir/famfs"
	else
		ln -s "$real" "$bindir/famfs"
		SANDIR=$bindir/san
		mkdir -p "$SANDIR"
		chmod 1777 "$SANDIR"
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$SANDIR/asan
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$SANDIR/ubsan
	fi
	FAMFS=$bindir/famfs
fi
export FAMFS_ASAN=$BUILD/asan/famfs-asan
export TESTGEN=$BUILD/asan/tools/famfs-testgen
unset FAMFS_CONFIG FAMFS_ROLE
# A sanitizer finding must fail the run and be visible in the output.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-60}
verbose=0
if [ "${1:-}" = -v ]; then
	verbose=1
	shift
fi

# The binaries and test tools every script relies on: one missing fails
# the layer here (it must not turn into skips).
for b in "$FAMFS" "$FAMFS_ASAN" "$TESTGEN"; do
	if [ ! -x "$b" ]; then
		echo "$LAYER: $b is not built (run make all asan)"
		echo "$LAYER: 0 passed, 1 failed"
		exit 1
	fi
done

scripts=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		for s in "$here"/"${n%.sh}"*.sh; do
			[ -f "$s" ] && scripts+=("$s")
		done
	done
else
	for s in "$here"/t[0-9]*.sh; do
		[ -f "$s" ] && scripts+=("$s")
	done
fi

# tool_reports LOG: 0 if no sanitizer report and no valgrind log with an
# error was left; otherwise appends them to LOG.  Clears the directory.
tool_reports() {
	local f bad=0
	if [ -n "$SANDIR" ]; then
		for f in "$SANDIR"/*; do
			[ -s "$f" ] || continue
			bad=1
			{ echo "sanitizer report $(basename "$f"):"; head -n 60 "$f"; } >>"$1"
		done
		rm -f "$SANDIR"/*
	fi
	if [ -n "$VGDIR" ]; then
		for f in "$VGDIR"/*; do
			[ -e "$f" ] || continue
			VGLOGS=$((VGLOGS + 1))
			[ -s "$f" ] || continue		# -q: empty means clean
			bad=1
			{ echo "valgrind $(basename "$f"):"; head -n 80 "$f"; } >>"$1"
		done
		rm -f "$VGDIR"/*
	fi
	return $bad
}
VGLOGS=0

pass=0 fail=0 skip=0
start=$(date +%s)
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	tmp=$(mktemp -d /tmp/famfs-it.XXXXXX)
	log=$(mktemp /tmp/famfs-it-log.XXXXXX)
	t0=$(date +%s%N)
	# Output goes to a file, never a pipe: a stray background process
	# cannot hold the runner up.
	# a test that copies real trees says how long it may take
	# ("# timeout-factor: N" multiplies the layer's limit)
	tmo=$PER_TEST_TIMEOUT
	factor=$(sed -n 's/^# timeout-factor: \([0-9]\+\)$/\1/p' "$s" | head -n 1)
	[ -n "$factor" ] && tmo=$((tmo * factor))
	(cd "$tmp" && FAMFS_SYSTEM_UUID_FILE=$tmp/hostid \
		timeout -k 5 "$tmo" bash "$s") >"$log" 2>&1 </dev/null
	rc=$?
	# reports of the sanitizers or valgrind left by any process of the test
	if [ -n "$SANDIR$VGDIR" ] && ! tool_reports "$log"; then
		[ $rc -eq 0 ] || [ $rc -eq 77 ] && rc=98
	fi
	ms=$((($(date +%s%N) - t0) / 1000000))
	case $rc in
	0)
		pass=$((pass + 1))
		echo "PASS $name (${ms} ms)"
		[ $verbose -eq 1 ] && sed 's/^/    /' "$log"
		;;
	77)
		skip=$((skip + 1))
		echo "SKIP $name: $(tail -n 1 "$log")"
		;;
	*)
		fail=$((fail + 1))
		[ $rc -eq 124 ] && echo "timeout after ${tmo}s" >>"$log"
		echo "FAIL $name (exit $rc, ${ms} ms)"
		sed 's/^/    /' "$log"
		;;
	esac
	rm -rf "$tmp" "$log"
done
secs=$(($(date +%s) - start))
summary="$LAYER: $pass passed, $fail failed"
[ $skip -gt 0 ] && summary="$summary, $skip skipped"
echo "($secs s)"
[ -n "${FAMFS_BIN:-}" ] && echo "famfs binary: $FAMFS_BIN"
[ -n "$VGDIR" ] && echo "valgrind: $VGLOGS process logs read"
echo "$summary"
[ $fail -eq 0 ]
