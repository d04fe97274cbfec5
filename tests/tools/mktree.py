#!/usr/bin/env python3
"""mktree: build a tree holding every kind of entry a root tree can hold,
to test that a copy keeps all of it (tests/integration/t80_fidelity.sh).

  mktree.py DIR        DIR must not exist; run as root (owners, device
                       nodes, trusted.* xattrs)

DIR's filesystem must take trusted.* and security.* xattrs, POSIX ACLs,
an xattr value of 8 KiB and a 255-byte xattr name (tmpfs does).

It holds: regular files of several sizes (empty, 1 byte, a page, a page
and a byte, 1 MiB + 3); the modes 4755, 2755, 6711, 1777 (a directory),
4777 (a world-writable setuid file), 0000; owners 1234567:7654321 and
4294967294:4000000000; nanosecond mtimes, before 1970 and after 2038;
symlinks (relative, absolute, dangling, to a directory, a 4095-byte
target); hard links (2 names, 3 names in three directories); a FIFO, a
unix socket, char and block devices (one with a major and minor above 255);
a 250-byte name, a UTF-8 name, names with a newline and a 0xff byte;
xattrs: user.* on files and directories, trusted.* on a symlink,
security.capability (v2, cap_net_bind_service), system.posix_acl_access
on a file and a directory, system.posix_acl_default on a directory, an
8 KiB value and a 255-byte name.  Times are set last, deepest first, so
that making the entries does not change them.
"""
import os
import socket
import stat
import struct
import sys

# <linux/posix_acl_xattr.h>, <linux/posix_acl.h>
ACL_VERSION = 2
ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ = 0x01, 0x02, 0x04
ACL_GROUP, ACL_MASK, ACL_OTHER = 0x08, 0x10, 0x20
ACL_UNDEF = 0xffffffff
# <linux/capability.h>
VFS_CAP_REVISION_2 = 0x02000000
VFS_CAP_FLAGS_EFFECTIVE = 0x000001
CAP_NET_BIND_SERVICE = 10


def acl(entries):
    """A posix_acl_xattr value: header, then (tag, perm, id) entries
    sorted by tag and id, as the kernel requires."""
    b = struct.pack("<I", ACL_VERSION)
    for tag, perm, uid in sorted(entries):
        b += struct.pack("<HHI", tag, perm, uid)
    return b


def cap_v2(permitted, inheritable=0, effective=True):
    """A vfs_cap_data (revision 2) value for capabilities 0..31."""
    magic = VFS_CAP_REVISION_2 | (VFS_CAP_FLAGS_EFFECTIVE if effective else 0)
    return struct.pack("<IIIII", magic, permitted, inheritable, 0, 0)


ACL_FILE = acl([(ACL_USER_OBJ, 6, ACL_UNDEF), (ACL_USER, 4, 1000),
                (ACL_USER, 6, 1234567), (ACL_GROUP_OBJ, 4, ACL_UNDEF),
                (ACL_GROUP, 5, 100), (ACL_MASK, 6, ACL_UNDEF),
                (ACL_OTHER, 0, ACL_UNDEF)])
ACL_DIR = acl([(ACL_USER_OBJ, 7, ACL_UNDEF), (ACL_USER, 5, 1000),
               (ACL_GROUP_OBJ, 5, ACL_UNDEF), (ACL_MASK, 7, ACL_UNDEF),
               (ACL_OTHER, 1, ACL_UNDEF)])
ACL_DEFAULT = acl([(ACL_USER_OBJ, 7, ACL_UNDEF), (ACL_GROUP_OBJ, 5, ACL_UNDEF),
                   (ACL_GROUP, 7, 4000000000), (ACL_MASK, 7, ACL_UNDEF),
                   (ACL_OTHER, 0, ACL_UNDEF)])
CAP = cap_v2(1 << CAP_NET_BIND_SERVICE)


def data(n, seed):
    """N bytes that differ with SEED (not random: the tree is reproducible)."""
    out = bytearray()
    x = seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out += x.to_bytes(8, "little")
    return bytes(out[:n])


