"""French words for matching a company's question against ambassadors' topics and presentations.

Words are lower-cased, French stop words dropped, reduced to their Snowball stem (« robots », « robotique » →
« robot ») and folded (accents removed, so « prédictive » and « predictive » meet)."""

import re
from functools import lru_cache

import snowballstemmer

from core.search import strip_accents as fold  # one folding for the ranking and the search

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait alors au aucun aucune aupres auquel aura aurai auraient aurais aurait auras aurez auriez
    aurions aurons auront aussi autre autres aux avaient avais avait avant avec avez aviez avions avoir avons ayant
    bien bon c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme comment d dans
    de des deja depuis dois doit donc dont du elle elles en encore entre es est et etaient etais etait etc ete etre
    eu eux faire fait faut fois font hors ici il ils j je jusqu l la le les leur leurs lui m ma mais me meme memes
    mes moi moins mon ne ni nos notre nous on ont or ou par parce pas peu peut peuvent plus pour pourquoi qu quand
    que quel quelle quelles quels qui quoi s sa sans se sera serait ses si sien soit sommes son sont sous suis sur
    t ta tandis te tes toi ton tous tout toute toutes tres tu un une unes uns vers via voila vos votre vous y
    bonjour merci souhaite souhaitons voudrais voudrions aimerais aimerions besoin aide aider savoir entreprise
    entreprises societe pme tpe eti intelligence artificielle ia
    """.split()  # noqa: SIM905 - easier to read and extend as text
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


def words(text: str) -> list[str]:
    """The meaningful words of ``text``, lower-cased, in order, one per stem (« robot » and « robots » are one
    word: the first written)."""
    seen: dict[str, str] = {}  # stem -> first word with it
    for match in WORD.finditer((text or "").lower()):
        for part in re.split(r"['’-]", match.group()):
            if len(part) >= 3 and fold(part) not in STOP_WORDS:
                seen.setdefault(stem(part), part)
    return list(seen.values())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Cached: presentations share most of their vocabulary, and stemming is the costly part of the ranking."""
    return fold(_stemmer().stemWord(word.lower()))


@lru_cache(maxsize=4096)
def stems(text: str) -> frozenset[str]:
    """Cached by text: the finder weighs the same presentations at every search (a region's two hundred
    ambassadors), and their words were half of its time."""
    return frozenset(stem(w) for w in words(text))
