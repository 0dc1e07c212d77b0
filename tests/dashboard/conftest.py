"""A known data set for the steering page, and helpers that read its tables back from the HTML, the CSV and the XLSX.

The data set, counted by hand (the tests compare the page with these numbers):

Ambassadors (targets: 84 -> 10, 76 -> 1)
    a1  84      sectoriel   CCI         designated, published, sectors C and J, has an account
    a2  84      sectoriel   Bpifrance   designated, published, sector C
    a3  84      grand public France Num  published, not designated
    a4  76      sectoriel   CCI         designated, published, sector C
    a5  76      sectoriel   Bpifrance   designated, consented but not published, sector F
    a6  none    grand public CCI        designated, published (national)

Applications
    call 1 (opened first): 84 CCI submitted, 84 CCI under review, 76 Bpifrance designated after 2 days,
                           84 CCI declined after 4 days
    call 2:                76 CCI submitted

Events (published unless said)
    e1  84  atelier     in 7 days       created by a1's account (an ambassador)
    e2  84  webinaire   40 days ago     created by a regional coordinator
    e3  76  conférence  in 10 days      imported (source)
    e4  76  atelier     in 7 days       waiting for moderation (not public)
    e5  84  atelier     400 days ago    no creator, a2 takes part

Company requests (company’s region, ambassador)
    r1  84  a1  taken after 2 h, answered, feedback « yes », contacted
    r2  84  a1  taken after 4 h, answered, feedback « partly », not contacted
    r3  76  a4  taken after 10 h, answered
    r4  76  a4  new, given 11 days ago (unanswered after 10 days)
    r5  84  a2  new, given 2 days ago

Diagnostics: 84: 6 innovateurs, 3 sceptiques, 3 bloqués (12); 76: 3 expérimentateurs (fewer than 10).
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import openpyxl
import pytest
from django.utils import timezone

from accounts.enums import Role
from agenda.enums import Format, Moderation
from agenda.models import ImportSource
from ambassadors.enums import ProfileKind
from ambassadors.models import Ambassador, PartnerNetwork
from contact.enums import RequestState, Usefulness
from contact.models import CompanyRequest
from core.exports import XLSX_CONTENT_TYPE
from dashboard.models import RegionTarget
from diagnostic.models import DiagnosticResult
from recruitment.models import Application
from territories.models import Departement, NafActivity, Region
from tests.agenda.factories import EventFactory, at, in_days
from tests.contact.factories import CompanyRequestFactory
from tests.factories import AmbassadorFactory, ApplicationFactory, CallFactory, UserFactory

# Tables ------------------------------------------------------------------------------------------------------


class TableParser(HTMLParser):
    """Every ``<table id="<prefix><slug>">`` of a page as rows of cell texts (header row first, footer last)."""

    def __init__(self, prefix: str = "tableau-"):
        super().__init__()
        self.prefix = prefix
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id", "").startswith(self.prefix):
            self._table = self.tables.setdefault(attrs["id"].removeprefix(self.prefix), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in {"th", "td"} and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in {"th", "td"} and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def page_tables(response) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(response.content.decode())
    return parser.tables


def page_text(response) -> str:
    """The page's text, tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def csv_rows(response) -> list[list[str]]:
    """The back office's CSV as a French spreadsheet reads it: a byte order mark, then « ; » between cells."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    """The XLSX export's only sheet, opened with openpyxl, as rows of cell values (header row first)."""
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [workbook.active.title]
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


def row(rows: list[list[str]], label: str) -> list[str]:
    """The row whose first cell is ``label``, without that cell."""
    found = [r[1:] for r in rows if r and r[0] == label]
    assert len(found) == 1, f"{label!r}: {len(found)} rows in {[r[0] for r in rows]}"
    return found[0]


def labels(rows: list[list[str]]) -> list[str]:
    """The row headers (header row excluded)."""
    return [r[0] for r in rows[1:]]


def strs(*values) -> list[str]:
    """Expected cells as the page writes them: « – » for no figure."""
    return ["–" if v is None else str(v) for v in values]


# Data set ----------------------------------------------------------------------------------------------------


@dataclass
class DataSet:
    a1: Ambassador
    a2: Ambassador
    a3: Ambassador
    a4: Ambassador
    a5: Ambassador
    a6: Ambassador
    call1: object
    call2: object
    events: dict


def network(slug: str) -> PartnerNetwork:
    return PartnerNetwork.objects.get(slug=slug)


def diagnostic(region: str, departement: str, profile: str) -> DiagnosticResult:
    return DiagnosticResult.objects.create(
        version="2025-1",
        answers={},
        departement_id=departement,
        region_id=region,
        sector=NafActivity.objects.get(version="rev2", level="section", code="C"),
        size="pme",
        scores={},
        profile=profile,
    )


