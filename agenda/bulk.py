"""``insert_all``: the INSERT of new events by batches (the imports, through ``services.events_import_create``), a statement
built once per batch size; ``new_objects``: the unsaved objects it writes, built without ``Model.__init__``'s work
per keyword."""

import json
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from itertools import chain
from operator import attrgetter
from uuid import UUID

from django.db import connections, router
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState

try:
    from psycopg.types.json import Json, Jsonb
except ImportError:  # no PostgreSQL driver: only SQLite
    Json = Jsonb = type("Json", (), {})


def insert_all(objs: list) -> None:
    """``bulk_create(objs)`` for new objects of one model whose primary key the database gives (an auto field),
    with a statement built once per batch size rather than compiled value by value (a third of the import of 10,000
    events on SQLite). Every concrete field of the model's ``_meta`` is written, so a field added to the model is
    not forgotten; each value goes through the field's ``pre_save`` (``auto_now``, ``auto_now_add``) and
    ``get_db_prep_save`` (the database's conversion), as in ``bulk_create``; the ids come back (RETURNING, in the
    order of the rows) and the objects are then saved ones. PostgreSQL receives the rows as one JSON text but a
    column of one value once (``_unnest``), the others rows of placeholders. No
    ``save()`` and no signal, as ``bulk_create``. A model this does not cover (a database default, a generated
    column, a field with its own placeholder or a type of its own, a primary key of ours) goes through
    ``bulk_create``."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    if (
        not meta.pk.db_returning
        or not connection.features.can_return_rows_from_bulk_insert
        or any(
            f.has_db_default()
            or f.generated
            or hasattr(f, "get_placeholder_sql")
            or (f.target_field if f.is_relation else f).get_internal_type() not in connection.data_types
            for f in fields
        )
        or any(obj.pk is not None for obj in objs)
    ):
        model._base_manager.using(using).bulk_create(objs)
        return
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = f" RETURNING {quote(meta.pk.column)}"
    unnest = connection.vendor == "postgresql"
    if unnest:  # the types without their size, as bulk_create (varchar[], not varchar(200)[])
        types = [f.db_type(connection).split("(")[0] for f in fields]
        size = len(objs)
    else:
        row = f"({', '.join(['%s'] * len(fields))})"
        size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    convert = [_converter(f, connection) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            columns = [column(batch) for column in convert]
            # The statement holds only the model's quoted names and placeholders; every value is a parameter.
            if unnest:
                sql, params = _unnest(head, tail, types, columns)
                cursor.execute(sql, params)
            else:
                sql = f"{head}VALUES {', '.join([row] * len(batch))}{tail}"
                cursor.execute(sql, list(chain.from_iterable(zip(*columns, strict=True))))
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = using


def _unnest(head: str, tail: str, types: list[str], columns: list[list]) -> tuple[str, list]:
    """PostgreSQL's INSERT of ``columns`` (one list of values per column, in the order of ``head``): the rows as one
    JSON text, read by the server (``jsonb_array_elements``, each value cast to its column's type), except a
    column of one value for every row (the source, the format, the moderation, the empty fields…: most columns of
    an import), sent once and repeated by the SELECT. One array per column (UNNEST, as ``bulk_create`` does) was
    the client's main cost of the INSERT: psycopg writes arrays value by value in Python (0.4 s of the import of
    10,000 events), where the JSON is written by the standard library's C encoder. The rows are the same, in the
    same order (RETURNING gives their ids in it), and every value is still a parameter. A value JSON does not
    carry as the database reads it (``_as_json``) keeps the arrays (``_arrays``)."""
    rows = len(columns[0])
    single = [rows > 1 and _one_value(column) for column in columns]
    if all(single):
        single[0] = False  # the rows come from the JSON
    many = [n for n, one in enumerate(single) if not one]
    try:
        data = json.dumps(
            [list(row) for row in zip(*(columns[n] for n in many), strict=True)],
            default=_as_json,
            ensure_ascii=False,
            check_circular=False,
            allow_nan=False,
            separators=(",", ":"),
        )
    except (_NotForJson, ValueError):  # ValueError: a float NaN or infinite
        return _arrays(head, tail, types, columns, single)
    position = {n: i for i, n in enumerate(many)}

    def value(n: int) -> str:
        if single[n]:
            return f"(%s)::{types[n]}"
        # ->> gives the text of the value (NULL for null), which the type reads: a JSON value written as text
        # (``_as_json``) is read by the jsonb type.
        return f"(r.v->>{position[n]})::{types[n]}"

    select = ", ".join(value(n) for n in range(len(columns)))
    params = [columns[n][0] for n in range(len(columns)) if single[n]] + [data]
    # The statement holds only the model's quoted names, its types and placeholders; every value is a parameter.
    sql = (
        f"{head}SELECT {select} FROM jsonb_array_elements((%s)::jsonb) WITH ORDINALITY AS r(v, i) "  # noqa: S608
        f"ORDER BY r.i{tail}"
    )
    return sql, params


class _NotForJson(TypeError):
    pass


def _as_json(value):
    """A converted value JSON has no type for, as the text its column's type reads: an instant with its offset and
    microseconds, a day, a decimal as written, a JSON field's value (psycopg's ``Jsonb``) as the JSON its field's
    encoder writes."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Json | Jsonb):
        return (value.dumps or json.dumps)(value.obj)
    raise _NotForJson(type(value).__name__)


