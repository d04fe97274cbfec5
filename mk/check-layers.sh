#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# mk/check-layers.sh [ROOT] - keep the arrows of ARCHITECTURE.md pointing down.
#
#   include/famfs/  public headers          may include: include/famfs
#   lib/            the library             may include: include/famfs, lib
#   server/         the FUSE server         may include: the above, libfuse
#   cmd/, famfs.c   dispatcher and commands may include: the above
#
# Rules (each violation is printed as FILE:LINE: rule):
#   1. lib/ and include/famfs/ include no libfuse header and no header of
#      cmd/ or server/ (nor famfs_server.h, the server's entry points).
#   2. cmd/ and server/ never include lib/'s raw on-media endian helpers
#      (famfs_endian.h): they see decoded native structs only.
#   2b. Nor the on-media structures (include/famfs/omf.h), directly or
#      through a public header that includes it: the numbers of the format
#      are in famfs_format.h.
#   3. Only cmd/ and famfs.c write to stdout.
#   4. lib/ never prints to stderr and never exits (it returns -errno);
#      lib/fault.c's test-only kill is the one exception.
# Exit 0 when clean, 1 otherwise, with "check-layers: N violation(s)".
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2

bad=0
report() {
	local rule=$1 hit
	while IFS= read -r hit; do
		[ -n "$hit" ] || continue
		echo "$hit: $rule"
		bad=$((bad + 1))
	done
}

# the #include lines of FILES whose header name matches the extended regex
includes() {
	local re=$1; shift
	[ $# -gt 0 ] || return 0
	grep -HnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($re)[>\"]" "$@"
}

# code lines only: drop // comments and lines inside or opening /* */
code_grep() {
	local re=$1; shift
	[ $# -gt 0 ] || return 0
	awk -v re="$re" '
		FNR == 1 { inc = 0 }
		{
			line = $0
			if (inc) { if (line ~ /\*\//) { sub(/.*\*\//, "", line); inc = 0 } else next }
			gsub(/\/\*.*\*\//, "", line)
			if (line ~ /\/\*/) { sub(/\/\*.*/, "", line); inc = 1 }
			sub(/\/\/.*/, "", line)
			gsub(/"([^"\\]|\\.)*"/, "\"\"", line)
			if (line ~ re) printf "%s:%d\n", FILENAME, FNR
		}' "$@"
}

shopt -s nullglob lastpipe
LIBF=(lib/*.c lib/*.h include/famfs/*.h)
UPPER=(cmd/*.c cmd/*.h server/*.c server/*.h)
OUTSIDE_CMD=(lib/*.c lib/*.h include/famfs/*.h server/*.c server/*.h)
TOP=(famfs.[c])	# a glob: absent from a partial tree (t13)

upper_hdrs=""
for h in cmd/*.h server/*.h include/famfs/famfs_server.h; do
	upper_hdrs+="${upper_hdrs:+|}(\.\./)*([a-z]+/)?$(basename "$h" | sed 's/\./\\./g')"
done

[ ${#LIBF[@]} -gt 0 ] && [ ${#UPPER[@]} -gt 0 ] || {
	echo "check-layers: lib/, cmd/ or server/ is missing"; exit 1; }

includes 'fuse[0-9]*/[^>"]*|fuse(_lowlevel|_common|_opt|_i|_log)?\.h|cuse_lowlevel\.h' \
	"${LIBF[@]}" | cut -d: -f1,2 | report "lib/ includes libfuse"
# omf.h and every public header that brings it in (to a fixed point), as
# an extended regex of their names
omf_re=$(awk '
	/^[[:space:]]*#[[:space:]]*include[[:space:]]*"/ {
		s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); sub(/.*\//, "", s)
		f = FILENAME; sub(/.*\//, "", f)
		inc[f] = inc[f] " " s
	}
	END {
		bad["omf.h"] = 1
		do {
			more = 0
			for (f in inc) {
				if (f in bad)
					continue
				n = split(inc[f], a, " ")
				for (i = 1; i <= n; i++)
					if (a[i] in bad) { bad[f] = 1; more = 1; break }
			}
		} while (more)
		for (f in bad) {
			g = f; gsub(/\./, "\\.", g)
			out = out (out == "" ? "" : "|") g
		}
		print out
	}' include/famfs/*.h)

includes "$upper_hdrs" "${LIBF[@]}" | cut -d: -f1,2 |
	report "lib/ includes a cmd/ or server/ header"
includes '(\.\./)*(lib/)?famfs_endian\.h' "${UPPER[@]}" | cut -d: -f1,2 |
	report "cmd/ or server/ includes the raw on-media endian helpers"
includes "(\.\./)*([a-z]+/)*($omf_re)" "${UPPER[@]}" ${TOP[@]+"${TOP[@]}"} |
	cut -d: -f1,2 |
	report "cmd/ or server/ includes the on-media structures (omf.h)"
code_grep '(^|[^_a-z])(printf|vprintf|puts|putchar)[[:space:]]*\(|[(,][[:space:]]*stdout[[:space:]]*[,)]|STDOUT_FILENO|dprintf[[:space:]]*\([[:space:]]*1[[:space:]]*,' \
	"${OUTSIDE_CMD[@]}" | report "writes to stdout outside cmd/"
code_grep '[(,][[:space:]]*stderr[[:space:]]*[,)]|(^|[^_a-z])perror[[:space:]]*\(|STDERR_FILENO|(^|[^_a-z.>])(exit|_exit|abort)[[:space:]]*\(' \
	$(printf '%s\n' lib/*.c lib/*.h | grep -v '^lib/fault\.c$') |
	report "lib/ prints to stderr or exits"

echo "check-layers: ${#LIBF[@]} library, ${#UPPER[@]} server and command files; $bad violation(s)"
[ "$bad" -eq 0 ]
