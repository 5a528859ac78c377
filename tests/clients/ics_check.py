"""Python's icalendar parses `annals export --format ics`: one all-day
VEVENT per event, over the right days, with stable UIDs. The placement
rule of docs/interop.md: a point or an interval covers its days; a one-of
range ("one day between ...") is one day, its first possible one, never an
event lasting the range; an open date is its one known day. Checked on the
sample and, case by case, on the CJK record (tests/fixtures/outputs/cjk)."""

import datetime
import sys

import icalendar

from common import annals, query_events


def placed_days(e):
    """The first and last day (inclusive) the rule places an event on."""
    first = datetime.date.fromisoformat(e["start"] or e["end"])
    last = datetime.date.fromisoformat(e["end"] or e["start"])
    if e["shape"] == "one-of":
        last = first
    return first, last


def check_record(record, failures):
    text = annals("--dir", record, "export", "--format", "ics",
                  env={"SOURCE_DATE_EPOCH": "1712188800"})
    cal = icalendar.Calendar.from_ical(text)
    vevents = cal.walk("VEVENT")
    events = query_events(record=record)
    placed = [e for e in events if e["start"] or e["end"]]
    if len(vevents) != len(placed):
        failures.append(f"{len(vevents)} VEVENTs for {len(placed)} events")
    by_uid = {str(v["UID"]): v for v in vevents}
    for e in placed:
        v = by_uid.get(f"{e['id']}@annals")
        if v is None:
            failures.append(f"no VEVENT with UID {e['id']}@annals")
            continue
        first, last = placed_days(e)
        start, end = v.decoded("DTSTART"), v.decoded("DTEND")
        if isinstance(start, datetime.datetime) or isinstance(end, datetime.datetime):
            failures.append(f"{e['id']}: not an all-day event")
        if start != first or end != last + datetime.timedelta(days=1):
            failures.append(f"{e['id']}: {start}..{end} (exclusive), expected {first}..{last}")
        summary = str(v["SUMMARY"])
        exact = (e["precision"] == "day" and e["shape"] in ("point", "interval")
                 and not e["qualifiers"] and e["start"] and e["end"])
        expected = e["title"] if exact else f"{e['title']} ({e['label']})"
        if summary != expected:
            failures.append(f"{e['id']}: SUMMARY {summary!r}, expected {expected!r}")
        if v.decoded("DTSTAMP") != datetime.datetime(2024, 4, 4, tzinfo=datetime.timezone.utc):
            failures.append(f"{e['id']}: DTSTAMP {v.decoded('DTSTAMP')}")
    return {e["id"]: by_uid.get(f"{e['id']}@annals") for e in placed}, len(vevents), len(placed)


def main():
    failures = []
    _, n_vevents, n_placed = check_record("events", failures)
    # Each kind of date, by hand: (id, first day, exclusive end, words in
    # the summary).
    cjk, _, _ = check_record("tests/fixtures/outputs/cjk", failures)
    day = datetime.date
    for eid, start, end, words in [
        ("talks-in-beijing", day(2024, 5, 1), day(2024, 5, 2), None),            # point
        ("consultations-week", day(2024, 5, 6), day(2024, 5, 9), None),          # span
        ("mofa-comment", day(2024, 5, 2), day(2024, 5, 3),                       # one-of
         "(one day between 2 and 10 May 2024)"),
        ("standing-channel", day(2024, 5, 1), day(2024, 5, 2),                   # open
         "(from 1 May 2024 on)"),
    ]:
        v = cjk.get(eid)
        if v is None:
            failures.append(f"cjk: no VEVENT for {eid}")
            continue
        got = (v.decoded("DTSTART"), v.decoded("DTEND"))
        if got != (start, end):
            failures.append(f"cjk {eid}: {got[0]}..{got[1]} (exclusive), expected {start}..{end}")
        summary = str(v["SUMMARY"])
        if words and not summary.endswith(words):
            failures.append(f"cjk {eid}: SUMMARY {summary!r} does not say {words!r}")
        if not words and "(" in summary.replace("(予定)", ""):
            failures.append(f"cjk {eid}: SUMMARY {summary!r} says more than the title")
    # The hostile fixture's text comes back exactly, escapes undone.
    hostile = icalendar.Calendar.from_ical(annals(
        "--dir", "tests/fixtures/query/hostile", "export", "--format", "ics"))
    [h] = hostile.walk("VEVENT")
    title = query_events(record="tests/fixtures/query/hostile")[0]["title"]
    want = title.replace("\x1b", "\ufffd")
    if str(h["SUMMARY"]) != want:
        failures.append(f"hostile SUMMARY {str(h['SUMMARY'])!r}, expected {want!r}")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"icalendar {icalendar.__version__}: {n_vevents} all-day events for "
          f"{n_placed} events, dates and UIDs as exported; point, span, one-of and "
          "open dates placed by the rule")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
