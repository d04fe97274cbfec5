#!/bin/sh
# mk/man.sh FAMFS PAGE OUT -- write the manual page PAGE (famfs.8,
# mkfs.famfs.8, fsck.famfs.8, mount.famfs.8) to OUT, built from what the
# binary FAMFS prints: `famfs --help` and `famfs help CMD`, so the page and
# the binary cannot disagree.  famfs(8) has every command of the table.
# The CONFIGURATION section is conf/famfs.ini; the SYSTEMD section is the
# comment at the top of systemd/famfs@.service.
#
# The help text layout it reads (see cmd/*.c):
#   usage: famfs CMD ...          first paragraph: the synopsis lines
#          ...
#   Text paragraphs.              indented lines inside them are examples
#   Options:                      a heading (Capitalized, ends with ':')
#     -x, --long ARG   text       items (2 to 6 spaces, then the tag);
#                      more       continuation lines (7+ spaces)
#   Exit: ...                     a paragraph line starting with Exit
set -eu

famfs=$1 page=$2 out=$3
src=$(cd "$(dirname "$0")/.." && pwd)
ver=$("$famfs" --version | awk '{ print $2 }')

# conv LEVEL: help text on stdin to roff.  LEVEL 1: a page of its own
# (.SH sections); LEVEL 2: one command inside famfs(8) (under its .SS).
conv() {
	awk -v level="$1" '
	function esc(s) {
		gsub(/\\/, "\\e", s)
		gsub(/-/, "\\-", s)
		if (s ~ /^[.\047]/)
			s = "\\&" s
		return s
	}
	# An option or command tag: names bold, values italic.
	function tag(s,    n, w, i, r, c) {
		n = split(s, w, / +/)
		r = ""
		for (i = 1; i <= n; i++) {
			c = ""
			if (w[i] ~ /,$/) {
				c = ","
				sub(/,$/, "", w[i])
			}
			if (i == 1 || w[i] ~ /^-/)
				r = r (r == "" ? "" : " ") "\\fB" esc(w[i]) "\\fR" c
			else
				r = r " \\fI" esc(w[i]) "\\fR" c
		}
		return r
	}
	# A synopsis line: the leading command words bold.
	function synopsis(s,    n, w, i, r, lead) {
		n = split(s, w, / +/)
		lead = 1
		r = ""
		for (i = 1; i <= n; i++) {
			if (lead && w[i] ~ /^[a-z][a-z0-9.]*$/)
				r = r (i > 1 ? " " : "") "\\fB" esc(w[i]) "\\fR"
			else {
				lead = 0
				r = r (i > 1 ? " " : "") esc(w[i])
			}
		}
		return r
	}
	function indent(s) {
		match(s, /^ */)
		return RLENGTH
	}
	function head(h) {
		if (level == 1)
			print ".SH " h
		else
			print ".PP\n\\fI" h "\\fR"
	}
	function end_example() {
		if (ex) {
			print ".fi\n.RE"
			ex = 0
		}
	}
	NR == 1 {
		if (level == 1)
			print ".SH SYNOPSIS"
		else
			print ".PP"
		print ".nf"
		insyn = 1
	}
	insyn && /^$/ {
		print ".fi"
		insyn = 0
		para = 0
		next
	}
	insyn {
		sub(/^(usage:)? +/, "")
		print synopsis($0)
		next
	}
	/^$/ {
		end_example()
		list = skip = para = 0
		next
	}
	/^[A-Z][A-Za-z ]*:$/ {
		end_example()
		h = substr($0, 1, length($0) - 1)
		if (h == "Commands" && level == 1) {
			skip = 1	# famfs(8) gives every command a section
			next
		}
		if (h ~ /[Oo]ptions$/ && level == 1)
			h = "OPTIONS"
		head(level == 1 ? toupper(h) : h ":")
		list = 1
		after_list = 1
		next
	}
	skip { next }
	list && indent($0) >= 2 && indent($0) <= 6 {
		s = $0
		sub(/^ +/, "", s)
		d = ""
		if (match(s, /  +/)) {
			d = substr(s, RSTART + RLENGTH)
			s = substr(s, 1, RSTART - 1)
		}
		print ".TP\n" tag(s)
		if (d != "")
			print esc(d)
		next
	}
	list {
		sub(/^ +/, "")
		print esc($0)
		next
	}
	/^Exit/ && level == 1 {
		end_example()
		head("EXIT STATUS")
		sub(/^Exit: */, "")
		para = 1
		if ($0 != "")
			print esc($0)
		next
	}
	/^Exit/ && para {	# level 2: its own line
		print ".br"
	}
	/^ / {
		if (!ex) {
			print ".RS 4\n.nf"
			ex = 1
		}
		sub(/^ +/, "")
		print esc($0)
		next
	}
	{
		end_example()
		if (!para) {
			if (!described && level == 1)
				print ".SH DESCRIPTION"
			else if (after_list && level == 1)
				print ".SH NOTES"
			else
				print ".PP"
			described = 1
			after_list = 0
			para = 1
		}
		print esc($0)
	}
	END {
		end_example()
		if (insyn)
			print ".fi"
	}'
}

