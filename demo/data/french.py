"""French typography and prepositions for the demo's texts, written plainly in the sources and fixed here: the
typographic apostrophe, a non-breaking space before « : ; ! ? » and inside « », « à Lyon » but « au Havre »."""

import re

NBSP = "\u00a0"
_GENDER = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")


def fr(text: str) -> str:
    """``text`` with French typography: ’ for ', a non-breaking space before : ; ! ? and inside « »."""
    text = text.replace("'", "’")
    text = re.sub(r"[ \u00a0]*([:;!?])(?=\s|$|[»)])", NBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0]*", "«" + NBSP, text)
    return re.sub(r"[ \u00a0]*»", NBSP + "»", text)


def gender(text: str, female: bool) -> str:
    """« Ancien[|ne] » → « Ancien » or « Ancienne »: the form that agrees with the person."""
    return _GENDER.sub(lambda m: m.group(2) if female else m.group(1), text)


def at(city: str) -> str:
    """« à Lyon », « au Havre », « aux Abymes »."""
    if city.startswith("Le "):
        return "au " + city[3:]
    if city.startswith("Les "):
        return "aux " + city[4:]
    return "à " + city


def of(name: str) -> str:
    """« de Lyon », « d’Annecy », « du Havre », « des Abymes »; also for « une PME » → « d’une PME »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les ") or name.startswith("les "):
        return "des " + name[4:]
    if name[:1] in "AEIOUYÂÉÈÊÎÔaeiouyâéèêîô":
        return "d’" + name
    return "de " + name


def to_plural(audience: str) -> str:
    """« les PME » → « aux PME » (after « montrer », « parler »)."""
    return "aux " + audience[4:] if audience.startswith("les ") else "à " + audience


def join(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
