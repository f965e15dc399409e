"""iCalendar (RFC 5545) text for a calendar of all-day events: CRLF line ends, lines folded at 75 octets, text
values escaped. Written by hand: a few properties, and no dependency for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//regatlas//follow the law//EN"
LIMIT = 75  # octets per line, CRLF not counted (RFC 5545 section 3.1)


def escape(text: str) -> str:
    """A TEXT value (section 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> list[str]:
    """A content line cut into lines of at most 75 octets, each continuation starting with a space; never inside
    a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > LIMIT:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return parts


@dataclass
class Event:
    uid: str
    day: dt.date
    summary: str
    description: str


def _day(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _event(event: Event, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_day(event.day)}",
        f"DTEND;VALUE=DATE:{_day(event.day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape(event.summary)}",
        f"DESCRIPTION:{escape(event.description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(name: str, events: list[Event], now: dt.datetime) -> str:
    """The whole VCALENDAR object; `now` (UTC) is every event's DTSTAMP, when this copy was made."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += _event(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
