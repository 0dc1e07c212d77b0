"""Every public page, as a visitor sees it, on the demo data: at 375 px and at 1280 px in a real Chromium.

The pages are found by following the links of the site from a few starting addresses (the home page, the agenda,
the directory, the finder's and the diagnostic's results...), keeping one page per view and per set of query
parameters, so that a new page is checked without being listed here.

Layout: no horizontal scrolling, no block taller than two screens (a card, a list item, a paragraph...), nothing
of the main content running over the footer.
Typography (visible text, read by the browser): a non-breaking space before « : ; ! ? » and inside « », no straight
apostrophe inside a word, the singular after 0 and 1, « 1er » for the first of the month, French month names,
hours without a leading zero and unbreakable (« 9 h 30 »).
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, MOBILE
from tests.typography import typography_faults

pytestmark = pytest.mark.browser

START = [
    "/",
    "/agenda/",
    "/agenda/passes/",
    "/agenda/?region=84",
    "/agenda/?mode=online",
    "/agenda/mois/",
    "/ambassadeurs/",
    "/ambassadeurs/?region=84",
    "/ambassadeurs/?q=donnees",
    "/regions/",
    "/regions/84/",
    "/regions/84/integration/",
    "/trouver-un-ambassadeur/",
    "/diagnostic/",
    "/diagnostic/statistiques/",
    "/donnees/",
    "/ami/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/connexion/",
]
# Not pages of the site for a visitor: the back office, files and feeds, the API's own documentation.
SKIP = re.compile(
    r"^/(espace|pilotage|admin|api|static|media|sante|territoires)/|\.(csv|json|ics|rss|atom|xml)$|/flux"
)
MAX_PAGES = 70

LAYOUT_JS = """
() => {
  const problems = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const doc = document.documentElement;
  if (doc.scrollWidth > vw + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e => {
      const r = e.getBoundingClientRect(); return r.width > 0 && r.right > vw + 1;
    }).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''));
    problems.push(`défilement horizontal : ${doc.scrollWidth} px pour ${vw} px (${wide.join(', ')})`);
  }
  const blocks = 'main .fr-card, main .fr-tile, main li, main p, main dd, main dt, main td, main th, main h1, ' +
    'main h2, main h3, main h4, main .fr-callout, main .fr-alert, main img, main svg, main a, main button, ' +
    'main label, main blockquote, main .fr-badge, main .fr-tag';
  for (const e of document.querySelectorAll(blocks)) {
    const r = e.getBoundingClientRect();
    if (r.height > 2 * vh && !e.querySelector('ul, ol, table')) {
      problems.push(`bloc de ${Math.round(r.height)} px (plus de deux écrans) : ${e.tagName.toLowerCase()}.${String(e.className).split(' ').join('.')} « ${e.innerText.slice(0, 60)} »`);
      break;
    }
  }
  const footer = document.querySelector('footer');
  if (footer) {
    const top = footer.getBoundingClientRect().top + window.scrollY;
    for (const e of document.querySelectorAll('main *')) {
      const style = getComputedStyle(e);
      if (style.position === 'fixed' || style.visibility === 'hidden' || style.display === 'none') continue;
      const r = e.getBoundingClientRect();
      if (r.height === 0 || r.width === 0 || r.right <= 0 || e.closest('select')) continue;  // off-screen on purpose (honeypot), a list's options
      // What shows of it: a box that scrolls (a checklist's options) clips what it holds to its own bottom.
      let bottom = r.bottom;
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowY)) {
          bottom = Math.min(bottom, a.getBoundingClientRect().bottom);
        }
      }
      if (bottom + window.scrollY > top + 1) {
        problems.push(`déborde sur le pied de page de ${Math.round(bottom + window.scrollY - top)} px : ${e.tagName.toLowerCase()}.${String(e.className).split(' ').join('.')}`);
        break;
      }
    }
  }
  return problems;
}
"""

LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


def test_typography_faults_are_found():
    """The checker itself: each fault it must see, and the right forms it must accept."""
    wrong = [
        "Votre profil : expérimentateur",
        "Côte d'Azur",
        "0 ambassadeurs trouvés",
        "1 événements",
        "le 1 décembre",
        "8 Jul 2025",
        "07\u00a0h\u00a016",
        "12 h 30",
        "23\u00a0h\u00a059\u00a0min\u00a059\u00a0s",
        "Note :: 5",
        "« Osez l’IA »",
    ]
    for text in wrong:
        assert typography_faults(text), text
    right = [
        "Votre profil\u00a0: expérimentateur",
        "Côte d’Azur",
        "0 ambassadeur trouvé",
        "1 événement",
        "2 événements",
        "1 000 ambassadeurs",
        "10 ambassadeurs",
        "le 1er décembre",
        "8 juillet 2025",
        "7\u00a0h\u00a016",
        "«\u00a0Osez l’IA\u00a0»",
        "https://exemple.fr/?region=84",
        "1 mois",
    ]
    for text in right:
        assert not typography_faults(text), (text, typography_faults(text))


def _key(path: str):
    parts = urlsplit(path)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return (match.view_name, tuple(sorted({k for k, _ in parse_qsl(parts.query)} - {"page"})))


def _demo_private_pages():
    """One private-link page of each kind a visitor reaches (diagnostic result, company follow-up, application
    status), with the pages of their data rights (correct, erase)."""
    from contact.models import CompanyRequest
    from diagnostic.models import DiagnosticResult
    from recruitment.models import Application

    pages = [DiagnosticResult.objects.order_by("pk").first().get_absolute_url()]
    request = CompanyRequest.objects.filter(anonymised_at__isnull=True).order_by("pk").first()
    application = Application.objects.order_by("pk").first()
    # The company's erasure is a form on its follow-up page.
    pages += [f"/demande/{request.token}/", f"/demande/{request.token}/corriger/"]
    base = f"/candidature/{application.token}/"
    pages += [base, f"{base}corriger/", f"{base}effacer/"]
    return pages


@pytest.fixture
def demo_site(_reference_data):
    call_command("load_demo_data", verbosity=0)


def _crawl(page) -> list[str]:
    """Public pages reached from START by links, one per view and set of query parameters."""
    queue = [*START, *_demo_private_pages()]
    seen_keys, pages = set(), []
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        key = _key(path)
        if key is None or key in seen_keys or SKIP.search(urlsplit(path).path):
            continue
        seen_keys.add(key)
        response = page.goto(path)
        assert response.status < 500, f"{path} : {response.status}"
        if response.status >= 400:
            continue
        pages.append(path)
        for href in page.evaluate(LINKS_JS):
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href.split("#")[0])
    return pages


def test_every_public_page_fits_phone_and_desktop_and_reads_as_french(demo_site, page):
    pages = _crawl(page)
    assert len(pages) >= 25, pages
    problems = []
    for size in (MOBILE, DESKTOP):
        page.set_viewport_size(size)
        for path in pages:
            page.goto(path)
            page.wait_for_load_state("load")
            problems += [f"{size['width']} px {path} : {p}" for p in page.evaluate(LAYOUT_JS)]
            if size is DESKTOP:
                text = page.evaluate("() => document.body.innerText")
                problems += [f"{path} : {fault}" for fault in typography_faults(text)]
    assert not problems, f"{len(problems)} défauts :\n" + "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("path", ["/agenda/?region=84", "/ambassadeurs/?region=84"])
def test_filters_fold_on_a_phone_and_say_what_is_active(demo_site, page, path):
    page.set_viewport_size(MOBILE)
    page.goto(path)
    summary = page.locator("details.ai-filters > summary")
    expect(summary).to_contain_text("Filtrer (1 filtre actif)")
    expect(page.get_by_label("Région", exact=True)).to_be_hidden()
    expect(page.locator(".fr-tags-group").first).to_contain_text("Auvergne-Rhône-Alpes")
    first_result = page.locator("main .fr-card").first
    assert first_result.bounding_box()["y"] < MOBILE["height"], (
        "le premier résultat n’est pas dans le premier écran"
    )
    summary.click()
    expect(page.get_by_label("Région", exact=True)).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(path)
    expect(summary).to_be_hidden()
    expect(page.get_by_label("Région", exact=True)).to_be_visible()


def test_departement_list_follows_the_region_as_it_is_chosen(_reference_data, page):
    page.goto("/agenda/")
    departement = page.get_by_label("Département", exact=True)
    departement.select_option("31")  # Haute-Garonne, Occitanie

    page.get_by_label("Région", exact=True).select_option(label="Auvergne-Rhône-Alpes")

    expect(departement).to_have_value("")  # the département of another region is unselected
    offered = departement.locator("option:not([hidden])")
    expect(offered).to_have_count(13)  # « Tous les départements » and the 12 of the region
    expect(departement.locator("option[value='69']")).not_to_have_attribute("hidden", "")
    expect(departement.locator("option[value='31']")).to_have_attribute("hidden", "")
