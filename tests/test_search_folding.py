"""``core.search.strip_accents`` reads only the runs of characters outside ASCII: the same text as its definition
(decomposed, every combining mark dropped) for every character and for texts mixing them."""

import random
import unicodedata

from core.search import strip_accents, words


def _by_definition(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_strip_accents_of_every_character_is_its_definition():
    characters = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    assert [c for c in characters if strip_accents(c) != _by_definition(c)] == []


def test_strip_accents_of_mixed_texts_is_its_definition():
    pool = [
        *"aeiouAZ09 -,’«»",
        "é",
        "Œ",
        "ñ",
        "ç",
        "\u0301",
        "\u1dc0",
        "\u20d0",
        "\ufe20",
        "ﬁ",
        "Ⅻ",
        "日",
        "e\u0301",
    ]
    rng = random.Random(2026)
    texts = ["", "Saint-Étienne", "Côte-d’Or", "Économie numérique", "ﬁnance"]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 16))) for _ in range(5000)]
    assert [t for t in texts if strip_accents(t) != _by_definition(t)] == []
    assert words("Côte-d’Or : l’IA générative") == ["cote", "d", "or", "l", "ia", "generative"]