def _arrays(
    head: str, tail: str, types: list[str], columns: list[list], single: list[bool]
) -> tuple[str, list]:
    """The same INSERT with one array per column (UNNEST), for values the JSON would not carry."""
    arrays = [n for n, one in enumerate(single) if not one]
    position = {n: i for i, n in enumerate(arrays)}
    select = ", ".join(f"(%s)::{types[n]}" if single[n] else f"u.c{position[n]}" for n in range(len(columns)))
    unnest = ", ".join(f"(%s)::{types[n]}[]" for n in arrays)
    names = ", ".join(f"c{i}" for i in range(len(arrays)))
    params = [columns[n][0] for n in range(len(columns)) if single[n]] + [columns[n] for n in arrays]
    # The statement holds only the model's quoted names, its types and placeholders; every value is a parameter.
    sql = f"{head}SELECT {select} FROM UNNEST({unnest}) AS u({names}){tail}"  # noqa: S608
    return sql, params


def _one_value(column: list) -> bool:
    """Every value of ``column`` the first one: the same object, or equal and of the same type (1 is not True), a
    float written the same (0.0 is not -0.0)."""
    first = column[0]
    kind = type(first)
    if kind is float:
        return all(type(value) is float and repr(value) == repr(first) for value in column)
    return all(value is first or (type(value) is kind and value == first) for value in column)


# Fields whose conversion to the database gives back a ``str`` as it is (``CharField.get_prep_value`` is ``str``'s
# ``to_python``, no backend adapts it), and the same for a ``bool`` of a ``BooleanField`` and a ``float`` of a
# ``FloatField`` (``float()``).
_TEXT_FIELDS = frozenset({"CharField", "TextField", "SlugField", "URLField", "EmailField"})
# The same for an ``int`` of an integer field (``IntegerField.get_prep_value`` is ``int()``; no backend adapts it).
_INTEGER_FIELDS = frozenset(
    {
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
    }
)


def _converter(field, connection):
    """``[field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objs]`` as a function of the
    objects, a column at a time: a field whose ``pre_save`` is Field's reads the attribute itself, and a column whose
    values all convert to themselves (a ``str`` of a text field, a choice's enum included, a ``bool`` of a boolean, an ``int`` of an integer
    field, a ``float``, a foreign key's value as its target's, ``None`` of any field but JSON: no backend adapts
    them) is kept as read, without a call per value (a tenth of the import of 10,000 events). In any other column,
    each value that does not convert to itself goes the field's way."""
    kind = field.get_internal_type()
    prep = field.get_db_prep_save
    plain = type(field).pre_save is Field.pre_save
    read = attrgetter(field.attname) if plain else partial(field.pre_save, add=True)
    # A foreign key's value converts as its target's (``ForeignKey.get_db_prep_save``).
    relation = field.is_relation
    target = field.target_field.get_internal_type() if relation else kind
    same = (
        str
        if target in _TEXT_FIELDS
        else bool
        if target == "BooleanField"
        else int
        if target in _INTEGER_FIELDS
        else float
        if target == "FloatField"
        else None
    )
    itself = {same} if same is not None else set()
    if kind != "JSONField":
        itself.add(type(None))

    def keeps(kind_of_value) -> bool:
        # A text field keeps a ``str`` of a subclass as it is too (``CharField.to_python``): the choices' enums.
        return kind_of_value in itself or (same is str and issubclass(kind_of_value, str))

    def unchanged(value) -> bool:
        # (an empty text of a foreign key may become None: its field says)
        return keeps(type(value)) and not (relation and value == "")

    # PostgreSQL's conversions of an aware instant, a day and a decimal give them back as they are
    # (``adapt_datetimefield_value``, ``adapt_datefield_value``, ``adapt_decimalfield_value``; ``to_python`` keeps
    # them): a column of those is kept as read too. A naive instant goes the field's way (its warning, its zone).
    kept_as_is = (
        {"DateTimeField": datetime, "DateField": date, "DecimalField": Decimal}.get(kind)
        if connection.vendor == "postgresql" and not relation
        else None
    )

    def as_is(value) -> bool:
        return value is None or (
            type(value) is kept_as_is and (kept_as_is is not datetime or value.tzinfo is not None)
        )

    def column(objs) -> list:
        values = list(map(read, objs))
        if all(map(keeps, set(map(type, values)))) and not (relation and "" in values):
            return values
        if kept_as_is is not None and all(map(as_is, values)):
            return values
        return [value if unchanged(value) else prep(value, connection) for value in values]

    return column


def new_objects(model, rows: list[dict]) -> list:
    """``[model(**row) for row in rows]``, unsaved objects, without ``Model.__init__``'s work per keyword (a tenth of
    the import of 10,000 events): each object starts from the fields' defaults (a callable default called for each
    one, as ``__init__`` does) and takes the row's values; a related object given by its field's name sets the
    foreign key's value and is kept as the object's related one, as the field's descriptor does. A name that is not
    a concrete field's (a property, a typo), a model of its own ``__init__``, or a model with ``pre_init`` or
    ``post_init`` receivers, goes through ``__init__``."""
    meta = model._meta
    fields = {}
    for f in meta.concrete_fields:
        fields[f.name] = fields[f.attname] = f
    if (
        model.__init__ is not Model.__init__
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
        or any(name not in fields for row in rows for name in row)
    ):
        return [model(**row) for row in rows]
    called = [f for f in meta.concrete_fields if f.has_default() and callable(f.default)]
    defaults = {f.attname: f.get_default() for f in meta.concrete_fields if f not in called}
    objects = []
    for row in rows:
        obj = model.__new__(model)
        state = obj._state = ModelState()
        values = obj.__dict__
        values.update(defaults)
        for f in called:
            values[f.attname] = f.get_default()
        for name, value in row.items():
            f = fields[name]
            if f.is_relation and name == f.name:
                if value is None:
                    values[f.attname] = None
                else:
                    values[f.attname] = getattr(value, f.target_field.attname)
                    state.fields_cache[f.name] = value
            else:
                values[name] = value
        objects.append(obj)
    return objects
