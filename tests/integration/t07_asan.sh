#!/usr/bin/env bash
# timeout-factor: 3
# The ASan/UBSan build runs the main mkfs/fsck/corruption flows: its exit
# codes and (normalised) output must equal the static musl binary's, and
# the sanitizers must stay silent (leak checking on).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
need_exec "$FAMFS_ASAN" "$TESTGEN"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Normalise an output for comparison: image names, UUIDs, timings; the
# C library's own getopt message is dropped (musl and glibc word it
# differently), and the two names of a cross-link are put in order (which
# file is named first depends on the C library's qsort, not on famfs).
norm() {
	sed -E -e "s/\b$2\b/IMG/g" \
		-e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<UUID>/g' \
		-e 's/^(  time +)[0-9.]+ ms$/\1<T> ms/' \
		-e '/^[a-z]+: (unrecognized|invalid) option/d' "$1" |
	perl -pe 's/cross-link: \x27([^\x27]*)\x27 and \x27([^\x27]*)\x27/"cross-link: " . join(" and ", map { "\x27$_\x27" } sort($1, $2))/ge'
}

# same ARGS...: run `famfs ARGS` with the musl binary on image m.img and
# with the ASan binary on a.img (both copies of the same bytes); "@" in
# ARGS stands for the image.  Exit codes and output must match.
N=0
same() {
	local margs=() aargs=() a mrc arc
	N=$((N + 1))
	for a in "$@"; do
		margs+=("${a//@/m.img}")
		aargs+=("${a//@/a.img}")
	done
	"$FAMFS" "${margs[@]}" </dev/null >m.out 2>m.err
	mrc=$?
	"$FAMFS_ASAN" "${aargs[@]}" </dev/null >a.out 2>a.err
	arc=$?
	if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|SUMMARY: ' a.err; then
		fail "sanitizer report: famfs $*"
		sed 's/^/     | /' a.err | head -n 40
	fi
	if [ "$mrc" = "$arc" ]; then
		ok "exit $mrc from both: famfs $*"
	else
		fail "famfs $*: musl exit $mrc, ASan exit $arc"
		sed 's/^/     | /' a.err | head -n 20
	fi
	cat m.out m.err >m.all
	cat a.out a.err >a.all
	if diff <(norm m.all m.img) <(norm a.all a.img) >diff.out; then
		ok "same output: famfs $*"
	else
		fail "different output: famfs $*"
		sed 's/^/     | /' diff.out | head -n 20
	fi
	LAST_RC=$mrc
}

# pair IMG: start both images from a copy of IMG
pair() {
	cpimg "$1" m.img
	cpimg "$1" a.img
}

expect_rc() {
	check_eq "$1" "$LAST_RC" "exit code of the last pair"
}

echo "## mkfs / fsck"
mkimg blank 256M
pair blank
same mkfs @; expect_rc 0
same fsck @; expect_rc 0
same fsck --json @; expect_rc 0
same fsck --repair @; expect_rc 0
same mkfs @; expect_rc 1
same mkfs -f -l 16M -a 64K @; expect_rc 0
same fsck -j @; expect_rc 0
same mkfs -f -k @; expect_rc 0
same fsck @; expect_rc 8
same fsck --repair --json @; expect_rc 8
mkimg big 4G
pair big
same mkfs -l 16M -a 1G @; expect_rc 0
same fsck @; expect_rc 0

echo "## refusals and usage"
pair blank
same mkfs -k @; expect_rc 2
same mkfs --loglen garbage @; expect_rc 2
same mkfs --loglen 3M @
same mkfs --alloc-unit 3K @
same mkfs --bogus @; expect_rc 2
same fsck --bogus @; expect_rc 16
mkimg small 16M
pair small
same mkfs @; expect_rc 1
same fsck @; expect_rc 8
same fsck missing.img; expect_rc 8
mkdir dir
same mkfs dir; expect_rc 1
same mkfs missing.img; expect_rc 1
same frobnicate; expect_rc 2
same; expect_rc 2
same --version; expect_rc 0
same help mkfs; expect_rc 0
same help fsck; expect_rc 0
same fsck -?; expect_rc 0
printf '[mkfs]\nbogus = 1\n' >bad.ini
same -c bad.ini mkfs @; expect_rc 2
printf '[device]\npath = %s\n[mkfs]\nlog_len = 4M\nalloc_unit = 64K\n' "$PWD/cfg.img" >good.ini
mkimg cfg.img 64M
same -c good.ini fsck; expect_rc 8
same -c good.ini mkfs -f; expect_rc 0	# the same image twice: fine
same -c good.ini fsck; expect_rc 0

echo "## corruption classes"
mkimg base 256M
expect_exit 0 "$FAMFS" mkfs base
testgen base mkdir d
testgen base file d/a 3M
testgen base files 3 e 1M
read -r NEXT_OFF _ _ < <("$TESTGEN" base tail)

corrupt() {	# corrupt NAME CMD...: damaged copy of base as NAME
	local n=$1
	shift
	cpimg base "$n"
	"$@"
}

corrupt c_clone testgen c_clone clone d/a d/b
corrupt c_range testgen c_range rawfile x 2M 0 0x10000000 2M
corrupt c_meta testgen c_meta rawfile x 2M 0 0x400000 2M
corrupt c_align testgen c_align rawfile x 2M 0 0x8000200 2M
corrupt c_dev testgen c_dev rawfile x 2M 1 0xa00000 2M
corrupt c_sb flipbyte c_sb 0x40
corrupt c_lh flipbyte c_lh $((LOG_OFF + 0x100))
corrupt c_entry flipbyte c_entry $((ENTRIES + 0x18))
for c in c_clone c_range c_meta c_align c_dev c_sb c_lh c_entry; do
	pair "$c"
	same fsck @; expect_rc 4
	same fsck --json @; expect_rc 4
	same fsck --repair @; expect_rc 4
done
pair c_sb
same mkfs @; expect_rc 1

corrupt c_torn testgen c_torn torn d/t 1M
corrupt c_garbage hexpatch c_garbage $((LOG_OFF + NEXT_OFF + 100)) deadbeef
corrupt c_slot flipbyte c_slot $((TAIL1 + 8))
both_tails() {
	flipbyte c_both $((TAIL0 + 8))
	flipbyte c_both $((TAIL1 + 8))
}
corrupt c_both both_tails
for c in c_torn c_garbage c_slot c_both; do
	pair "$c"
	same fsck @; expect_rc 4
	same fsck --repair @; expect_rc 1
	same fsck --repair --json @; expect_rc 0
	check_eq "$(sha m.img)" "$(sha a.img)" "$c: both builds repaired to the same bytes"
done

# famfs-testgen itself is an ASan build: it ran above without a report
echo "($N command pairs)"
finish
