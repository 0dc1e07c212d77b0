"""Reading a calendar: the content lines split faster than the library does (``_ContentLine``), icalendar's parser
with its value types looked up once (``_CalendarParser``) and, for the import, without the properties it never
reads (``READ_PROPERTIES``); ``parse_calendars`` refuses what is not a calendar, with a French reason."""

import re
import warnings

import icalendar
from icalendar.parser import Contentline, Contentlines, Parameters, validate_token
from icalendar.parser.content_line import NEWLINE, UFOLD
from icalendar.parser.ical import CalendarIcalParser
from icalendar.parser_tools import DEFAULT_ENCODING, to_unicode
from icalendar.prop import vDDDTypes, vText

from agenda.imports.errors import ImportFailed

MAX_BYTES = 5_000_000  # the largest calendar read, uploaded or downloaded (``fetch.fetch_url`` stops there)


def _not_a_calendar(reason: str) -> ImportFailed:
    return ImportFailed(f"Ce fichier n’est pas un calendrier iCalendar : {reason}.")


class _ContentLine(Contentline):
    """A content line that splits a line without parameters (« SUMMARY:Atelier », most lines of a calendar) without
    reading its value character by character, as the library does for every line (half of the parsing time of a
    file of 10,000 events). Same parts as the library's: any line with a parameter, a quote or a backslash before
    its first colon, or a name the library would refuse, goes the library's way."""

    def raw_parts(self):
        colon = self.find(":")
        if colon > 0:
            head = self[:colon]
            if ";" not in head and '"' not in head and "\\" not in head:
                name = head if self.strict else _BLANKS.sub("", head.strip())
                try:
                    validate_token(name)
                except ValueError:
                    pass  # the library's own message
                else:
                    return name, _empty_parameters(Parameters), self[colon + 1 :]
        return super().raw_parts()


_BLANKS = re.compile(r"[ \t]+")
# ``Parameters()`` with no argument runs two ``__init__`` that only copy nothing (a tenth of a second for the lines
# of 10,000 events): the same empty mapping, made without them.
_empty_parameters = Parameters.__new__


def _content_lines(text: str) -> list[Contentline]:
    """``Contentlines.from_ical(text)``, of ``_ContentLine``: the lines unfolded, then split."""
    lines = Contentlines(_ContentLine(line) for line in NEWLINE.split(UFOLD.sub("", text)) if line)
    lines.append("")
    return lines


# The properties of a VEVENT that the import reads (here and through recurring_ical_events).
READ_PROPERTIES = frozenset(
    {
        *("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO", "URL", "STATUS", "SEQUENCE", "LAST-MODIFIED"),
        *("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"),
    }
)


class _CalendarParser(CalendarIcalParser):
    """icalendar's parser of a calendar, the value type of a property looked up once per name and VALUE parameter
    (the library looks it up twice per line)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._factories = {}

    def get_factory_for_property(self, name, params):
        key = (name, params.value if params else None)
        factory = self._factories.get(key)
        if factory is None:
            factory = self._factories[key] = super().get_factory_for_property(name, params)
        return factory


class _ReadPropertiesParser(_CalendarParser):
    """The import's parser: a property of a VEVENT that the import never reads (DTSTAMP, ATTENDEE, CATEGORIES,
    X-…: most lines of some feeds) is not parsed. It would only be stored in the component or, broken, add an
    error that nobody reads (a VEVENT keeps its errors, it does not raise them)."""

    def handle_property(self, name, params, vals, line):
        if self._stack and self._stack[-1].name == "VEVENT":
            if name not in READ_PROPERTIES:
                return
            factory = self.get_factory_for_property(name, params)
            if factory is vDDDTypes:
                self._add_instant(name, params, vals, line)
                return
            if not params and factory is vText:
                # A text without parameters (SUMMARY, DESCRIPTION, LOCATION, UID…: half the lines of a feed): the
                # value the library makes, a ``vText`` of the line's unescaped value with the line's (empty)
                # parameters, made once, where the library makes it twice, each with its own parameters (a
                # fifth of the parsing time).
                value = str.__new__(vText, vals)
                value.encoding = DEFAULT_ENCODING
                value.params = params
                self._add(name, value)
                return
        super().handle_property(name, params, vals, line)

    def _add_instant(self, name, params, vals, line) -> None:
        """DTSTART, DTEND, DURATION, RECURRENCE-ID, LAST-MODIFIED: the library's value, parsed as it parses it, made
        without ``vDDDTypes.__init__``, which works out a TZID from the value (a fifth of the parsing time) for
        parameters that the library then replaces by the line's own."""
        tzid = params.get("TZID") if params and name in self.datetime_names else None
        try:
            parsed = vDDDTypes.from_ical(vals, tzid) if tzid else vDDDTypes.from_ical(vals)
        except (ValueError, TypeError) as e:
            self.handle_property_parse_error(e, name, params, vals, line)
            return
        value = object.__new__(vDDDTypes)
        value.dt = parsed
        value.params = params
        self._add(name, value)

    def _add(self, name, value) -> None:
        component = self._stack[-1]
        if dict.__contains__(component, name):  # ``name in component``, the name already in capitals
            component.add(name, value, encode=False)
        else:
            component[name] = value


class _Calendar(icalendar.Calendar):
    """``icalendar.Calendar.from_ical`` through ``_CalendarParser`` (the calendars it gives are the library's)."""

    parser = _CalendarParser

    @classmethod
    def _get_ical_parser(cls, st):
        return cls.parser(st, cls._get_component_factory(), cls.types_factory)


class _ReadPropertiesCalendar(_Calendar):
    parser = _ReadPropertiesParser


def parse_calendars(content: bytes, *, all_properties: bool = True) -> list[icalendar.Calendar]:
    """The VCALENDARs of ``content``, or ``ImportFailed`` with a French reason. Never echoes the content: it may be
    anything (a login page, a server's internal answer). ``all_properties=False`` (the import): each VEVENT has
    only its ``READ_PROPERTIES``, the others not even parsed (``_ReadPropertiesParser``)."""
    if len(content) > MAX_BYTES:
        raise ImportFailed(
            f"Le fichier est trop volumineux ({len(content) / 1_000_000:.1f} Mo) : la limite est de "
            f"{MAX_BYTES / 1_000_000:g} Mo."
        )
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if not head:
        raise _not_a_calendar("il est vide")
    if not head.startswith(b"begin:vcalendar"):
        if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
            raise _not_a_calendar("c’est une page web (HTML ou XML), pas un calendrier")
        if head.startswith((b"{", b"[")):
            raise _not_a_calendar("c’est un document JSON, pas un calendrier")
        raise _not_a_calendar("il ne commence pas par BEGIN:VCALENDAR")
    if not content.rstrip()[-200:].lower().endswith(b"end:vcalendar"):
        raise _not_a_calendar("il est tronqué (il ne se termine pas par END:VCALENDAR)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lines = _content_lines(to_unicode(content.lstrip(b"\xef\xbb\xbf \t\r\n")))
            parser = _Calendar if all_properties else _ReadPropertiesCalendar
            components = parser.from_ical(lines, multiple=True)
    except Exception as exc:  # the parser raises ValueError, and sometimes worse, on garbage
        raise _not_a_calendar("il est mal formé (ses blocs BEGIN et END ne se correspondent pas)") from exc
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if not calendars:
        raise _not_a_calendar("il ne contient pas de VCALENDAR")
    return calendars
