#!/usr/bin/env bash
# Every command in the table answers `famfs help CMD` and `famfs CMD -h`
# (git's t0012-help): the list comes from `famfs --help` itself.  fsck's
# -h is upstream famfs's --human, so there it is -? (help everywhere).
set -u
. "$(dirname "$0")/lib.sh"

cmds=$("$FAMFS" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
check_eq 1 $([ -n "$cmds" ] && echo 1 || echo 0) "famfs --help lists commands"
for c in $cmds; do
	out=$("$FAMFS" help "$c" 2>&1); rc=$?
	check_eq 0 "$rc" "famfs help $c exits 0"
	check_eq 1 $(grep -q "^usage: famfs $c" <<<"$out" && echo 1 || echo 0) "famfs help $c shows its usage"
	[ "$c" = help ] && continue
	h=-h
	[ "$c" = fsck ] && h=-?
	out2=$("$FAMFS" "$c" "$h" 2>&1); rc=$?
	check_eq 0 "$rc" "famfs $c $h exits 0"
	check_eq "$out" "$out2" "famfs $c $h equals famfs help $c"
done
finish
