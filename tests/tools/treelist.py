#!/usr/bin/env python3
"""treelist: a canonical listing of a directory tree, to compare a tree
with its copy (diff of two listings).

One line per entry, sorted by the bytes of its path relative to ROOT (the
root itself is "."), then space-separated KEY=VALUE fields:

  type=    f regular, d directory, l symlink, p FIFO, s socket,
           c/b character/block device
  mode=    the permission bits, setuid/setgid/sticky included (octal)
  uid= gid=
  size=    regular files and symlinks
  mtime=   seconds.nanoseconds (symlinks too: famfs stores their times)
  rdev=    major:minor, device nodes
  target=  the symlink's target
  hl=      a hard-link group, for a non-directory whose inode has more
           than one name inside the tree: the group's lexically first
           path, "/", and the number of its names in the tree
  nlink=   st_nlink of non-directories (--nlink only: a source tree may
           have links outside itself; a copy of a whole tree may not)
  sha256=  the contents of a regular file
  x:NAME=  each extended attribute, by name: "hex:" and the value for
           values up to 64 bytes, else "sha256:<digest>/<length>"
  err=     an errno name where an entry could not be read

Paths, symlink targets and xattr names are escaped so that any byte is
safe in a line: bytes outside printable ASCII, the space, "=" and "\\"
become \\xHH.

The root directory's own times are left out unless --root-times: they are
the times of the directory a copy lands in (a mount point, or a directory
made by the copy command before it fills it), not part of the tree copied,
and a live source such as /etc changes them whenever something is added
or removed there.  atime is never listed (reading a tree changes it), nor
ctime (no copy can set it: the kernel stamps it).

  treelist.py [options] ROOT
  treelist.py --diff [-n N] LIST1 LIST2
      compare two listings: print the first N (default 12) entries that
      differ, each with the fields that differ, and a count; exit 1 if
      any differs
"""
import argparse
import errno
import fnmatch
import hashlib
import os
import stat
import sys

TYPES = {
    stat.S_IFREG: "f", stat.S_IFDIR: "d", stat.S_IFLNK: "l",
    stat.S_IFIFO: "p", stat.S_IFSOCK: "s", stat.S_IFCHR: "c",
    stat.S_IFBLK: "b",
}
SAFE = frozenset(range(0x21, 0x7f)) - {ord("="), ord("\\")}


def esc(b):
    """Escape bytes (or a str, in the filesystem encoding) for a line."""
    if isinstance(b, str):
        b = os.fsencode(b)
    return "".join(chr(c) if c in SAFE else "\\x%02x" % c for c in b)


