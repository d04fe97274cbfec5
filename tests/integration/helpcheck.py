#!/usr/bin/env python3
"""Compare every command's help with the option parser in its source.

usage: helpcheck.py FAMFS SRCROOT

The commands come from `FAMFS --help`; the command table in famfs.c names
each one's usage string, and the file defining that string holds the
command's struct option tables (whose letter values are also the short
options: cmd/opts.c makes the getopt string from them).
Each option the parser accepts must appear in `FAMFS help CMD` (an option
that takes a value with its METAVAR), and each option the help lists must
be accepted.  The global options of cmd/dispatch.c are checked against
`FAMFS --help`.  Prints "ok ..." / "FAIL ..." lines; exits 1 on a failure.
"""
import glob
import re
import subprocess
import sys

famfs, root = sys.argv[1], sys.argv[2]
fails = 0


def report(good, what):
    global fails
    print(("ok   " if good else "FAIL ") + what)
    if not good:
        fails += 1


def run(*args):
    p = subprocess.run([famfs, *args], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def c_strings(src):
    """Concatenate adjacent C string literals (no escapes needed here)."""
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', src))


def parser_options(src):
    """Short letters (with ':' when they take a value) and long names."""
    shorts = {}
    for m in re.finditer(r'getopt_long\s*\([^,]+,[^,]+,\s*((?:"[^"]*"\s*)+),', src):
        spec = c_strings(m.group(1)).lstrip("+:")
        for i, ch in enumerate(spec):
            if ch != ":":
                shorts[ch] = spec[i + 1:i + 2] == ":"
    longs = {}
    for block in re.findall(r'struct option \w+\[\]\s*=\s*\{(.*?)\n\};', src, re.S):
        for name, has, val in re.findall(
                r'\{\s*"([\w-]+)",\s*(\w+),\s*\w+,\s*([^}]*?)\s*\}', block):
            longs[name] = longs.get(name, False) or has == "required_argument"
            # cmd/opts.c: a letter as val is also that short option
            m = re.fullmatch(r"'([A-Za-z0-9])'", val)
            if m:
                ch = m.group(1)
                shorts[ch] = shorts.get(ch, False) or has == "required_argument"
    return shorts, longs


def help_options(text):
    """Options named at the start of the help's option lines."""
    names = set()
    for line in text.splitlines():
        m = re.match(r"^ {2,6}(-[^ ].*?)(?:  |$)", line)
        if m:
            names.update(re.findall(r'(?<![\w-])(--?[\w][\w-]*)', m.group(1)))
    return names


def has_value(text, opt):
    """Does a help line show OPT followed by a METAVAR?"""
    pat = r'(?<![\w-])' + re.escape(opt) + r'(?:, --[\w-]+)?[ =][A-Z]'
    return re.search(pat, text) is not None


def check(cmd, text, src):
    shorts, longs = parser_options(src)
    listed = help_options(text)
    for ch, val in sorted(shorts.items()):
        opt = "-" + ch
        report(opt in listed, f"{cmd}: help lists {opt}")
        if val:
            report(has_value(text, opt), f"{cmd}: help shows {opt}'s value")
    for name, val in sorted(longs.items()):
        opt = "--" + name
        report(opt in listed, f"{cmd}: help lists {opt}")
        if val:
            report(has_value(text, opt), f"{cmd}: help shows {opt}'s value")
    accepted = {"-" + c for c in shorts} | {"--" + n for n in longs}
    for opt in sorted(listed - accepted):
        report(False, f"{cmd}: help lists {opt}, which the parser does not accept")
    if shorts or longs:
        report("\nOptions:\n" in text, f"{cmd}: help has an Options: section")


rc, main_help = run("--help")
report(rc == 0, "famfs --help exits 0")
cmds = []
on = False
for line in main_help.splitlines():
    if line == "Commands:":
        on = True
    elif on and line.startswith("  "):
        cmds.append(line.split()[0])
    elif on:
        break
report(len(cmds) > 0, f"famfs --help lists {len(cmds)} commands")

table = open(f"{root}/famfs.c").read()
entry = re.compile(r'\{\s*"([\w-]+)",\s*(\w+),\s*[^,]+,\s*(?:"(?:[^"\\]|\\.)*"\s*)+,\s*(\w+),')
usage_of = {m.group(1): m.group(3) for m in entry.finditer(table)}
report(sorted(usage_of) == sorted(cmds),
       "the command table and famfs --help name the same commands")

sources = sorted(glob.glob(f"{root}/cmd/*.c")) + [f"{root}/famfs.c"]
for cmd in cmds:
    rc, text = run("help", cmd)
    report(rc == 0, f"famfs help {cmd} exits 0")
    paras = text.split("\n\n")
    report(paras[0].startswith(f"usage: famfs {cmd}"), f"{cmd}: usage line")
    report(len(paras) > 1 and len(paras[1].strip()) > 20,
           f"{cmd}: a description after the usage")
    sym = usage_of.get(cmd, "")
    files = [f for f in sources if re.search(
        r'^(?:static )?const char ' + re.escape(sym) + r'\[\]', open(f).read(), re.M)]
    report(len(files) == 1, f"{cmd}: usage string {sym} defined in one file")
    if len(files) == 1:
        check(cmd, text, open(files[0]).read())

# The global options: the dispatcher's parser against famfs --help.
cli = open(f"{root}/cmd/dispatch.c").read()
check("famfs", main_help.replace("Global options:", "Options:"), cli)
sys.exit(1 if fails else 0)
