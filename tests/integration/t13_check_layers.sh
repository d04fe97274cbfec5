#!/usr/bin/env bash
# make check-layers (mk/check-layers.sh): clean on the tree, and each rule
# fires on a copy of the tree with one violation planted in it.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHECK=$ROOT/mk/check-layers.sh

expect_exit 0 "$CHECK" "$ROOT"
out_has "0 violation(s)"

# plant FILE LINE RULE: a fresh copy with LINE appended to FILE must fail
# with RULE named at FILE's last line
plant() {
	local file=$1 line=$2 rule=$3 n
	rm -rf tree && mkdir tree
	cp -r "$ROOT/lib" "$ROOT/cmd" "$ROOT/server" "$ROOT/include" tree/
	printf '%s\n' "$line" >>"tree/$file"
	n=$(wc -l <"tree/$file")
	expect_exit 1 "$CHECK" "$PWD/tree"
	out_has "$file:$n: $rule"
	out_has "1 violation(s)"
}

plant lib/crc.c '#include <fuse_lowlevel.h>' "lib/ includes libfuse"
plant include/famfs/omf.h '#include "fuse3/fuse_lowlevel.h"' "lib/ includes libfuse"
plant lib/ns.c '#include "famfs_server.h"' "lib/ includes a cmd/ or server/ header"
plant lib/sb.c '#include "../cmd/cmd.h"' "lib/ includes a cmd/ or server/ header"
plant lib/sb.c '#include "server_priv.h"' "lib/ includes a cmd/ or server/ header"
plant cmd/cp.c '#include "../lib/famfs_endian.h"' "cmd/ or server/ includes the raw on-media endian helpers"
plant server/server.c '#include "famfs_endian.h"' "cmd/ or server/ includes the raw on-media endian helpers"
plant cmd/cp.c '#include "omf.h"' "cmd/ or server/ includes the on-media structures (omf.h)"
plant server/server_ctl.c '#include "famfs/omf.h"' "cmd/ or server/ includes the on-media structures (omf.h)"
plant server/server.c 'static void x(void) { printf("x"); }' "writes to stdout outside cmd/"
plant lib/log.c 'static void x(void) { fputs("x", stdout); }' "writes to stdout outside cmd/"
plant lib/log.c 'static void x(void) { fprintf(stderr, "x"); }' "lib/ prints to stderr or exits"
plant lib/path.c 'static void x(void) { exit(1); }' "lib/ prints to stderr or exits"

# omf.h through a public header: the command that includes that header is
# named (famfs_registry.h is included by cmd/mount.c alone)
rm -rf tree && mkdir tree
cp -r "$ROOT/lib" "$ROOT/cmd" "$ROOT/server" "$ROOT/include" tree/
printf '%s\n' '#include "omf.h"' >>tree/include/famfs/famfs_registry.h
n=$(grep -n '#include "famfs_registry.h"' tree/cmd/mount.c | cut -d: -f1)
expect_exit 1 "$CHECK" "$PWD/tree"
out_has "cmd/mount.c:$n: cmd/ or server/ includes the on-media structures (omf.h)"
out_has "1 violation(s)"

# comments and strings do not count
rm -rf tree && mkdir tree
cp -r "$ROOT/lib" "$ROOT/cmd" "$ROOT/server" "$ROOT/include" tree/
printf '%s\n' '/* printf("x"); exit(1); */' 'static const char s[] = "exit(1) stdout";' \
	'// fprintf(stderr, "x");' >>tree/lib/path.c
expect_exit 0 "$CHECK" "$PWD/tree"
finish
