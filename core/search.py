"""Free text that knows French, with the same results on PostgreSQL and on SQLite.

Every searchable model keeps a ``search_text`` column (``SearchableModel``): the words of its ``SEARCH_FIELDS``
lower-cased, folded (accents, ligatures, typographic apostrophes and hyphens: « Val-d’Oise », « val d'oise » and
« VAL D OISE » give the same words), French stop words and single letters dropped, each reduced to its Snowball
French stem (« données », « donnee », « DONNÉES » → ``donne``), written as `` donne lyon metropol `` (one space
around each stem, in the order of the text). ``save()`` recomputes it, so every door that saves a row keeps it
true; doors that write in bulk call ``document()`` themselves (and ``manage.py rebuild_search`` rebuilds it all).

A query word is matched against that column by ``Matches``: a whole stem, a prefix (the last word typed:
« intel » finds « intelligence ») or a phrase (consecutive stems: a place name inside a presentation).

* On PostgreSQL the column is read by its full-text search: ``to_tsvector('osez_search', search_text) @@
  to_tsquery('osez_search', 'donne:*')``, served by a GIN index on that expression (migrations create the
  ``unaccent`` extension and the ``osez_search`` configuration: unaccent then simple, since the column already
  holds folded stems).
* Elsewhere (SQLite) the same column is read with ``LIKE '% donne%'``.

Why stem in Python on both databases rather than with PostgreSQL's own ``french_stem``: PostgreSQL 15's Snowball
and the ``snowballstemmer`` package differ on some words (« Calais », « cailloux », « Beauvais »...), so the two
databases would not give the same results. Stemming once, here, makes them identical by construction; the tests
check that PostgreSQL reads each stored column back as exactly these stems, positions included.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection, models
from django.db.models import BooleanField, F, Func, Q
from django.db.models.expressions import RawSQL

CONFIG = "osez_search"  # the PostgreSQL text search configuration (territories/migrations/0002)
MAX_WORD = 40  # longer "words" are noise (a pasted link, a hash); never indexed, never searched
MAX_QUERY_WORDS = 20  # words of a query read for places
MAX_TERMS = 8  # words (or place names) of a query that must match, as before

# Grammatical words only: they carry no meaning in a search (domain words such as « entreprise » stay searchable).
STOP_WORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa sans se ses son sous sur ta te tes toi ton tu un
    une vos votre vous
    """.split()  # noqa: SIM905 - easier to read and extend as text
)
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l"}
)
_WORD = re.compile(r"[a-z0-9]+")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(match: re.Match) -> str:
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def strip_accents(text: str) -> str:
    """« Étienne » → « Etienne »: compatibility decomposition, then the combining marks dropped. Only the runs of
    characters outside ASCII are read one by one (no ASCII character is a mark): a description was read character
    by character, a third of the search text of 10,000 imported events (cProfile)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed if decomposed.isascii() else _NON_ASCII.sub(_without_marks, decomposed)


def words(text: str) -> list[str]:
    """Every word of ``text``, folded to lower-case ASCII letters and digits; anything else separates words
    (apostrophes straight or typographic, hyphens, punctuation, a NUL character...)."""
    folded = strip_accents((text or "").translate(_LIGATURES)).lower()
    return [w for w in _WORD.findall(folded) if len(w) <= MAX_WORD]


def name_key(text: str) -> str:
    """How a place name is compared: all its folded words, stop words included (« Côte-d’Or » → ``cote d or``)."""
    return " ".join(words(text))


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball French stem of a folded word; a word with a digit is kept whole (« 2025 », « 1er »)."""
    if not word.isalpha():
        return word
    stemmed = _stemmer().stemWord(word)
    return stemmed if _WORD.fullmatch(stemmed) else word


def meaningful(word: str) -> bool:
    return len(word) > 1 and word not in STOP_WORDS


def stems(text: str) -> list[str]:
    """The stems of the meaningful words of ``text``, in order, repeats kept (phrases need the order)."""
    return [stem(w) for w in words(text) if meaningful(w)]


@lru_cache(maxsize=1024)
def _text_stems(text: str) -> tuple[str, ...]:
    # The same description or venue on thousands of rows of an import (or of search_rebuild): folded once.
    return tuple(stems(text))


def document(*texts: str) -> str:
    """The ``search_text`` of a row made of ``texts``: `` stem stem stem `` (empty when there is no word)."""
    found = [s for text in texts for s in _text_stems(text)]
    return f" {' '.join(found)} " if found else ""


@dataclass(frozen=True)
class Term:
    """What one word of a query asks: one stem (``prefix``: or any stem that starts with it) or, for a place name,
    a phrase of consecutive stems."""

    stems: tuple[str, ...]
    prefix: bool = False

    def like(self) -> str:
        return f"% {' '.join(self.stems)}{'' if self.prefix else ' '}%"

    def tsquery(self) -> str:
        return " <-> ".join(self.stems) + (":*" if self.prefix else "")


def word_term(word: str, *, last: bool = False) -> Term | None:
    """The term of one folded query word, or None for a stop word. The last word typed of three letters or more
    is a prefix (people type « intel »)."""
    if not meaningful(word):
        return None
    return Term((stem(word),), prefix=last and len(word) >= 3)


