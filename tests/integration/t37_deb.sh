#!/usr/bin/env bash
# timeout-factor: 2
# The Debian package (mk/deb.sh, make deb): built from this build, it
# holds what the issue lists (the binary and its four links, the manual
# pages, famfs@.service, /etc/famfs.ini as a conffile, the completion, a
# copyright file and a changelog) and lintian reports nothing but the one
# override it carries.  Installed with dpkg into a scratch root (dpkg
# --root, a fresh dpkg database), the installed binary runs: --version,
# mkfs.famfs on an image, fsck.famfs on it, the completion.  dpkg --remove
# keeps only the changed conffile /etc/famfs.ini, as Debian policy says;
# --purge leaves nothing but dpkg's own database.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
for t in dpkg dpkg-deb; do
	command -v $t >/dev/null 2>&1 || { fail "$t is missing (mk/install-deps.sh installs it)"; finish; }
done
[ -f "$BUILD/famfs.bash" ] && [ -f "$BUILD/man/famfs.8" ] ||
	{ fail "$BUILD lacks the completion or the manual pages (make all)"; finish; }

expect_exit 0 "$ROOT/mk/deb.sh" "$BUILD" out
deb=$(cat "$OUT.stdout")
ver=$("$FAMFS" --version | awk '{ print $2 }')
check_eq "out/famfs_${ver}_$(dpkg --print-architecture).deb" "$deb" "package name"
check_eq "famfs $ver" "$(dpkg-deb -f "$deb" Package Version | awk -F': ' '{ printf("%s%s", (NR > 1 ? " " : ""), $2) }')" \
	"package and version fields"
check_eq /etc/famfs.ini "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)" "conffiles"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' | sort >contents
for f in /usr/sbin/famfs /usr/sbin/mkfs.famfs /usr/sbin/fsck.famfs \
	/usr/sbin/mount.famfs /usr/sbin/mount.fuse.famfs \
	/usr/share/man/man8/famfs.8.gz /usr/share/man/man8/mkfs.famfs.8.gz \
	/usr/share/man/man8/fsck.famfs.8.gz /usr/share/man/man8/mount.famfs.8.gz \
	/usr/share/man/man8/mount.fuse.famfs.8.gz \
	/lib/systemd/system/famfs@.service /etc/famfs.ini \
	/usr/share/bash-completion/completions/famfs \
	/usr/share/bash-completion/completions/mkfs.famfs \
	/usr/share/doc/famfs/copyright /usr/share/doc/famfs/changelog.gz; do
	grep -qx "$f" contents && ok "package has $f" || fail "package lacks $f"
done
if command -v lintian >/dev/null 2>&1; then
	expect_exit 0 lintian --fail-on error,warning,info "$deb"
	check_eq "" "$(grep -v 'running with root privileges' "$OUT.stdout" "$OUT.stderr" | grep -E '^[EWIXP]:')" "lintian tags"
	# (its exit status counts the overridden tags)
	check_eq "O: famfs: statically-linked-binary [usr/sbin/famfs]" \
		"$(lintian --show-overrides "$deb" 2>/dev/null | grep '^O:')" "the one override"
else
	fail "lintian is missing (make deb installs it)"
fi

# a scratch root with an empty dpkg database
R=$PWD/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
touch "$R/var/lib/dpkg/status"
tree() { (cd "$R" && find . -path ./var/lib/dpkg -prune -o -print | LC_ALL=C sort); }
before=$(tree)
DPKG=(dpkg --root="$R" --force-script-chrootless)
expect_exit 0 "${DPKG[@]}" -i "$deb"
check_eq "ii" "$("${DPKG[@]}" -l famfs | awk '$2 == "famfs" { print $1 }')" "dpkg -l famfs"
expect_exit 0 "$R/usr/sbin/famfs" --version
check_eq "famfs $ver" "$(cat "$OUT.stdout")" "the installed famfs --version"
mkimg img 64M
expect_exit 0 "$R/usr/sbin/mkfs.famfs" img
expect_exit 0 "$R/usr/sbin/fsck.famfs" img
cmp -s "$ROOT/conf/famfs.ini" "$R/etc/famfs.ini" && ok "/etc/famfs.ini is conf/famfs.ini" ||
	fail "/etc/famfs.ini differs from conf/famfs.ini"
zcat "$R/usr/share/man/man8/mount.fuse.famfs.8.gz" | grep -q '^\.TH MOUNT\.FAMFS 8' &&
	ok "man mount.fuse.famfs is mount.famfs(8)" || fail "mount.fuse.famfs.8.gz is not mount.famfs(8)"
check_eq "--repair" "$(bash -c '. "$1"; COMP_WORDS=(fsck.famfs --rep); COMP_CWORD=1; _famfs; echo "${COMPREPLY[@]}"' x \
	"$R/usr/share/bash-completion/completions/fsck.famfs")" "the installed completion"

# remove: the admin's conffile stays; purge: nothing stays
echo "; changed by the admin" >>"$R/etc/famfs.ini"
expect_exit 0 "${DPKG[@]}" --remove famfs
check_eq "$(printf '%s\n' "$before" ./etc ./etc/famfs.ini | LC_ALL=C sort)" "$(tree)" \
	"after --remove: only the changed conffile"
check_eq "rc" "$("${DPKG[@]}" -l famfs | awk '$2 == "famfs" { print $1 }')" "dpkg -l after --remove"
expect_exit 0 "${DPKG[@]}" --purge famfs
check_eq "$before" "$(tree)" "after --purge: the root as it was"
check_eq "" "$(ls "$R/var/lib/dpkg/info" | grep famfs)" "dpkg's files of famfs after --purge"
finish
