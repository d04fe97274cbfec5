# shellcheck shell=bash disable=SC2034  # sourced after lib.sh and mnt.sh
# Helpers for the fidelity tests (t80, t81): comparing a tree with its copy
# through tests/tools/treelist.py.
#
#   TREELIST, MKTREE          the two tools (python3, stdlib only)
#   treelist ROOT [OPT...]    the listing of ROOT (treelist.py's options)
#   same_tree SRC DST WHAT [OPT...]
#       a check: the listings of SRC and DST are the same; on a failure the
#       first differing entries are printed, with the fields that differ
#       (SRC's value -> DST's).  Both listings
#       stay in ./lists/ for a look after a failed run.
#   tree_differs SRC DST WHAT [OPT...]
#       the opposite check, for the negative controls: the comparison
#       must see a difference made on purpose
#   SRC may be @FILE: a listing made before (of a source that does not
#   change, with the same options), e.g. by `treelist ROOT >FILE`.
#   has_new_kinds             famfs has `cp -a` or `ln` (issue 11)

FID_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)
TREELIST=$FID_TOOLS/treelist.py
MKTREE=$FID_TOOLS/mktree.py
FID_N=0

treelist() { "$PY" -S "$TREELIST" "$@"; }

# fid_lists SRC DST OPT...: both listings into lists/N.{src,dst}; sets
# FID_A and FID_B; returns 1 (with a message) when a listing failed
fid_lists() {
	local src=$1 dst=$2
	shift 2
	FID_N=$((FID_N + 1))
	mkdir -p lists
	FID_A=lists/$FID_N.src
	FID_B=lists/$FID_N.dst
	if [ "${src#@}" != "$src" ]; then
		cp "${src#@}" "$FID_A"
	elif ! treelist "$@" "$src" >"$FID_A" 2>"$FID_A.err"; then
		echo "     | treelist $src: $(head -n 3 "$FID_A.err")"
		return 1
	fi
	if ! treelist "$@" "$dst" >"$FID_B" 2>"$FID_B.err"; then
		echo "     | treelist $dst: $(head -n 3 "$FID_B.err")"
		return 1
	fi
}

# fid_show: the first differing entries of the last two listings, with
# the fields that differ (first -> second)
fid_show() {
	treelist --diff "$FID_A" "$FID_B" | cut -c1-300 | sed 's/^/     | /'
}

same_tree() {
	local src=$1 dst=$2 what=$3 n
	shift 3
	if ! fid_lists "$src" "$dst" "$@"; then
		fail "$what: a tree could not be listed"
		return 1
	fi
	n=$(wc -l <"$FID_A")
	if cmp -s "$FID_A" "$FID_B"; then
		if [ "$n" -lt 2 ]; then
			fail "$what: nothing to compare ($src lists $n entries)"
			return 1
		fi
		ok "$what ($n entries)"
		return 0
	fi
	fail "$what: the copy differs ($src -> $dst):"
	fid_show
	return 1
}

tree_differs() {
	local src=$1 dst=$2 what=$3
	shift 3
	if ! fid_lists "$src" "$dst" "$@"; then
		fail "$what: a tree could not be listed"
	elif cmp -s "$FID_A" "$FID_B"; then
		fail "the comparison misses a change: $what"
	else
		ok "the comparison sees: $what ($(diff "$FID_A" "$FID_B" | grep -c '^>') line(s))"
	fi
}

# either one is enough: a half-merged feature runs the tests and fails
# loudly rather than skipping them
has_new_kinds() {
	"$FAMFS" help ln >/dev/null 2>&1 ||
		"$FAMFS" cp -h 2>&1 | grep -qE -- '(^|[ ,])-a[, ]'
}
