#!/usr/bin/env bash
# Bash completion (mk/completion.sh, build/famfs.bash): written from the
# binary's help text, so it cannot drift from it.  Checked by completing
# in bash: the commands of famfs --help, the global options, every
# command's options as its help lists them (parsed here on their own),
# the same for the mkfs.famfs / fsck.famfs / mount.famfs /
# mount.fuse.famfs names, file names for FILE and DEV values and none for
# a SIZE; and a new option in the help appears in the completion.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

expect_exit 0 "$ROOT/mk/completion.sh" "$FAMFS" famfs.bash
if cmp -s famfs.bash "$BUILD/famfs.bash"; then
	ok "$BUILD/famfs.bash is what mk/completion.sh writes from this binary"
else
	fail "$BUILD/famfs.bash differs (stale build?)"
fi
expect_exit 0 bash -n famfs.bash

# complete WORD... : what bash offers for the last word (sorted, one line)
complete_() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _famfs
		printf "%s\n" "${COMPREPLY[@]}"' complete "${COMP_FILE:-famfs.bash}" "$@" |
		LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
sorted() { tr ' ' '\n' | grep . | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//'; }
# the options a help text lists: the names before the two spaces
help_opts() {
	grep -E '^ {2,6}-' | sed -E 's/^ +//; s/  .*//' | tr ',' ' ' |
		tr ' ' '\n' | grep '^-' | sorted
}

cmds=$("$FAMFS" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}' | sorted)
check_eq "$cmds" "$(complete_ famfs "")" "famfs <TAB>: the commands"
check_eq "$("$FAMFS" --help | sed -n '/^Global options:/,$p' | help_opts)" \
	"$(complete_ famfs -)" "famfs -<TAB>: the global options"
check_eq "mkdir mkfs mkmeta" "$(complete_ famfs -c some.ini mk)" "famfs -c FILE mk<TAB>"
check_eq "mount" "$(complete_ famfs help mo)" "famfs help mo<TAB>"
for c in $cmds; do
	check_eq "$("$FAMFS" help "$c" | help_opts)" "$(complete_ famfs "$c" -)" \
		"famfs $c -<TAB>: the options of famfs help $c"
done
for a in mkfs fsck mount; do
	check_eq "$(complete_ famfs "$a" -)" "$(complete_ "$a.famfs" -)" "$a.famfs -<TAB>"
done
check_eq "$(complete_ famfs mount --)" "$(complete_ /usr/sbin/mount.fuse.famfs --)" \
	"mount.fuse.famfs --<TAB>"

mkdir -p d && touch d/conf.ini d/dev0
check_eq "d/conf.ini" "$(complete_ famfs -c d/co)" "famfs -c <TAB>: files"
check_eq "d/dev0" "$(complete_ famfs fsck --device d/de)" "fsck --device <TAB>: files"
check_eq "d/dev0" "$(complete_ famfs mkfs d/de)" "mkfs <TAB>: files (the device)"
check_eq "" "$(complete_ famfs mkfs --loglen d/)" "mkfs --loglen <TAB>: nothing (a SIZE)"

# a new option in a command's help is completed at once
cat >fake <<EOS
#!/bin/sh
if [ "\$1 \$2" = "help mkfs" ]; then
	"$FAMFS" help mkfs | sed 's/^Options:\$/Options:\n  -Z, --zap FILE    a new option/'
else
	exec "$FAMFS" "\$@"
fi
EOS
chmod +x fake
expect_exit 0 "$ROOT/mk/completion.sh" ./fake fake.bash
check_eq "--zap" "$(COMP_FILE=fake.bash complete_ famfs mkfs --z)" "a new option --zap"
check_eq "d/dev0" "$(COMP_FILE=fake.bash complete_ famfs mkfs -Z d/de)" "its FILE value"
finish
