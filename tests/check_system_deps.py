#!/usr/bin/env python3
"""Proves that the Makefile's install lists bring what the tests read.

The suites read system files (the services and protocols databases) and run
system programs (openssl, getent, timeout). On a minimal Debian 12 (a
`debian:12` container) `make deps` is all a newcomer runs, so each of them
must come from a package that the Makefile installs (BUILD_PKGS or
APT_PKGS) or that every Debian system has (Essential or Priority required).
This is checked with dpkg: the package that owns the file here must be one
of those, and the package the tests expect to own it must be listed even
when the file is missing on this machine. "localhost" in /etc/hosts comes
from no package (the container runtime or the installer writes it): it is
reported, and the tests that need it skip when it is absent.

Exit status: 0 when every file is covered, 1 when one is not, 77 (skipped)
without dpkg (not a Debian system).
usage: check_system_deps.py --makefile PATH
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

# What the tests read or run, and the package that provides it on Debian 12.
FILES = {
    "/etc/services": "netbase",   # cnet_get_serv_by_*: http/tcp, ssh/tcp, domain/udp
    "/etc/protocols": "netbase",  # cnet_get_proto_by_name: tcp, udp
}
PROGRAMS = {
    "openssl": "openssl",         # tests/tls_mkcerts.sh, s_server/s_client interop
    "getent": "libc-bin",         # examples/tests/lib.sh: have_localhost
    "timeout": "coreutils",       # every example test
    "valgrind": "valgrind",       # suite valgrind (tests/valgrind_suite.sh)
}


def makefile_packages(path):
    """The words of BUILD_PKGS and APT_PKGS, with line continuations joined."""
    text = open(path, encoding="utf-8").read().replace("\\\n", " ")
    found = {}
    for name, value in re.findall(r"^(BUILD_PKGS|APT_PKGS)\s*:?=(.*)$", text, re.M):
        found[name] = value.split()
    if "BUILD_PKGS" not in found or "APT_PKGS" not in found:
        sys.exit(f"{path}: BUILD_PKGS or APT_PKGS not found")
    words = set(found["BUILD_PKGS"]) | set(found["APT_PKGS"])
    words.discard("$(BUILD_PKGS)")
    return words


def dpkg_owner(path):
    """The package owning path (or its /usr-merged twin), or None."""
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        if p.startswith("/usr/"):
            candidates.append(p[4:])
        else:
            candidates.append("/usr" + p)
    for p in candidates:
        r = subprocess.run(["dpkg-query", "-S", p], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def always_present(package):
    """Essential or Priority required: on every Debian system, minbase too."""
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Essential} ${Priority}", package],
                       capture_output=True, text=True)
    return r.returncode == 0 and (r.stdout.startswith("yes") or r.stdout.endswith("required"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--makefile", required=True)
    args = ap.parse_args()
    if shutil.which("dpkg-query") is None:
        print("no dpkg-query: not a Debian system, skipped")
        return 77
    listed = makefile_packages(args.makefile)
    failures = 0

    def covered(package):
        return package in listed or always_present(package)

    def check(what, path, expected):
        nonlocal failures
        if not covered(expected):
            print(f"FAIL {what}: the tests need package {expected}, which {args.makefile} does not install "
                  f"(add it to BUILD_PKGS or APT_PKGS)")
            failures += 1
            return
        if path is None or not os.path.exists(path):
            print(f"ok   {what}: missing here, but `make deps` installs {expected}, which provides it")
            return
        owner = dpkg_owner(path)
        if owner is None:
            print(f"FAIL {what}: {path} belongs to no package; the tests cannot rely on it")
            failures += 1
        elif not covered(owner):
            print(f"FAIL {what}: {path} comes from {owner}, which {args.makefile} does not install")
            failures += 1
        else:
            print(f"ok   {what}: {path} from {owner}" + ("" if owner in listed else " (always installed)"))

    for path, package in sorted(FILES.items()):
        check(path, path, package)
    for program, package in sorted(PROGRAMS.items()):
        check(program, shutil.which(program), package)

    hosts = ""
    if os.path.exists("/etc/hosts"):
        hosts = open("/etc/hosts", encoding="utf-8", errors="replace").read()
    if re.search(r"^\s*127\.0\.0\.1\s+(\S+\s+)*localhost(\s|$)", hosts, re.M):
        print("ok   /etc/hosts maps localhost to 127.0.0.1")
    else:
        print("note /etc/hosts has no '127.0.0.1 localhost' line (no package provides it): "
              "the tests by name skip")
    print(f"{'FAILED' if failures else 'passed'}: {failures} missing from the install lists")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
