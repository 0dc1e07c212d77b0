"""The pre-aggregated counts of self-diagnostic results (``DiagnosticCount``), kept in step with the results: one
more when a result is created, one less when it is deleted (signals, so that every door counts: the service, the
demo data, the tests' factories); ``counts_rebuild()`` recomputes them all after a bulk write (``bulk_create`` or a
raw insert send no signal).

The counts' version (``counts_version``) is a random token in the shared cache, dropped after the commit of any
change of a count: the public statistics computed from the counts are kept under it (``diagnostic.selectors``),
so a new result shows at once and the same counts are not added up again for every visitor."""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.signals import post_delete, post_save

from core.fragments import token_version
from diagnostic.models import DiagnosticCount, DiagnosticResult

KEY = ("region_id", "sector_id", "size", "profile")
VERSION_KEY = "diagnostic:counts-version"


def counts_version() -> str:
    return token_version(VERSION_KEY)


def _drop_version() -> None:
    # At once (this transaction reads its own change) and after the commit (a visitor's page computed in between
    # from the counts before the change would otherwise be kept under the new version).
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def _key(result: DiagnosticResult) -> dict:
    return {name: getattr(result, name) for name in KEY}


def _add(key: dict, delta: int) -> None:
    _drop_version()
    cell = DiagnosticCount.objects.filter(**key)
    if cell.update(n=F("n") + delta) or delta < 0:
        return
    try:
        with transaction.atomic():  # a savepoint: another request may have created the cell meanwhile
            DiagnosticCount.objects.create(**key, n=delta)
    except IntegrityError:
        cell.update(n=F("n") + delta)


def _created(sender, instance: DiagnosticResult, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        _add(_key(instance), 1)


def _deleted(sender, instance: DiagnosticResult, **kwargs) -> None:
    _add(_key(instance), -1)


def connect() -> None:
    post_save.connect(_created, sender=DiagnosticResult, dispatch_uid="diagnostic_count_created")
    post_delete.connect(_deleted, sender=DiagnosticResult, dispatch_uid="diagnostic_count_deleted")


@transaction.atomic
def counts_rebuild() -> int:
    """Recompute every count from the results (one GROUP BY); returns the number of cells."""
    DiagnosticCount.objects.all().delete()
    cells = [
        DiagnosticCount(**{name: row[name] for name in KEY}, n=row["n"])
        for row in DiagnosticResult.objects.order_by().values(*KEY).annotate(n=Count("pk"))
    ]
    DiagnosticCount.objects.bulk_create(cells, batch_size=2000)
    _drop_version()
    return len(cells)
