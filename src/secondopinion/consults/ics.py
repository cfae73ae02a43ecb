"""An iCalendar (RFC 5545) file for a chosen appointment: times in UTC, no health data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from secondopinion.consults.models import AppointmentSlot

SUMMARY = "Second-opinion appointment"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def appointment_ics(slot: AppointmentSlot, host: str = "secondopinion") -> str:
    end = slot.starts_at + timedelta(minutes=slot.minutes)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//secondopinion//appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{slot.pk}@{host}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{SUMMARY}",
    ]
    if slot.mode == AppointmentSlot.Mode.VISIT and slot.place:
        lines.append(f"LOCATION:{_escape(slot.place)}")
    if slot.mode == AppointmentSlot.Mode.VIDEO and slot.video_link:
        lines.append(f"LOCATION:{_escape('Video call')}")
        lines.append(f"URL:{slot.video_link}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
