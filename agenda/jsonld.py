"""schema.org ``Event`` of an event page, for search engines."""

import json
from zoneinfo import ZoneInfo

from django.conf import settings

from agenda.enums import Mode, Status
from agenda.text import markdown_text, plain_line
from core.dates import localtime

EVENT_STATUS = {
    Status.SCHEDULED: "https://schema.org/EventScheduled",
    Status.POSTPONED: "https://schema.org/EventPostponed",
    Status.CANCELLED: "https://schema.org/EventCancelled",
    Status.FULL: "https://schema.org/EventScheduled",
    Status.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}
RESCHEDULED = "https://schema.org/EventRescheduled"
ATTENDANCE = {
    Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event) -> dict:
    zone = ZoneInfo(event.timezone)
    url = settings.SITE_URL + event.get_absolute_url()
    mode = Mode.ONLINE if event.status == Status.MOVED_ONLINE else event.mode
    locations = []
    if mode in (Mode.IN_PERSON, Mode.HYBRID):
        address = {"@type": "PostalAddress", "addressCountry": "FR", "addressRegion": event.region.name}
        if event.address:
            address["streetAddress"] = plain_line(event.address)
        if event.commune_id:
            address["addressLocality"] = event.commune.name
            postcode = event.commune.postal_codes.values_list("code", flat=True).first()
            if postcode:
                address["postalCode"] = postcode
        place = {
            "@type": "Place",
            "name": plain_line(event.venue_name)
            or (event.commune.name if event.commune_id else event.region.name),
            "address": address,
        }
        if event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(event.latitude),
                "longitude": float(event.longitude),
            }
        locations.append(place)
    if mode in (Mode.ONLINE, Mode.HYBRID):
        # No connection link while postponed or cancelled: the page says what is known.
        link = event.online_url if event.is_open else ""
        locations.append({"@type": "VirtualLocation", "url": link or url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        # Text people typed, without markup: a consumer of the data may show it as HTML.
        "name": plain_line(event.title),
        "startDate": localtime(event.starts_at, zone).isoformat(),
        "endDate": localtime(event.ends_at, zone).isoformat(),
        "eventStatus": RESCHEDULED
        if event.is_rescheduled and event.status in (Status.SCHEDULED, Status.FULL)
        else EVENT_STATUS[event.status],
        "eventAttendanceMode": ATTENDANCE[mode],
        "location": locations[0] if len(locations) == 1 else locations,
        # What the page says, as text: the Markdown rendered, raw HTML and unsafe links dropped (agenda/text.py).
        "description": markdown_text(event.description)[:5000],
        "url": url,
        "isAccessibleForFree": event.is_free,
    }
    # schema.org: a postponed event keeps its start date until the new one is known, and gives it again as
    # previousStartDate; a rescheduled one has its new start date and the one first announced.
    if event.is_rescheduled or event.is_postponed:
        previous = event.previous_starts_at if event.is_rescheduled else event.starts_at
        data["previousStartDate"] = localtime(previous, zone).isoformat()
    if event.organizer_name:
        data["organizer"] = {"@type": "Organization", "name": plain_line(event.organizer_name)}
        if event.organizer_url:
            data["organizer"]["url"] = event.organizer_url
    if event.registration_url and event.is_open:
        data["offers"] = {
            "@type": "Offer",
            "url": event.registration_url,
            "availability": "https://schema.org/SoldOut"
            if event.status == Status.FULL
            else "https://schema.org/InStock",
        }
    return data


def event_jsonld_script(event) -> str:
    """JSON for a <script type="application/ld+json"> (a data block, not a script: the CSP does not block it).
    ``<`` is escaped so the text can never close the element."""
    return json.dumps(event_jsonld(event), ensure_ascii=False).replace("<", "\\u003c")
