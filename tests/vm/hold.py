#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hold one vCPU of a QEMU guest inside a kernel race window.

Run by tests/vm/run.sh for the `races` scenario once the guest has printed
the addresses it needs (from its /proc/kallsyms; the kernel has no KASLR
here, and no vmlinux is kept beside a cached bzImage):

    HOLD_SOCK=PATH HOLD_SECS=S HOLD_D6=ADDR HOLD_D9=ADDR HOLD_UTS=ADDR \\
        python3 tests/vm/hold.py

It speaks the gdb remote protocol to QEMU's stub (a unix socket, PATH)
itself: gdb 13 asserts (inline-frame.c, skip_inline_frames) when it
resumes one thread of a remote target.  It arms the holds and tells the
guest so by writing "hold-armed" into init_uts_ns's nodename (HOLD_UTS),
which the guest reads with hostname(1).  When a hold's breakpoint is hit
on CPU 0 (the guest makes each race there; hits elsewhere are stepped
over), that vCPU stays stopped while only the others run for S seconds (a
vCont that names vCPUs resumes only those); then all run again.  When a
hold starts, the nodename says "hold-d6" or "hold-d9", for a guest that
must wait for it.  Each hold happens once and prints "HOLD: NAME held cpu
0 for S s at ..." for run.sh to judge.  Whatever happens, the script
removes its breakpoints and detaches (QEMU 7.2 keeps a guest stopped when
its debugger just goes away).  NODENAME_OFF assumes the kernel has no
CONFIG_RANDSTRUCT.

  D6  HOLD_D6 = inode_set_flags, stopping only when called with (S_DAX,
      S_DAX): famfs installing a file's map (nothing else in the guest
      sets S_DAX).
  D9  HOLD_D9 = dax_holder: only famfs's memory-failure callback calls it
      in the guest; every vCPU runs on until that call returns on CPU 0
      (the guest waits for "hold-d9" before its competing move), so the
      hold starts with the callback holding the table entry it read.
"""
import os
import socket
import struct
import sys
import time

S_DAX = 1 << 13
NODENAME_OFF = 65  # struct uts_namespace starts with struct new_utsname
REG_RDX, REG_RSI, REG_RSP = 3, 4, 7  # gdb's x86-64 register numbers
CONNECT_SECS = 60
DEBUG = os.environ.get("HOLD_DEBUG") == "1"


def log(msg):
    print("HOLD: " + msg, flush=True)


def thread_id(text):
    """A thread id, plain ("01") or multiprocess ("p1.01"): vCPU index + 1."""
    return int(text.split(".")[-1], 16)


class Stub:
    """A gdb remote protocol client (ack mode, as QEMU 7.2 needs)."""

    def __init__(self, path):
        deadline = time.time() + CONNECT_SECS
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError as err:
                self.sock.close()
                if time.time() > deadline:
                    raise RuntimeError("no gdb stub at %s: %s" % (path, err))
                time.sleep(0.2)
        self.buf = b""
        # QEMU stops the guest when a debugger connects, and may say so
        # before it answers "?": cmd() skips stop replies
        self.send("?")
        self.wait_stop()

    def send(self, data):
        if DEBUG:
            log("-> " + data)
        body = data.encode()
        self.sock.sendall(b"$%s#%02x" % (body, sum(body) & 0xFF))

    def recv(self, timeout=None):
        """The next packet's body; None on timeout."""
        self.sock.settimeout(timeout)
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                body = self.buf[start + 1:end].decode()
                self.buf = self.buf[end + 3:]
                self.sock.sendall(b"+")
                if DEBUG:
                    log("<- " + body[:80])
                return body
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise EOFError("the guest has gone")
            self.buf += chunk

    def cmd(self, data):
        """Send a command, return its reply (never a stop reply)."""
        self.send(data)
        while True:
            reply = self.recv()
            if reply[:1] not in ("T", "S"):
                return reply

    def interrupt(self):
        self.sock.sendall(b"\x03")
        return self.wait_stop()

    def wait_stop(self, timeout=None):
        """Thread id of a stop reply; None on timeout."""
        while True:
            reply = self.recv(timeout)
            if reply is None:
                return None
            if reply[:1] in ("T", "S"):
                for field in reply[3:].split(";"):
                    if field.startswith("thread:"):
                        return thread_id(field[len("thread:"):])
                raise RuntimeError("a stop reply without a thread: %s" % reply)
            if reply[:1] in ("W", "X"):
                raise EOFError("the guest has gone (%s)" % reply)

    def reg(self, tid, num):
        """64-bit register num (0-15 the GPRs in gdb's order, 16 rip)."""
        self.cmd("Hg%x" % tid)
        regs = bytes.fromhex(self.cmd("g"))
        if len(regs) < 8 * 17:
            raise RuntimeError("short register reply (%d bytes)" % len(regs))
        return struct.unpack_from("<Q", regs, 8 * num)[0]

    def read(self, tid, addr, size):
        self.cmd("Hg%x" % tid)
        return bytes.fromhex(self.cmd("m%x,%x" % (addr, size)))

    def write(self, addr, data):
        ok = self.cmd("M%x,%x:%s" % (addr, len(data), data.hex()))
        if ok != "OK":
            raise RuntimeError("writing %d bytes at 0x%x: %s" % (len(data), addr, ok))

    def threads(self):
        ids, reply = [], self.cmd("qfThreadInfo")
        while reply.startswith("m"):
            ids += [thread_id(t) for t in reply[1:].split(",")]
            reply = self.cmd("qsThreadInfo")
        return ids

    def brk(self, addr, on):
        ok = self.cmd("%s0,%x,1" % ("Z" if on else "z", addr))
        if ok != "OK":
            raise RuntimeError("breakpoint at 0x%x: %s" % (addr, ok))

    def step_off(self, tid, addr):
        """Run thread tid one instruction past its breakpoint at addr."""
        self.brk(addr, False)
        self.send("vCont;s:%x" % tid)
        self.wait_stop()
        self.brk(addr, True)


