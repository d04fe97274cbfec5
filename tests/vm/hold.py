#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hold one vCPU of a QEMU guest inside a kernel race window.

Run by tests/vm/run.sh for the `races` scenario once the guest has printed
the addresses it needs (from its /proc/kallsyms; the kernel has no KASLR
here, and no vmlinux is kept beside a cached bzImage):

    HOLD_PORT=N HOLD_SECS=S HOLD_D6=ADDR HOLD_D9=ADDR HOLD_UTS=ADDR \\
        python3 tests/vm/hold.py

It speaks the gdb remote protocol to QEMU's stub (-gdb tcp:127.0.0.1:N)
itself: gdb 13 asserts (inline-frame.c, skip_inline_frames) when it
resumes one thread of a remote target.  It arms the holds and tells the
guest so by writing "hold-armed" into init_uts_ns's nodename (HOLD_UTS),
which the guest reads with hostname(1).  When a hold's breakpoint is hit,
that vCPU stays stopped while only the other one runs for S seconds (a
vCont that names one vCPU resumes only that one); then both run again.
Each hold happens once and prints "HOLD: NAME held cpu X for S s at ..."
for run.sh to judge.

  D6  HOLD_D6 = inode_set_flags, stopping only when called with (S_DAX,
      S_DAX): famfs installing a file's map (nothing else in the guest
      sets S_DAX).
  D9  HOLD_D9 = dax_holder: only famfs's memory-failure callback calls it
      in the guest; the stopped vCPU first runs alone to the return, so
      the hold starts with the callback holding the table entry it read.
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


class Stub:
    """A gdb remote protocol client (ack mode, as QEMU 7.2 needs)."""

    def __init__(self, port):
        deadline = time.time() + CONNECT_SECS
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", int(port)))
                break
            except OSError as err:
                if time.time() > deadline:
                    raise RuntimeError("no gdb stub on port %s: %s" % (port, err))
                time.sleep(0.2)
        self.buf = b""
        # QEMU stops the guest when a debugger connects: take its status,
        # and whatever else it sent first
        self.send("?")
        self.wait_stop()
        while self.recv(0.5) is not None:
            pass

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
        self.send(data)
        return self.recv()

    def interrupt(self):
        self.sock.sendall(b"\x03")
        return self.wait_stop()

    def wait_stop(self, timeout=None):
        """Thread id of a stop reply (0 if it names none); None on timeout."""
        while True:
            reply = self.recv(timeout)
            if reply is None:
                return None
            if reply[:1] in ("T", "S"):
                for field in reply[3:].split(";"):
                    if field.startswith("thread:"):
                        return int(field[len("thread:"):].split(".")[-1], 16)
                return 0
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
            ids += [int(t, 16) for t in reply[1:].split(",")]
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


def hold(stub, tid, secs):
    """Keep tid stopped while only the other vCPU runs for secs."""
    other = [t for t in stub.threads() if t != tid][0]
    stub.send("vCont;c:%x" % other)
    if stub.wait_stop(secs) is None:
        stub.interrupt()
    return other


def main():
    env = os.environ
    secs = float(env.get("HOLD_SECS", "6"))
    stub = Stub(env["HOLD_PORT"])
    holds = {int(env["HOLD_D6"], 16): "D6", int(env["HOLD_D9"], 16): "D9"}
    for addr in holds:
        stub.brk(addr, True)
    stub.write(int(env["HOLD_UTS"], 16) + NODENAME_OFF, b"hold-armed\0")
    log("D6 armed at 0x%x if (S_DAX, S_DAX); D9 armed at 0x%x; the guest is told" %
        tuple(holds))
    while holds:
        stub.send("vCont;c")
        tid = stub.wait_stop()
        rip = stub.reg(tid, 16)
        name = holds.get(rip)
        if name is None:
            log("stopped at 0x%x on thread %d, not at a hold" % (rip, tid))
            return 1
        if name == "D6" and (stub.reg(tid, REG_RSI) != S_DAX or
                             stub.reg(tid, REG_RDX) != S_DAX):
            stub.step_off(tid, rip)
            continue
        stub.brk(rip, False)
        del holds[rip]
        where = "inode_set_flags(S_DAX)"
        if name == "D9":
            ret = struct.unpack("<Q", stub.read(tid, stub.reg(tid, REG_RSP), 8))[0]
            stub.brk(ret, True)
            stub.send("vCont;c:%x" % tid)
            stub.wait_stop()
            stub.brk(ret, False)
            where = "the return of dax_holder() to 0x%x" % ret
        hold(stub, tid, secs)
        log("%s held cpu %d for %.0f s at %s" % (name, tid - 1, secs, where))
    stub.cmd("D")
    log("detached")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, EOFError, RuntimeError, KeyError, ValueError, IndexError) as err:
        log("failed: %s" % err)
        sys.exit(1)
