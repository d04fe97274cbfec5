#!/usr/bin/env python3
"""A syslog listener for the tests: a datagram socket at PATH, every
message appended to OUT as one line, until SIGTERM.

usage: syslogd.py PATH OUT
"""
import os
import signal
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(out, "a", buffering=1) as f:
    f.write("ready\n")
    while True:
        msg = s.recv(8192).decode("utf-8", "replace")
        f.write(msg.replace("\n", "\\n") + "\n")
