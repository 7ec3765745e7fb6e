#!/usr/bin/env python3
"""Independent reference oracle for the ABC Tolls data contract.

Written only from the contract (shared/contracts/README.md) and the test brief; it has not
seen the pipeline's code.  Standard library only (Python 3.11).

    python3 oracle.py INPUT_DIR OUT_DIR [--now ISO] [--alt NAME ...]
    python3 oracle.py --self-test

INPUT_DIR holds events.jsonl, stations.csv, station-thresholds.csv, customers.csv.
OUT_DIR receives billing-alerts.jsonl, low-traffic-alerts.jsonl, monthly-totals.csv
and malformed.txt ("LINE<TAB>reason", 1-based line numbers of events.jsonl).

The model (see README.md for every interpretive decision and its alternative):
the file is replayed in file order on one shard; after every record the watermark is
max(valid first-sighting eventTime) - 60 s.  A passage is late for a window
[start, end) when, at the moment it is read, watermark >= end.

--alt NAME switches one decision to its alternative reading (used to document which
expected lines depend on which decision):
  end-watermark        at end of input, silent (no passage) station windows are only
                       evaluated if the final watermark already passed their end;
                       windows that close only because the input ended are evaluated
                       only for stations that have on-time passages in them.
  slot-exact           the threshold row must match the local start time exactly
                       (a window starting at local 15:45 never matches; default:
                       the 30-minute slot containing the local start, 15:30).
  zero-threshold       a threshold of 0 alerts on the first window applied for the
                       (customer, month) (default: 0 is never "crossed").
  per-passage          billing threshold is checked after each passage as it is read
                       (default: after each 10-minute window as it closes, late
                       passages applied when read).
  unknown-station-malformed  a passage for a station missing from stations.csv is
                       malformed (default: valid, billed, no station evaluation).
  extra-fields-malformed     unknown fields make a record malformed (default: ignored).
  dup-keys-last-wins   duplicate JSON keys allowed, last value wins (default: malformed).
  integral-floats      275.0 / 1e2 accepted where an integer is required when the value
                       is integral (default: integer tokens only).
  neg-zero-malformed   the integer token -0 is malformed (default: it is 0).
  no-bom-strip         a UTF-8 BOM at the start of the file is not removed (line 1 is
                       then malformed JSON).
  blank-lines-empty    a line holding only whitespace is "empty", not a record
                       (default: only a zero-length line, after one trailing CR is
                       removed, is empty; a whitespace-only line is malformed JSON).
  dedup-any-sighting   a malformed record also reserves its eventId, so a later valid
                       record with that id is a duplicate (default: only valid records
                       enter the dedup set).
"""
import csv
import datetime as _dt
import json
import os
import re
import sys
from collections import defaultdict
from zoneinfo import ZoneInfo

MAX_RECORD_BYTES = 1024 * 1024          # Kinesis record limit (1 MiB)
FUTURE_TOLERANCE_MS = 5 * 60 * 1000     # default tolerance ahead of the reader's clock
OUT_OF_ORDER_MS = 60 * 1000             # watermark bound
DEDUP_HORIZON_MS = 24 * 3600 * 1000     # "within 24 hours"
W10 = 10 * 60 * 1000
W30 = 30 * 60 * 1000
UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
ONE_MS = _dt.timedelta(milliseconds=1)

VEHICLE_CLASSES = ("MOTORCYCLE", "CAR", "VAN", "BUS", "TRUCK_2AXLE", "TRUCK_3AXLE", "TRUCK_4PLUS")
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
FIELDS = ("eventId", "stationId", "laneId", "transceiverId", "customerId", "vehicleClass",
          "amountCents", "eventTime")
ALTS = ("end-watermark", "slot-exact", "zero-threshold", "per-passage",
        "unknown-station-malformed", "extra-fields-malformed", "dup-keys-last-wins",
        "integral-floats", "neg-zero-malformed", "no-bom-strip", "blank-lines-empty",
        "dedup-any-sighting", "lone-surrogate-malformed")

RE_STATION = re.compile(r"S[0-9]{4}")
RE_TRANSCEIVER = re.compile(r"T[0-9]{7}")
RE_CUSTOMER = re.compile(r"C[0-9]{7}")
RE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,3}))?Z")
RE_SLOT = re.compile(r"([01][0-9]|2[0-3]):(00|30)")


class Malformed(Exception):
    pass