# A file shown as it is (an example block).
verbatim() {
	printf '.RS 4\n.nf\n'
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^[.']/\\\\\\&&/" "$1"
	printf '.fi\n.RE\n'
}

summary() {	# summary CMD: its line in the command list of famfs --help
	"$famfs" --help | awk -v c="$1" '/^Commands:/ { on = 1; next }
		on && $1 == c { sub(/^ +[^ ]+ +/, ""); print; exit }'
}

commands() {
	"$famfs" --help | awk '/^Commands:/ { on = 1; next }
		on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}

unit=$src/systemd/famfs@.service
files() {
	envfile=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit" | sed 's/%i/INSTANCE/')
	cat <<EOF
.SH FILES
.TP
.I /etc/famfs.ini
the configuration (see CONFIGURATION in
.BR famfs (8))
.TP
.I /lib/systemd/system/famfs@.service
the systemd unit that serves one mount point
.TP
.I $envfile
per mount point settings of famfs@INSTANCE.service
.TP
.I /usr/sbin/mount.fuse.famfs
the
.BR mount (8)
helper behind \\fBmount \\-t fuse.famfs\\fR and fuse.famfs lines in
.BR fstab (5)
EOF
}

see_also() {
	printf '.SH SEE ALSO\n'
	for p in famfs mkfs.famfs fsck.famfs mount.famfs; do
		[ "$p.8" = "$page" ] || printf '.BR %s (8),\n' "$p"
	done
	printf '.BR fstab (5),\n.BR mount (8),\n.BR systemd.service (5)\n'
}

th() {	# th NAME DESCRIPTION
	printf '.\\" Generated by mk/man.sh from famfs %s help text; do not edit.\n' "$ver"
	printf '.TH %s 8 "" "famfs %s" "System Administration"\n' \
		"$(echo "$1" | tr "[:lower:]" "[:upper:]")" "$ver"
	printf '.SH NAME\n%s \\- %s\n' "$1" "$2"
}

famfs_page() {
	desc=$("$famfs" --help | sed -n 's/^famfs [^ ]*: \(.*\)\.$/\1/p')
	th famfs "$desc"
	"$famfs" --help | conv 1
	printf '.SH COMMANDS\n'
	for c in $(commands); do
		printf '.SS "famfs %s"\n' "$c"
		printf '%s.\n' "$(summary "$c")" | sed 's/^./\u&/'
		"$famfs" help "$c" | conv 2
	done
	printf '.SH "COMPATIBILITY WITH UPSTREAM FAMFS"\n'
	"$famfs" help upstream | conv 2
	printf '.SH CONFIGURATION\n'
	printf 'The configuration file, as installed with every key and its default:\n'
	verbatim "$src/conf/famfs.ini"
	printf '.SH SYSTEMD\n.nf\n'
	sed -n '/^\[/q; s/^# \{0,1\}//p' "$unit" | sed -e 's/\\/\\e/g' -e 's/-/\\-/g'
	printf '.fi\n'
}

cmd_page() {	# cmd_page CMD
	th "$1.famfs" "$(summary "$1")"
	"$famfs" help "$1" | conv 1
}

{
	case $page in
	famfs.8) famfs_page ;;
	*.famfs.8) cmd_page "${page%.famfs.8}" ;;
	*) echo "mk/man.sh: no page $page" >&2; exit 1 ;;
	esac
	files
	see_also
} >"$out.tmp"
mv "$out.tmp" "$out"
