"""The agenda's month view in a real browser: at 1280 px a table that a keyboard goes through (Tab reaches every
event's link, then the next month, which keeps the filters); at 375 px no horizontal scrolling and the list of the
days that have events instead of the table. Every page through axe-core; no Content-Security-Policy violation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.formats import french_month
from tests.agenda.factories import EventFactory, at
from tests.e2e.conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"
FOCUSED_JS = "() => document.activeElement && document.activeElement.getAttribute('href')"


@pytest.fixture
def month_events():
    today = timezone.localdate()
    first = today.replace(day=1)
    titles = [
        "Atelier IA générative pour les artisans et commerçants de la métropole lyonnaise",
        "Café IA des dirigeants",
        "Conférence : vos données au service de la production industrielle",
    ]
    events = [
        EventFactory(title=title, starts_at=at(first + timedelta(days=3 * n + 1), 9 + n, 0))
        for n, title in enumerate(titles)
    ]
    EventFactory(
        online=True, region_code="76", title="Webinaire d’une autre région", starts_at=at(first, 11, 0)
    )
    return events


def test_month_view_by_keyboard_on_desktop(page, check_a11y, csp_violations, month_events):
    page.set_viewport_size(DESKTOP)
    page.goto("/agenda/mois/?region=84")

    table = page.locator("table.ai-month")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_have_text(french_month(timezone.localdate()).capitalize())
    expect(table.locator("th[scope=col]")).to_have_text(
        ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    )
    expect(table.locator('td[aria-current="date"]')).to_have_count(1)
    expect(page.get_by_text("Webinaire d’une autre région")).to_have_count(0)
    check_a11y(page)

    # Tab from the top of the page: every event link of the table, then the next month, without a mouse.
    wanted = {f"/agenda/{event.slug}/" for event in month_events}
    following = page.locator("a[rel=next]").get_attribute("href")
    reached = set()
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        href = page.evaluate(FOCUSED_JS)
        if href in wanted:
            reached.add(href)
            assert page.evaluate("() => document.activeElement.closest('table') !== null")
        if reached == wanted:
            break
    assert reached == wanted
    page.locator("a[rel=next]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{following}")
    assert following.endswith("?region=84")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda d")
    check_a11y(page)

    assert csp_violations == [], "\n".join(csp_violations)


def test_month_view_on_a_phone_lists_the_days_without_overflow(page, check_a11y, month_events):
    page.set_viewport_size(MOBILE)
    page.goto("/agenda/mois/?region=84")

    assert page.evaluate(OVERFLOW_JS) <= 0
    expect(page.locator("table.ai-month")).to_be_hidden()
    for event in month_events:
        link = page.get_by_role("link", name=event.title)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"]
    check_a11y(page)
    # The links are reached by Tab there too.
    first = page.get_by_role("link", name=month_events[0].title)
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_JS) == first.get_attribute("href"):
            break
    else:
        pytest.fail("le premier événement n’est pas atteint au clavier")
