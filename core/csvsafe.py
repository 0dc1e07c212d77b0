"""CSV cells that a spreadsheet will not run as formulas (CSV injection), for every CSV of the project: write them
with ``csv_writer``.

Two defences, as OWASP recommends:

* every text cell is quoted (``csv.QUOTE_NONNUMERIC``), so a reader that honours quotes reads each cell whole;
* a text cell that starts with = + - @, a tab or a carriage return (spaces or quotes before them aside) gets a
  leading apostrophe, which spreadsheets show as text: « '=HYPERLINK(…) »;
* so does every part of a cell that follows a separator (« ; », « , », a tab, a line break): a spreadsheet that
  splits the file on « ; » or a tab (or by lines) without minding the quotes starts a cell there, and quoting or
  prefixing the whole cell cannot help it: « Consultant;=1+2 » is written « Consultant;'=1+2 ».

Numbers stay unquoted, so spreadsheets still read them as numbers; Python's ``csv`` module reads the file back as
it was written."""

import csv
import re
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What may stand between a cell's start (or a separator) and a formula: a spreadsheet skips spaces and quotes.
_LEADING = re.compile(r'^[ "]*[=+\-@]')
# A separator, then what a spreadsheet skips, then a formula character: the apostrophe goes before the character.
_AFTER_SEPARATOR = re.compile(r'([;,\t\r\n][ \t\r\n"]*)(?=[=+\-@])')


# Where either of the above could apply: a text that has none of them is written as it is (most cells, in one search).
_FORMULA_ANYWHERE = re.compile(r'^[ "]*[=+\-@]|^[\t\r\n]|[;,\t\r\n][ \t\r\n"]*[=+\-@]')


def safe_cell(value):
    """``value`` as a spreadsheet may read it: numbers as they are, ``None`` empty, anything else as text, with a
    leading apostrophe when a formula could start in it."""
    if type(value) is str and not _FORMULA_ANYWHERE.search(value):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = _AFTER_SEPARATOR.sub(r"\1'", str(value))
    if text.startswith(FORMULA_STARTS) or _LEADING.match(text):
        return "'" + text
    return text


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """A ``csv.writer`` whose every row, header included, goes through ``safe_row``."""

    def __init__(self, stream, delimiter=","):
        self._writer = csv.writer(
            stream, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
        )

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, delimiter: str = ",") -> SafeWriter:
    """The one way this project writes CSV: comma-separated (open data; the back office's exports, written by
    ``core.exports``, use « ; »), "\\n" line ends, text quoted, formulas neutralised."""
    return SafeWriter(stream, delimiter)
