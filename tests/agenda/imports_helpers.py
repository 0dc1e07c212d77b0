"""Helpers shared by the tests of the calendar imports (tests/agenda/test_imports_*.py): the files of
tests/agenda/data/, a source, a run's counts and reasons, calendars written inline, the back office's forms."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from agenda.imports import import_calendar
from agenda.models import Event, ImportRun, ImportSource
from territories.models import Region

DATA = Path(__file__).parent / "data"
NOW = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def source(**fields) -> ImportSource:
    defaults = {"name": "Agenda de la CCI", "default_region": Region.objects.get(code="84")}
    return ImportSource.objects.create(**{**defaults, **fields})


def imported(src: ImportSource, name: str, *, now=NOW) -> ImportRun:
    return import_calendar(source=src, content=read(name), now=now)


def event(src: ImportSource, uid: str) -> Event:
    return Event.objects.get(source=src, source_uid=uid)


def counts(run: ImportRun) -> dict[str, int]:
    return {name: getattr(run, name) for name in ("created", "updated", "unchanged", "skipped", "missing")}


def reasons(run: ImportRun) -> dict[str, str]:
    return {r["uid"]: r["raison"] for r in run.skipped_reasons}


def calendar(*events: str, head: str = "") -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//FR\n" + head + "".join(events) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def vevent(uid: str, *lines: str, summary: str = "Atelier IA") -> str:
    return (
        "BEGIN:VEVENT\n"
        + f"UID:{uid}\nSUMMARY:{summary}\n"
        + "".join(f"{line}\n" for line in lines)
        + "END:VEVENT\n"
    )


def upload(name: str = "feed.ics", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, read(name) if content is None else content, content_type="text/calendar")


def source_form(**overrides) -> dict:
    data = {
        "name": "Agenda de la CCI Lyon",
        "url": "",
        "default_region": "84",
        "default_format": "atelier",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
