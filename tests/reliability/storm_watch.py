#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Watch a client mount while writers create files on the master.

    storm_watch.py FAMFS CLIENT_MNT WORKDIR WRITERS

Writer k creates w<k>_<i> (i = 1, 2, ...) one after the other and appends
each name to WORKDIR/done.<k> once its `famfs creat` has returned.  Until
WORKDIR/stop exists, this polls the client mount and checks that what it
shows is a consistent prefix of the master's log:

  - the set of names only grows between listings;
  - per writer the visible names are w<k>_1 .. w<k>_m, without a gap;
  - every name whose creat had returned before a listing began is in it
    (the client replays on READDIR);
  - every visible file has its size, and once its writer is done with it,
    its content verifies (famfs verify with its seed, read on the client).

Prints a summary line and one line per violation; exits 1 on any.
"""
import os
import re
import subprocess
import sys
import time

NAME = re.compile(r"^w(\d+)_(\d+)$")


def size_of(k, i):
    return 4096 + ((k * 7 + i) % 8) * 512


def seed_of(k, i):
    return k * 1000000 + i + 1


def done_names(work, writers):
    names = set()
    for k in range(writers):
        try:
            with open(os.path.join(work, "done.%d" % k)) as f:
                names.update(x.strip() for x in f if x.strip())
        except FileNotFoundError:
            pass
    return names


def check_listing(seen, now, done_before, bad):
    lost = seen - now
    if lost:
        bad.append("names disappeared: %s" % sorted(lost)[:5])
    missing = done_before - now
    if missing:
        bad.append("created but not listed: %s" % sorted(missing)[:5])
    top = {}
    for n in now:
        m = NAME.match(n)
        if not m:
            bad.append("unexpected name %r" % n)
            continue
        k, i = int(m.group(1)), int(m.group(2))
        top.setdefault(k, []).append(i)
    for k, idx in top.items():
        if len(idx) != max(idx):
            bad.append("writer %d: gap in 1..%d (%d visible)" %
                       (k, max(idx), len(idx)))


def verify(famfs, mnt, names, bad):
    args = [famfs, "verify", "-q", "-t", "0"]
    for n in names:
        k, i = (int(x) for x in NAME.match(n).groups())
        st = os.stat(os.path.join(mnt, n))
        if st.st_size != size_of(k, i):
            bad.append("%s: size %d, expected %d" %
                       (n, st.st_size, size_of(k, i)))
        args += ["-m", "%s,%d" % (os.path.join(mnt, n), seed_of(k, i))]
    if names:
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode:
            bad.append("verify on the client: " + (p.stdout + p.stderr)[-300:])


def main():
    famfs, mnt, work, writers = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4])
    seen, checked, bad = set(), set(), []
    polls = grew = 0
    t0 = time.time()
    while True:
        last = os.path.exists(os.path.join(work, "stop"))
        done_before = done_names(work, writers)
        now = set(os.listdir(mnt)) - {".meta"}
        polls += 1
        grew += len(now) > len(seen)
        check_listing(seen, now, done_before, bad)
        todo = sorted((now & done_before) - checked)
        verify(famfs, mnt, todo, bad)
        checked.update(todo)
        seen = now
        if bad or last:
            break
    for b in bad[:20]:
        print("storm: client: " + b)
    print("storm: client: %d listings in %.1f s (%d saw new files), "
          "%d names at the end, %d files verified on the client, "
          "%d violations" % (polls, time.time() - t0, grew, len(seen),
                             len(checked), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