def request_to(ambassador, region: str, departement: str, *, age: timedelta, taken_after=None, **fields):
    created = timezone.now() - age
    company_request = CompanyRequestFactory(
        ambassador=ambassador,
        region=Region.objects.get(code=region),
        departement=Departement.objects.get(code=departement),
        **fields,
    )
    CompanyRequest.objects.filter(pk=company_request.pk).update(
        created_at=created,
        assigned_at=created,
        taken_at=created + taken_after if taken_after else None,
        answered_at=created + taken_after + timedelta(hours=1) if fields.get("state") == "answered" else None,
    )
    return company_request


def application(call, region: str, network_slug: str, state: str, decided_after_days: int | None = None):
    app = ApplicationFactory(
        call=call, region_id=region, proposing_network=network(network_slug), state=state
    )
    if decided_after_days is not None:
        submitted = timezone.now() - timedelta(days=20)
        Application.objects.filter(pk=app.pk).update(
            submitted_at=submitted, decided_at=submitted + timedelta(days=decided_after_days)
        )
    return app


def build_dataset() -> DataSet:
    today = timezone.localdate()
    sectoriel, grand_public = ProfileKind.SECTORIEL_REGIONAL, ProfileKind.GRAND_PUBLIC
    a1 = AmbassadorFactory(
        published=True, designated_at=today, regions=["84"], sectors=["C", "J"], user=UserFactory()
    )
    a2 = AmbassadorFactory(
        published=True,
        designated_at=today,
        regions=["84"],
        sectors=["C"],
        proposing_network=network("bpifrance"),
    )
    a3 = AmbassadorFactory(
        published=True, kind=grand_public, regions=["84"], proposing_network=network("france-num")
    )
    a4 = AmbassadorFactory(published=True, designated_at=today, regions=["76"], sectors=["C"])
    a5 = AmbassadorFactory(
        consented=True,
        designated_at=today,
        kind=sectoriel,
        regions=["76"],
        sectors=["F"],
        proposing_network=network("bpifrance"),
    )
    a6 = AmbassadorFactory(published=True, designated_at=today, kind=grand_public, is_national=True)
    RegionTarget.objects.create(region_id="84", target=10)
    RegionTarget.objects.create(region_id="76", target=1)

    call1 = CallFactory(closed=True)
    call2 = CallFactory()
    application(call1, "84", "cci", "submitted")
    application(call1, "84", "cci", "under_review")
    application(call1, "76", "bpifrance", "designated", decided_after_days=2)
    application(call1, "84", "cci", "declined", decided_after_days=4)
    application(call2, "76", "cci", "submitted")

    coordinator = UserFactory(role=Role.REGIONAL_COORDINATOR, region=Region.objects.get(code="84"))
    source = ImportSource.objects.create(name="Agenda de la French Tech Toulouse")
    events = {
        "e1": EventFactory(created_by=a1.user),
        "e2": EventFactory(
            online=True, starts_at=at(in_days(-40), 10, 0), created_by=coordinator, format=Format.WEBINAIRE
        ),
        "e3": EventFactory(
            region_code="76",
            commune_code="31555",
            format=Format.CONFERENCE,
            starts_at=at(in_days(10), 9, 0),
            source=source,
            source_uid="uid-e3",
        ),
        "e4": EventFactory(region_code="76", commune_code="31555", moderation=Moderation.SUBMITTED),
        "e5": EventFactory(starts_at=at(in_days(-400), 14, 0), ambassadors=[a2]),
    }

    request_to(
        a1,
        "84",
        "69",
        age=timedelta(days=30),
        taken_after=timedelta(hours=2),
        state=RequestState.ANSWERED,
        feedback_useful=Usefulness.YES,
        feedback_contacted=True,
    )
    request_to(
        a1,
        "84",
        "69",
        age=timedelta(days=20),
        taken_after=timedelta(hours=4),
        state=RequestState.ANSWERED,
        feedback_useful=Usefulness.PARTLY,
        feedback_contacted=False,
    )
    request_to(
        a4, "76", "31", age=timedelta(days=15), taken_after=timedelta(hours=10), state=RequestState.ANSWERED
    )
    request_to(a4, "76", "31", age=timedelta(days=11))
    request_to(a2, "84", "69", age=timedelta(days=2))

    for profile, n in (("innovateur", 6), ("sceptique", 3), ("bloque", 3)):
        for _ in range(n):
            diagnostic("84", "69", profile)
    for _ in range(3):
        diagnostic("76", "31", "experimentateur")
    return DataSet(a1, a2, a3, a4, a5, a6, call1, call2, events)


@pytest.fixture
def dataset(db) -> DataSet:
    return build_dataset()
