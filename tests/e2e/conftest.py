"""End-to-end tests in a real Chromium (Playwright, sync API) against pytest-django's ``live_server``.

* One browser per visit of a worker to this package's test module (in practice: once per session and xdist
  worker), one browser context per test.
* Chromium is Debian's (/usr/bin/chromium); without it, every browser test is skipped with a message.
* ``check_a11y(page)`` runs axe-core (WCAG 2.0/2.1 A and AA) and fails on any serious or critical violation.
* ``csp_violations`` lists the console messages of the test's page that report a Content-Security-Policy
  violation.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import INVALID_MARKER

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one module.

    Playwright's sync API keeps an asyncio event loop running in this thread for as long as it is started, and
    Django's async-safety check then refuses every ORM call ("SynchronousOnlyOperation"). The tests are plain
    synchronous code, so DJANGO_ALLOW_ASYNC_UNSAFE is set, but only while Playwright runs: module scope, not
    session scope, because the variable is inherited by subprocesses (``manage.py check --deploy`` in
    tests/test_security.py fails with async.E001) and a session-long event loop would break the ORM of every
    later test on the worker."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium absent (/usr/bin/chromium) : tests navigateur sautés. "
            "Installez-le : apt-get install -y chromium"
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reference data (regions, départements, communes, NAF, networks, topics) is loaded once per test database by
# ``django_db_setup``. ``live_server`` implies ``transactional_db``, whose teardown FLUSHES every table, so the
# next test on the same database (browser test or not) would find no region, no topic, no network.
#
# A function fixture listed before ``live_server`` that reloads at teardown is NOT enough: pytest-django's autouse
# ``_live_server_helper`` sets ``transactional_db`` up before any fixture the test asks for, so the flush runs
# AFTER such a fixture's teardown (checked: the regions were gone for the next test). Hence, public API only:
# * ``_reference_data`` (function): puts the data back at setup when an earlier browser test flushed it;
# * ``_restore_reference_data`` (module, autouse): puts it back once the worker leaves this module, after the
#   last flush, for the tests that run next on the same database.
# Putting back = rewriting the rows copied once from the test database, in plain SQL: ~0.5 s instead of ~4.5 s
# for ``load_reference_data`` (35,000 communes).

REFERENCE_MODELS = [
    # Parents first.
    "territories.Region",
    "territories.Departement",
    "territories.Commune",
    "territories.PostalCode",
    "territories.NafActivity",
    "ambassadors.PartnerNetwork",
    "ambassadors.Topic",
]


def _reference_tables():
    from django.apps import apps
    from django.db import connection

    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        columns = [connection.ops.quote_name(f.column) for f in model._meta.concrete_fields]
        yield connection.ops.quote_name(model._meta.db_table), ", ".join(columns), len(columns)


def _reference_data_present() -> bool:
    from territories.models import Region

    return Region.objects.exists()


def _reference_snapshot_take() -> list:
    from django.db import connection

    if not _reference_data_present():  # an earlier transactional test flushed it
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    snapshot = []
    with connection.cursor() as cursor:
        for table, columns, width in _reference_tables():
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (names from the models)
            snapshot.append((table, columns, width, cursor.fetchall()))
    return snapshot


def _reference_snapshot_restore(snapshot) -> None:
    from django.db import connection, transaction

    if _reference_data_present():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, width, rows in snapshot:
            placeholders = ", ".join(["%s"] * width)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return _reference_snapshot_take()


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(_reference_snapshot, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        _reference_snapshot_restore(_reference_snapshot)


@pytest.fixture
def _reference_data(_reference_snapshot, transactional_db):
    _reference_snapshot_restore(_reference_snapshot)


@pytest.fixture
def context(_reference_data, live_server, browser):
    """One context per test, desktop-sized, addressing the live server: ``page.goto("/regions/")``."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def csp_violations():
    return []


@pytest.fixture
def page(context, csp_violations):
    page = context.new_page()

    def on_console(message):
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{message.type}: {message.text} ({page.url})")

    page.on("console", on_console)
    yield page
    page.close()


def _format_violation(violation) -> str:
    targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:3]]
    more = len(violation["nodes"]) - len(targets)
    summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ") if violation["nodes"] else ""
    return (
        f"- [{violation['impact']}] {violation['id']} : {violation['help']} ({violation['helpUrl']})\n"
        f"    éléments : {' | '.join(targets)}{f' (+{more})' if more > 0 else ''}\n"
        f"    détail : {summary}"
    )


@pytest.fixture
def check_a11y():
    """``check_a11y(page)``: axe-core on the page as it is now. Fails on a serious or critical violation of
    WCAG 2.0/2.1 A/AA, with rule, help and elements; returns all the violations (the minor ones included).
    Also refuses an unknown template variable rendered in the page (see tests/conftest.py)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page):
        page.wait_for_load_state("load")
        assert INVALID_MARKER not in page.content(), f"variable de gabarit inconnue dans {page.url}"
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe : {len(blocking)} violation(s) graves sur {page.url}\n" + "\n".join(
            _format_violation(v) for v in blocking
        )
        return violations

    return _check