class _NonInteger:
    """A JSON number token with a fraction or exponent (not an integer token)."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


class _NegZero(int):
    """The integer token -0 (value 0), kept distinguishable for --alt neg-zero-malformed."""


# ---------------------------------------------------------------- time helpers

def parse_instant_ms(s):
    """Strict ISO-8601 UTC instant: YYYY-MM-DDTHH:MM:SS[.f{1,3}]Z -> epoch millis, or None."""
    m = RE_TIME.fullmatch(s)
    if not m:
        return None
    y, mo, d, h, mi, se, frac = m.groups()
    try:
        t = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(se), tzinfo=UTC)
    except ValueError:
        return None          # year 0000, month 13, Feb 30, hour 24, second 60 ...
    ms = (t - EPOCH) // ONE_MS
    if frac:
        ms += int(frac.ljust(3, "0"))
    return ms


def ms_to_dt(ms):
    return EPOCH + _dt.timedelta(milliseconds=ms)


def fmt_instant(ms):
    d = ms_to_dt(ms)
    s = f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}"
    if d.microsecond:
        s += f".{d.microsecond // 1000:03d}"
    return s + "Z"


def month_of(ms):
    d = ms_to_dt(ms)
    return f"{d.year:04d}-{d.month:02d}"


def floor_to(ms, size):
    return ms - (ms % size)          # Python %: floor semantics, correct for negative ms


def local_slot(ms, zone, exact=False):
    """(DAY, 'HH:MM') of instant ms in zone; 'HH:MM' is the 30-minute slot containing it.
    With exact=True a local time that is not on :00/:30 returns slot None."""
    d = ms_to_dt(ms).astimezone(zone)
    if exact and (d.minute not in (0, 30) or d.second or d.microsecond):
        return DAYS[d.weekday()], None
    return DAYS[d.weekday()], f"{d.hour:02d}:{(d.minute // 30) * 30:02d}"


# ---------------------------------------------------------------- reference data

def _read_csv(path):
    # utf-8-sig removes a BOM if present; newline='' lets csv handle CRLF and LF alike.
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows = [r for r in rows if any(c.strip() for c in r)]      # ignore blank rows
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    out = []
    for r in rows[1:]:
        r = [c.strip() for c in r] + [""] * (len(header) - len(r))
        out.append(dict(zip(header, r)))
    return out


def load_reference(indir):
    stations = {}
    for r in _read_csv(os.path.join(indir, "stations.csv")):
        stations[r["stationId"]] = ZoneInfo(r["timeZone"])
    thresholds = {}
    for r in _read_csv(os.path.join(indir, "station-thresholds.csv")):
        day = r["dayOfWeek"].upper()
        slot = r["slotStart"]
        if day not in DAYS or not RE_SLOT.fullmatch(slot):
            raise SystemExit(f"bad threshold row {r}")
        thresholds[(r["stationId"], day, slot)] = int(r["minVehicles"])
    customers = {}
    for r in _read_csv(os.path.join(indir, "customers.csv")):
        v = r.get("monthlyThresholdCents", "")
        customers[r["customerId"]] = int(v) if v != "" else None
    return stations, thresholds, customers


# ---------------------------------------------------------------- record validation

def _pairs_hook(allow_dups):
    def hook(pairs):
        if not allow_dups:
            seen = set()
            for k, _ in pairs:
                if k in seen:
                    raise Malformed(f"duplicate key {k!r}")
                seen.add(k)
        return dict(pairs)
    return hook


def _parse_int(s):
    v = int(s)
    return _NegZero(0) if s == "-0" else v


def _parse_constant(s):
    raise Malformed(f"non-JSON number {s}")


def _int_field(obj, name, lo, hi, alts):
    v = obj[name]
    if isinstance(v, bool):
        raise Malformed(f"{name} not an integer")
    if isinstance(v, _NonInteger):
        if "integral-floats" in alts:
            try:
                f = float(v.text)
            except ValueError:
                raise Malformed(f"{name} not an integer")
            if f != f or f in (float("inf"), float("-inf")) or f != int(f):
                raise Malformed(f"{name} not an integer")
            v = int(f)
        else:
            raise Malformed(f"{name} not an integer token ({v.text})")
    if not isinstance(v, int):
        raise Malformed(f"{name} not an integer")
    if isinstance(v, _NegZero) and "neg-zero-malformed" in alts:
        raise Malformed(f"{name} is -0")
    if not lo <= v <= hi:
        raise Malformed(f"{name} out of range {lo}..{hi}")
    return int(v)


def _str_field(obj, name):
    v = obj[name]
    if not isinstance(v, str):
        raise Malformed(f"{name} not a string")
    return v


def validate(raw, now_ms, alts):
    """raw: bytes of one line (no LF, trailing CR removed). Returns the event dict."""
    if len(raw) > MAX_RECORD_BYTES:
        raise Malformed(f"record larger than 1 MiB ({len(raw)} bytes)")
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise Malformed(f"not UTF-8 ({e.reason} at byte {e.start})")
    try:
        obj = json.loads(text, parse_float=_NonInteger, parse_int=_parse_int,
                         parse_constant=_parse_constant,
                         object_pairs_hook=_pairs_hook("dup-keys-last-wins" in alts))
    except Malformed:
        raise
    except RecursionError:
        raise Malformed("not valid JSON (nesting too deep)")
    except (ValueError, TypeError) as e:
        raise Malformed(f"not valid JSON ({str(e)[:80]})")
    if not isinstance(obj, dict):
        raise Malformed(f"JSON {type(obj).__name__}, not an object")
    for f in FIELDS:
        if f not in obj:
            raise Malformed(f"missing {f}")
        if obj[f] is None:
            raise Malformed(f"{f} is null")
    if "extra-fields-malformed" in alts:
        extra = sorted(set(obj) - set(FIELDS))
        if extra:
            raise Malformed(f"unknown field {extra[0]!r}")
    ev = {}
    eid = _str_field(obj, "eventId")
    if not 1 <= len(eid) <= 64:          # length in Unicode code points
        raise Malformed(f"eventId length {len(eid)} not in 1..64")
    if "lone-surrogate-malformed" in alts and any(0xD800 <= ord(c) <= 0xDFFF for c in eid):
        raise Malformed("eventId holds half of a surrogate pair")
    ev["eventId"] = eid
    for name, rx in (("stationId", RE_STATION), ("transceiverId", RE_TRANSCEIVER),
                     ("customerId", RE_CUSTOMER)):
        v = _str_field(obj, name)
        if not rx.fullmatch(v):
            raise Malformed(f"{name} bad format")
        ev[name] = v
    ev["laneId"] = _int_field(obj, "laneId", 1, 32, alts)
    vc = _str_field(obj, "vehicleClass")
    if vc not in VEHICLE_CLASSES:
        raise Malformed("vehicleClass not allowed")
    ev["vehicleClass"] = vc
    ev["amountCents"] = _int_field(obj, "amountCents", 0, 100000, alts)
    ts = parse_instant_ms(_str_field(obj, "eventTime"))
    if ts is None:
        raise Malformed("eventTime not an ISO-8601 UTC instant (Z, <= ms precision)")
    if ts > now_ms + FUTURE_TOLERANCE_MS:
        raise Malformed("eventTime in the future beyond tolerance")
    ev["ts"] = ts
    return ev


def split_lines(data, alts=()):
    """Yield (lineno, raw_bytes_or_None). None means an empty line (not a record)."""
    if data.startswith(b"\xef\xbb\xbf") and "no-bom-strip" not in alts:
        data = data[3:]
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()                   # the file ended with a newline
    for i, p in enumerate(parts, 1):
        if p.endswith(b"\r"):
            p = p[:-1]                # CRLF line end: remove one CR
        if p == b"" or ("blank-lines-empty" in alts and p.strip(b" \t\r") == b""):
            yield i, None
        else:
            yield i, p


# ---------------------------------------------------------------- the pipeline model

class Oracle:
    def __init__(self, stations, thresholds, customers, now_ms, alts=()):
        self.stations, self.thresholds, self.customers = stations, thresholds, customers
        self.now_ms, self.alts = now_ms, set(alts)
        self.max_ts = None
        self.first_ts = None
        self.seen = {}                          # eventId -> first sighting eventTime
        self.reserved = set()                   # --alt dedup-any-sighting
        self.station_counts = defaultdict(int)  # (stationId, w30start) -> on-time count
        self.open_bill = {}                     # (customerId, w10start) -> cents
        self.mtd = defaultdict(int)             # (customerId, month) -> applied cents
        self.applied_once = set()               # (customerId, month) with >= 1 window applied
        self.alerted = set()
        self.billing_alerts = []
        self.month_totals = defaultdict(int)
        self.malformed = []
        self.stats = defaultdict(int)

    @property
    def watermark(self):
        return float("-inf") if self.max_ts is None else self.max_ts - OUT_OF_ORDER_MS

    def feed(self, lineno, raw):
        try:
            ev = validate(raw, self.now_ms, self.alts)
            if "unknown-station-malformed" in self.alts and ev["stationId"] not in self.stations:
                raise Malformed("unknown stationId")
        except Malformed as e:
            self.malformed.append((lineno, str(e)))
            self.stats["malformed"] += 1
            if "dedup-any-sighting" in self.alts:
                m = re.search(rb'"eventId"\s*:\s*"([^"\\]{1,64})"', raw)
                if m:
                    try:
                        self.reserved.add(m.group(1).decode("utf-8"))
                    except UnicodeDecodeError:
                        pass
            return
        eid, ts = ev["eventId"], ev["ts"]
        if eid in self.seen or eid in self.reserved:
            self.stats["duplicates"] += 1
            first = self.seen.get(eid)
            if first is not None and self.max_ts is not None and self.max_ts - first > DEDUP_HORIZON_MS:
                self.stats["duplicates_beyond_24h_of_event_time"] += 1
            return
        self.seen[eid] = ts
        self.stats["valid"] += 1
        wm = self.watermark
        if self.first_ts is None:
            self.first_ts = ts
        # station window (30 min)
        w30 = floor_to(ts, W30)
        if wm >= w30 + W30:
            self.stats["late_for_station"] += 1
        else:
            self.station_counts[(ev["stationId"], w30)] += 1
        # billing
        cust, amt = ev["customerId"], ev["amountCents"]
        self.month_totals[(cust, month_of(ts))] += amt
        w10 = floor_to(ts, W10)
        if "per-passage" in self.alts:
            self._apply(cust, w10, amt)
        elif wm >= w10 + W10:
            self.stats["late_for_billing"] += 1
            self._apply(cust, w10, amt)
        else:
            key = (cust, w10)
            self.open_bill[key] = self.open_bill.get(key, 0) + amt
        # watermark
        if self.max_ts is None or ts > self.max_ts:
            self.max_ts = ts
            self._close_billing(self.watermark)

    def _close_billing(self, wm):
        due = sorted((w + W10, c) for (c, w) in self.open_bill if w + W10 <= wm)
        for end, c in due:
            self._apply(c, end - W10, self.open_bill.pop((c, end - W10)))

    def _apply(self, cust, w10, delta):
        month = month_of(w10)
        key = (cust, month)
        before = self.mtd[key]
        first_application = key not in self.applied_once
        self.applied_once.add(key)
        after = before + delta
        self.mtd[key] = after
        thr = self.customers.get(cust)
        if thr is None or (cust, month, thr) in self.alerted:
            return
        below = before < thr or ("zero-threshold" in self.alts and first_application)
        if below and after >= thr:
            self.alerted.add((cust, month, thr))
            self.billing_alerts.append({"type": "BILLING_THRESHOLD", "customerId": cust,
                                        "month": month, "thresholdCents": thr,
                                        "monthToDateCents": after,
                                        "crossedInWindowEnd": fmt_instant(w10 + W10)})

    def finish(self):
        self._close_billing(float("inf"))
        low = []
        if self.max_ts is None:
            return low
        on_time_windows = [w for (_, w) in self.station_counts]
        start = min([floor_to(self.first_ts, W30)] + on_time_windows)
        last = floor_to(self.max_ts, W30)
        final_wm = self.max_ts - OUT_OF_ORDER_MS
        exact = "slot-exact" in self.alts
        for sid, zone in self.stations.items():
            w = start
            while w <= last:
                count = self.station_counts.get((sid, w), 0)
                evaluated = True
                if "end-watermark" in self.alts and w + W30 > final_wm and count == 0:
                    evaluated = False
                if evaluated:
                    day, slot = local_slot(w, zone, exact)
                    mv = self.thresholds.get((sid, day, slot)) if slot else None
                    if mv is not None and count < mv:
                        low.append({"type": "LOW_TRAFFIC", "stationId": sid,
                                    "windowStart": fmt_instant(w), "windowEnd": fmt_instant(w + W30),
                                    "vehicles": count, "minVehicles": mv})
                w += W30
        self.stats["station_windows_from"] = fmt_instant(start)
        self.stats["station_windows_to"] = fmt_instant(last)
        return low


def _dump(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def run(indir, outdir, now_ms, alts=(), quiet=False):
    stations, thresholds, customers = load_reference(indir)
    o = Oracle(stations, thresholds, customers, now_ms, alts)
    with open(os.path.join(indir, "events.jsonl"), "rb") as f:
        data = f.read()
    for lineno, raw in split_lines(data, alts):
        if raw is None:
            o.stats["empty_lines"] += 1
            continue
        o.feed(lineno, raw)
    low = o.finish()
    os.makedirs(outdir, exist_ok=True)
    bill = sorted(o.billing_alerts, key=lambda a: (a["customerId"], a["month"], a["thresholdCents"]))
    low.sort(key=lambda a: (a["windowStart"], a["stationId"]))
    with open(os.path.join(outdir, "billing-alerts.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.writelines(_dump(a) + "\n" for a in bill)
    with open(os.path.join(outdir, "low-traffic-alerts.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        f.writelines(_dump(a) + "\n" for a in low)
    with open(os.path.join(outdir, "monthly-totals.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("customerId,month,totalCents\n")
        for (c, m) in sorted(o.month_totals):
            f.write(f"{c},{m},{o.month_totals[(c, m)]}\n")
    with open(os.path.join(outdir, "malformed.txt"), "w", encoding="utf-8", newline="\n") as f:
        for n, reason in o.malformed:
            f.write(f"{n}\t{reason}\n")
    if not quiet:
        print(json.dumps(dict(o.stats), sort_keys=True), file=sys.stderr)
    return o, bill, low


# ---------------------------------------------------------------- self-test

def self_test():
    import tempfile
    now = parse_instant_ms("2026-11-27T12:00:00Z")

    # time parsing
    assert parse_instant_ms("1970-01-01T00:00:00Z") == 0
    assert parse_instant_ms("1970-01-01T00:00:00.5Z") == 500
    assert parse_instant_ms("1970-01-01T00:00:00.05Z") == 50
    assert parse_instant_ms("1969-12-31T23:59:59.999Z") == -1
    assert parse_instant_ms("0001-01-01T00:00:00Z") == -62135596800000
    for bad in ("2026-11-18T14:03:07.2500Z", "2026-11-18T14:03:07+00:00", "2026-11-18T14:03:07",
                "2026-11-18t14:03:07z", "2026-02-30T00:00:00Z", "2026-11-18T24:00:00Z",
                "2026-11-18T14:03Z", "0000-01-01T00:00:00Z", "2026-11-18T23:59:60Z",
                "2026-11-18 14:03:07Z", "+2026-11-18T14:03:07Z", "2026-11-18T14:03:07.Z",
                "２026-11-18T14:03:07Z"):
        assert parse_instant_ms(bad) is None, bad
    assert fmt_instant(parse_instant_ms("2026-11-18T14:00:00Z")) == "2026-11-18T14:00:00Z"
    assert floor_to(-1, W10) == -W10
    assert month_of(parse_instant_ms("2026-10-31T23:59:59.999Z")) == "2026-10"

    # zones and slots
    ny, lon = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
    lh, ktm = ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Kathmandu")
    p = parse_instant_ms
    assert local_slot(p("2026-11-01T05:00:00Z"), ny) == ("SUNDAY", "01:00")
    assert local_slot(p("2026-11-01T06:00:00Z"), ny) == ("SUNDAY", "01:00")
    assert local_slot(p("2026-11-01T03:30:00Z"), ny) == ("SATURDAY", "23:30")
    assert local_slot(p("2026-10-25T00:00:00Z"), lon) == ("SUNDAY", "01:00")
    assert local_slot(p("2026-10-25T01:00:00Z"), lon) == ("SUNDAY", "01:00")
    assert local_slot(p("2026-10-03T15:00:00Z"), lh) == ("SUNDAY", "01:30")
    assert local_slot(p("2026-10-03T15:30:00Z"), lh) == ("SUNDAY", "02:30")
    assert local_slot(p("2026-10-06T10:00:00Z"), ktm) == ("TUESDAY", "15:30")
    assert local_slot(p("2026-10-06T10:00:00Z"), ktm, exact=True) == ("TUESDAY", None)

    def ev(eid, t, st="S0001", cust="C0000001", amt=100, lane=1, **extra):
        d = {"eventId": eid, "stationId": st, "laneId": lane, "transceiverId": "T0000001",
             "customerId": cust, "vehicleClass": "CAR", "amountCents": amt, "eventTime": t}
        d.update(extra)
        return json.dumps(d, separators=(",", ":")).encode()

    def chk(raw, ok, alts=()):
        try:
            validate(raw, now, set(alts))
            got = True
        except Malformed:
            got = False
        assert got == ok, (raw[:120], ok)

    chk(ev("a", "2026-11-18T14:03:07.250Z"), True)
    chk(ev("a", "2026-11-27T12:05:00Z"), True)           # exactly at the tolerance
    chk(ev("a", "2026-11-27T12:05:00.001Z"), False)
    chk(ev("a", "2099-01-01T00:00:00Z"), False)
    chk(ev("a", "0001-01-01T00:00:00Z"), True)
    chk(ev("", "2026-11-18T14:03:07Z"), False)
    chk(ev("x" * 64, "2026-11-18T14:03:07Z"), True)
    chk(ev("x" * 65, "2026-11-18T14:03:07Z"), False)
    chk(ev("é" * 64, "2026-11-18T14:03:07Z"), True)
    chk(ev("a", "2026-11-18T14:03:07Z", lane=0), False)
    chk(ev("a", "2026-11-18T14:03:07Z", lane=33), False)
    chk(ev("a", "2026-11-18T14:03:07Z", lane=32), True)
    chk(ev("a", "2026-11-18T14:03:07Z", lane="3"), False)
    chk(ev("a", "2026-11-18T14:03:07Z", lane=True), False)
    chk(ev("a", "2026-11-18T14:03:07Z", amt=100001), False)
    chk(ev("a", "2026-11-18T14:03:07Z", amt=100000), True)
    chk(ev("a", "2026-11-18T14:03:07Z", amt=-1), False)
    chk(ev("a", "2026-11-18T14:03:07Z", st="s0001"), False)
    chk(ev("a", "2026-11-18T14:03:07Z", st=" S0001"), False)
    chk(ev("a", "2026-11-18T14:03:07Z", st="S0001\n"), False)
    chk(ev("a", "2026-11-18T14:03:07Z", st="S\u0661\u0662\u0663\u0664"), False)   # Arabic-Indic digits
    chk(ev("a", "2026-11-18T14:03:07Z", cust=None), False)
    chk(ev("a", "2026-11-18T14:03:07Z", gateway="G1"), True)
    chk(ev("a", "2026-11-18T14:03:07Z", gateway="G1"), False, ["extra-fields-malformed"])
    base = ev("a", "2026-11-18T14:03:07Z", amt=275)
    chk(base.replace(b'"amountCents":275', b'"amountCents":275.0'), False)
    chk(base.replace(b'"amountCents":275', b'"amountCents":275.0'), True, ["integral-floats"])
    chk(base.replace(b'"amountCents":275', b'"amountCents":1e2'), False)
    chk(base.replace(b'"amountCents":275', b'"amountCents":-0'), True)
    chk(base.replace(b'"amountCents":275', b'"amountCents":-0'), False, ["neg-zero-malformed"])
    chk(base.replace(b'"amountCents":275', b'"amountCents":NaN'), False)
    chk(base.replace(b'"amountCents":275', b'"amountCents":275,"amountCents":275'), False)
    chk(base.replace(b'"amountCents":275', b'"amountCents":275,"amountCents":275'), True, ["dup-keys-last-wins"])
    chk(base + b" ", True)
    chk(base + b"x", False)
    chk(base + base, False)
    chk(b"\xef\xbb\xbf" + base, False)     # a BOM inside the file is not whitespace
    chk(base.replace(b"CAR", b"C\xffR"), False)
    chk(b"[1,2]", False)
    chk(b"42", False)
    chk(b"{}", False)
    chk(base.replace(b'"S0001"', b'"S\\u0030001"'), True)     # escapes decode to S0001
    chk(b'{"eventId":"a' + b" " * 20000 + b'"}', False)
    chk(base[:-1] + b',"note":"' + b" " * (MAX_RECORD_BYTES) + b'"}', False)

    # line splitting
    lines = list(split_lines(b"\xef\xbb\xbfA\r\n\r\n\nB\n \nC"))
    assert lines == [(1, b"A"), (2, None), (3, None), (4, b"B"), (5, b" "), (6, b"C")], lines
    assert list(split_lines(b"A\n")) == [(1, b"A")]
    assert list(split_lines(b"")) == []

    # end-to-end on a tiny input
    with tempfile.TemporaryDirectory() as d:
        def w(name, text):
            with open(os.path.join(d, name), "wb") as f:
                f.write(text)
        w("stations.csv", b"stationId,name,timeZone\nS0001,A,Etc/UTC\nS0002,B,Etc/UTC\n")
        w("station-thresholds.csv", b"stationId,dayOfWeek,slotStart,minVehicles\n"
          b"S0001,WEDNESDAY,10:00,2\nS0001,WEDNESDAY,10:30,2\nS0002,WEDNESDAY,10:30,1\n")
        w("customers.csv", b"customerId,monthlyThresholdCents\nC0000001,300\nC0000002,\nC0000003,0\n")
        recs = [
            ev("e1", "2026-11-18T10:05:00Z"),                       # S0001 10:00 window
            ev("e2", "2026-11-18T10:29:59.999Z"),                   # S0001 10:00 window -> count 2
            ev("e2", "2026-11-18T10:29:59.999Z", st="S0002", amt=99999),   # re-send: ignored
            ev("e3", "2026-11-18T10:31:00Z"),                       # wm 10:30:00 -> closes [10:00,10:30)
            ev("e4", "2026-11-18T10:20:00Z", st="S0002"),           # late for station; billed
            ev("e5", "2026-11-18T10:40:00Z", cust="C0000002", amt=7, st="S0009"),   # unknown station
            ev("e6", "2026-11-18T10:40:00Z", cust="C0000003", amt=0, st="S0009"),
            b"not json",
            ev("e7", "2099-01-01T00:00:00Z"),                        # malformed, no watermark move
        ]
        w("events.jsonl", b"\n".join(recs))
        o, bill, low = run(d, os.path.join(d, "out"), now, quiet=True)
        assert o.station_counts[("S0001", p("2026-11-18T10:00:00Z"))] == 2
        assert ("S0002", p("2026-11-18T10:00:00Z")) not in o.station_counts
        assert o.month_totals[("C0000001", "2026-11")] == 400
        assert o.month_totals[("C0000002", "2026-11")] == 7
        assert o.month_totals[("C0000003", "2026-11")] == 0
        assert [m[0] for m in o.malformed] == [8, 9]
        # S0001 10:00 count 2 == min -> no alert; 10:30 count 1 < 2 -> alert; S0002 10:30 count 0 < 1
        assert [(a["stationId"], a["windowStart"], a["vehicles"]) for a in low] == [
            ("S0001", "2026-11-18T10:30:00Z", 1), ("S0002", "2026-11-18T10:30:00Z", 0)], low
        # C0000001: windows [10:00,10:10)=100, [10:20,10:30)=100 then late e4 +100 at [10:20,10:30) -> 300
        assert bill == [{"type": "BILLING_THRESHOLD", "customerId": "C0000001", "month": "2026-11",
                         "thresholdCents": 300, "monthToDateCents": 300,
                         "crossedInWindowEnd": "2026-11-18T10:30:00Z"}], bill
        with open(os.path.join(d, "out", "low-traffic-alerts.jsonl")) as f:
            assert f.readline() == ('{"type":"LOW_TRAFFIC","stationId":"S0001","windowStart":'
                                    '"2026-11-18T10:30:00Z","windowEnd":"2026-11-18T11:00:00Z",'
                                    '"vehicles":1,"minVehicles":2}\n')
        o2, bill2, _ = run(d, os.path.join(d, "out2"), now, alts=["zero-threshold"], quiet=True)
        assert [b["customerId"] for b in bill2] == ["C0000001", "C0000003"]

    # Flink equivalence: fire when (max - bound - 1) >= end - 1  <=>  max - bound >= end
    for mx in range(-5, 6):
        for end in range(-5, 6):
            assert ((mx - 60 - 1) >= end - 1) == ((mx - 60) >= end)
    print("self-test OK")


def main(argv):
    if argv[1:2] == ["--self-test"]:
        self_test()
        return 0
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("indir")
    ap.add_argument("outdir")
    ap.add_argument("--now", help="reader clock, ISO instant (default: the real clock)")
    ap.add_argument("--alt", action="append", default=[], choices=ALTS)
    a = ap.parse_args(argv[1:])
    now_ms = (parse_instant_ms(a.now) if a.now
              else (_dt.datetime.now(UTC) - EPOCH) // ONE_MS)
    run(a.indir, a.outdir, now_ms, a.alt)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
