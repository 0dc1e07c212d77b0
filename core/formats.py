"""How the platform writes dates, times, numbers and counts in French: one set of helpers for the pages (as
template filters, core/templatetags/core_tags.py), the emails, the feeds and the exports' headings.

* « jeudi 15 janvier 2026 », « vendredi 1er mai 2026 » (the first of the month is « 1er »);
* « 9 h », « 14 h 30 » (no leading zero, no seconds), unbreakable: non-breaking spaces around « h »;
* « 1 209 » (a narrow non-breaking space between thousands);
* « 0 ambassadeur trouvé », « 1 événement », « 2 événements »: 0 and 1 take the singular in French;
* French punctuation: a non-breaking space before « : ; ! ? » and inside « », the typographic apostrophe.
"""

import re
from datetime import datetime
from functools import lru_cache

from core.dates import localtime

NBSP = "\u00a0"  # before « : », inside « », around « h »
NNBSP = "\u202f"  # thousands separator


def local(value):
    """An aware datetime in the current time zone (Paris unless activated otherwise); others as they are. The
    helpers below read a datetime on its own clock: call this first for a stored (UTC) value."""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return localtime(value)  # never overflows: a far date written past the forms still renders
    return value


# French names written here rather than looked up in the locale at each call: a feed of 100 events spent a tenth
# of its time in date_format.
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()  # noqa: SIM905
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()  # noqa: SIM905


def french_date(value, *, weekday: bool = True, year: bool = True) -> str:
    """The day in words: « jeudi 15 janvier 2026 », « 1er mai 2026 » (``weekday=False``), « 15 janvier »
    (``year=False``)."""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]}"
    if year:
        text += f" {value.year}"
    if weekday:
        text = f"{WEEKDAYS[value.weekday()]} {text}"
    return text


# Abbreviations of the Lexique des règles typographiques de l’Imprimerie nationale (mai, juin, août whole).
MONTHS_SHORT = "janv. févr. mars avr. mai juin juill. août sept. oct. nov. déc.".split()  # noqa: SIM905


def french_month(value, *, short: bool = False) -> str:
    """« janvier 2026 », « janv. 2026 » (``short``: a column heading)."""
    return f"{(MONTHS_SHORT if short else MONTHS)[value.month - 1]} {value.year}"


def french_time(value) -> str:
    """« 9 h », « 14 h 30 », with non-breaking spaces (the time never breaks across two lines)."""
    return f"{value.hour}{NBSP}h" if value.minute == 0 else f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def french_datetime(value, *, weekday: bool = False) -> str:
    """« 15 janvier 2026 à 14 h 30 »."""
    return f"{french_date(value, weekday=weekday)} à {french_time(value)}"


_ISO_MOMENT = re.compile(
    r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?(?![\d:])"
)


def french_dates_in(text: str) -> str:
    """Stored values (an audit entry's « avant → après ») with their ISO dates written the French way:
    « 2026-05-01 » → « 1er mai 2026 », « 2026-05-01T12:30:00+00:00 » → « 1er mai 2026 à 14 h 30 » (Paris clock).
    Anything else is left as it is."""
    if not text or not isinstance(text, str):
        return text

    def french(match):
        try:
            moment = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        if match.group(2) is None:
            return french_date(moment, weekday=False)
        return french_datetime(local(moment))

    return _ISO_MOMENT.sub(french, text)


def french_number(value) -> str:
    """« 1 209 », « 300 »; a float keeps one decimal with a comma: « 12,5 »."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, decimals = f"{value:,.1f}".partition(".")
        return whole.replace(",", NNBSP) + "," + decimals
    return f"{int(value):,}".replace(",", NNBSP)


def plural(count, singular: str, plural: str | None = None) -> str:
    """The form that goes with ``count``: the singular for 0 and 1 (French), else ``plural`` (by default the
    singular with an « s » on each word: « ambassadeur trouvé » → « ambassadeurs trouvés »)."""
    if abs(count) < 2:
        return singular
    return plural if plural is not None else " ".join(word + "s" for word in singular.split(" "))


def count(value, singular: str, plural_form: str | None = None) -> str:
    """« 0 ambassadeur trouvé », « 1 209 ambassadeurs trouvés »."""
    return f"{french_number(value)} {plural(value, singular, plural_form)}"


FEMININE, MASCULINE = "f", "m"  # how a person said to be written of; anything else: unsaid


def agree(gender: str, *, feminine: str, masculine: str, neutral: str) -> str:
    """The words for a person: feminine or masculine as they said (« ambassadrice », « désignée »), else the
    neutral wording, which avoids agreement (« Votre candidature est retenue »)."""
    return {FEMININE: feminine, MASCULINE: masculine}.get(gender, neutral)


_BEFORE_DOUBLE = re.compile(r"(?<=\S)[ \t]*([:;!?])(?=\s|$)")
_OPEN = re.compile(r"«[ \t\u00a0\u202f]*")
_CLOSE = re.compile(r"[ \t\u00a0\u202f]*»")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
_URL = re.compile(r"\S+://\S+|\S+@\S+\.\S+")


@lru_cache(maxsize=8192)  # a pure function of short texts shown again and again (names, titles on every card)
def french_typography(text: str) -> str:
    """Text typed by people or read from reference data, written the French way: « Côte d’Azur » → « Côte
    d’Azur », « Atelier : IA » → « Atelier : IA » (non-breaking space), « « IA » » → « « IA » ». Addresses (URLs,
    emails) are left as they are. Idempotent."""
    if not text:
        return text or ""
    parts = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(_fix(text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_fix(text[last:]))
    return "".join(parts)


def _fix(text: str) -> str:
    text = _APOSTROPHE.sub("’", text)
    text = _BEFORE_DOUBLE.sub(lambda m: NBSP + m.group(1), text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)
