#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""famfs_ctl.py: speak the famfs control protocol (include/famfs/famfs_ctl.h) to a
mounted server, for the integration tests; independent of the famfs CLI.

  famfs_ctl.py [options] MNT create PATH SIZE
  famfs_ctl.py [options] MNT mkdir PATH
  famfs_ctl.py [options] MNT status
  famfs_ctl.py [options] MNT logplay
  famfs_ctl.py [options] MNT getmap PATH
  famfs_ctl.py [options] MNT clone SRC PATH
  famfs_ctl.py [options] MNT op N [PATH]        any op number (refusal tests)
  famfs_ctl.py fsop OP PATH [ARGS]             one system call, see below

Options: -m MODE (octal, default 0644 files / 0755 dirs), -u UID, -g GID,
-p (FLAG_PARENTS), -e (FLAG_EXIST_OK), -n (FLAG_DRYRUN), -s NSTRIPS,
-c CHUNK, -F FLAGS (raw flags word), -M MAGIC (raw magic word),
-k KEY: print one value instead of the reply; KEY names a field of the
reply (err, errname, ino, count, msg) or, dotted, of the JSON in msg
(e.g. pid, extents.0.offset, extents#: the length of a list).

Prints the reply as one JSON object {"err", "errname", "ino", "count", "msg"}
(msg parsed when it is JSON: "msg_json").  Exit: 0 the server answered err 0,
1 it answered an error, 2 usage, 3 the control file could not be opened,
written or read (the OS error on stderr as "famfs_ctl: STEP: ENAME (N) ...").

fsop runs one system call on a path and prints "OK" (with the byte count or
value where there is one) or the errno name it failed with (EPERM, EROFS..);
it exits 0 either way (2 on a usage error):
  openr/openw/openrw/opentrunc PATH, creat PATH, truncate PATH LEN,
  ftruncate PATH LEN, chmod PATH OCTAL, chown PATH UID GID, utime PATH,
  setxattr PATH NAME VALUE, removexattr PATH NAME, getxattr PATH NAME,
  pwrite PATH OFF LEN [BYTE], fallocate PATH OFF LEN, mkdir PATH,
  listdir PATH, read PATH OFF LEN (the bytes as latin-1), rmdir PATH,
  unlink PATH, rename OLD NEW, link OLD NEW, symlink TARGET PATH,
  mkfifo PATH, mknod PATH (a character device 1:3), mmapw PATH (open
  O_RDONLY, mmap PROT_WRITE MAP_SHARED), mmaprw PATH (the same, O_RDWR).
"""
import errno
import fcntl
import getopt
import json
import mmap
import os
import struct
import sys

MAGIC = 0x4C544346
OPS = {"create": 1, "mkdir": 2, "status": 3, "logplay": 4, "clone": 5,
       "getmap": 6, "devadd": 7}
F_PARENTS, F_EXIST_OK, F_DRYRUN, F_FORCE = 0x1, 0x2, 0x4, 0x8
PATH_FIELD = 1024
REQ_FMT = "<8I2Q%ds%ds" % (PATH_FIELD, PATH_FIELD)
REP_HDR = "<2I3Q"
MSG_LEN = 3072
assert struct.calcsize(REQ_FMT) == 0x830
assert struct.calcsize(REP_HDR) == 0x20


def usage(msg):
    sys.stderr.write("famfs_ctl: %s\n" % msg)
    sys.exit(2)


def os_fail(step, e):
    name = errno.errorcode.get(e.errno, "?") if e.errno else "?"
    sys.stderr.write("famfs_ctl: %s: %s (%s) %s\n" % (step, name, e.errno,
                                                      e.strerror))
    sys.exit(3)


def encode(op, flags, mode, uid, gid, nstrips, size, chunk, path, src,
           magic=MAGIC):
    return struct.pack(REQ_FMT, magic, op, flags, mode, uid, gid, nstrips, 0,
                       size, chunk, path.encode(), src.encode())


def decode(buf):
    if len(buf) < 0x20:
        raise ValueError("short reply: %d bytes" % len(buf))
    magic, err, ino, count, _ = struct.unpack_from(REP_HDR, buf)
    if magic != MAGIC:
        raise ValueError("bad reply magic 0x%x" % magic)
    msg = buf[0x20:0x20 + MSG_LEN].split(b"\0", 1)[0].decode("utf-8",
                                                             "replace")
    rep = {"err": err, "errname": errno.errorcode.get(err, "") if err else "",
           "ino": ino, "count": count, "msg": msg}
    try:
        rep["msg_json"] = json.loads(msg) if msg.startswith("{") else None
    except ValueError:
        rep["msg_json"] = None
    return rep


# FAMFS_CTL_IOC = _IOWR('f', 0x43, struct famfs_ctl_drep): a request on a
# read-only mount, where the control file opens read-only.
CTL_IOC = (3 << 30) | ((0x20 + MSG_LEN) << 16) | (ord("f") << 8) | 0x43


def request(mnt, req):
    """Open MNT/.meta/.ctl, write one request at 0, read the reply at 0;
    on a read-only mount, one ioctl carries both."""
    path = os.path.join(mnt, ".meta", ".ctl")
    ro = False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as e:
        if e.errno != errno.EROFS:
            os_fail("open " + path, e)
        ro = True
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as e2:
            os_fail("open " + path, e2)
    try:
        if ro:
            buf = bytearray(req) + bytearray(0x20 + MSG_LEN - len(req))
            try:
                fcntl.ioctl(fd, CTL_IOC, buf, True)
            except OSError as e:
                os_fail("ioctl", e)
            buf = bytes(buf)
        else:
            try:
                n = os.pwrite(fd, req, 0)
            except OSError as e:
                os_fail("write", e)
            if n != len(req):
                sys.stderr.write("famfs_ctl: short write %d\n" % n)
                sys.exit(3)
            try:
                buf = os.pread(fd, 0x20 + MSG_LEN, 0)
            except OSError as e:
                os_fail("read", e)
    finally:
        os.close(fd)
    try:
        return decode(buf)
    except ValueError as e:
        sys.stderr.write("famfs_ctl: %s\n" % e)
        sys.exit(3)


def pick(rep, key):
    if key in rep and key != "msg_json":
        return rep[key]
    v = rep.get("msg_json")
    count = key.endswith("#")
    for k in (key[:-1] if count else key).split("."):
        if isinstance(v, list):
            v = v[int(k)] if k.isdigit() and int(k) < len(v) else None
        elif isinstance(v, dict):
            v = v.get(k)
        else:
            v = None
    if count:
        return len(v) if isinstance(v, (list, dict)) else None
    return v


def fmt(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return ""
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def mmap_shared(fd):
    """mmap(PROT_READ|PROT_WRITE, MAP_SHARED) of the first page, unmapped."""
    m = mmap.mmap(fd, 4096, flags=mmap.MAP_SHARED,
                  prot=mmap.PROT_READ | mmap.PROT_WRITE)
    m.close()


def fsop(args):
    """One system call; prints OK [result] or the errno name."""
    if len(args) < 2:
        usage("fsop OP PATH [ARGS]")
    op, p, a = args[0], args[1], args[2:]

    def with_fd(flags, fn=None):
        fd = os.open(p, flags, 0o644)
        try:
            return fn(fd) if fn else None
        finally:
            os.close(fd)

    calls = {
        "openr": lambda: with_fd(os.O_RDONLY),
        "openw": lambda: with_fd(os.O_WRONLY),
        "openrw": lambda: with_fd(os.O_RDWR),
        "opentrunc": lambda: with_fd(os.O_WRONLY | os.O_TRUNC),
        "creat": lambda: with_fd(os.O_WRONLY | os.O_CREAT | os.O_EXCL),
        "truncate": lambda: os.truncate(p, int(a[0], 0)),
        "ftruncate": lambda: with_fd(os.O_WRONLY,
                                     lambda fd: os.ftruncate(fd, int(a[0], 0))),
        "chmod": lambda: os.chmod(p, int(a[0], 8)),
        "chown": lambda: os.chown(p, int(a[0]), int(a[1])),
        "utime": lambda: os.utime(p, (1, 1)),
        "setxattr": lambda: os.setxattr(p, a[0], a[1].encode()),
        "removexattr": lambda: os.removexattr(p, a[0]),
        "getxattr": lambda: os.getxattr(p, a[0]).decode(),
        "pwrite": lambda: with_fd(os.O_WRONLY, lambda fd: os.pwrite(
            fd, bytes([int(a[2], 0) if len(a) > 2 else 0x5a]) * int(a[1], 0),
            int(a[0], 0))),
        "fallocate": lambda: with_fd(os.O_WRONLY, lambda fd: os.posix_fallocate(
            fd, int(a[0], 0), int(a[1], 0))),
        "mmapw": lambda: with_fd(os.O_RDONLY, lambda fd: mmap_shared(fd)),
        "mmaprw": lambda: with_fd(os.O_RDWR, lambda fd: mmap_shared(fd)),
        "listdir": lambda: " ".join(sorted(os.listdir(p))),
        "read": lambda: with_fd(os.O_RDONLY, lambda fd: os.pread(
            fd, int(a[1], 0), int(a[0], 0)).decode("latin-1")),
        "mkdir": lambda: os.mkdir(p),
        "rmdir": lambda: os.rmdir(p),
        "unlink": lambda: os.unlink(p),
        "rename": lambda: os.rename(p, a[0]),
        "link": lambda: os.link(p, a[0]),
        "symlink": lambda: os.symlink(p, a[0]),
        "mkfifo": lambda: os.mkfifo(p),
        "mknod": lambda: os.mknod(p, 0o600 | 0o020000, os.makedev(1, 3)),
    }
    if op not in calls:
        usage("unknown fsop '%s'" % op)
    try:
        r = calls[op]()
    except (OSError, IndexError, ValueError) as e:
        if isinstance(e, OSError) and e.errno:
            print(errno.errorcode.get(e.errno, str(e.errno)))
            return 0
        usage("fsop %s: %s" % (op, e))
    print("OK" if r is None else "OK %s" % r)
    return 0


def main(argv):
    if argv and argv[0] == "fsop":
        return fsop(argv[1:])
    try:
        opts, args = getopt.getopt(argv, "m:u:g:pens:c:F:M:k:")
    except getopt.GetoptError as e:
        usage(str(e))
    mode = None
    uid = gid = nstrips = chunk = flags = 0
    magic = MAGIC
    key = None
    for o, v in opts:
        if o == "-m":
            mode = int(v, 8)
        elif o == "-u":
            uid = int(v)
        elif o == "-g":
            gid = int(v)
        elif o == "-p":
            flags |= F_PARENTS
        elif o == "-e":
            flags |= F_EXIST_OK
        elif o == "-n":
            flags |= F_DRYRUN
        elif o == "-s":
            nstrips = int(v, 0)
        elif o == "-c":
            chunk = int(v, 0)
        elif o == "-F":
            flags = int(v, 0)
        elif o == "-M":
            magic = int(v, 0)
        elif o == "-k":
            key = v
    if len(args) < 2:
        usage("usage: famfs_ctl.py [options] MNT OP [ARGS]")
    mnt, name, rest = args[0], args[1], args[2:]
    path = src = ""
    size = 0
    need = {"create": 2, "mkdir": 1, "status": 0, "logplay": 0, "getmap": 1,
            "clone": 2}
    if name == "op":
        if not rest:
            usage("op needs a number")
        op = int(rest[0], 0)
        path = rest[1] if len(rest) > 1 else ""
    elif name in OPS:
        op = OPS[name]
        if len(rest) != need[name]:
            usage("%s takes %d argument(s)" % (name, need[name]))
        if name == "create":
            path, size = rest[0], int(rest[1], 0)
        elif name == "clone":
            src, path = rest
        elif rest:
            path = rest[0]
    else:
        usage("unknown op '%s'" % name)
    if mode is None:
        mode = 0o755 if op == OPS["mkdir"] else 0o644
    rep = request(mnt, encode(op, flags, mode, uid, gid, nstrips, size, chunk,
                              path, src, magic))
    if key is not None:
        print(fmt(pick(rep, key)))
    else:
        print(json.dumps(rep))
    return 1 if rep["err"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
