#!/usr/bin/env python3
"""Unit tests of treelist.py on scratch trees: a tree and its `cp -a` copy
list the same; every attribute changed by hand on the copy changes exactly
the line of that entry, in that field; names with any byte stay one line;
the options leave out what they say.  Needs root (owners, device nodes,
trusted.* xattrs) and GNU cp.  Run: python3 tests/tools/test_treelist.py
"""
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True		# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import treelist  # noqa: E402
import mktree  # noqa: E402


def lines(root, *opts):
    opt = treelist.parser().parse_args(list(opts) + [root])
    return list(treelist.listing(root, opt))


def by_path(ls):
    return {ln.split(" ", 1)[0]: ln for ln in ls}


def fields(line):
    return dict(f.split("=", 1) for f in line.split(" ")[1:])


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="treelist.")
        os.umask(0o022)
        self.src = os.path.join(self.tmp, "src")
        self.cpy = os.path.join(self.tmp, "cpy")
        s = self.src
        os.mkdir(s)
        os.mkdir(s + "/d")
        with open(s + "/d/f", "wb") as f:
            f.write(b"hello")
        with open(s + "/e", "wb"):
            pass
        os.link(s + "/d/f", s + "/g")
        os.symlink("d/f", s + "/l")
        os.mkfifo(s + "/p")
        os.mknod(s + "/c", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        os.chmod(s + "/d/f", 0o4755)
        os.setxattr(s + "/d/f", "user.a", b"1")
        os.setxattr(s + "/l", "trusted.b", b"2", follow_symlinks=False)
        for p in ("d/f", "e", "l", "p", "c", "d"):
            os.utime(s + "/" + p, ns=(5, 1700000000_000000007),
                     follow_symlinks=False)
        subprocess.run(["cp", "-a", s, self.cpy], check=True)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def changed(self, *opts):
        """{path: (src line, copy line)} for the lines that differ."""
        a = by_path(lines(self.src, *opts))
        b = by_path(lines(self.cpy, *opts))
        return {p: (a.get(p), b.get(p)) for p in set(a) | set(b)
                if a.get(p) != b.get(p)}

    def one_field(self, path, key, *opts):
        """Exactly PATH's line differs, and in field KEY (among others)."""
        ch = self.changed(*opts)
        self.assertEqual(list(ch), [path], ch)
        a, b = (fields(x) for x in ch[path])
        self.assertNotEqual(a.get(key), b.get(key), ch)


class Copy(Base):
    def test_copy_is_the_same(self):
        self.assertEqual(lines(self.src), lines(self.cpy))
        self.assertEqual(lines(self.src, "--nlink"), lines(self.cpy, "--nlink"))

    def test_fields(self):
        ls = by_path(lines(self.cpy))
        f = fields(ls["d/f"])
        self.assertEqual(f["type"], "f")
        self.assertEqual(f["mode"], "4755")
        self.assertEqual(f["size"], "5")
        self.assertEqual(f["mtime"], "1700000000.000000007")
        self.assertEqual(f["hl"], "d/f/2")
        self.assertEqual(f["x:user.a"], "hex:31")
        self.assertEqual(fields(ls["g"])["hl"], "d/f/2")
        self.assertEqual(fields(ls["l"])["target"], "d/f")
        self.assertEqual(fields(ls["l"])["x:trusted.b"], "hex:32")
        self.assertEqual(fields(ls["c"])["rdev"], "1:3")
        self.assertEqual(fields(ls["p"])["type"], "p")
        self.assertNotIn("size", fields(ls["p"]))
        self.assertNotIn("mtime", fields(ls["."]))
        self.assertNotIn("hl", fields(ls["e"]))
        self.assertEqual(fields(ls["e"])["sha256"],
                         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        self.assertEqual(list(ls), sorted(ls, key=os.fsencode))


class Mutations(Base):
    def p(self, rel):
        return os.path.join(self.cpy, rel)

    def test_mode(self):
        os.chmod(self.p("d/f"), 0o755)
        # g is the same inode: both lines differ
        self.assertEqual(sorted(self.changed()), ["d/f", "g"])
        self.one_field("d/f", "mode", "--exclude", "g")

    def test_sticky_dir(self):
        os.chmod(self.p("d"), 0o1755)
        os.utime(self.p("d"), ns=(5, 1700000000_000000007))
        self.one_field("d", "mode")

    def test_owner(self):
        os.chown(self.p("e"), 1234567, -1)
        self.one_field("e", "uid")
        os.chown(self.p("e"), 0, 7654321)
        self.one_field("e", "gid")

    def test_symlink_owner(self):
        os.chown(self.p("l"), 5, 5, follow_symlinks=False)
        self.one_field("l", "uid")

    def test_mtime_ns(self):
        os.utime(self.p("e"), ns=(5, 1700000000_000000008))
        self.one_field("e", "mtime")

    def test_symlink_mtime(self):
        os.utime(self.p("l"), ns=(5, 1700000000_000000006),
                 follow_symlinks=False)
        self.one_field("l", "mtime")

    def test_content_same_size(self):
        with open(self.p("d/f"), "r+b") as f:
            f.write(b"J")
        os.utime(self.p("d/f"), ns=(5, 1700000000_000000007))
        self.assertIn("d/f", self.changed())
        self.one_field("d/f", "sha256", "--exclude", "g")

    def test_size(self):
        with open(self.p("e"), "wb") as f:
            f.write(b"\0")
        os.utime(self.p("e"), ns=(5, 1700000000_000000007))
        self.one_field("e", "size")

    def test_target(self):
        os.unlink(self.p("l"))
        os.symlink("d/g", self.p("l"))
        os.setxattr(self.p("l"), "trusted.b", b"2", follow_symlinks=False)
        os.utime(self.p("l"), ns=(5, 1700000000_000000007),
                 follow_symlinks=False)
        self.one_field("l", "target", "--no-mtime")

    def test_rdev(self):
        os.unlink(self.p("c"))
        os.mknod(self.p("c"), stat.S_IFCHR | 0o600, os.makedev(1, 5))
        os.utime(self.p("c"), ns=(5, 1700000000_000000007))
        self.one_field("c", "rdev", "--no-mtime")

    def test_type(self):
        os.unlink(self.p("p"))
        s = socket.socket(socket.AF_UNIX)
        s.bind(self.p("p"))
        s.close()
        os.chmod(self.p("p"), 0o644)
        os.utime(self.p("p"), ns=(5, 1700000000_000000007))
        self.one_field("p", "type", "--no-mtime")

    def test_hard_link_broken(self):
        os.unlink(self.p("g"))
        shutil.copy2(self.p("d/f"), self.p("g"))
        os.chmod(self.p("g"), 0o4755)
        ch = self.changed("--no-mtime")
        self.assertEqual(sorted(ch), ["d/f", "g"])
        self.assertNotIn("hl", fields(ch["g"][1]))

    def test_hard_link_added(self):
        os.link(self.p("e"), self.p("d/e2"))
        ch = self.changed("--no-mtime")
        self.assertEqual(sorted(ch), ["d/e2", "e"])
        self.assertEqual(fields(ch["e"][1])["hl"], "d/e2/2")

    def test_nlink(self):
        # a link outside the tree: nlink differs, the in-tree group not
        os.link(self.p("e"), os.path.join(self.tmp, "outside"))
        self.assertEqual(self.changed(), {})
        self.assertEqual(list(self.changed("--nlink")), ["e"])

    def test_xattr_value(self):
        os.setxattr(self.p("d/f"), "user.a", b"2")
        self.one_field("d/f", "x:user.a", "--exclude", "g")

    def test_xattr_removed(self):
        os.removexattr(self.p("l"), "trusted.b", follow_symlinks=False)
        self.one_field("l", "x:trusted.b")

    def test_xattr_added(self):
        os.setxattr(self.p("d"), "user.new", b"")
        self.one_field("d", "x:user.new")

    def test_big_xattr(self):
        os.setxattr(self.p("e"), "user.v", b"a" * 1000)
        os.setxattr(self.src + "/e", "user.v", b"a" * 999 + b"b")
        self.one_field("e", "x:user.v")
        self.assertIn("/1000", fields(self.changed()["e"][1])["x:user.v"])

    def test_acl(self):
        os.setxattr(self.p("e"), "system.posix_acl_access", mktree.ACL_FILE)
        ch = self.changed()
        self.assertEqual(list(ch), ["e"])
        self.assertIn("x:system.posix_acl_access", fields(ch["e"][1]))

    def test_missing_and_extra(self):
        os.unlink(self.p("p"))
        os.mkfifo(self.p("q"))
        ch = self.changed("--no-mtime")
        self.assertEqual(ch["p"][1], None)
        self.assertEqual(ch["q"][0], None)


class Names(unittest.TestCase):
    def test_any_byte(self):
        with tempfile.TemporaryDirectory() as t:
            names = [b"a b", b"new\nline", b"x=y", b"back\\slash",
                     b"\xff\x01", "h\u00e9".encode(), b"-", b"A"]
            for n in names:
                open(os.path.join(os.fsencode(t), n), "wb").close()
            ls = lines(t, "--no-mtime", "--no-content")
            self.assertEqual(len(ls), len(names) + 1)
            got = [ln.split(" ", 1)[0] for ln in ls[1:]]
            want = sorted(names)
            self.assertEqual(got, [treelist.esc(n) for n in want])
            for g in got:
                self.assertRegex(g, r"^[!-~]+$")
            self.assertIn("new\\x0aline", got)
            self.assertIn("x\\x3dy", got)
            self.assertIn("back\\x5cslash", got)


class Options(Base):
    def test_no_mtime(self):
        os.utime(self.p("e"), ns=(5, 5))
        self.assertEqual(list(self.changed()), ["e"])
        self.assertEqual(self.changed("--no-mtime"), {})

    def test_no_owner(self):
        os.chown(self.p("e"), 1, 1)
        self.assertEqual(self.changed("--no-owner"), {})

    def test_ignore_xattr(self):
        os.setxattr(self.p("e"), "user.famfs.identity", b"x")
        self.assertEqual(list(self.changed()), ["e"])
        self.assertEqual(self.changed("--ignore-xattr", "user.famfs.*"), {})
        self.assertEqual(self.changed("--no-xattr"), {})

    def test_exclude(self):
        os.mkfifo(self.p("d/new"))
        self.assertEqual(self.changed("--no-mtime", "--exclude", "d"), {})

    def test_mask(self):
        os.chmod(self.p("e"), 0o444)
        self.assertEqual(list(self.changed()), ["e"])
        self.assertEqual(self.changed("--mask-mode", "0222"), {})

    def test_root_times(self):
        os.utime(self.cpy, ns=(1, 1))
        self.assertEqual(self.changed(), {})
        self.assertEqual(list(self.changed("--root-times")), ["."])

    def test_no_content(self):
        with open(self.p("d/f"), "r+b") as f:
            f.write(b"J")
        self.assertEqual(self.changed("--no-content", "--no-mtime"), {})

    def p(self, rel):
        return os.path.join(self.cpy, rel)


class Diff(unittest.TestCase):
    def test_diff_lists(self):
        a = [". type=d", "b type=f mode=0644 x:user.a=hex:31",
             "c type=l target=x", "d type=p"]
        b = [". type=d", "b type=f mode=0755", "c type=l target=x",
             "e type=p"]
        out, n = treelist.diff_lists(a, b)
        self.assertEqual(n, 3)
        self.assertEqual(out, [
            "b: mode 0644 -> 0755; x:user.a hex:31 -> (none)",
            "d: only in the first", "e: only in the second"])
        self.assertEqual(treelist.diff_lists(a, a), ([], 0))
        out, n = treelist.diff_lists(a, b, 1)
        self.assertEqual((len(out), n), (1, 3))


class Every(unittest.TestCase):
    """mktree's tree (on tmpfs when this can mount one) and its cp -a copy."""

    def test_mktree_copy(self):
        with tempfile.TemporaryDirectory() as t:
            if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64M",
                               "tmpfs", t]).returncode != 0:
                self.skipTest("cannot mount a tmpfs")
            try:
                mktree.build(t + "/src")
                os.chdir(t)
                subprocess.run(["cp", "-a", "src", "cpy"], check=True)
                a, b = lines("src", "--nlink"), lines("cpy", "--nlink")
                self.assertEqual(a, b)
                kinds = {fields(ln)["type"] for ln in a}
                self.assertEqual(kinds, set("fdlpscb"))
                self.assertEqual(len(a), 59)
            finally:
                os.chdir("/")
                subprocess.run(["umount", t], check=True)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("test_treelist.py: needs root")
        sys.exit(77)
    unittest.main()
