#!/usr/bin/env python3
"""Compare a pipeline run against a data set's expected outputs.

    python3 compare.py sets/NAME ACTUAL_DIR

ACTUAL_DIR holds any of billing-alerts.jsonl, low-traffic-alerts.jsonl, monthly-totals.csv,
malformed.txt in the oracle's formats (alert lines are compared as JSON objects, order-
and key-order-insensitive; malformed.txt by line numbers only, reasons ignored).  Each file
that differs is also compared with sets/NAME/alternatives/*/ to say which documented
alternative reading it matches, if any.  Exit status 1 if any file differs from expected/.
"""
import csv
import json
import os
import sys


def load(path, name):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        if name.endswith(".jsonl"):
            return sorted(json.dumps(json.loads(l), sort_keys=True) for l in f if l.strip())
        if name == "malformed.txt":
            return sorted(int(l.split()[0]) for l in f if l.strip())
        return sorted(tuple(r) for r in list(csv.reader(f))[1:] if r)


def main(setdir, actual):
    bad = 0
    for name in ("billing-alerts.jsonl", "low-traffic-alerts.jsonl", "monthly-totals.csv", "malformed.txt"):
        got = load(os.path.join(actual, name), name)
        if got is None:
            print(f"{name}: not produced, skipped")
            continue
        exp = load(os.path.join(setdir, "expected", name), name)
        if got == exp:
            print(f"{name}: OK ({len(exp)})")
            continue
        bad = 1
        missing = [x for x in exp if x not in got]
        extra = [x for x in got if x not in exp]
        print(f"{name}: DIFFERS: {len(missing)} missing, {len(extra)} unexpected")
        for x in missing[:20]:
            print("   - expected, missing:", x)
        for x in extra[:20]:
            print("   + unexpected:       ", x)
        altroot = os.path.join(setdir, "alternatives")
        for alt in sorted(os.listdir(altroot)) if os.path.isdir(altroot) else []:
            a = load(os.path.join(altroot, alt, name), name)
            if a is not None and a == got:
                print(f"   = matches alternative reading '{alt}' (see README.md)")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
