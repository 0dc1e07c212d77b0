"""Texts of the agenda outside the pages: descriptions as plain text (iCalendar, RSS, Atom), and the words that name
a selection of the agenda (feed titles, the month view)."""

import re
import threading
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3

from agenda.enums import Format, Mode
from core.formats import NBSP, french_date, french_typography

FEED_TITLE = "Agenda des ambassadeurs IA"
# The tags the pages keep (agenda_tags.safe_markdown) plus headings: the rest loses its tags, never its words
# (a script's or a style's content is dropped).
_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Markup written as text (« &lt;svg onload=…&gt; », a code span, an indented block) comes out of the HTML as
# « <svg onload=…> »: a feed reader that unescapes the feed once (RSS descriptions, many iCalendar clients) would
# run it. A tag-like sequence is dropped; a lone « < » before a letter gets a space, which no parser reads as a tag.
_MARKUP = re.compile(r"<[A-Za-z!/?][^<>]*>")
_TAG_OPEN = re.compile(r"<(?=[A-Za-z!/?])")


class _PlainText(HTMLParser):
    """Sanitised HTML from Markdown, as text: paragraphs separated by a blank line, one line per list item
    (« – » or « 1. », indented when nested), a link as « texte (https://…) ». Entities are decoded once."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.lists: list[list] = []  # [tag, items seen]
        self.links: list[tuple[str, int]] = []  # (href, where its text starts)
        self.bullet = "– "  # of the list item being written

    def _break(self, newlines: int) -> None:
        body = self.text.rstrip(" \n")
        if body:
            already = len(self.text.rstrip(" ")) - len(body)
            self.text = body + "\n" * max(already, newlines)
        else:
            self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS and self.lists:
            # A paragraph of a list item (a « loose » list): the item's own line, then lines under it.
            if not self.text.endswith(self.bullet):
                self._break(1)
                self.text += "  " * len(self.lists)
        elif tag in _BLOCKS:
            self._break(2)
        elif tag in ("ul", "ol"):
            self._break(1 if self.lists else 2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._break(1)
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self.bullet = f"{kind[1]}. " if kind[0] == "ol" else "– "
            self.text += "  " * max(len(self.lists) - 1, 0) + self.bullet
        elif tag == "br":
            self.text = self.text.rstrip(" ") + "\n"
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.text)))

    def handle_endtag(self, tag):
        if tag in _BLOCKS and not self.lists:
            self._break(2)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = self.text[start:].strip()
            if href and href not in (label, f"mailto:{label}"):
                self.text = self.text.rstrip(" ") + f" ({href})"

    def handle_data(self, data):
        data = _SPACES.sub(" ", data)
        if not self.text or self.text.endswith(("\n", " ")):
            data = data.lstrip(" ")
        self.text += data


def no_markup(text: str) -> str:
    """``text`` with nothing an HTML parser would read as a tag: « voir <svg onload=x> » → « voir », « a<b » →
    « a< b ». For every text a feed carries that people typed (descriptions, titles, places)."""
    return _TAG_OPEN.sub("< ", _MARKUP.sub("", text))


_LINE_SPACES = re.compile(r"[ \t\r\n]+")


def plain_line(text: str) -> str:
    """A one-line text people typed (a title, a place, an organiser) without markup and with single spaces: what
    the API, JSON-LD and the feeds give of it."""
    # ASCII white space only: a non-breaking space (« robotique ») is French typography, kept.
    return _LINE_SPACES.sub(" ", no_markup(text or "")).strip(" ")


_local = threading.local()


def markdown_html(text: str) -> str:
    """Markdown → HTML (not yet sanitised) with one parser per thread: building a parser costs more than most
    descriptions take to convert (measured on the RSS feed: half of its time)."""
    parser = getattr(_local, "markdown", None)
    if parser is None:
        parser = _local.markdown = markdown.Markdown(output_format="html")
    try:
        return parser.convert(text or "")
    finally:
        parser.reset()


# What an event page shows of a description: no script, no style, no event handler, no image.
SAFE_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code"}


@lru_cache(maxsize=2048)
def markdown_safe_html(text: str) -> str:
    """Plain text or simple Markdown as the HTML an event page shows (and the API's ``description_html``), French
    typography applied, sanitised by nh3: only ``SAFE_TAGS``, links http, https or mailto with rel « noopener
    nofollow »."""
    html = markdown_html(french_typography(text))
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )


@lru_cache(
    maxsize=2048
)  # a pure function of the text: feeds and pages show the same descriptions again and again
def markdown_text(text: str) -> str:
    """Plain text or simple Markdown (what contributors type) as plain text, French typography applied:
    « **Au programme** : [le site](https://exemple.fr) » → « Au programme : le site (https://exemple.fr) »,
    a list as lines starting with « – ». Raw HTML and links other than http, https and mailto are dropped, and so
    is markup written as text (``no_markup``): nothing in it is a tag once unescaped."""
    html = markdown_html(text)
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"})
    parser = _PlainText()
    parser.feed(clean)
    parser.close()
    lines = [line.rstrip() for line in no_markup(parser.text).split("\n")]
    return french_typography(_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip())


FORMAT_WORDS = {
    Format.CONFERENCE: "conférences",
    Format.ATELIER: "ateliers",
    Format.WEBINAIRE: "webinaires",
    Format.CAFE_IA: "cafés IA",
    Format.RENCONTRE_AFFAIRES: "rencontres d’affaires",
    Format.SALON: "salons",
    Format.FORMATION: "formations",
    Format.AUTRE: "autres formats",
}
MODE_WORDS = {
    Mode.IN_PERSON: "en présentiel",
    Mode.ONLINE: "en ligne",
    Mode.HYBRID: "présentiel et en ligne",
}


def filters_words(filters) -> str:
    """What a selection of the agenda (``agenda.selectors.AgendaFilters``) keeps, in the order of the filters on
    the page, as the words a visitor reads (``?q=robotique&region=84&format=atelier``: the search words between
    guillemets, then « à moins de 30 km de Lyon (69) », « Auvergne-Rhône-Alpes, ateliers »); empty for the whole
    agenda."""
    words = []
    if filters.q:
        words.append(f"«{NBSP}{filters.q}{NBSP}»")
    if filters.is_near:
        words.append(f"à moins de {filters.km}{NBSP}km de {filters.origin.label}")
    if filters.region:
        words.append(filters.region.name)
    if filters.departement:
        words.append(str(filters.departement))
    if filters.du and filters.au:
        words.append(
            f"du {french_date(filters.du, weekday=False)} au {french_date(filters.au, weekday=False)}"
        )
    elif filters.du:
        words.append(f"à partir du {french_date(filters.du, weekday=False)}")
    elif filters.au:
        words.append(f"jusqu’au {french_date(filters.au, weekday=False)}")
    if filters.format:
        words.append(FORMAT_WORDS[filters.format])
    if filters.mode:
        words.append(MODE_WORDS[filters.mode])
    if filters.secteur:
        words.append(filters.secteur.label)
    if filters.thematique:
        words.append(filters.thematique.name)
    return french_typography(", ".join(words))


def feed_title(filters) -> str:
    """« Agenda des ambassadeurs IA – Auvergne-Rhône-Alpes, ateliers »: a subscribed calendar says what it holds."""
    words = filters_words(filters)
    return f"{FEED_TITLE} – {words}" if words else FEED_TITLE
