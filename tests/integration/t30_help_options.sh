#!/usr/bin/env bash
# Every command of `famfs --help` has complete help: a usage line, a
# description, and every option its parser accepts (the struct option
# tables of its source file, whose letters are the short options), each with its
# value's METAVAR; the help lists no option the parser refuses.  The
# commands come from the binary, so new ones are covered as they are added
# (helpcheck.py).  Also: `famfs CMD --help` prints the same as `famfs help
# CMD`, and the checker does catch an option missing from the help.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

expect_exit 0 "$PY" -S "$HERE/helpcheck.py" "$FAMFS" "$ROOT"
grep -c '^ok' "$OUT.stdout" | { read -r n; check_eq 1 "$([ "$n" -gt 50 ] && echo 1 || echo 0)" "helpcheck made $n checks"; }
grep '^FAIL' "$OUT.stdout" | sed 's/^/     | /'

cmds=$("$FAMFS" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
for c in $cmds; do
	[ "$c" = help ] && continue
	if [ "$("$FAMFS" help "$c" 2>&1)" = "$("$FAMFS" "$c" --help 2>&1)" ]; then
		ok "famfs $c --help equals famfs help $c"
	else
		fail "famfs $c --help differs from famfs help $c"
	fi
done

# The checker fails on a source whose parser takes an option the help
# lacks: a copy of the tree with -Z/--zap VALUE added to mkfs's option
# table (its letter is the short option too).
mkdir -p src
cp "$ROOT/famfs.c" src/
cp -r "$ROOT/cmd" src/
sed -i 's/^static const struct option mkfs_opts\[\] = {$/&\n\t{ "zap", required_argument, NULL, '"'Z'"' },/' src/cmd/mkfs.c
grep -q '"zap"' src/cmd/mkfs.c && ok "the sabotaged table has --zap" || fail "sed did not add --zap"
expect_exit 1 "$PY" -S "$HERE/helpcheck.py" "$FAMFS" "$PWD/src"
out_has "FAIL mkfs: help lists -Z"
out_has "FAIL mkfs: help shows -Z's value"
out_has "FAIL mkfs: help lists --zap"
finish
