#!/usr/bin/env python3
"""Sum up the test results of one or more meson build directories.

Criterion executables report `Synthesis: Tested: N | Passing: P | Failing: F |
Crashing: C`; other tests may print a plain `N passed, N failed` line; a test
with neither counts as one test by its meson result. Prints one line per
build and ends with the plain totals line `N passed, N failed, N skipped`.
Exit status: 0 only when nothing failed and at least one test ran.
"""
import json
import os
import re
import sys

SYNTHESIS = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| Crashing: (\d+)")
PLAIN = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", re.M)
SKIP_LINE = re.compile(r"^\[SKIP\]", re.M)
# Criterion has already reported a test as passed when LeakSanitizer runs at
# the worker's exit, so sanitizer reports are counted here as failures.
SANITIZER = re.compile(r"(?:ERROR|WARNING): (?:Leak|Address|Thread|Memory)Sanitizer|runtime error:")


def count_build(build):
    path = os.path.join(build, "meson-logs", "testlog.json")
    passed = failed = skipped = 0
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            out = (t.get("stdout") or "") + "\n" + (t.get("stderr") or "")
            result = t.get("result")
            syn = SYNTHESIS.findall(out)
            plain = PLAIN.findall(out)
            reports = len(SANITIZER.findall(out))
            if reports:
                print(f"{build}: {t.get('name')}: {reports} sanitizer report(s) - counted as failures")
                failed += reports
            if result == "SKIP":
                skipped += 1
            elif syn:
                _, p, fl, cr = map(int, syn[-1])
                passed += p
                failed += fl + cr
                skipped += len(SKIP_LINE.findall(out))
                if result not in ("OK", "EXPECTEDFAIL") and fl + cr == 0:
                    failed += 1   # crashed or timed out outside any test
            elif plain:
                p, fl, sk = plain[-1]
                passed += int(p)
                failed += int(fl)
                skipped += int(sk or 0)
                if result not in ("OK", "EXPECTEDFAIL") and int(fl) == 0:
                    failed += 1
            elif result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


def main(builds):
    total = [0, 0, 0]
    ran_any = False
    for b in builds:
        r = count_build(b)
        if r is None:
            print(f"{b}: no test results (did it build?)")
            total[1] += 1
            continue
        ran_any = True
        print(f"{b}: {r[0]} passed, {r[1]} failed, {r[2]} skipped")
        for i in range(3):
            total[i] += r[i]
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 0 if ran_any and total[1] == 0 and total[0] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build"]))
