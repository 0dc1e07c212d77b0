"""``agenda.bulk.insert_all``, the INSERT of the import's new events: every concrete field of the model, the same
rows as ``bulk_create``, on SQLite and on PostgreSQL (``DATABASE_URL``); ``agenda.bulk.new_objects``, the unsaved
events it is given: the same objects as ``Event(**values)``."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from agenda.bulk import _one_value, _unnest, insert_all, new_objects
from agenda.enums import Format, Mode, Moderation, Status
from agenda.models import Event, ImportSource
from api.services import api_key_issue
from territories.models import Region
from tests.agenda.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Written by the database or by the clock: compared apart.
APART = {"id", "created_at", "updated_at"}


def twins(count: int, *, empty: bool = False) -> tuple[list[Event], list[Event]]:
    """Two lists of the same events, every field of ours given a value that is not its default (``empty``: every
    field that may be empty given None, or an empty text)."""
    national = UserFactory(role=Role.NATIONAL_COORDINATOR)
    key, _raw = api_key_issue(
        by=national,
        name="CCI Occitanie",
        contact_email="agenda@cci.test",
        regions=[Region.objects.get(code="76")],
    )
    source = ImportSource.objects.create(
        name="Agenda de la CCI", default_region=Region.objects.get(code="84")
    )
    now = timezone.now().replace(microsecond=123456)
    pairs = []
    for n in range(count):
        values = {
            "title": f"Café IA « données » n° {n}",
            "description": "Démonstrations\net retours d’expérience.",
            "starts_at": now + timedelta(days=n),
            "ends_at": now + timedelta(days=n, hours=2),
            "previous_starts_at": now - timedelta(days=3),
            "all_day": True,
            "timezone": "Indian/Reunion",
            "mode": Mode.HYBRID,
            "online_url": "https://visio.exemple.fr/salle",
            "registration_url": f"https://inscriptions.exemple.fr/{n}",
            "format": Format.WEBINAIRE,
            "is_free": False,
            "status": Status.POSTPONED,
            "moderation": Moderation.SUBMITTED,
            "refusal_reason": "Trop vague.",
            "latitude": Decimal("45.764043"),
            "longitude": Decimal("-4.835659"),
            "published_snapshot": {"title": "Avant", "topics": [1, 2], "vide": None},
            "source_last_modified": now - timedelta(hours=5),
            "source_sequence": 3,
            "missing_from_source_since": now - timedelta(hours=1),
            "partner_key": key,
            "sequence": 7,
            "created_by": national,
        }
        if empty:
            values = {
                name: None if Event._meta.get_field(name).null else "" if isinstance(value, str) else value
                for name, value in values.items()
            }
        pair = [
            EventFactory.build(
                **values, slug=f"{side}-{n}", source=source, source_uid=f"uid-{n}-{side}@exemple.test"
            )
            for side in ("a", "b")
        ]
        for event in pair:
            event.search_text = event.search_values()["search_text"]
        pairs.append(pair)
    return [a for a, _ in pairs], [b for _, b in pairs]


def stored(event: Event) -> dict:
    row = Event.objects.filter(pk=event.pk).values(*(f.attname for f in Event._meta.concrete_fields)).get()
    return {name: value for name, value in row.items() if name not in APART}


def test_insert_all_names_every_concrete_field_of_the_model():
    ours, _ = twins(2)
    with CaptureQueriesContext(connection) as queries:
        insert_all(ours)
    (insert,) = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    columns = insert[: insert.index(")")]
    quote = connection.ops.quote_name
    missing = [
        f.column for f in Event._meta.concrete_fields if f.column != "id" and quote(f.column) not in columns
    ]
    assert missing == []


@pytest.mark.parametrize("count", [1, 3])
def test_insert_all_stores_the_rows_bulk_create_stores(count):
    ours, theirs = twins(count)
    before = timezone.now()
    insert_all(ours)
    after = timezone.now()
    Event.objects.bulk_create(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        assert mine.pk is not None and not mine._state.adding and mine._state.db == "default"
        assert Event.objects.get(pk=mine.pk).source_uid == mine.source_uid  # each object has its own row's id
        mine_row, other_row = stored(mine), stored(other)
        # The twins differ only by what must be unique (slug, UID in the source).
        assert mine_row.pop("slug") != other_row.pop("slug")
        assert mine_row.pop("source_uid") != other_row.pop("source_uid")
        assert mine_row == other_row
        assert mine_row["published_snapshot"] == {"title": "Avant", "topics": [1, 2], "vide": None}
        assert mine_row["latitude"] == Decimal("45.764043")
        row = Event.objects.get(pk=mine.pk)
        assert (
            before <= row.created_at <= row.updated_at <= after
        )  # auto_now_add and auto_now, as bulk_create
        assert (row.starts_at, row.ends_at) == (mine.starts_at, mine.ends_at)  # microseconds kept


def test_insert_all_stores_empty_values_as_bulk_create_does():
    # insert_all skips the conversion of None and of a plain text or boolean: the same rows for empty values too.
    ours, theirs = twins(2, empty=True)
    insert_all(ours)
    Event.objects.bulk_create(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        mine_row, other_row = stored(mine), stored(other)
        assert mine_row.pop("slug") != other_row.pop("slug")
        assert mine_row.pop("source_uid") != other_row.pop("source_uid")
        assert mine_row == other_row
        assert mine_row["latitude"] is None and mine_row["partner_key_id"] is None
        assert mine_row["refusal_reason"] == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's INSERT from JSON")
def test_insert_all_sends_a_column_of_one_value_once():
    ours, _ = twins(3)
    with CaptureQueriesContext(connection) as queries:
        insert_all(ours)
    (insert,) = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert "jsonb_array_elements" in insert and "UNNEST" not in insert
    read = insert.count("r.v->>")
    # The slugs, UIDs, titles, starts and ends, URLs and search texts differ from one event to the next.
    assert 0 < read < len(Event._meta.concrete_fields) - 1


def test_insert_all_sends_arrays_for_what_json_does_not_carry():
    head, tail = "INSERT INTO t (a, b) ", " RETURNING id"
    sql, params = _unnest(head, tail, ["text", "double precision"], [["x", "y"], [1.5, 2.5]])
    assert "jsonb_array_elements" in sql and params == ['[["x",1.5],["y",2.5]]']
    for odd in ([b"x", b"y"], [float("nan"), 1.0]):
        sql, params = _unnest(head, tail, ["text", "double precision"], [["x", "y"], odd])
        assert "UNNEST((%s)::text[], (%s)::double precision[])" in sql
        assert params == [["x", "y"], odd]


@pytest.mark.parametrize(
    ("column", "one"),
    [
        (["a", "a", "a"], True),
        ([None, None], True),
        ([Decimal("1.0"), Decimal("1.0")], True),
        (["a", "b"], False),
        ([1, True], False),  # equal, but not the same value for the database
        ([0.0, -0.0], False),
        ([None, ""], False),
    ],
)
def test_insert_all_one_value_is_the_same_value_for_the_database(column, one):
    assert _one_value(column) is one


def test_insert_all_of_no_event_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        insert_all([])
    assert len(queries) == 0


def test_insert_all_stores_a_column_of_empty_and_given_values_as_bulk_create_does():
    # Columns where some values convert to themselves (None) and others do not (a decimal, a date).
    ours, theirs = twins(4)
    for event in ours[2:] + theirs[2:]:
        event.latitude = event.longitude = event.source_last_modified = event.missing_from_source_since = None
        event.partner_key = event.previous_starts_at = None
    insert_all(ours)
    Event.objects.bulk_create(theirs)
    rows = []
    for mine, other in zip(ours, theirs, strict=True):
        mine_row, other_row = stored(mine), stored(other)
        assert mine_row.pop("slug") != other_row.pop("slug")
        assert mine_row.pop("source_uid") != other_row.pop("source_uid")
        assert mine_row == other_row
        rows.append(mine_row)
    assert [row["latitude"] for row in rows] == [Decimal("45.764043")] * 2 + [None] * 2
    assert [row["partner_key_id"] is None for row in rows] == [False, False, True, True]


def test_new_objects_are_the_objects_the_model_builds():
    ours, _ = twins(1)
    given = {f.name: getattr(ours[0], f.name) for f in Event._meta.concrete_fields if f.name != "id"}
    given["region_id"] = given.pop("region").pk  # a foreign key given by its value
    built = new_objects(Event, [given, given])
    expected = Event(**given)
    for obj in built:
        assert obj._state.adding and obj._state.db is None and obj.pk is None
        assert {f.attname: getattr(obj, f.attname) for f in Event._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Event._meta.concrete_fields
        }
        assert (
            obj.created_by is given["created_by"] and obj.source is given["source"]
        )  # no query to read them
        assert obj.region.code == given["region_id"]


def test_new_objects_take_the_defaults_of_the_fields_not_given():
    first, second = new_objects(Event, [{"title": "Atelier"}, {"title": "Atelier"}])
    expected = Event(title="Atelier")
    for obj in (first, second):
        assert {f.attname: getattr(obj, f.attname) for f in Event._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Event._meta.concrete_fields
        }
    callable_defaults = [
        f.attname for f in Event._meta.concrete_fields if f.has_default() and callable(f.default)
    ]
    for name in callable_defaults:  # a mutable default is each object's own, as with Event()
        value = getattr(first, name)
        if isinstance(value, dict | list):
            assert value is not getattr(second, name), name


def test_new_objects_of_a_name_that_is_not_a_field_raise_as_the_model_does():
    with pytest.raises(TypeError):
        new_objects(Event, [{"titre": "Atelier"}])
