"""Python's icalendar parses `annals export --format ics`: one all-day
VEVENT per event, over the right days, with stable UIDs."""

import datetime
import sys

import icalendar

from common import annals, query_events


def main():
    text = annals("export", "--format", "ics", env={"SOURCE_DATE_EPOCH": "1712188800"})
    cal = icalendar.Calendar.from_ical(text)
    vevents = cal.walk("VEVENT")
    events = query_events()
    placed = [e for e in events if e["start"] or e["end"]]
    failures = []
    if len(vevents) != len(placed):
        failures.append(f"{len(vevents)} VEVENTs for {len(placed)} events")
    by_uid = {str(v["UID"]): v for v in vevents}
    for e in placed:
        v = by_uid.get(f"{e['id']}@annals")
        if v is None:
            failures.append(f"no VEVENT with UID {e['id']}@annals")
            continue
        first = datetime.date.fromisoformat(e["start"] or e["end"])
        last = datetime.date.fromisoformat(e["end"] or e["start"])
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
    print(f"icalendar {icalendar.__version__}: {len(vevents)} all-day events for "
          f"{len(placed)} events, dates and UIDs as exported")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