def phrase_term(text: str) -> Term | None:
    found = tuple(stems(text))
    return Term(found) if found else None


class Matches(Func):
    """True when the ``search_text`` column (``column``) holds ``term``. Stems are ``[a-z0-9]+`` only, so neither
    the LIKE pattern nor the tsquery can carry syntax from what a visitor typed (``:*&|!``, quotes, NUL)."""

    output_field = BooleanField()

    def __init__(self, term: Term, column: str = "search_text"):
        super().__init__(F(column))
        self.term = term

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} LIKE %s", (*params, self.term.like())

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"to_tsvector('{CONFIG}'::regconfig, {sql}) @@ to_tsquery('{CONFIG}'::regconfig, %s)",
            (*params, self.term.tsquery()),
        )


def fts5_query(term: Term) -> str:
    """``term`` for SQLite's FTS5: a phrase of its stems (one stem: a phrase of one), the last one a prefix if the
    term is. Stems are ``[a-z0-9]+``, so nothing typed can be read as FTS5 syntax."""
    return f'"{" ".join(term.stems)}"' + ("*" if term.prefix else "")


def _fts_ids(model: type[models.Model], term: Term) -> RawSQL | None:
    """On SQLite, the rowids (pks) of the rows of ``model`` whose ``search_text`` holds ``term``, read from the
    model's FTS5 table (``SEARCH_FTS``: a full-text index of that column kept by triggers, as
    ``agenda/migrations/0008``); None elsewhere or without one. FTS5 reads the column with the same words as
    ``LIKE`` (``[a-z0-9]+`` separated by spaces), a phrase as consecutive words, a prefix as a word's start: the
    same rows, without reading the whole table."""
    table = getattr(model, "SEARCH_FTS", "")
    if connection.vendor != "sqlite" or not table:
        return None
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - our table's name; the query a parameter
    return RawSQL(sql, (fts5_query(term),))  # noqa: S611 - the query is a parameter


def text_ids(model: type[models.Model], term: Term) -> models.QuerySet | RawSQL:
    """The pks of the rows of ``model`` whose own ``search_text`` holds ``term``, as a sub-select (PostgreSQL: from
    the GIN index; SQLite: the rowids from the FTS5 table if the model has one, else ``LIKE``)."""
    found = _fts_ids(model, term)
    return model.objects.filter(Matches(term)).values("pk") if found is None else found


def own_text(model: type[models.Model], term: Term) -> Q:
    """The rows of ``model`` whose own ``search_text`` holds ``term``. On PostgreSQL as a sub-select, which the
    planner serves from the GIN index even when the condition is one of several OR-ed; on SQLite from the model's
    FTS5 table if it has one, else inline (one scan of the table instead of two). The same rows either way."""
    found = _fts_ids(model, term)
    if found is not None:
        return Q(pk__in=found)
    if connection.vendor == "postgresql":
        return Q(pk__in=model.objects.filter(Matches(term)).values("pk"))
    return Q(Matches(term))


class SearchableModel(models.Model):
    """A model with a ``search_text`` column holding ``document()`` of its ``SEARCH_FIELDS``, recomputed at every
    ``save()`` (also a ``save(update_fields=...)`` naming one of them)."""

    SEARCH_FIELDS: tuple[str, ...] = ()
    # SQLite: the FTS5 table that indexes ``search_text`` (created and kept by the model's migrations), if any.
    SEARCH_FTS: str = ""

    search_text = models.TextField("texte de recherche", blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        sources = set(self.SEARCH_FIELDS)
        if (
            update_fields is None or sources & set(update_fields)
        ) and not sources & self.get_deferred_fields():
            values = self.search_values()
            for name, value in values.items():
                setattr(self, name, value)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *values}
        super().save(*args, **kwargs)

    def search_values(self) -> dict[str, str]:
        """The search columns computed from the row's fields (territories add their name key)."""
        return {"search_text": document(*(getattr(self, name) or "" for name in self.SEARCH_FIELDS))}


def search_rebuild(*models_to_rebuild: type[SearchableModel], batch_size: int = 2000) -> dict[str, int]:
    """Recompute the search columns of every row of ``models_to_rebuild`` (by default every searchable model),
    writing only the rows that changed: after a bulk write that skipped ``save()``, or a change of the folding,
    the stop words or the stemmer. Returns the number of rows rewritten per model."""
    from django.apps import apps

    chosen = models_to_rebuild or [
        m for m in apps.get_models() if issubclass(m, SearchableModel) and not m._meta.abstract
    ]
    counts = {}
    for model in chosen:
        columns = list(model().search_values())
        changed, count = [], 0
        for row in model.objects.only(model._meta.pk.name, *model.SEARCH_FIELDS, *columns).iterator(
            chunk_size=batch_size
        ):
            values = row.search_values()
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
            if len(changed) >= batch_size:
                model.objects.bulk_update(changed, columns, batch_size=batch_size)
                count, changed = count + len(changed), []
        model.objects.bulk_update(changed, columns, batch_size=batch_size)
        counts[model._meta.label] = count + len(changed)
    return counts
