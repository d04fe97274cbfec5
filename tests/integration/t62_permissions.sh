#!/usr/bin/env bash
# Security: a non-root user is held to file modes (the server mounts with
# default_permissions) and cannot drive the control file.  As nobody
# (setpriv: uid/gid 65534, no groups, no capabilities), on the master's
# mount: a root 0600 file and a 0700 directory are closed, a 0644 file
# reads, nothing root owns can be written, created, removed or renamed;
# nobody's own 0600 file reads and writes (the modes decide, not a blanket
# refusal).  The control file: opening it as nobody is refused, and so is
# every request written (or reply read) through a descriptor root opened
# and nobody inherited - the server checks the caller of each request, not
# only of open().  The famfs commands run as nobody change nothing.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/integration/mnt.sh
. "$(dirname "$0")/mnt.sh"
need_exec "$TESTGEN"
command -v setpriv >/dev/null 2>&1 || { echo "skip: setpriv is missing"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }

mkimg img 256M
expect_exit 0 "$FAMFS" mkfs img
newmnt m
expect_exit 0 "$FAMFS" mount img m
chmod 755 .		# nobody must be able to reach the mount point
expect_exit 0 "$FAMFS" creat -m 0600 -s 4096 m/secret
expect_exit 0 "$FAMFS" creat -m 0644 -s 4096 m/pub
expect_exit 0 "$FAMFS" mkdir -m 0700 m/priv
expect_exit 0 "$FAMFS" creat -m 0644 -s 4096 m/priv/inner
expect_exit 0 "$FAMFS" creat -m 0600 -u 65534 -g 65534 -s 4096 m/mine
for f in secret pub priv/inner mine; do
	printf '%-4096s' "$f" | dd of="m/$f" conv=notrunc status=none
done
check_eq "600 0 644 0 700 0 600 65534" "$(stat -c '%a %u' m/secret m/pub m/priv m/mine | tr '\n' ' ' | sed 's/ $//')" "modes and owners"
state() {	# one hash over names, modes, sizes, owners and contents
	{
		(cd m && find . -printf '%p %y %m %s %U\n' | sort)
		sha256sum m/secret m/pub m/priv/inner m/.meta/.log
	} | sha256sum | cut -c1-16
}
S0=$(state)
nb() {	# nb WANT OP PATH [ARGS]: one system call as nobody
	local want=$1
	shift
	check_eq "$want" "$(as_nobody "$PY" -S "$HERE/famfs_ctl.py" fsop "$@")" "as nobody: $*"
}

# ---- reading follows the modes -------------------------------------------------
nb EACCES openr m/secret
nb "OK pub" read m/pub 0 3
nb EACCES listdir m/priv
nb EACCES openr m/priv/inner
nb "OK mine" read m/mine 0 4
nb "OK .ctl .log .superblock" listdir m/.meta
nb OK openr m/.meta/.log		# 0444: see RELIABILITY.md
# ---- writing follows the modes; namespace changes never -------------------------
nb EACCES openw m/pub
nb EACCES openrw m/secret
nb EACCES pwrite m/pub 0 4
nb EACCES opentrunc m/pub
nb EACCES truncate m/pub 0
nb EACCES mmaprw m/pub
nb EACCES mmapw m/pub
nb EACCES creat m/new
nb EACCES mkdir m/nd
nb EACCES unlink m/pub
nb EACCES rename m/pub m/pub2
nb EPERM chmod m/pub 666
nb EPERM chown m/pub 65534 65534
nb EACCES openw m/.meta/.log
nb EACCES openw m/.meta/.superblock
check_eq "$S0" "$(state)" "state after nobody's attempts"
nb "OK 4" pwrite m/mine 0 4 0x4e	# its own file: the mode allows it
check_eq "NNNN" "$(head -c 4 m/mine)" "nobody's write to its own 0600 file"

# ---- the control file ---------------------------------------------------------------
nb EACCES openrw m/.meta/.ctl
nb EACCES openr m/.meta/.ctl
nb EPERM chmod m/.meta/.ctl 666
# root opens it, nobody inherits the descriptor and writes a CREATE
inherit() {	# inherit OP: "write" a request or "read" a reply as nobody
	"$PY" -S - "$HERE" m "$1" <<'PYEOF'
import errno, os, sys
sys.path.insert(0, sys.argv[1])
import famfs_ctl as c
fd = os.open(sys.argv[2] + "/.meta/.ctl", os.O_RDWR)
req = c.encode(c.OPS["create"], 0, 0o644, 0, 0, 0, 4096, 0,
               "byinherit", "")
if sys.argv[3] == "read":
    os.write(fd, c.encode(c.OPS["status"], 0, 0, 0, 0, 0, 0, 0, "", ""))
pid = os.fork()
if pid == 0:
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
    try:
        if sys.argv[3] == "read":
            os.pread(fd, 4096, 0)
        else:
            os.write(fd, req)
        print("OK")
    except OSError as e:
        print(errno.errorcode[e.errno])
    sys.stdout.flush()
    os._exit(0)
os.waitpid(pid, 0)
PYEOF
}
check_eq EACCES "$(inherit write)" "a CREATE written as nobody through root's descriptor"
check_eq EACCES "$(inherit read)" "a reply read as nobody through root's descriptor"
if [ -e m/byinherit ]; then fail "the inherited descriptor created a file"; else ok "no file from the inherited descriptor"; fi
# root itself still can
check_eq 0 "$(ctl -k err m create byroot 4096)" "root's CREATE through the control file"
S0=$(state)

# ---- the famfs commands as nobody ----------------------------------------------------
# shellcheck disable=SC2317  # called through expect_exit
as_nobody_famfs() { as_nobody env FAMFS_SYSTEM_UUID_FILE="$FAMFS_SYSTEM_UUID_FILE" "$FAMFS" "$@"; }
expect_exit 1 as_nobody_famfs creat -s 4096 m/bynobody
out_has "must be run as root"
echo x >/tmp/famfs-t62.$$ && chmod 644 /tmp/famfs-t62.$$
expect_exit 1 as_nobody_famfs cp /tmp/famfs-t62.$$ m/
rm -f /tmp/famfs-t62.$$
expect_exit 1 as_nobody_famfs mkdir m/bynobody
out_has "only root may use the control file"
expect_exit 1 as_nobody_famfs logplay m
check_eq "$S0" "$(state)" "state after the famfs commands as nobody"

umount_wait m
expect_exit 0 "$FAMFS" fsck img
out_has "clean"
finish