def build(top):
    os.umask(0)
    os.mkdir(top, 0o755)
    os.chdir(top)
    times = []		# (path, ns) set at the end, deepest first

    def f(path, size, mode=0o644, seed=1, owner=None, ns=None):
        with open(path, "wb") as fh:
            fh.write(data(size, seed))
        if owner:
            os.chown(path, *owner)
        os.chmod(path, mode)	# after chown, which clears setuid
        times.append((path, ns or 1700000000_000000000 + seed))

    def d(path, mode=0o755, owner=None, ns=None):
        os.mkdir(path)
        if owner:
            os.chown(path, *owner)
        os.chmod(path, mode)
        times.append((path, ns or 1600000000_000000001 + len(times)))

    def ln(target, path, ns=None, owner=None):
        os.symlink(target, path)
        if owner:
            os.chown(path, *owner, follow_symlinks=False)
        times.append((path, ns or 1500000000_000000002 + len(times)))

    # regular files
    d("files")
    f("files/empty", 0, seed=2)
    f("files/one", 1, seed=3)
    f("files/page", 4096, seed=4)
    f("files/page1", 4097, seed=5, ns=1700000000_999999999)
    f("files/big", (1 << 20) + 3, seed=6, ns=1234567890_123456789)
    f("files/old", 100, seed=7, ns=-(86400 * 365 * 10) * 10**9 + 5)
    f("files/future", 100, seed=8, ns=4102444800_000000001)
    f("files/empty-setgid", 0, mode=0o2755, seed=9)
    # modes and owners
    d("modes")
    f("modes/setuid", 10, mode=0o4755, seed=10)
    f("modes/setgid", 10, mode=0o2755, seed=11)
    f("modes/both", 10, mode=0o6711, seed=12)
    f("modes/none", 10, mode=0o0000, seed=13)
    f("modes/ww-setuid", 4096, mode=0o4777, seed=14)
    d("modes/sticky", mode=0o1777)
    d("modes/setgid-dir", mode=0o2775, owner=(0, 4000000000))
    f("modes/odd-owner", 20, mode=0o640, seed=15, owner=(1234567, 7654321))
    f("modes/max-owner", 20, mode=0o4750, seed=16,
      owner=(4294967294, 4000000000))
    d("modes/owned-dir", mode=0o750, owner=(1234567, 7654321))
    # symlinks
    d("links")
    ln("../files/one", "links/rel")
    ln("/etc/hostname", "links/abs", ns=1000000000_000000001)
    ln("no/such/target", "links/dangling")
    ln("../modes", "links/todir")
    long_target = ("t" * 254 + "/") * 16 + "x" * 15	# 4095 bytes
    ln(long_target, "links/long")
    ln("../files/empty", "links/owned", owner=(1234567, 7654321))
    # hard links: 2 names, and 3 names in three directories
    d("hard")
    d("hard/a")
    d("hard/b")
    f("hard/two", 5000, mode=0o640, seed=17, owner=(1000, 1000))
    os.link("hard/two", "hard/two-again")
    f("hard/a/three", 3, mode=0o4755, seed=18)
    os.link("hard/a/three", "hard/b/three")
    os.link("hard/a/three", "files/three")
    f("hard/empty", 0, seed=19)
    os.link("hard/empty", "hard/b/empty")
    # special files
    d("special")
    os.mkfifo("special/fifo", 0o620)
    times.append(("special/fifo", 1700000000_000000123))
    cwd = os.getcwd()
    os.chdir("special")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("sock")
    s.close()
    os.chdir(cwd)
    os.chmod("special/sock", 0o750)
    times.append(("special/sock", 1700000000_000000124))
    os.mknod("special/null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mknod("special/loop200", stat.S_IFBLK | 0o660, os.makedev(7, 200))
    os.mknod("special/bigdev", stat.S_IFCHR | 0o600, os.makedev(300, 70000))
    os.chown("special/loop200", 0, 6)
    for n in ("null", "loop200", "bigdev"):
        times.append(("special/" + n, 1700000000_000000200 + len(n)))
    # names
    d("names")
    f("names/" + "n" * 250, 7, seed=20)
    f("names/h\u00e9llo-\u00fcn\u00efcode-\u65e5\u672c", 8, seed=21)
    f("names/new\nline", 9, seed=22)
    f(os.fsdecode(b"names/odd\xff\x01byte"), 10, seed=23)
    f("names/sp ace=eq\\bs", 11, seed=24)
    # xattrs
    d("xattr")
    f("xattr/user", 30, seed=25)
    os.setxattr("xattr/user", "user.one", b"1")
    os.setxattr("xattr/user", "user.empty", b"")
    os.setxattr("xattr/user", "user.bin", bytes(range(256)))
    os.setxattr("xattr/user", "user." + "x" * 250, b"long name")
    f("xattr/big", 30, seed=26)
    os.setxattr("xattr/big", "user.big", data(8192, 27))
    os.setxattr("xattr/big", "trusted.big", data(4097, 28))
    f("xattr/cap", 4096, mode=0o755, seed=29)
    os.setxattr("xattr/cap", "security.capability", CAP)
    f("xattr/acl", 40, mode=0o640, seed=30)
    os.setxattr("xattr/acl", "system.posix_acl_access", ACL_FILE)
    d("xattr/acldir")
    os.setxattr("xattr/acldir", "system.posix_acl_access", ACL_DIR)
    os.setxattr("xattr/acldir", "system.posix_acl_default", ACL_DEFAULT)
    os.setxattr("xattr/acldir", "user.dir", b"on a directory")
    os.setxattr("xattr", "user.top", b"dir xattr")
    ln("user", "xattr/link")
    os.setxattr("xattr/link", "trusted.onlink", b"symlink xattr",
                follow_symlinks=False)
    f("xattr/empty", 0, seed=31)
    os.setxattr("xattr/empty", "user.onempty", b"x")
    os.setxattr("xattr/empty", "trusted.t", b"y")
    os.mkfifo("xattr/fifo")
    os.setxattr("xattr/fifo", "trusted.onfifo", b"z")
    times.append(("xattr/fifo", 1700000000_000000321))
    # times, deepest first: a directory's after its entries
    for path, ns in sorted(times, key=lambda t: -t[0].count("/")):
        os.utime(path, ns=(ns, ns), follow_symlinks=False)


def main():
    if len(sys.argv) != 2:
        print("usage: mktree.py DIR", file=sys.stderr)
        return 2
    build(sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