def errname(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def walk(root, rel, excl, out):
    """Collect (relpath bytes, lstat) of ROOT/REL and everything below."""
    path = os.path.join(root, rel) if rel else root
    st = os.lstat(path)
    out.append((rel or b".", st))
    if not stat.S_ISDIR(st.st_mode):
        return
    for name in sorted(os.listdir(path)):
        crel = os.path.join(rel, name) if rel else name
        if any(fnmatch.fnmatchcase(crel, p) for p in excl):
            continue
        walk(root, crel, excl, out)


def xattrs(path, opt):
    fields = []
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError as e:
        if e.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return fields
        return ["x-err=" + errname(e)]
    for name in sorted(names, key=os.fsencode):
        if any(fnmatch.fnmatchcase(name, p) for p in opt.ignore_xattr):
            continue
        try:
            v = os.getxattr(path, name, follow_symlinks=False)
        except OSError as e:
            fields.append("x:%s=err:%s" % (esc(name), errname(e)))
            continue
        if len(v) <= 64:
            val = "hex:" + v.hex()
        else:
            val = "sha256:%s/%d" % (hashlib.sha256(v).hexdigest(), len(v))
        fields.append("x:%s=%s" % (esc(name), val))
    return fields


def content(path):
    h = hashlib.sha256()
    try:
        with open(path, "rb", buffering=0) as f:
            while True:
                buf = f.read(1 << 20)
                if not buf:
                    break
                h.update(buf)
    except OSError as e:
        return "err=" + errname(e)
    return "sha256=" + h.hexdigest()


def entry_line(root, rel, st, links, opt):
    path = os.path.join(root, rel) if rel != b"." else root
    fmt = stat.S_IFMT(st.st_mode)
    t = TYPES.get(fmt, "?")
    mode = stat.S_IMODE(st.st_mode)
    if t != "d":
        mode &= ~opt.mask_mode
    f = [esc(rel), "type=" + t, "mode=%04o" % mode]
    if not opt.no_owner:
        f += ["uid=%d" % st.st_uid, "gid=%d" % st.st_gid]
    if t in "fl":
        f.append("size=%d" % st.st_size)
    if not opt.no_mtime and (rel != b"." or opt.root_times):
        f.append("mtime=%d.%09d" % divmod(st.st_mtime_ns, 10**9))
    if t in "cb":
        f.append("rdev=%d:%d" % (os.major(st.st_rdev), os.minor(st.st_rdev)))
    if t == "l":
        try:
            f.append("target=" + esc(os.readlink(path)))
        except OSError as e:
            f.append("err=" + errname(e))
    if t != "d":
        group = links.get((st.st_dev, st.st_ino))
        if group and len(group) > 1:
            f.append("hl=%s/%d" % (esc(group[0]), len(group)))
        if opt.nlink:
            f.append("nlink=%d" % st.st_nlink)
    if t == "f" and not opt.no_content:
        f.append(content(path))
    if not opt.no_xattr:
        f += xattrs(path, opt)
    return " ".join(f)


def listing(root, opt):
    """The lines of ROOT's listing (a generator)."""
    broot = os.fsencode(root)
    entries = []
    walk(broot, b"", [os.fsencode(p) for p in opt.exclude], entries)
    entries.sort(key=lambda e: (e[0] != b".", e[0]))	# the root first
    links = {}
    for rel, st in entries:
        if not stat.S_ISDIR(st.st_mode):
            links.setdefault((st.st_dev, st.st_ino), []).append(rel)
    for rel, st in entries:
        yield entry_line(broot, rel, st, links, opt)


def parse(line):
    """(path, {key: value}) of a listing line."""
    words = line.rstrip("\n").split(" ")
    return words[0], dict(w.split("=", 1) if "=" in w else (w, "")
                          for w in words[1:])


def diff_lists(a, b, n=12):
    """The differences of two listings (lists of lines), at most N of
    them as text lines, and their number."""
    da = dict(parse(ln) for ln in a)
    db = dict(parse(ln) for ln in b)
    order = sorted(set(da) | set(db), key=lambda p: (p != ".", p.encode()))
    out, count = [], 0
    for p in order:
        fa, fb = da.get(p), db.get(p)
        if fa == fb:
            continue
        count += 1
        if len(out) >= n:
            continue
        if fa is None or fb is None:
            out.append("%s: only in %s" % (p, "the second" if fa is None
                                              else "the first"))
            continue
        keys = list(fa) + [k for k in fb if k not in fa]
        what = ["%s %s -> %s" % (k, fa.get(k, "(none)"), fb.get(k, "(none)"))
                for k in keys if fa.get(k) != fb.get(k)]
        out.append("%s: %s" % (p, "; ".join(what)))
    return out, count


def diff_main(argv):
    n = 12
    if len(argv) >= 2 and argv[0] == "-n":
        n = int(argv[1])
        argv = argv[2:]
    if len(argv) != 2:
        print("usage: treelist.py --diff [-n N] LIST1 LIST2", file=sys.stderr)
        return 2
    with open(argv[0]) as f1, open(argv[1]) as f2:
        out, count = diff_lists(f1.readlines(), f2.readlines(), n)
    for line in out:
        print(line)
    if count:
        print("%d entries differ" % count)
    return 1 if count else 0


def parser():
    p = argparse.ArgumentParser(
        prog="treelist.py",
        description="Print a canonical, sorted listing of the tree ROOT.")
    p.add_argument("root", metavar="ROOT")
    p.add_argument("--no-mtime", action="store_true",
                   help="leave out mtime")
    p.add_argument("--no-owner", action="store_true",
                   help="leave out uid and gid")
    p.add_argument("--no-content", action="store_true",
                   help="leave out the sha256 of file contents")
    p.add_argument("--no-xattr", action="store_true",
                   help="leave out every extended attribute")
    p.add_argument("--ignore-xattr", action="append", default=[],
                   metavar="NAME", help="leave out xattrs matching NAME "
                   "(a glob; repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="PATH",
                   help="leave out PATH (relative to ROOT, a glob) and "
                   "everything below it (repeatable)")
    p.add_argument("--mask-mode", type=lambda s: int(s, 8), default=0,
                   metavar="OCTAL", help="clear these bits of the modes of "
                   "everything but directories (0222 for a famfs client "
                   "mount, which shows no write bits on them)")
    p.add_argument("--root-times", action="store_true",
                   help="list the root directory's mtime too")
    p.add_argument("--nlink", action="store_true",
                   help="list st_nlink of non-directories")
    return p


def main(argv=None):
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--diff"]:
        return diff_main(argv[1:])
    opt = parser().parse_args(argv)
    if not os.path.isdir(opt.root):
        print("treelist.py: %s: not a directory" % opt.root, file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        for line in listing(opt.root, opt):
            out.write(line + "\n")
    except OSError as e:
        print("treelist.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
