#!/usr/bin/env python3
"""Run one command line of a systemd service unit the way systemd would.

usage: unitexec.py UNIT-FILE INSTANCE KEY

KEY is ExecStart, ExecStop, ... of the [Service] section (its one line).
The line is taken from the unit as written: specifiers (%i %I %f %n %N
%p %%) are resolved for the escaped INSTANCE; Environment= and
EnvironmentFile= (a leading '-': optional) give the variables; the line is
split into words honouring quotes, then a word that is exactly $NAME becomes
the value's whitespace-separated words (none when empty), ${NAME} is
replaced inside a word and $$ is a literal '$' (systemd.service(5),
"Command lines").  The command runs with only those variables and
systemd's default PATH, stdin from /dev/null.  Prints the argv to stderr
("unitexec: KEY: ...") and exits with the command's exit status; a
'-' prefix on the line is reported, not applied.
"""
import os
import re
import shlex
import subprocess
import sys

SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def unescape_path(s):
    s = s.replace("-", "/")
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), s)


def specifiers(s, unit, inst):
    prefix = unit.split("@", 1)[0]
    table = {
        "i": inst, "I": unescape_path(inst),
        "f": "/" + unescape_path(inst).lstrip("/"),
        "n": f"{prefix}@{inst}.service", "N": f"{prefix}@{inst}",
        "p": prefix, "%": "%",
    }

    def sub(m):
        if m.group(1) not in table:
            sys.exit(f"unitexec: specifier %{m.group(1)} is not handled")
        return table[m.group(1)]
    return re.sub(r"%(.)", sub, s)


def service_section(path):
    """The [Service] lines as (key, value), continuation lines joined."""
    out, section, pending = [], None, ""
    for raw in open(path):
        line = pending + raw.rstrip("\n")
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        s = line.strip()
        if not s or s[0] in "#;":
            continue
        if s.startswith("["):
            section = s
            continue
        if section == "[Service]" and "=" in s:
            k, v = s.split("=", 1)
            out.append((k.strip(), v.strip()))
    return out


def env_file(path, env):
    for line in open(path):
        s = line.strip()
        if not s or s[0] in "#;" or "=" not in s:
            continue
        k, v = s.split("=", 1)
        words = shlex.split(v, comments=False) if v.strip() else [""]
        env[k.strip()] = " ".join(words)


def expand(words, env):
    out = []
    for w in words:
        w = w.replace("$$", "\0")
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", w)
        if m:
            out += env.get(m.group(1), "").split()
            continue
        w = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
                   lambda m: env.get(m.group(1), ""), w)
        out.append(w.replace("\0", "$"))
    return out


def main():
    path, inst, key = sys.argv[1:4]
    unit = os.path.basename(path)
    if not unit.endswith("@.service"):
        sys.exit(f"unitexec: {unit} is not a template service")
    lines = service_section(path)
    env = {}
    for k, v in lines:
        if k == "Environment":
            for a in shlex.split(specifiers(v, unit, inst)):
                n, _, val = a.partition("=")
                env[n] = val
        elif k == "EnvironmentFile":
            f = specifiers(v, unit, inst)
            optional = f.startswith("-")
            f = f.lstrip("-")
            if os.path.exists(f):
                env_file(f, env)
            elif not optional:
                sys.exit(f"unitexec: EnvironmentFile {f} is missing")
    cmds = [v for k, v in lines if k == key]
    if len(cmds) != 1:
        sys.exit(f"unitexec: {len(cmds)} {key}= lines in {path}")
    cmd = specifiers(cmds[0], unit, inst)
    flags = re.match(r"[-@:+!]*", cmd).group(0)
    argv = expand(shlex.split(cmd[len(flags):]), env)
    print(f"unitexec: {key}: {' '.join(shlex.quote(a) for a in argv)}"
          + (f" (prefix {flags})" if flags else ""), file=sys.stderr)
    env["PATH"] = SYSTEMD_PATH
    rc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL).returncode
    sys.exit(rc if rc >= 0 else 128 - rc)


main()
