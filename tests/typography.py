"""What French typography forbids in a text people read: used on the visible text of every public page
(tests/e2e/test_public_pages.py) and on every email the tests receive (tests/conftest.py: smtp_inbox)."""

import re

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Words ending in « s » that are singular too (« 1 mois », « 1 avis »).
INVARIABLE = {
    "mois",
    "fois",
    "avis",
    "accès",
    "cours",
    "temps",
    "pays",
    "processus",
    "progrès",
    "succès",
    "jours",
}
TYPOGRAPHY = [
    ("espace simple avant une ponctuation double", re.compile(r"\S( [:;!?])(?=\s|$|[»)])")),
    ("espace simple à l’intérieur des guillemets", re.compile(r"« |(?<=\S) »")),
    ("apostrophe droite dans un mot", re.compile(r"[^\W\d_]'[^\W\d_]")),
    (
        "« 1 » au lieu de « 1er » pour le premier du mois",
        re.compile(rf"(?<![\d\w])1[\s\u00a0\u202f]({MONTHS})\b"),
    ),
    (
        "nom de mois anglais",
        re.compile(
            r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
            r"|\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
            r"|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{4}\b"
        ),
    ),
    ("heure avec un zéro initial", re.compile(r"(?<![\d\w:])0\d[\s\u00a0\u202f]h\b")),
    ("heure sécable (espace simple autour de « h »)", re.compile(r"\d h\b|\bh \d")),
    ("heure avec secondes", re.compile(r"\bmin[\s\u00a0\u202f]\d+[\s\u00a0\u202f]s\b")),
    ("ponctuation doublée", re.compile(r"[:;][\s\u00a0\u202f]*[:;]|\.\.(?!\.)")),
]
PLURAL_AFTER_0_OR_1 = re.compile(
    r"(?<![\d,.])(?<!\d[\s\u00a0\u202f])\b([01])[\s\u00a0\u202f]([^\W\d_]{3,}s)\b", re.UNICODE
)


def typography_faults(text: str) -> list[str]:
    """The typographic faults of a visible text, each with a few characters around it."""
    faults = []
    for label, pattern in TYPOGRAPHY:
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ⏎ ")
            faults.append(f"{label} : « {around} »")
    for match in PLURAL_AFTER_0_OR_1.finditer(text):
        if match.group(2).lower() not in INVARIABLE:
            around = text[max(0, match.start() - 20) : match.end() + 20].replace("\n", " ⏎ ")
            faults.append(f"pluriel après {match.group(1)} : « {around} »")
    return faults
