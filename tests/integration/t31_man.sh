#!/usr/bin/env bash
# timeout-factor: 2
# The manual pages famfs(8), mkfs.famfs(8), fsck.famfs(8) and mount.famfs(8)
# are built from the binary's help: build/man holds what mk/man.sh writes
# from this binary now; groff -ww and man -l render each with no warning
# (and groff does warn about a broken page); every line of `famfs help CMD`
# is in the rendered page (mkfs, fsck, mount) and in famfs(8), which has a
# section for every command of `famfs --help`; conf/famfs.ini is in famfs(8).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
for t in groff man; do
	command -v $t >/dev/null 2>&1 || { fail "$t is missing (mk/install-deps.sh installs it)"; finish; }
done
export LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat

PAGES="famfs.8 mkfs.famfs.8 fsck.famfs.8 mount.famfs.8"
mkdir man
for p in $PAGES; do
	expect_exit 0 "$ROOT/mk/man.sh" "$FAMFS" "$p" "man/$p"
	if cmp -s "man/$p" "$BUILD/man/$p"; then
		ok "$BUILD/man/$p is what mk/man.sh writes from this binary"
	else
		fail "$BUILD/man/$p differs from mk/man.sh's page (stale build?)"
	fi
	expect_exit 0 groff -man -Tutf8 -ww -z "man/$p"
	check_eq "" "$(cat "$OUT.stderr")" "groff -ww warnings for $p"
	expect_exit 0 man --warnings -l "man/$p"
	check_eq "" "$(cat "$OUT.stderr")" "man --warnings -l $p: warnings"
	check_eq 1 "$(grep -c "^NAME" "$OUT.stdout")" "man -l $p has a NAME section"
done

# the warning check can fail: an undefined macro
printf '.TH X 8\n.SH NAME\nx \\- y\n.XY undefined\n' >bad.8
expect_exit 0 groff -man -Tutf8 -ww -z bad.8
check_ne "" "$(cat "$OUT.stderr")" "groff -ww warnings for a broken page and none"

# render PAGE: plain text, no hyphenation, long lines, spaces squeezed
render() {
	[ -f "man/$1.txt" ] ||
		groff -man -Tascii -rHY=0 -rLL=250n -P-cbu "man/$1" 2>/dev/null |
		tr -s ' \n' '  ' >"man/$1.txt"
	cat "man/$1.txt"
}

# in_page PAGE TEXT...: every line of TEXT (spaces squeezed) is in PAGE
in_page() {
	local page=$1 text=$2 line missing=0 n=0 flat
	flat=$(render "$page")
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | sed -e 's/^usage: //' -e 's/^Exit: //' | tr -s ' ')
		line=${line# }
		[ -z "$line" ] && continue
		[[ $line =~ ^[A-Z][A-Za-z\ ]*:$ ]] && continue	# a heading
		n=$((n + 1))
		if [[ $flat != *"$line"* ]]; then
			missing=$((missing + 1))
			echo "     | not in $page: $line"
		fi
	done <<<"$text"
	check_eq 0 "$missing" "lines of the help missing from $page (of $n)"
}

cmds=$("$FAMFS" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
for c in $cmds; do
	check_eq 1 "$(grep -c "^\.SS \"famfs $c\"$" man/famfs.8)" "famfs.8 has a section for $c"
	in_page famfs.8 "$("$FAMFS" help "$c")"
done
for c in mkfs fsck mount; do
	in_page "$c.famfs.8" "$("$FAMFS" help "$c")"
done
in_page famfs.8 "$("$FAMFS" --help | grep -v '^  [a-z]')"
in_page famfs.8 "$(cat "$ROOT/conf/famfs.ini")"

# the check finds a line that is not there
in_page mkfs.famfs.8 "a line no page has" >"$OUT.neg"
if grep -q "^FAIL" "$OUT.neg"; then
	ok "in_page reports a missing line"
	CHECKS=$((CHECKS - 1)) FAILS=$((FAILS - 1))	# that failure was expected
else
	fail "in_page missed a line that is not in the page"
fi
finish
