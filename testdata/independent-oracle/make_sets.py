#!/usr/bin/env python3
"""Builds sets/*: inputs, expected/ (oracle output), alternatives/ (what changes
under each alternative reading), ambiguous.txt and NOTES.md.  Deterministic (fixed seeds).

    python3 make_sets.py            # all sets
    python3 make_sets.py 03-boundaries
"""
import difflib
import json
import os
import random
import shutil
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle  # noqa: E402

P = oracle.parse_instant_ms
SETS = os.path.join(HERE, "sets")
MIN = 60_000
SEC = 1000
HOUR = 3_600_000
NOW_MS = P("2026-11-27T23:00:00Z")    # only used by the constraint checker; expected/ uses the real clock
AMOUNT = {"MOTORCYCLE": 150, "CAR": 275, "VAN": 400, "BUS": 800, "TRUCK_2AXLE": 900,
          "TRUCK_3AXLE": 1300, "TRUCK_4PLUS": 1900}


def iso(ms, millis=True):
    s = oracle.fmt_instant(ms)
    if millis and "." not in s:
        s = s[:-1] + ".000Z"
    return s


def T(s):
    if len(s) == 16:
        s += ":00"
    if not s.endswith("Z"):
        s += "Z"
    return P(s)


def dumps(d):
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class SetBuilder:
    def __init__(self, name, seed, title):
        self.name, self.title = name, title
        self.rng = random.Random(seed)
        self.items = []            # (arrive, seq, bytes, tag, note)
        self.seq = 0
        self.stations, self.thresholds, self.customers = [], [], []
        self.notes = []
        self.final_newline = True
        self.allow_late_threshold_customers = set()

    # reference data
    def station(self, sid, name, tz):
        self.stations.append((sid, name, tz))

    def threshold(self, sid, day, slot, mv):
        self.thresholds.append((sid, day, slot, mv))

    def customer(self, cid, thr):
        self.customers.append((cid, "" if thr is None else str(thr)))

    # events
    def eid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def rec(self, ts, st, cust, amt=None, eid=None, lane=None, vc=None, tr=None, time_str=None, **extra):
        vc = vc or self.rng.choice(["CAR", "CAR", "CAR", "VAN", "MOTORCYCLE", "BUS", "TRUCK_2AXLE"])
        d = {"eventId": eid if eid is not None else self.eid(), "stationId": st,
             "laneId": lane if lane is not None else self.rng.randint(1, 8),
             "transceiverId": tr or ("T" + cust[1:] if len(cust) == 8 else "T0000001"),
             "customerId": cust, "vehicleClass": vc,
             "amountCents": AMOUNT[vc] if amt is None else amt,
             "eventTime": time_str or iso(ts)}
        d.update(extra)
        return d

    def add(self, arrive, payload, tag="valid", note=""):
        if isinstance(payload, dict):
            payload = dumps(payload)
        self.items.append((arrive, self.seq, payload, tag, note))
        self.seq += 1

    def ev(self, ts, st, cust, amt=None, arrive=None, tag="valid", note="", **kw):
        d = self.rec(ts, st, cust, amt, **kw)
        self.add(ts if arrive is None else arrive, d, tag, note)
        return d

    def ordered(self):
        return sorted(self.items, key=lambda x: (x[0], x[1]))

    # output
    def write(self):
        d = os.path.join(SETS, self.name)
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
        lines, ambiguous = [], []
        for i, (_, _, b, tag, note) in enumerate(self.ordered(), 1):
            lines.append(b)
            if tag.startswith("ambiguous"):
                ambiguous.append(f"{i}\t{note}")
        data = b"\n".join(lines) + (b"\n" if self.final_newline else b"")
        with open(os.path.join(d, "events.jsonl"), "wb") as f:
            f.write(data)
        with open(os.path.join(d, "stations.csv"), "w", newline="\n") as f:
            f.write("stationId,name,timeZone\n")
            for s in self.stations:
                f.write(",".join(s) + "\n")
        with open(os.path.join(d, "station-thresholds.csv"), "w", newline="\n") as f:
            f.write("stationId,dayOfWeek,slotStart,minVehicles\n")
            for t in self.thresholds:
                f.write(f"{t[0]},{t[1]},{t[2]},{t[3]}\n")
        with open(os.path.join(d, "customers.csv"), "w", newline="\n") as f:
            f.write("customerId,monthlyThresholdCents\n")
            for c in self.customers:
                f.write(",".join(c) + "\n")
        with open(os.path.join(d, "ambiguous.txt"), "w", newline="\n") as f:
            f.write("# line<TAB>why its expected treatment rests on an interpretive decision "
                    "(see ../../README.md)\n")
            f.writelines(a + "\n" for a in ambiguous)
        self.check(data)
        oracle.run(d, os.path.join(d, "expected"), (
            __import__("datetime").datetime.now(oracle.UTC) - oracle.EPOCH) // oracle.ONE_MS, quiet=True)
        alt_summary = self.alternatives(d)
        stats = self.stats
        with open(os.path.join(d, "NOTES.md"), "w", newline="\n") as f:
            f.write(f"# {self.name}: {self.title}\n\n")
            for n in self.notes:
                f.write(f"- {n}\n")
            f.write("\n## Oracle statistics\n\n```\n" + json.dumps(stats, indent=1, sort_keys=True) + "\n```\n")
            f.write("\n## Expected outputs that change under an alternative reading\n\n")
            f.write("(`alternatives/ALT/` holds the changed files and `diff.txt`; ALT names are "
                    "the `--alt` options of oracle.py)\n\n")
            f.write("\n".join(alt_summary) if alt_summary else "none")
            f.write("\n")
        print(f"{self.name}: {len(lines)} lines; {json.dumps(stats, sort_keys=True)}")
        for s in alt_summary:
            print("   ", s)

    def alternatives(self, d):
        out = []
        exp = os.path.join(d, "expected")
        for alt in oracle.ALTS:
            tmp = os.path.join(d, ".alt-tmp")
            oracle.run(d, tmp, NOW_MS, [alt], quiet=True)
            changed, diffs = [], []
            for fn in sorted(os.listdir(exp)):
                a = open(os.path.join(exp, fn), encoding="utf-8").read().splitlines()
                b = open(os.path.join(tmp, fn), encoding="utf-8").read().splitlines()
                if a != b:
                    changed.append(fn)
                    diffs.extend(difflib.unified_diff(a, b, f"expected/{fn}", f"{alt}/{fn}", lineterm="", n=0))
            if changed:
                ad = os.path.join(d, "alternatives", alt)
                os.makedirs(ad)
                for fn in changed:
                    shutil.copy(os.path.join(tmp, fn), ad)
                with open(os.path.join(ad, "diff.txt"), "w", newline="\n") as f:
                    f.write("\n".join(diffs) + "\n")
                nd = sum(1 for x in diffs if x[:1] in "+-" and not x.startswith(("+++", "---")))
                out.append(f"- `{alt}`: {', '.join(changed)} ({nd} changed lines)")
            shutil.rmtree(tmp)
        return out

    # constraints that keep the expected outputs independent of decisions the brief
    # asked us to keep out of the way
    def check(self, data):
        stations = {s[0] for s in self.stations}
        thr_stations = {t[0] for t in self.thresholds}
        thr_customers = {c for c, v in self.customers if v != ""}
        tags = {i: tag for i, (_, _, _, tag, _) in enumerate(self.ordered(), 1)}
        max_ts, seen, first = None, {}, True
        st = {"valid": 0, "duplicates": 0, "malformed": 0, "empty": 0, "late_for_station": 0,
              "late_for_billing": 0}
        import re
        for n, raw in oracle.split_lines(data):
            tag = tags.get(n, "valid")
            if raw is None:
                st["empty"] += 1
                continue
            try:
                ev = oracle.validate(raw, NOW_MS, set())
            except oracle.Malformed:
                st["malformed"] += 1
                m = re.search(rb'"eventTime"\s*:\s*"([^"]*)"', raw)
                ts = oracle.parse_instant_ms(m.group(1).decode("utf-8", "replace")) if m else None
                if ts is not None and (max_ts is None or ts > max_ts):
                    assert tag == "future", (self.name, n, "malformed record would move the watermark")
                continue
            ts = ev["ts"]
            if first:
                assert ts - oracle.floor_to(ts, oracle.W30) >= MIN, (self.name, "first record too close to window start")
                first = False
            if tag.startswith("ambiguous"):
                assert max_ts is None or ts <= max_ts, (self.name, n, "ambiguous record moves watermark")
                assert ev["stationId"] not in thr_stations, (self.name, n)
                assert ev["customerId"] not in {c for c, _ in self.customers}, (self.name, n)
            if ev["eventId"] in seen:
                st["duplicates"] += 1
                assert ts <= max_ts, (self.name, n, "duplicate would move the watermark")
                assert max_ts - seen[ev["eventId"]] <= oracle.DEDUP_HORIZON_MS, (self.name, n)
                continue
            seen[ev["eventId"]] = ts
            st["valid"] += 1
            wm = float("-inf") if max_ts is None else max_ts - 60_000
            if wm >= oracle.floor_to(ts, oracle.W30) + oracle.W30:
                st["late_for_station"] += 1
            if wm >= oracle.floor_to(ts, oracle.W10) + oracle.W10:
                st["late_for_billing"] += 1
                assert (ev["customerId"] not in thr_customers
                        or ev["customerId"] in self.allow_late_threshold_customers), (self.name, n, "late billing for threshold customer")
            if ev["stationId"] not in stations:
                assert tag.startswith("ambiguous"), (self.name, n, "unknown station not flagged")
            max_ts = ts if max_ts is None else max(max_ts, ts)
        # the last window: every station with a threshold row for its slot has a passage,
        # unless the set documents the end-of-input decision explicitly
        self.stats = st


# ============================================================== 01 DST

def set_dst():
    b = SetBuilder("01-dst", 101, "time zones, DST transitions, day of week, odd offsets")
    b.station("S0100", "Heartbeat Gate", "Etc/UTC")
    b.station("S0101", "Hudson Bridge", "America/New_York")
    b.station("S0102", "Thames Crossing", "Europe/London")
    b.station("S0103", "Lagoon Road", "Australia/Lord_Howe")
    b.station("S0104", "Ring Road", "Asia/Kathmandu")
    for day, slot, mv in (("SUNDAY", "01:00", 4), ("SUNDAY", "01:30", 4), ("SATURDAY", "23:30", 2),
                          ("SUNDAY", "03:30", 2)):
        b.threshold("S0101", day, slot, mv)
    for day, slot, mv in (("SUNDAY", "01:00", 3), ("SUNDAY", "01:30", 3), ("MONDAY", "00:00", 1)):
        b.threshold("S0102", day, slot, mv)
    for day, slot, mv in (("SUNDAY", "00:00", 1), ("SUNDAY", "01:30", 2), ("SUNDAY", "02:00", 1),
                          ("SUNDAY", "02:30", 2)):
        b.threshold("S0103", day, slot, mv)
    for day, slot, mv in (("TUESDAY", "15:30", 2), ("WEDNESDAY", "00:00", 1)):
        b.threshold("S0104", day, slot, mv)
    custs = [f"C01000{i:02d}" for i in range(1, 9)]
    b.customer("C0100001", 20000)      # crosses in October
    b.customer("C0100002", None)
    b.customer("C0100003", 1000000)
    for c in custs[3:6]:
        b.customer(c, None)
    # C0100007, C0100008 absent
    t0, t_end = T("2026-10-03T12:05"), T("2026-11-01T08:05")
    t = t0
    while t <= t_end:
        b.ev(t, "S0100", b.rng.choice(custs[1:]))
        t += 2 * HOUR
    crafted = [("S0101", "2026-11-01T05:00", 2), ("S0101", "2026-11-01T05:30", 4),
               ("S0101", "2026-11-01T06:00", 3), ("S0101", "2026-11-01T06:30", 5),
               ("S0101", "2026-11-01T03:30", 1), ("S0101", "2026-10-25T05:00", 4),
               ("S0102", "2026-10-25T00:00", 3), ("S0102", "2026-10-25T00:30", 2),
               ("S0102", "2026-10-25T01:00", 5), ("S0102", "2026-10-18T23:00", 1),
               ("S0103", "2026-10-03T15:00", 1), ("S0103", "2026-10-03T15:30", 2),
               ("S0103", "2026-10-10T15:00", 1),
               ("S0104", "2026-10-13T10:00", 2), ("S0104", "2026-10-20T10:00", 1)]
    for st, w, n in crafted:
        for k in range(n):
            b.ev(T(w) + (3 + 4 * k) * MIN + b.rng.randint(0, 59) * SEC, st, b.rng.choice(custs[1:]))
    for k in range(25):   # C0100001 reaches 20000 in October
        b.ev(T("2026-10-05T09:01") + k * 17 * MIN, "S0100", "C0100001", 1000)
    b.ev(T("2026-11-01T09:10"), "S0100", "C0100002")        # last record; no threshold at 09:00Z anywhere
    b.notes += [
        "Window range: 2026-10-03T12:00Z .. 2026-11-01T09:00Z (first record 12:05Z, last 09:10Z); S0100 is a heartbeat every 2 h without thresholds.",
        "S0101 America/New_York: SUNDAY 01:00/01:30 min 4 -> on Sunday 2026-11-01 the UTC windows 05:00, 05:30 (EDT) and 06:00, 06:30 (EST) all map to local 01:00/01:30 SUNDAY (2,4,3,5 passages -> alerts for 05:00 (2) and 06:00 (3)). Other Sundays: 05:00Z/05:30Z silent -> vehicles 0. SATURDAY 23:30 min 2 = Sunday 03:30Z UTC (day of week differs from UTC); 2026-11-01T03:30Z has 1 passage. SUNDAY 03:30 min 2 = 07:30Z (EDT) / 08:30Z on Nov 1 (EST).",
        "S0102 Europe/London (fall back 2026-10-25 01:00Z): SUNDAY 01:00/01:30 min 3 -> Oct 25 00:00Z (3, ok), 00:30Z (2, alert), 01:00Z (5, ok), 01:30Z (0, alert); MONDAY 00:00 min 1 = Sunday 23:00Z during BST, Monday 00:00Z after.",
        "S0103 Australia/Lord_Howe (+10:30, DST +11:00 from 2026-10-03T15:30Z, a 30-minute jump): local 02:00 on Oct 4 does not exist; 15:00Z Oct 3 -> SUNDAY 01:30 (1 passage, alert), 15:30Z -> SUNDAY 02:30 (2 passages, ok); SUNDAY 00:00 = Saturday 13:30Z before, 13:00Z after the change.",
        "S0104 Asia/Kathmandu (+05:45): UTC-aligned windows start at local :15/:45. Decision: the slot is the 30-minute slot CONTAINING the local start (10:00Z = 15:45 local -> TUESDAY 15:30; 18:30Z Tuesday = 00:15 Wednesday -> WEDNESDAY 00:00). Under `slot-exact` S0104 never alerts.",
        "Billing: C0100001 (threshold 20000) reaches exactly 20000 on 2026-10-05 with 25 x 1000.",
    ]
    return b


# ============================================================== 02 silent stations

def set_silent():
    b = SetBuilder("02-silent", 202, "silent stations and silent stretches")
    b.station("S0201", "Dead Sensor", "America/Los_Angeles")
    b.station("S0202", "Gap Plaza", "Europe/Paris")
    b.station("S0203", "Carrier Gate", "Etc/UTC")
    b.station("S0204", "Sparse Ramp", "Asia/Tokyo")
    for day in oracle.DAYS:
        for h in range(24):
            for m in (0, 30):
                b.threshold("S0201", day, f"{h:02d}:{m:02d}", 1 + h % 3)
                b.threshold("S0202", day, f"{h:02d}:{m:02d}", 2)
    b.threshold("S0204", "WEDNESDAY", "09:00", 1)
    b.threshold("S0204", "WEDNESDAY", "09:30", 1)
    custs = [f"C02000{i:02d}" for i in range(1, 13)]
    for c in custs[:6]:
        b.customer(c, None)
    t = T("2026-09-15T06:01:30")
    while t <= T("2026-09-16T06:21:30"):
        b.ev(t, "S0203", b.rng.choice(custs))
        t += 5 * MIN
    w = T("2026-09-15T06:00")
    while w <= T("2026-09-16T06:00"):
        if not (T("2026-09-15T12:00") <= w < T("2026-09-15T17:00")):
            n = 1 if w in (T("2026-09-15T08:30"), T("2026-09-15T20:00")) else b.rng.randint(2, 4)
            for k in range(n):
                b.ev(w + (2 + 7 * k) * MIN + b.rng.randint(0, 59_999), "S0202", b.rng.choice(custs))
        w += 30 * MIN
    b.ev(T("2026-09-16T00:40"), "S0204", custs[0])
    b.notes += [
        "Window range 2026-09-15T06:00Z .. 2026-09-16T06:00Z (49 windows).",
        "S0201 (America/Los_Angeles) never sees a passage and has a threshold in every slot (min = 1 + local hour % 3, so the minVehicles field also checks the zone): one alert per window, vehicles 0.",
        "S0202 (Europe/Paris, min 2 everywhere) is silent 12:00Z-17:00Z (10 alerts, vehicles 0) and has exactly 1 passage at 08:30Z and 20:00Z (alerts, vehicles 1).",
        "S0204 (Asia/Tokyo) has thresholds only WEDNESDAY 09:00/09:30 local = 2026-09-16T00:00Z/00:30Z: 00:00Z silent -> alert; 00:30Z has 1 passage -> no alert.",
        "The last window (2026-09-16T06:00Z) closes only because the input ends; S0201 has no passage in it. It is evaluated under the default reading (all stations up to the window holding the largest eventTime); `end-watermark` drops it.",
    ]
    return b


# ============================================================== 03 boundaries

def set_boundaries():
    b = SetBuilder("03-boundaries", 303, "window boundaries, exact threshold, watermark boundary")
    b.station("S0301", "Edge East", "Etc/UTC")
    b.station("S0302", "Edge West", "Etc/UTC")
    for day in oracle.DAYS:
        for slot in ("10:00", "10:30", "11:00", "11:30", "12:00", "12:30"):
            b.threshold("S0301", day, slot, 4 if slot == "11:30" else 3)
            b.threshold("S0302", day, slot, 2)
    b.customer("C0300001", 500)
    b.customer("C0300002", 1000)
    b.customer("C0300003", 300)
    b.customer("C0300004", 400)
    b.customer("C0300009", None)
    b.allow_late_threshold_customers.add("C0300004")
    D = "2026-09-24T"
    seq = [  # (eventTime string, station, customer, amount, note)
        ("10:01:00.000Z", "S0301", "C0300009", 100, "first record"),
        ("10:00:00.000Z", "S0301", "C0300009", 100, "exact start of [10:00,10:30), on time"),
        ("10:05:00Z", "S0302", "C0300009", 100, "no fraction"),
        ("10:09:59.999Z", "S0302", "C0300001", 250, "last ms of billing [10:00,10:10)"),
        ("10:10:00.000Z", "S0302", "C0300001", 250, "first ms of billing [10:10,10:20)"),
        ("10:19:59.999Z", "S0301", "C0300002", 1000, "crosses 1000 exactly in [10:10,10:20)"),
        ("10:29:59.999Z", "S0301", "C0300009", 100, "S0301 [10:00) count 3 == min 3: no alert"),
        ("10:30:00.000Z", "S0301", "C0300003", 300, "belongs to [10:30,11:00); C0300003 crosses 300 in [10:30,10:40)"),
        ("10:30:00.000Z", "S0302", "C0300009", 100, "S0302 [10:30) count 1 < 2"),
        ("10:59:59.999Z", "S0301", "C0300009", 100, "S0301 [10:30) count 2 < 3"),
        ("11:00:00.000Z", "S0301", "C0300009", 100, ""),
        ("11:00:00Z", "S0301", "C0300009", 100, "same instant, other eventId"),
        ("11:15:00.5Z", "S0301", "C0300009", 100, "one fraction digit = 500 ms; S0301 [11:00) count 3 ok; S0302 [11:00) silent"),
        ("11:35:00.000Z", "S0301", "C0300009", 100, ""),
        ("11:35:30.000Z", "S0302", "C0300009", 100, ""),
        ("11:40:00.000Z", "S0302", "C0300009", 100, "S0302 [11:30) count 2 ok"),
        ("11:50:00.000Z", "S0301", "C0300004", 300, "C0300004 at 300 of 400"),
        ("12:00:59.999Z", "S0302", "C0300009", 100, "max 12:00:59.999 -> watermark 11:59:59.999 < 12:00"),
        ("11:59:00.000Z", "S0301", "C0300009", 100, "JUST IN TIME for S0301 [11:30,12:00): counted (count 3)"),
        ("12:01:00.000Z", "S0302", "C0300009", 100, "max 12:01:00.000 -> watermark 12:00:00.000 >= 12:00: [11:30,12:00) closes"),
        ("11:58:00.000Z", "S0301", "C0300004", 100, "JUST LATE: not counted (S0301 [11:30) stays 3 < min 4); billed late -> C0300004 reaches 400, crossedInWindowEnd 12:00"),
        ("12:40:00.000Z", "S0301", "C0300009", 100, ""),
        ("12:41:00.000Z", "S0301", "C0300009", 100, ""),
        ("12:42:00.000Z", "S0301", "C0300009", 100, "S0301 [12:30) 3 ok; S0301 [12:00) silent -> alert"),
        ("12:43:00.000Z", "S0302", "C0300009", 100, ""),
        ("12:50:00.000Z", "S0302", "C0300009", 100, "last record"),
    ]
    for i, (ts, st, c, amt, note) in enumerate(seq):
        b.add(i, b.rec(P(D + ts), st, c, amt, time_str=D + ts), "valid", note)
    b.notes += ["Line by line (file order is the order below):"]
    b.notes += [f"line {i + 1}: {D}{ts} {st} {c} {amt}: {note}" for i, (ts, st, c, amt, note) in enumerate(seq)]
    b.notes += [
        "Expected low-traffic: S0301 [10:30) 2<3, [11:30) 3<4, [12:00) 0<3; S0302 [10:30) 1<2, [11:00) 0<2.",
        "Expected billing: C0300001 500 @10:20, C0300002 1000 @10:20, C0300003 300 @10:40, C0300004 400 @12:00 (the just-late passage's own window).",
        "If the watermark boundary were off by one ms either way, S0301 [11:30) would read 2 (alert 2<4) or 4 (no alert).",
    ]
    return b


# ============================================================== 04 lateness

def set_lateness():
    b = SetBuilder("04-lateness", 404, "late passages (billed, not counted), bound edges, 30-hour-late passage")
    b.station("S0401", "Steady Gate", "Etc/UTC")
    b.station("S0402", "Prairie Exit", "America/Chicago")
    for day in oracle.DAYS:
        for h in range(24):
            for m in (0, 30):
                b.threshold("S0401", day, f"{h:02d}:{m:02d}", 3)
    b.threshold("S0402", "MONDAY", "20:00", 1)      # = 2026-10-13T01:00Z
    b.threshold("S0402", "TUESDAY", "12:00", 2)     # = 2026-10-13T17:00Z
    nothr = [f"C04000{i:02d}" for i in range(1, 9)]
    for c in nothr:
        b.customer(c, None)
    b.customer("C0400009", None)
    b.customer("C0400010", 2000)
    b.customer("C0400011", 500000)
    start, last = T("2026-10-13T00:00"), T("2026-10-14T08:00")
    two_only = {T("2026-10-13T02:00"), T("2026-10-13T05:00"), T("2026-10-13T06:00"), T("2026-10-13T11:00")}
    w = start
    while w <= last:
        n = 2 if w in two_only else 3
        for k in range(n):
            ts = w + (5 + 10 * k) * MIN + b.rng.randint(0, 59_999)
            if w == start and k == 0:
                ts = w + 5 * MIN
            b.ev(ts, "S0401", b.rng.choice(nothr + ["C0400011"]))
        w += 30 * MIN
    # (a) late by ~45 min: [02:00,02:30) stays at 2
    b.ev(T("2026-10-13T02:20"), "S0401", "C0400001", arrive=T("2026-10-13T03:05:30") + 0.5,
         note="late for [02:00,02:30): not counted")
    # (b) just inside: trigger 05:30:59.999 then 05:29:00 (watermark 05:29:59.999)
    b.ev(T("2026-10-13T05:30:59.999"), "S0402", "C0400002", note="trigger: max 05:30:59.999")
    b.ev(T("2026-10-13T05:29"), "S0401", "C0400002", arrive=T("2026-10-13T05:30:59.999") + 0.5,
         note="just in time: counted, [05:00) = 3")
    # (c) just late: trigger 06:31:00.000 then 06:10 (watermark 06:30:00.000)
    b.ev(T("2026-10-13T06:31:00"), "S0402", "C0400003", note="trigger: max 06:31:00.000")
    b.ev(T("2026-10-13T06:10"), "S0401", "C0400003", arrive=T("2026-10-13T06:31:00") + 0.5,
         note="just late: not counted, [06:00) = 2")
    # (d) [11:00) gets its third passage 5 hours late
    b.ev(T("2026-10-13T11:12"), "S0401", "C0400004", arrive=T("2026-10-13T16:20") + 0.5,
         note="5 h late: [11:00) stays 2")
    # (e) [00:00) baseline 3 plus a 4th one hour late (no visible effect on alerts)
    b.ev(T("2026-10-13T00:25"), "S0401", "C0400005", arrive=T("2026-10-13T01:30") + 0.5)
    # (f) S0402 TUESDAY 12:00 CDT = 17:00Z: one on time, one late -> 1 < 2
    b.ev(T("2026-10-13T17:04"), "S0402", "C0400006")
    b.ev(T("2026-10-13T17:20"), "S0402", "C0400006", arrive=T("2026-10-13T17:50") + 0.5, note="late")
    # (g) 30-hour-late passage, into a window that closed silent (S0402 [01:00Z) = MONDAY 20:00 local)
    b.ev(T("2026-10-13T01:15"), "S0402", "C0400009", 4321, arrive=T("2026-10-14T07:40") + 0.5,
         note="30 h 25 min late: billed (C0400009 total 4321), not counted")
    # (h) a late passage into a different customer month?  no: all October.  Threshold customer on time:
    b.ev(T("2026-10-13T03:12"), "S0402", "C0400010", 1000)
    b.ev(T("2026-10-13T03:14"), "S0402", "C0400010", 1000)
    b.ev(T("2026-10-14T08:10"), "S0402", "C0400001", note="last record")
    b.notes += [
        "Window range 2026-10-13T00:00Z .. 2026-10-14T08:00Z. S0401 (UTC, min 3 everywhere) gets 3 on-time passages per window except the windows below.",
        "[02:00,02:30): 2 on time + one arriving when the watermark is 03:04:30 -> alert vehicles 2.",
        "[05:00,05:30): 2 + one at 05:29:00 read right after the S0402 passage at 05:30:59.999 (watermark 05:29:59.999 < 05:30) -> counted, no alert.",
        "[06:00,06:30): 2 + one at 06:10 read right after the S0402 passage at 06:31:00.000 (watermark = 06:30:00.000 = window end) -> late, alert vehicles 2.",
        "[11:00,11:30): 2 + one 5 h late -> alert vehicles 2.",
        "S0402 America/Chicago: MONDAY 20:00 local = 2026-10-13T01:00Z, silent -> alert 0, even though a passage for it arrives 30 h later (C0400009, 4321 cents, billed). TUESDAY 12:00 CDT = 17:00Z: 1 on time + 1 late -> alert vehicles 1.",
        "Every late passage belongs to a customer without threshold; C0400010 crosses 2000 with on-time passages only (end 03:20Z).",
        "All station windows [s,e) here are also checked for the Flink-equivalence: late iff (max - 60 s) >= e.",
    ]
    return b


# ============================================================== 05 dedup

def set_dedup():
    b = SetBuilder("05-dedup", 505, "re-sent eventIds (same and different content), distinct ids with equal content")
    b.station("S0501", "Main Toll", "Etc/UTC")
    b.station("S0502", "Rhine Gate", "Europe/Berlin")
    b.station("S0599", "Carrier (no thresholds)", "Etc/UTC")
    b.threshold("S0501", "TUESDAY", "08:30", 3)
    b.threshold("S0501", "TUESDAY", "09:00", 2)
    b.threshold("S0501", "TUESDAY", "09:30", 1)
    b.threshold("S0501", "TUESDAY", "10:00", 3)
    b.threshold("S0502", "TUESDAY", "09:30", 1)     # = 08:30Z
    b.threshold("S0502", "WEDNESDAY", "06:00", 1)   # = 2026-11-11T05:00Z
    b.customer("C0500001", 400)
    b.customer("C0500002", 20000)
    b.customer("C0500003", 1000)
    b.customer("C0500004", 100)
    b.customer("C0500005", None)
    b.customer("C0500006", None)
    b.customer("C0599000", None)
    t = T("2026-11-10T08:01:30")
    while t <= T("2026-11-11T06:05"):
        b.ev(t, "S0599", "C0599000", 100)
        t += 10 * MIN

    def at(s):
        return T("2026-11-10T" + s)

    A = b.ev(at("08:35"), "S0501", "C0500001", 300, note="A")
    b.add(at("08:35:20"), dumps(A), "valid", "A re-sent byte-identical")
    B = b.ev(at("08:40"), "S0501", "C0500001", 200, note="B")
    b.add(at("08:41"), dumps(dict(B, stationId="S0502")), "valid",
          "B re-sent claiming station S0502: ignored")
    C = b.ev(at("08:50"), "S0501", "C0500002", 500, note="C")
    b.add(at("08:52"), dumps(dict(C, amountCents=30000)), "valid", "C re-sent with 30000 cents: ignored")
    D = b.ev(at("09:05"), "S0501", "C0500003", 600, note="D: 600 of 1000")
    b.add(at("09:06"), dumps(D), "valid", "D re-sent: would reach 1200 >= 1000 if billed twice")
    b.add(at("09:07"), dumps(dict(D, customerId="C0500004", transceiverId="T0500004")), "valid",
          "D re-sent for customer C0500004 (threshold 100): ignored, C0500004 has no row at all")
    E = b.ev(at("09:10"), "S0501", "C0500005", 100, note="E")
    b.add(at("09:46"), dumps(dict(E, eventTime=iso(at("09:40")))), "valid",
          "E re-sent with eventTime 09:40 (window [09:30)): ignored; first sighting stays in [09:00)")
    b.add(at("09:46:30"), dumps(dict(E, laneId=0)), "malformed", "E re-sent with laneId 0: malformed (reported), no effect")
    F = b.ev(at("10:05"), "S0502", "C0500006", 700, note="F")
    b.add(T("2026-11-11T05:50") + 0.5, dumps(F), "valid", "F re-sent 19 h 45 min later (event time): ignored")
    G = b.ev(at("08:55"), "S0501", "C0500005", 50, arrive=at("09:41") + 0.5, note="G: late first sighting, not counted")
    b.add(at("09:50") + 0.5, dumps(G), "valid", "G re-sent: ignored")
    H = b.ev(at("09:15"), "S0501", "C0500006", 10, note="H")
    b.add(at("10:30") + 0.5, dumps(dict(H, laneId=7, vehicleClass="BUS", transceiverId="T0000001")),
          "valid", "H re-sent with other lane/class/transceiver: ignored")
    # distinct eventIds, identical otherwise
    M1 = b.rec(at("10:07"), "S0501", "C0500006", 10)
    b.add(at("10:07"), dumps(M1), "valid", "M1")
    b.add(at("10:07") + 0.25, dumps(dict(M1, eventId=b.eid())), "valid",
          "M2: same content as M1, other eventId: a second passage")
    b.ev(T("2026-11-11T05:10"), "S0502", "C0500006", 10)
    # ambiguous, isolated on S0599 with customers absent from customers.csv
    b.ev(at("11:00:10"), "S0599", "C0599101", 11, arrive=at("11:21:30") + 0.10, eid="dup-case-J", tag="ambiguous",
         note="eventId 'dup-case-J'")
    b.ev(at("11:00:20"), "S0599", "C0599101", 13, arrive=at("11:21:30") + 0.20, eid="DUP-CASE-J", tag="ambiguous",
         note="eventId 'DUP-CASE-J': ids compared exactly (case-sensitive) -> a second passage; C0599101 total 24")
    b.ev(at("11:10:10"), "S0599", "C0599102", 17, arrive=at("11:21:30") + 0.10, eid="k-id", tag="ambiguous", note="eventId 'k-id'")
    b.ev(at("11:10:20"), "S0599", "C0599102", 19, arrive=at("11:21:30") + 0.20, eid=" k-id ", tag="ambiguous",
         note="eventId ' k-id ' (padded): no trimming -> a second passage; C0599102 total 36")
    b.notes += [
        "S0501 [08:30,09:00) = A, B, C = 3 (min 3, no alert; G arrives late); S0502 [08:30Z) = 0 (B's re-send claims S0502) -> alert 0<1.",
        "S0501 [09:00) = D, E, H = 3 (min 2); [09:30) = 0 -> alert 0<1 (E's re-send claims 09:40); [10:00) = M1, M2 = 2 -> alert 2<3.",
        "Billing: C0500001 300+200 = 500 crosses 400 in [08:40,08:50) -> end 08:50; C0500002 500 (the 30000 re-send would cross 20000); C0500003 600 (a double count would cross 1000); C0500004 nothing at all.",
        "Re-sends never carry an eventTime above the current maximum (so it does not matter whether they move the watermark) and all are within 24 h of their first sighting, in event time and in any replay's processing time.",
        "Ambiguous but isolated (station S0599 without thresholds, customers absent from customers.csv): eventId case and padding.",
    ]
    return b


# ============================================================== 06 billing

def set_billing():
    b = SetBuilder("06-billing", 606, "billing thresholds, UTC month boundary, threshold 0, absent customers")
    b.station("S0601", "Toll A", "Etc/UTC")
    b.station("S0602", "Toll B", "America/New_York")
    for cid, thr in (("C0600001", 5000), ("C0600002", 3000), ("C0600003", 0), ("C0600005", None),
                     ("C0600006", 2000), ("C0600007", 10000), ("C0600008", 4000), ("C0600009", 1000),
                     ("C0600010", 1000), ("C0600011", 1500), ("C0600012", None), ("C0600013", 1),
                     ("C0600014", 100000000), ("C0600099", 100)):
        b.customer(cid, thr)
    t = T("2026-10-31T20:01")
    while t <= T("2026-11-01T03:00"):
        b.ev(t, "S0602", "C0600100", 100)
        t += 5 * MIN
    b.ev(T("2026-11-01T03:00:30"), "S0602", "C0600100", 100, note="last record: [02:50,03:00) closes only at end of input")

    def e(ts, c, amt, st="S0601", **kw):
        return b.ev(T(ts), st, c, amt, **kw)
    for ts in ("2026-10-31T20:12", "2026-10-31T20:31", "2026-10-31T21:05", "2026-10-31T21:40", "2026-10-31T22:03"):
        e(ts, "C0600001", 1000)
    e("2026-10-31T20:05", "C0600002", 1000)
    for m in range(1, 6):
        e(f"2026-10-31T21:0{m}", "C0600002", 2000)
    e("2026-10-31T20:20", "C0600003", 0)
    e("2026-10-31T20:45", "C0600003", 500)
    e("2026-10-31T22:15", "C0600004", 100000)
    e("2026-10-31T22:16", "C0600004", 100000)
    e("2026-10-31T22:30", "C0600005", 99999)
    X = e("2026-10-31T21:30", "C0600006", 1500)
    b.add(T("2026-10-31T21:31"), dumps(X), "valid", "re-send of C0600006's 1500")
    e("2026-10-31T23:55", "C0600007", 8000)
    b.ev(T("2026-10-31T23:59:59.999"), "S0601", "C0600007", 1500)
    b.ev(T("2026-11-01T00:00:00"), "S0601", "C0600007", 500, note="first ms of November")
    e("2026-11-01T00:05", "C0600007", 3000)
    e("2026-10-31T23:41", "C0600008", 2500)
    e("2026-10-31T23:52", "C0600008", 2000)
    e("2026-11-01T00:21", "C0600008", 4000)
    e("2026-10-31T20:40", "C0600009", 600)
    e("2026-10-31T20:55", "C0600009", 600)
    e("2026-10-31T22:44", "C0600009", 5000)
    # window order vs arrival order (all on time)
    e("2026-11-01T01:09:30", "C0600010", 300)
    e("2026-11-01T01:10:20", "C0600010", 500)
    b.ev(T("2026-11-01T01:09:50"), "S0601", "C0600010", 300, arrive=T("2026-11-01T01:10:20") + 0.5,
         note="read after 01:10:20; on time (watermark 01:09:20)")
    e("2026-11-01T02:10", "C0600011", 0)
    e("2026-11-01T02:20", "C0600011", 0)
    b.ev(T("2026-11-01T02:59:59.999"), "S0601", "C0600011", 1500)
    b.ev(T("2026-10-31T23:58"), "S0601", "C0600012", 700, arrive=T("2026-11-01T00:30") + 0.5,
         note="October passage read 31 min late, after November windows closed")
    e("2026-11-01T01:30", "C0600013", 0)
    e("2026-11-01T01:31", "C0600013", 0)
    e("2026-11-01T01:40", "C0600014", 100000)
    b.notes += [
        "No station thresholds (station-thresholds.csv is only its header): no low-traffic alerts at all.",
        "C0600001 (5000): 5 x 1000 in five windows -> exactly 5000 in [22:00,22:10) -> alert 5000 @ 2026-10-31T22:10Z.",
        "C0600002 (3000): 1000, then 5 x 2000 in [21:00,21:10) -> alert monthToDate 11000 @ 21:10 (the whole window; `per-passage` would say 3000).",
        "C0600003 (threshold 0): decision: never alerted (month-to-date starts at 0, already 'at or above'); `zero-threshold` alerts at its first window.",
        "C0600004 absent from customers.csv, C0600005 empty threshold: billed, never alerted.",
        "C0600006 (2000): 1500 plus a byte-identical re-send -> 1500, no alert.",
        "C0600007 (10000): October 8000 + 1500 (at 23:59:59.999) = 9500, November 500 (at 00:00:00.000) + 3000 = 3500 -> no alert; an off-by-one month boundary gives October 10000 and an alert.",
        "C0600008 (4000): crosses in October ([23:50,00:00), 4500, end 2026-11-01T00:00:00Z, month 2026-10) and again in November (4000 @ 00:30): two alerts.",
        "C0600009 (1000): crosses once (1200 @ 21:00), later 5000 more: no second alert.",
        "C0600010 (1000): 300 @01:09:30, 500 @01:10:20, then 300 @01:09:50 read after it (on time). Windows in end order: [01:00,01:10) = 600, [01:10,01:20) -> 1100: alert @ 01:20. Per passage in read order it would cross at the 01:09:50 passage (@ 01:10).",
        "C0600011 (1500): 0, 0, then 1500 at 02:59:59.999: window [02:50,03:00) closes only at end of input (final watermark 02:59:30) -> alert 1500 @ 03:00.",
        "C0600012: an October passage read after November windows closed -> October total 700.",
        "C0600013 (threshold 1): only 0-cent passages -> a monthly-totals row with 0, no alert. C0600099: in customers.csv, never passes -> no row.",
    ]
    return b


# ============================================================== 07 hostile bytes

def set_hostile():
    b = SetBuilder("07-hostile", 707, "hostile bytes and strict validation")
    b.station("S0701", "Main Gate", "Etc/UTC")
    b.station("S0999", "Isolation Booth (no thresholds)", "Etc/UTC")
    for h in range(24):
        for m in (0, 30):
            b.threshold("S0701", "SUNDAY", f"{h:02d}:{m:02d}", 2)
    for i in range(1, 6):
        b.customer(f"C07000{i:02d}", None)
    b.customer("C0700009", 100000)
    # base traffic: 2 per window 09:00..12:00, [10:30) gets only 1
    base = []
    w = T("2026-09-20T09:00")
    while w <= T("2026-09-20T12:00"):
        n = 1 if w == T("2026-09-20T10:30") else 2
        for k in range(n):
            base.append(w + (5 + 12 * k) * MIN + 10 * SEC + b.rng.randint(0, 50) * 1000)
        w += 30 * MIN
    base.sort()
    base[0] = T("2026-09-20T09:05:10")
    cur = [None]

    def good(ts=None, **kw):
        d = b.rec(ts if ts is not None else cur[0] - 10 * SEC, kw.pop("st", "S0701"),
                  kw.pop("cust", "C0700001"), kw.pop("amt", 275), **kw)
        return d

    def s(d):
        return dumps(d)

    iso_c = lambda: iso(cur[0] - 10 * SEC)   # noqa: E731
    amb_n = [0]

    def amb_cust():
        amb_n[0] += 1
        return f"C99000{amb_n[0]:02d}"

    def amb(d_or_bytes=None, **kw):
        """an isolated record: station S0999 (no thresholds), own customer, eventTime <= max"""
        return good(st="S0999", cust=amb_cust(), **kw)

    H = []   # (tag, note, bytes)
    M, A, V, E = "malformed", "ambiguous", "valid", "empty"
    # --- clear malformed
    H.append((M, "invalid UTF-8 byte 0xff inside vehicleClass", lambda: s(good()).replace(b'"vehicleClass":"', b'"vehicleClass":"\xff')))
    H.append((M, "binary garbage", lambda: b"\x00\x01\x02\xfe\xff\x80garbage"))
    H.append((M, "lone UTF-8 continuation byte in an extra field", lambda: s(good(note="x")).replace(b'"note":"x"', b'"note":"\x80"')))
    H.append((M, "overlong UTF-8 encoding of '/'", lambda: s(good(note="x")).replace(b'"note":"x"', b'"note":"\xc0\xaf"')))
    H.append((M, "UTF-8-encoded surrogate (CESU-8)", lambda: s(good(note="x")).replace(b'"note":"x"', b'"note":"\xed\xa0\x80"')))
    H.append((M, "Latin-1 byte 0xe9 (not UTF-8)", lambda: s(good(note="x")).replace(b'"note":"x"', b'"note":"caf\xe9"')))
    H.append((M, "JSON array", lambda: b'[1,2,3]'))
    H.append((M, "JSON array of an event", lambda: b"[" + s(good()) + b"]"))
    H.append((M, "JSON number", lambda: b"42"))
    H.append((M, "JSON string", lambda: b'"S0701"'))
    H.append((M, "JSON null", lambda: b"null"))
    H.append((M, "JSON true", lambda: b"true"))
    H.append((M, "empty object", lambda: b"{}"))
    H.append(("future", "eventTime 2099-01-01T00:00:00Z (future)", lambda: s(good(time_str="2099-01-01T00:00:00.000Z"))))
    H.append(("future", "eventTime 9999-12-31T23:59:59.999Z (future)", lambda: s(good(time_str="9999-12-31T23:59:59.999Z"))))
    H.append((M, "amountCents 100001", lambda: s(good(amt=100001))))
    H.append((M, "amountCents -1", lambda: s(good(amt=-1))))
    H.append((M, "amountCents \"275\" (string)", lambda: s(good(amt="275"))))
    H.append((M, "amountCents 275.5", lambda: s(good()).replace(b'"amountCents":275', b'"amountCents":275.5')))
    H.append((M, "amountCents 1e400", lambda: s(good()).replace(b'"amountCents":275', b'"amountCents":1e400')))
    H.append((M, "amountCents 99999999999999999999", lambda: s(good()).replace(b'"amountCents":275', b'"amountCents":99999999999999999999')))
    H.append((M, "amountCents NaN", lambda: s(good()).replace(b'"amountCents":275', b'"amountCents":NaN')))
    H.append((M, "amountCents null", lambda: s(dict(good(), amountCents=None))))
    H.append((M, "amountCents true", lambda: s(good(amt=True))))
    H.append((M, "laneId 0", lambda: s(good(lane=0))))
    H.append((M, "laneId 33", lambda: s(good(lane=33))))
    H.append((M, "laneId \"3\" (string)", lambda: s(good(lane="3"))))
    H.append((M, "laneId true", lambda: s(good(lane=True))))
    H.append((M, "laneId -1", lambda: s(good(lane=-1))))
    H.append((M, "laneId 3.5", lambda: s(good(lane=7)).replace(b'"laneId":7', b'"laneId":3.5')))
    H.append((M, "stationId lower case s0701", lambda: s(good(st="s0701"))))
    H.append((M, "stationId padded ' S0701'", lambda: s(good(st=" S0701"))))
    H.append((M, "stationId padded 'S0701 '", lambda: s(good(st="S0701 "))))
    H.append((M, "stationId S701", lambda: s(good(st="S701"))))
    H.append((M, "stationId S07011", lambda: s(good(st="S07011"))))
    H.append((M, "stationId with Arabic-Indic digits", lambda: s(good(st="S\u0660\u0667\u0660\u0661"))))
    H.append((M, "stationId with full-width digits", lambda: s(good(st="S\uff10\uff17\uff10\uff11"))))
    H.append((M, "stationId with trailing newline escape", lambda: s(good(st="S0701\n"))))
    H.append((M, "transceiverId T123", lambda: s(good(tr="T123"))))
    H.append((M, "customerId lower case c0700001", lambda: s(good(cust="c0700001"))))
    H.append((M, "customerId C070000 (6 digits)", lambda: s(good(cust="C070000"))))
    H.append((M, "vehicleClass 'car'", lambda: s(good(vc="CAR")).replace(b'"CAR"', b'"car"')))
    H.append((M, "vehicleClass 'SUV'", lambda: s(good(vc="CAR")).replace(b'"CAR"', b'"SUV"')))
    H.append((M, "vehicleClass ''", lambda: s(good(vc="CAR")).replace(b'"CAR"', b'""')))
    H.append((M, "eventTime missing", lambda: s({k: v for k, v in good().items() if k != "eventTime"})))
    H.append((M, "customerId null", lambda: s(dict(good(), customerId=None))))
    H.append((M, "eventId ''", lambda: s(good(eid=""))))
    H.append((M, "eventId 65 characters", lambda: s(good(eid="e" * 65))))
    H.append((M, "eventId a number", lambda: s(dict(good(), eventId=12345))))
    H.append((M, "eventId of ~20 KB of spaces (too long)", lambda: s(good(eid="x" + " " * 20000 + "y"))))
    H.append((M, "eventTime with +00:00 offset", lambda: s(good(time_str=iso_c()[:-1] + "+00:00"))))
    H.append((M, "eventTime without zone", lambda: s(good(time_str=iso_c()[:-1]))))
    H.append((M, "eventTime 2026-02-30", lambda: s(good(time_str="2026-02-30T10:00:00.000Z"))))
    H.append((M, "eventTime as epoch millis number", lambda: s(dict(good(), eventTime=cur[0] if cur[0] else 0))))
    H.append((M, "trailing comma", lambda: s(good())[:-1] + b",}"))
    H.append((M, "single-quoted JSON", lambda: s(good()).replace(b'"', b"'")))
    H.append((M, "two objects on one line", lambda: s(good()) + s(good())))
    H.append((M, "object followed by garbage", lambda: s(good()) + b" x"))
    H.append((M, "unescaped TAB inside a string", lambda: s(good(note="a\tb")).replace(b"\\t", b"\t")))
    H.append((M, "JavaScript comment", lambda: s(good()) + b" // comment"))
    H.append((M, "record of ~1.2 MB (over 1 MiB)", lambda: s(good(note="p" * 1_200_000))))
    # --- empty lines (not records)
    H.append((E, "empty line", lambda: b""))
    H.append((E, "empty line", lambda: b""))
    H.append(("ambiguous-empty", "CR-only line (CRLF empty line): empty after removing the CR, not a record", lambda: b"\r"))
    # --- clear valid, carried on the isolation station anyway
    H.append((A, "valid: JSON escapes decode to S0999 ('S\\u0030999')", lambda: s(amb()).replace(b'"S0999"', b'"S\\u0030999"')))
    H.append((A, "valid: ~20 KB of JSON whitespace between tokens", lambda: s(amb()).replace(b',"laneId"', b"," + b" " * 20000 + b'"laneId"')))
    H.append((A, "valid: one fraction digit '.5Z'", lambda: s(amb(time_str=iso_c()[:-5] + ".5Z"))))
    H.append((A, "valid: no fraction at all", lambda: s(amb(time_str=iso_c()[:-5] + "Z"))))
    H.append((A, "valid: amountCents 100000 and laneId 32 (upper bounds)", lambda: s(amb(amt=100000, lane=32))))
    H.append((A, "valid: amountCents 0 and laneId 1 (lower bounds)", lambda: s(amb(amt=0, lane=1))))
    H.append((A, "valid: eventId of exactly 64 characters", lambda: s(amb(eid="E" * 64))))
    # --- ambiguous
    H.append((A, "valid (decision): unknown extra field 'gateway'", lambda: s(amb(gateway="G7"))))
    H.append((A, "valid (decision): extra field 'note' with ~20 KB of spaces", lambda: s(amb(note=" " * 20000))))
    H.append((A, "valid (decision): extra nested object and array", lambda: s(amb(meta={"fw": [1, 2, {"x": None}]}))))
    H.append((A, "valid (decision): amountCents -0", lambda: s(amb(amt=275)).replace(b'"amountCents":275', b'"amountCents":-0')))
    H.append((A, "valid (decision): eventTime 0001-01-01T00:00:00Z (absurd past; billed in month 0001-01)", lambda: s(amb(time_str="0001-01-01T00:00:00Z"))))
    H.append((A, "valid (decision): eventId of 64 'é' (64 code points, 128 bytes)", lambda: s(amb(eid="é" * 64))))
    H.append((A, "valid (decision): eventId of 33 emoji (33 code points, 66 UTF-16 units, 132 bytes)", lambda: s(amb(eid="\U0001F697" * 33))))
    H.append((A, "valid (decision): eventId holding a lone surrogate escape \\ud800", lambda: s(amb(eid="LONE-X")).replace(b"LONE-X", b"LONE-\\ud800")))
    H.append((A, "valid (decision): station S0998 absent from stations.csv; billed, no station evaluation", lambda: s(amb()).replace(b'"S0999"', b'"S0998"')))
    H.append((A, "malformed (decision): amountCents 275.0", lambda: s(amb(amt=275)).replace(b'"amountCents":275', b'"amountCents":275.0')))
    H.append((A, "malformed (decision): amountCents 1e2", lambda: s(amb(amt=275)).replace(b'"amountCents":275', b'"amountCents":1e2')))
    H.append((A, "malformed (decision): laneId 3.0", lambda: s(amb(lane=7)).replace(b'"laneId":7', b'"laneId":3.0')))
    H.append((A, "malformed (decision): duplicate key amountCents", lambda: s(amb(amt=275)).replace(b'"amountCents":275', b'"amountCents":275,"amountCents":300')))
    H.append((A, "malformed (decision): duplicate key inside an extra nested object", lambda: s(amb(meta={"a": 1})).replace(b'{"a":1}', b'{"a":1,"a":2}')))
    H.append((A, "malformed (decision): eventTime with 6 fraction digits", lambda: s(amb(time_str=iso_c()[:-1] + "000Z"))))
    H.append((A, "malformed (decision): eventTime with lower-case t and z", lambda: s(amb(time_str=iso_c().replace("T", "t").replace("Z", "z")))))
    H.append((A, "malformed (decision): eventTime without seconds", lambda: s(amb(time_str=iso_c()[:16] + "Z"))))
    H.append((A, "malformed (decision): eventTime with a space instead of T", lambda: s(amb(time_str=iso_c().replace("T", " ")))))
    H.append((A, "malformed (decision): eventTime 24:00:00", lambda: s(amb(time_str="2026-09-19T24:00:00Z"))))
    H.append((A, "malformed (decision): eventTime leap second 23:59:60", lambda: s(amb(time_str="2026-09-19T23:59:60Z"))))
    H.append((A, "malformed (decision): whitespace-only line", lambda: b"   \t "))
    H.append((A, "malformed (decision): UTF-8 BOM at the start of a line in mid-file", lambda: b"\xef\xbb\xbf" + s(amb())))
    reuse = {}

    def reuse_bad():
        reuse["r"] = amb(eid="reuse-after-malformed")
        return s(dict(reuse["r"], laneId=0))
    H.append((A, "malformed: eventId 'reuse-after-malformed' with laneId 0", reuse_bad))
    H.append((A, "valid (decision): same eventId as the malformed line before; the first VALID sighting counts", lambda: s(reuse["r"])))

    # the first line: UTF-8 BOM + a valid record (ambiguous, isolated)
    b.add(0, b"\xef\xbb\xbf" + s(b.rec(T("2026-09-20T09:05:00"), "S0999", amb_cust(), 275)),
          A, "valid (decision): UTF-8 BOM at the start of the file is removed")
    crlf_every = 3
    hi = 0
    per = max(1, len(H) // (len(base) - 2) + 1)
    for i, ts in enumerate(base):
        line = s(b.rec(ts, "S0701", b.rng.choice(["C0700001", "C0700002", "C0700003", "C0700009"]), None))
        if i % crlf_every == 1:
            line += b"\r"
        b.add(1 + len(b.items), line, V, "CRLF line end" if line.endswith(b"\r") else "")
        cur[0] = ts
        if i == 0:
            continue
        for _ in range(per):
            if hi < len(H) and i < len(base) - 1:
                tag, note, mk = H[hi]
                raw = mk()
                hi += 1
                want_valid = (tag in (V,) or note.startswith("valid"))
                if tag not in (E, "ambiguous-empty") and not (tag == A and raw.strip(b" \t") == b""):
                    try:
                        oracle.validate(raw[:-1] if raw.endswith(b"\r") else raw, NOW_MS, set())
                        got = True
                    except oracle.Malformed:
                        got = False
                    assert got == want_valid, ("hostile self-check", note, raw[:200])
                b.add(1 + len(b.items), raw, tag, note)
    assert hi == len(H), (hi, len(H))
    b.add(1e18, b'{"eventId":"trunc","stationId":"S07', M, "truncated last line without newline")
    b.final_newline = False
    b.notes += [
        "S0701 (UTC, SUNDAY every slot min 2): 2 valid passages per window 09:00Z..12:00Z except [10:30) with 1 -> one alert; no malformed record is ever counted, so any other alert means a malformed record was accepted.",
        "Every record whose treatment rests on a decision is isolated: station S0999 (no thresholds), its own customer C99000NN absent from customers.csv, eventTime not above the current maximum. So a different decision changes only malformed.txt and that customer's monthly-totals row. ambiguous.txt lists them.",
        "Every third valid S0701 line ends in CRLF; the file starts with a UTF-8 BOM; the last line is half a JSON object without newline.",
        "malformed records that carry a parseable eventTime never carry one above the current maximum, except the two deliberate future ones (2099, 9999).",
    ]
    return b


# ============================================================== 08 mixed

def set_mixed():
    b = SetBuilder("08-mixed", 808, "realistic random mix: zones, jitter, late, re-sends, malformed")
    zones = [("S0801", "Front Range", "America/Denver"), ("S0802", "Ring East", "Asia/Kolkata"),
             ("S0803", "Liffey", "Europe/Dublin"), ("S0804", "Torrens", "Australia/Adelaide"),
             ("S0805", "Signal Hill", "America/St_Johns"), ("S0806", "Meridian", "Etc/UTC")]
    rate = {}
    for sid, name, tz in zones:
        b.station(sid, name, tz)
        base = b.rng.uniform(3.0, 7.0)
        for h in range(24):
            rate[(sid, h)] = base * (0.35 if h < 6 else 1.4 if 7 <= h <= 9 or 16 <= h <= 18 else 1.0)
        for day in oracle.DAYS:
            for h in range(24):
                for m in (0, 30):
                    if b.rng.random() < 0.1:
                        continue
                    mv = max(0, round(rate[(sid, h)] * b.rng.uniform(0.45, 1.1)))
                    b.threshold(sid, day, f"{h:02d}:{m:02d}", mv)
    custs = [f"C08000{i:02d}" for i in range(1, 51)]
    thr_c, free_c = custs[:25], custs[25:]
    for c in custs[:25]:
        b.customer(c, b.rng.choice([5000, 8000, 10000, 12000, 15000, 20000, 30000, 40000]))
    for c in custs[25:40]:
        b.customer(c, None)
    from zoneinfo import ZoneInfo
    start, end = T("2026-11-20T00:01:10"), T("2026-11-21T12:00")
    recs = []
    w = oracle.floor_to(start, oracle.W30)
    while w < end:
        for sid, _, tz in zones:
            h = oracle.ms_to_dt(w).astimezone(ZoneInfo(tz)).hour
            lam = rate[(sid, h)]
            n = max(0, int(b.rng.gauss(lam, lam ** 0.5) + 0.5))
            for _ in range(n):
                ts = w + b.rng.randint(0, oracle.W30 - 1)
                if start <= ts <= end:
                    recs.append((ts, sid))
        w += oracle.W30
    last_w = oracle.floor_to(end - 1, oracle.W30)
    for sid, _, _ in zones:      # every station has a passage in the last window (end-of-input robustness)
        if not any(st == sid and ts >= last_w for ts, st in recs):
            recs.append((last_w + 15 * MIN + b.rng.randint(0, 60_000), sid))
    recs.sort()
    if recs[0][0] != start:
        recs.insert(0, (start, "S0806"))
    for i, (ts, sid) in enumerate(recs):
        r = b.rng.random()
        if i == 0:
            delay, cust = 0, b.rng.choice(custs)
        elif r < 0.90:
            delay, cust = b.rng.randint(0, 50_000), b.rng.choice(custs)
        elif r < 0.97:
            delay, cust = b.rng.randint(61_000, 40 * MIN), b.rng.choice(free_c)
        else:
            delay, cust = b.rng.randint(1 * HOUR, 6 * HOUR), b.rng.choice(free_c)
        d = b.ev(ts, sid, cust, arrive=ts + delay)
        r2 = b.rng.random()
        if r2 < 0.03:
            again = ts + delay + b.rng.randint(1000, 3 * HOUR)
            if b.rng.random() < 0.25:
                kind = b.rng.choice(["amountCents", "stationId", "customerId", "eventTime"])
                alt = dict(d)
                if kind == "amountCents":
                    alt["amountCents"] = d["amountCents"] * 10 + 1
                elif kind == "stationId":
                    alt["stationId"] = b.rng.choice([z[0] for z in zones if z[0] != sid])
                elif kind == "customerId":
                    alt["customerId"] = b.rng.choice(custs)
                else:
                    alt["eventTime"] = iso(ts - b.rng.randint(0, 10 * MIN))
                b.add(again, dumps(alt), "valid", f"re-send with other {kind}")
            else:
                b.add(again, dumps(d), "valid", "re-send")
        elif r2 < 0.04:
            bad = dict(d, eventId=b.eid(), eventTime=iso(ts - 5 * MIN))
            kind = b.rng.randrange(5)
            if kind == 0:
                raw = dumps(dict(bad, laneId=0))
            elif kind == 1:
                raw = dumps(dict(bad, amountCents=-5))
            elif kind == 2:
                raw = dumps(dict(bad, stationId=sid.lower()))
            elif kind == 3:
                raw = dumps(bad)[:-17]
            else:
                raw = dumps(bad).replace(b'"vehicleClass":"', b'"vehicleClass":"\xc3')
            b.add(ts + delay + 0.5, raw, "malformed", "")
    b.ev(end - 30 * SEC, "S0806", free_c[0], note="last record")
    b.notes += [
        "About 2,500 lines over 2026-11-20T00:00Z .. 2026-11-21T12:00Z; six stations in America/Denver, Asia/Kolkata (+05:30), Europe/Dublin, Australia/Adelaide (+10:30 DST), America/St_Johns (-03:30), Etc/UTC; thresholds in ~90% of slots around the expected traffic.",
        "90% of passages are read 0-50 s after their eventTime (on time), 7% 61 s-40 min and 3% 1-6 h later (mostly late); late ones belong only to customers without a threshold (C0800026..C0800050; 41..50 are absent from customers.csv).",
        "~3% of passages are re-sent 1 s-3 h later (a quarter with changed amount, station, customer or earlier eventTime); ~1% malformed lines (laneId 0, negative amount, lower-case station, truncated, invalid UTF-8) with an eventTime 5 min behind.",
    ]
    return b


BUILDERS = [set_dst, set_silent, set_boundaries, set_lateness, set_dedup, set_billing, set_hostile, set_mixed]


def main(argv):
    want = set(argv[1:])
    os.makedirs(SETS, exist_ok=True)
    for fn in BUILDERS:
        b = fn()
        if want and b.name not in want:
            continue
        b.write()


if __name__ == "__main__":
    main(sys.argv)
