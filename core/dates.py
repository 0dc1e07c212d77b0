"""Dates as a French reader expects them: « jeudi 15 janvier 2026 », « vendredi 1er mai 2026 »."""

from django.utils.formats import date_format


def french_date(value, *, weekday: bool = True) -> str:
    """The day in words; the first of the month is « 1er »."""
    if value.day == 1:
        head = f"{date_format(value, 'l')} 1er" if weekday else "1er"
        return f"{head} {date_format(value, 'F Y')}"
    return date_format(value, "l j F Y" if weekday else "j F Y")
