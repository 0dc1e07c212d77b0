"""Facts about the regions that the official geographic code does not carry."""

# IANA time zone of each region. Metropolitan regions (Corsica included) live in Europe/Paris.
OVERSEAS_TIMEZONES = {
    "01": "America/Guadeloupe",
    "02": "America/Martinique",
    "03": "America/Cayenne",
    "04": "Indian/Reunion",
    "06": "Indian/Mayotte",
}
DEFAULT_TIMEZONE = "Europe/Paris"


def region_timezone(code: str) -> str:
    return OVERSEAS_TIMEZONES.get(code, DEFAULT_TIMEZONE)
