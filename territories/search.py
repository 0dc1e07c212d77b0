"""Place names in a free-text search: « Lyon », « Rhône », « Auvergne-Rhône-Alpes », « Saint-Étienne », « val d’oise ».

``query_terms(q)`` cuts a query into the terms that must all match (AND): a place name typed whole becomes a
``PlaceTerm``, every other meaningful word a ``Term`` of ``core.search``. Which rows lie in a place is each list's own
rule (``ambassadors/selectors.py``, ``agenda/selectors.py``); what counts as a place name is decided here:

* the whole name of a region, a département or a commune of at least ``COMMUNE_MIN_POPULATION`` inhabitants,
  compared folded (case, accents, apostrophes and hyphens do not matter), the longest name first (« Auvergne-Rhône-
  Alpes » is the region, not « Rhône » inside it); « St »/« Ste » read as « Saint »/« Sainte »; a leading article
  of a region or département may be left out (« Réunion »);
* when a name is that of several kinds of place, the largest wins: region, then département, then communes
  (« Paris » is the département 75; « Vienne » the département 86, not the commune of Isère); communes sharing a
  name are all taken (« Saint-Denis »: Seine-Saint-Denis and La Réunion);
* smaller communes are not taken as place names, because many bear the name of a common word (« Ligné », « Mer »,
  « Publier », « Bio »...): their names still match as words the events held there.
"""

from dataclasses import dataclass

from django.db.models import CharField, F, Value

from core.search import MAX_QUERY_WORDS, MAX_TERMS, Term, phrase_term, word_term, words
from territories.models import Commune, Departement, Region

COMMUNE_MIN_POPULATION = 10_000
MAX_PLACE_WORDS = 6  # « provence alpes cote d azur »; no region, département or large commune has more
ARTICLES = ("la", "le", "les", "l")
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True)
class PlaceTerm:
    """A place name typed in a query. ``text``: the same name as a phrase, for the rows whose own texts name it
    (« CCI Lyon Métropole »), None when only stop words remain. ``departements``: code → region code, the
    départements of the communes included; ``communes``: their codes."""

    name: str
    text: Term | None
    regions: frozenset[str] = frozenset()
    departements: tuple[tuple[str, str], ...] = ()
    communes: frozenset[str] = frozenset()

    @property
    def departement_codes(self) -> set[str]:
        return {code for code, _region in self.departements}


def _places_named(keys: set[str]) -> dict[str, PlaceTerm]:
    """The places named by each of ``keys`` (folded names), in one query, the largest kind winning."""
    with_articles = keys | {f"{article} {key}" for key in keys for article in ARTICLES}
    text = CharField()
    rows = (
        Region.objects.filter(search_name__in=with_articles)
        .order_by()
        .annotate(kind=Value("1", output_field=text), dep=Value("", output_field=text), reg=F("code"))
        .values_list("kind", "search_name", "code", "dep", "reg")
        .union(
            Departement.objects.filter(search_name__in=with_articles)
            .order_by()
            .annotate(kind=Value("2", output_field=text), dep=F("code"), reg=F("region_id"))
            .values_list("kind", "search_name", "code", "dep", "reg"),
            Commune.objects.filter(search_name__in=keys, population__gte=COMMUNE_MIN_POPULATION)
            .order_by()
            .annotate(
                kind=Value("3", output_field=text), dep=F("departement_id"), reg=F("departement__region_id")
            )
            .values_list("kind", "search_name", "code", "dep", "reg"),
            all=True,
        )
        .order_by()  # Django applies the first model's default ordering to a union: none is needed
    )
    found: dict[str, list[tuple[str, str, str, str]]] = {}
    for kind, name, code, dep, reg in rows:
        key = name
        if key not in keys:  # named without its article
            key = name.split(" ", 1)[1]
        found.setdefault(key, []).append((kind, code, dep, reg))
    places = {}
    for key, matches in found.items():
        largest = min(kind for kind, *_ in matches)
        matches = [m for m in matches if m[0] == largest]
        places[key] = PlaceTerm(
            name=key,
            text=phrase_term(key),
            regions=frozenset(reg for kind, _code, _dep, reg in matches if kind == "1"),
            departements=tuple(sorted({(dep, reg) for kind, _code, dep, reg in matches if kind != "1"})),
            communes=frozenset(code for kind, code, _dep, _reg in matches if kind == "3"),
        )
    return places


def query_terms(q: str) -> list[Term | PlaceTerm]:
    """The terms of a free-text query, in the order typed, at most ``MAX_TERMS``. Stop words and single letters
    are dropped (a query of nothing else asks nothing); the last word typed is a prefix. One query to the
    database, none when nothing remains to look up."""
    typed = words(q)[:MAX_QUERY_WORDS]
    if not typed:
        return []
    spelled = [ABBREVIATIONS.get(w, w) for w in typed]
    keys = {
        " ".join(spelled[i : i + n])
        for i in range(len(spelled))
        for n in range(1, MAX_PLACE_WORDS + 1)
        if i + n <= len(spelled)
    }
    places = _places_named(keys)
    terms: list[Term | PlaceTerm] = []
    i = 0
    while i < len(spelled) and len(terms) < MAX_TERMS:
        for n in range(min(MAX_PLACE_WORDS, len(spelled) - i), 0, -1):
            place = places.get(" ".join(spelled[i : i + n]))
            if place:
                terms.append(place)
                i += n
                break
        else:
            term = word_term(typed[i], last=i == len(typed) - 1)
            if term and term not in terms:
                terms.append(term)
            i += 1
    return terms
