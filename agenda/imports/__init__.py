"""Imports of other calendars (iCalendar files and URLs) into the agenda.

One service for every door (back office, management command, background task): ``import_calendar``. What it
guarantees:

* Input that is not a calendar (an HTML page, JSON, an empty or truncated file, more than ``MAX_BYTES``) is refused
  with a clear French ``ImportRun.error`` and nothing already imported is touched.
* Each VEVENT is read on its own: a malformed one is skipped with a readable French reason in
  ``ImportRun.skipped_reasons`` and never stops the others. The whole run is one transaction: a crash half-way loses
  nothing. Events are written by the agenda services (``agenda.services.events_import_create``,
  ``event_import_change``, ``events_import_update``), by batches of ``WRITE_BATCH`` (one INSERT, one UPDATE, each
  batch a savepoint), with the rules of every door: a source publishes directly only if it is set to and only in
  its own region; a change of what the moderators judged, or a move to another region, sends a published event back
  to moderation (its published version stays public meanwhile); an event is never created cancelled. A batch the
  database refuses is written again event by event, so a database error on one event skips that event only. At
  most ``MAX_EVENTS_PER_RUN`` events are read per run.
* Re-importing the same feed creates no duplicate: an event is matched on (source, ``source_uid``). Recurring events
  are expanded over ``[now - HORIZON_PAST, now + HORIZON_FUTURE]``, each occurrence its own event whose
  ``source_uid`` is ``"{UID}#{RECURRENCE-ID in UTC}"``.
* An event of the source that is no longer in the feed (within the horizon) is marked
  (``missing_from_source_since``), never deleted; it is cleared when the event comes back.

Time zones (``timezones``). Untrusted feeds carry every kind of TZID, and icalendar silently turns an unknown one
into a naive (floating) time. Each TZID is therefore resolved: an IANA name as is; a Windows name through
``WINDOWS_ZONES`` (France and overseas) then icalendar's CLDR table; a "globally unique" TZID
(``/mozilla.org/.../Europe/Paris``) by its IANA suffix; a custom zone defined by a VTIMEZONE of the file is trusted
for the instant. Anything else skips the event, with a reason. Floating times are read in the calendar's
X-WR-TIMEZONE, else in the event's region zone.

The package, by what each module does:

* ``fetch``: downloading a source's URL (``fetch_url``, ``FETCH_TIMEOUT``, the French messages of a failed download);
* ``timezones``: what a TZID means (``zone_name_for_tzid``, ``WINDOWS_ZONES``) and floating times (``resolve``);
* ``parsing``: reading a calendar (``parse_calendars``, ``MAX_BYTES``, ``READ_PROPERTIES``, the content-line and
  parser subclasses);
* ``values``: reading one value of a component (text, integers, instants, links, coordinates, the matching keys);
* ``importer``: ``_Importer`` (series, expansion, places, create and update by batches) and the services
  ``import_calendar``, ``import_source``, ``import_all_sources``, ``sources_to_refresh``;
* ``errors``: ``ImportFailed`` (the whole input refused) and ``SkipEvent`` (one event skipped).

This module re-exports what the rest of the code calls and the limits worth reading. The private names
(``_Importer``, ``_occurrences``, ``_ContentLine``…) are imported by the tests from the module that holds them. A limit that a test
changes is patched in the module that reads it: ``agenda.imports.fetch.FETCH_TIMEOUT``,
``agenda.imports.importer.WRITE_BATCH`` (neither is re-exported here, so patching ``agenda.imports`` fails loudly
instead of changing nothing).
"""

from agenda.imports.errors import ImportFailed
from agenda.imports.fetch import UNREACHABLE, FetchError, fetch_url
from agenda.imports.importer import (
    HORIZON_FUTURE,
    HORIZON_PAST,
    IMPORTED_FIELDS,
    MAX_EVENTS_PER_RUN,
    MAX_OCCURRENCES_PER_SERIES,
    UPDATED_FIELDS,
    import_all_sources,
    import_calendar,
    import_source,
    sources_to_refresh,
)
from agenda.imports.parsing import MAX_BYTES, READ_PROPERTIES, parse_calendars
from agenda.imports.timezones import WINDOWS_ZONES, zone_name_for_tzid

__all__ = [
    "HORIZON_FUTURE",
    "HORIZON_PAST",
    "IMPORTED_FIELDS",
    "MAX_BYTES",
    "MAX_EVENTS_PER_RUN",
    "MAX_OCCURRENCES_PER_SERIES",
    "READ_PROPERTIES",
    "UNREACHABLE",
    "UPDATED_FIELDS",
    "WINDOWS_ZONES",
    "FetchError",
    "ImportFailed",
    "fetch_url",
    "import_all_sources",
    "import_calendar",
    "import_source",
    "parse_calendars",
    "sources_to_refresh",
    "zone_name_for_tzid",
]
