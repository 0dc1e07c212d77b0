"""Writes of the demo loaders in a few queries instead of a few per row, so that loading the demo stays fast (it
runs in the tests). They write only what differs: loading the demo twice changes nothing."""

from collections.abc import Iterable

from django.db.models import Model


def set_many(model: type[Model], name: str, wanted: dict[int, Iterable]) -> None:
    """``obj.<name>.set(values)`` for every ``obj`` pk in ``wanted`` (a many-to-many field of ``model``; values are
    the related objects' pks): one read, one insert of what is missing, one delete per row that has too many."""
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    wanted = {pk: set(values) for pk, values in wanted.items()}
    have: dict[int, set] = {pk: set() for pk in wanted}
    for pk, value in through.objects.filter(**{f"{source}__in": list(wanted)}).values_list(source, target):
        have[pk].add(value)
    through.objects.bulk_create(
        through(**{source: pk, target: value}) for pk, values in wanted.items() for value in values - have[pk]
    )
    for pk, values in have.items():
        if values - wanted[pk]:
            through.objects.filter(**{source: pk, f"{target}__in": values - wanted[pk]}).delete()


def columns(model: type[Model], *, skip: tuple[str, ...] = ()) -> list[str]:
    """The attribute names of ``model``'s columns (``decided_by_id`` for a foreign key), but the pk and ``skip``."""
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def snapshot(rows: Iterable[Model], fields: list[str]) -> dict:
    """The values of ``rows`` as read, to tell later which ones the loader changed."""
    return {row.pk: [getattr(row, name) for name in fields] for row in rows}


def write(
    model: type[Model], rows: list[Model], fields: list[str], before: dict, *, keep: tuple[str, ...]
) -> None:
    """Insert the rows without a pk and update those whose ``fields`` differ from ``before`` (``snapshot``). The
    values of ``keep`` (``auto_now`` or ``auto_now_add`` columns the demo dates itself) are written as given,
    where ``bulk_create`` and ``save`` would stamp them with now."""
    new = [row for row in rows if row.pk is None]
    given = {id(row): [getattr(row, name) for name in keep] for row in new}
    model.objects.bulk_create(new)
    for row in new:
        model.objects.filter(pk=row.pk).update(**dict(zip(keep, given[id(row)], strict=True)))
        for name, value in zip(keep, given[id(row)], strict=True):
            setattr(row, name, value)
    for row in rows:
        if id(row) not in given and [getattr(row, name) for name in fields] != before.get(row.pk):
            model.objects.filter(pk=row.pk).update(**{name: getattr(row, name) for name in fields})