def run_until(stub, threads, secs, armed, want=None):
    """Resume threads (None: every vCPU) for up to secs seconds.  A vCPU
    that stops at one of our armed breakpoints is stepped over and the run
    goes on, unless (thread, rip) is want, which ends it.  True when want
    was reached, False when the time ran out (every vCPU stopped again)."""
    deadline = time.time() + secs
    cont = "vCont" + (";c" if threads is None else
                      "".join(";c:%x" % t for t in threads))
    while True:
        stub.send(cont)
        hit = stub.wait_stop(max(deadline - time.time(), 0.01))
        if hit is None:
            stub.interrupt()
            return False
        rip = stub.reg(hit, 16)
        if (hit, rip) == want:
            return True
        if rip not in armed:
            raise RuntimeError("cpu %d stopped at 0x%x, not at a breakpoint of ours" %
                               (hit - 1, rip))
        stub.step_off(hit, rip)


def hold(stub, tid, secs, armed):
    """Keep tid stopped while only the other vCPUs run for secs; the
    seconds they ran."""
    others = [t for t in stub.threads() if t != tid]
    if not others:
        raise RuntimeError("the guest has one vCPU: nothing to race with")
    start = time.time()
    run_until(stub, others, secs, armed)
    return time.time() - start


def where_all(stub):
    """Where each vCPU is, for a message (look the addresses up in the
    guest's /proc/kallsyms)."""
    try:
        return ", ".join("cpu %d at 0x%x" % (t - 1, stub.reg(t, 16))
                         for t in stub.threads())
    except (OSError, EOFError, RuntimeError) as err:
        return "registers unreadable: %s" % err


def run_to_return(stub, tid, limit, armed):
    """tid is at a function's first instruction: run every vCPU until tid
    returns from it; the return address.  No vCPU runs with another
    stopped here (but for single steps, which QEMU makes with interrupts
    and timers masked): a vCPU stopped at an arbitrary point may hold a
    spinlock, or owe an IPI reply, that a running one would wait for.
    The guest makes no competing move before the hold starts.  The return
    breakpoint is in armed while it is set, so a failure removes it too."""
    ret = struct.unpack("<Q", stub.read(tid, stub.reg(tid, REG_RSP), 8))[0]
    stub.brk(ret, True)
    armed.append(ret)
    if not run_until(stub, None, limit, armed, (tid, ret)):
        raise RuntimeError("cpu %d did not return to 0x%x in %d s (%s)" %
                           (tid - 1, ret, limit, where_all(stub)))
    stub.brk(ret, False)
    armed.remove(ret)
    return ret


def main(stub, armed):
    env = os.environ
    secs = float(env.get("HOLD_SECS", "6"))
    uts = int(env["HOLD_UTS"], 16) + NODENAME_OFF
    holds = {int(env["HOLD_D6"], 16): "D6", int(env["HOLD_D9"], 16): "D9"}
    for addr in holds:
        stub.brk(addr, True)
        armed.append(addr)
    stub.write(uts, b"hold-armed\0")
    log("D6 armed at 0x%x if (S_DAX, S_DAX); D9 armed at 0x%x; the guest is told" %
        tuple(holds))
    while holds:
        stub.send("vCont;c")
        tid = stub.wait_stop()
        rip = stub.reg(tid, 16)
        name = holds.get(rip)
        if name is None:
            raise RuntimeError("stopped at 0x%x on cpu %d, not at a hold" % (rip, tid - 1))
        # the guest makes each race on CPU 0; D6 only for (S_DAX, S_DAX)
        # (unsigned int arguments)
        if tid != 1 or (name == "D6" and (
                stub.reg(tid, REG_RSI) & 0xFFFFFFFF != S_DAX or
                stub.reg(tid, REG_RDX) & 0xFFFFFFFF != S_DAX)):
            stub.step_off(tid, rip)
            continue
        stub.brk(rip, False)
        armed.remove(rip)
        del holds[rip]
        where = "inode_set_flags(S_DAX)"
        if name == "D9":
            where = "the return of dax_holder() to 0x%x" % run_to_return(stub, tid, 30, armed)
        # the guest waits for this before it makes the competing move
        stub.write(uts, b"hold-" + name.lower().encode() + b"\0")
        ran = hold(stub, tid, secs, armed)
        log("%s held cpu %d for %.1f s at %s" % (name, tid - 1, ran, where))


def run():
    stub = Stub(os.environ["HOLD_SOCK"])
    armed = []
    try:
        main(stub, armed)
        return 0
    finally:
        # never leave the guest stopped or with a breakpoint in place
        try:
            for addr in armed:
                stub.brk(addr, False)
            stub.cmd("D")
            log("detached")
        except (OSError, EOFError, RuntimeError) as err:
            log("detach failed: %s" % err)


if __name__ == "__main__":
    try:
        sys.exit(run())
    except (OSError, EOFError, RuntimeError, KeyError, ValueError, IndexError) as err:
        log("failed: %s" % err)
        sys.exit(1)
