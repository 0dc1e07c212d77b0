"""The one list of an event's public fields, and the sets every door derives from it.

- ``PUBLIC_FIELDS``: what the public page shows and what a moderator judges, in the order of the form and of the
  public page (``versions`` keeps and compares them; the diff shown to moderators follows this order).
- ``FORM_FIELDS``: what a contributor types in the contribution form (``forms.EventForm``): the public fields but those
  worked out from the postcode (commune, département) or read from a calendar feed only (coordinates).
- ``MODERATED_FIELDS``, ``MODERATED_M2M``: a change of these by a contributor who does not publish directly sends a
  published event back to moderation (``services``; the imports follow the same rule). The status is left out:
  cancelling or postponing is always allowed to the contributor.
- ``FEED_FIELDS``: what the calendar imports read from a feed and write (``agenda.imports``).
- ``SIGNIFICANT_FIELDS``: a change of these is a change subscribers of our iCalendar feed must see (SEQUENCE grows):
  what the feed writes of an event.
"""

PUBLIC_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "all_day",
    "timezone",
    "mode",
    "venue_name",
    "address",
    "commune",
    "departement",
    "region",
    "latitude",
    "longitude",
    "online_url",
    "format",
    "audience",
    "sectors",
    "topics",
    "is_free",
    "registration_url",
    "organizer_name",
    "organizer_url",
    "ambassadors",
    "status",
)
MODERATED_M2M = frozenset({"sectors", "topics", "ambassadors"})
# Placed from the postcode (commune, département) or only read from a feed (coordinates).
PLACED_FIELDS = frozenset({"commune", "departement", "latitude", "longitude"})
FORM_FIELDS = tuple(name for name in PUBLIC_FIELDS if name not in PLACED_FIELDS)
MODERATED_FIELDS = frozenset(PUBLIC_FIELDS) - MODERATED_M2M - {"status"}
# What the iCalendar feed does not write: the region and département (a place is its address), the agenda's own
# classification (format, audience, free or not), the many-to-many values.
SIGNIFICANT_FIELDS = (
    frozenset(PUBLIC_FIELDS) - MODERATED_M2M - {"departement", "region", "format", "audience", "is_free"}
)
# What a calendar feed gives of an event (the import writes these, and what follows from them): the rest is the
# agenda's own (the region without a commune, the classification, who takes part, the organiser).
NOT_FROM_FEEDS = frozenset(
    {
        "region",
        "format",
        "audience",
        "sectors",
        "topics",
        "is_free",
        "organizer_name",
        "organizer_url",
        "ambassadors",
    }
)
FEED_FIELDS = tuple(name for name in PUBLIC_FIELDS if name not in NOT_FROM_FEEDS)
# The form's words where they differ from the model's (the form and the moderators' diff).
LABELS = {"venue_name": "Nom du lieu", "address": "Adresse (numéro et voie)"}
