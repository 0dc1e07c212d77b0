"""The back office's exports, in the two forms a French office opens by double-click: one helper turns a header
and rows into a CSV or an XLSX download, so every export (steering tables, applications) behaves the same.

* CSV: UTF-8 with a byte order mark and « ; » between cells, which a French Excel opens right (without the mark it
  reads Latin-1, with commas it puts everything in one column); numbers unquoted with a decimal comma (« 12,5 »),
  dates « 01/05/2026 » and times « 01/05/2026 14:30 » on the Paris clock; every cell through ``core.csvsafe``.
* XLSX (openpyxl, write-only mode: memory stays flat whatever the number of rows): numbers as numbers, dates as
  dates with a French number format, a bold and frozen header row, widths after the longest value, a sheet title.
  Every text is written as a text cell, never a formula, whatever it starts with (= + - @).

Open data (``/donnees/``) does not go through here: it keeps the Etalab conventions (UTF-8 without mark, comma,
ISO 8601 dates), see ``ambassadors/views.py``."""

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.csvsafe import csv_writer
from core.formats import local

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INT_FORMAT = "#,##0"  # shown with the reader's own thousands separator (a space in French)
DEC_FORMAT = "#,##0.0"  # one decimal, as the pages; the comma comes from the reader's locale
MIN_WIDTH, MAX_WIDTH = 8, 60


class _FrenchNumber(Decimal):
    """A number the CSV writes unquoted with a decimal comma: ``csv`` quotes no number and writes ``str()``."""

    def __str__(self):
        return super().__str__().replace(".", ",")


def _naive_local(value: datetime) -> datetime:
    """Spreadsheets know no time zones: the Paris clock (the back office's), without its offset."""
    return local(value).replace(tzinfo=None)


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return _FrenchNumber(f"{value:.1f}")
    if isinstance(value, Decimal):
        return _FrenchNumber(value)
    if isinstance(value, datetime):
        return _naive_local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The back office's CSV: byte order mark, « ; », formulas neutralised (``core.csvsafe``)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters (a longer one cut after a word, « … »), none of []:*?/\\."""
    title = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split())
    if len(title) > 31:
        title = title[:30].rsplit(" ", 1)[0].rstrip(" ,;–-") + "…"
    return title or "Export"


def _width(value) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 3
    if isinstance(value, float | Decimal):
        return len(f"{value:,.1f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _cell(sheet, value, header: bool = False):
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_naive_local(value))
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, float | Decimal):
        cell = WriteOnlyCell(sheet, value=round(float(value), 1))
        cell.number_format = DEC_FORMAT
    elif isinstance(value, int):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = INT_FORMAT
    elif value is None or value == "":
        cell = WriteOnlyCell(sheet, value=None)
    else:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        # openpyxl reads « =… » as a formula: a text cell stays a text, whatever it starts with.
        cell.data_type = "s"
    if header:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    return cell


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """One sheet: the header (bold, frozen), then the rows; numbers, dates and texts typed as such."""
    rows = [list(r) for r in rows]  # the widths are set before the first row is written
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    widths = [len(h) for h in header]
    for row in rows:
        for i, value in enumerate(row[: len(widths)]):
            if value is not None:
                widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, h, header=True) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(fmt: str, *, header: Sequence[str], rows: Iterable[Sequence], filename: str, title: str):
    """The download of ``rows`` as ``filename``.csv or ``filename``.xlsx (``fmt``: ``CSV`` or ``XLSX``)."""
    if fmt == XLSX:
        response = HttpResponse(to_xlsx(header, rows, title=title), content_type=XLSX_CONTENT_TYPE)
    elif fmt == CSV:
        response = HttpResponse(to_csv(header, rows), content_type=CSV_CONTENT_TYPE)
    else:
        raise ValueError(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
