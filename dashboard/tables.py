"""One shape for every table of the steering page: the page and its CSV export are written from the same object, so
they always carry the same figures."""

import io
from dataclasses import dataclass, field

from core.csvsafe import csv_writer

TEXT, INT, DEC, GAP = "text", "int", "dec", "gap"  # GAP: a count where 0 means « nobody here », shown as such


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = INT
    title: str = ""  # a longer label: shown as an <abbr> title on the page, used as the CSV header when given


@dataclass
class Table:
    """``rows`` start with their row header (a label); a ``None`` cell is a figure that does not exist (« – »)."""

    slug: str
    caption: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    footer: list | None = None  # the total row
    note: str = ""  # what the page shows of a longer table

    @property
    def csv_header(self) -> list[str]:
        return [c.title or c.label for c in self.columns]


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return value


def to_csv(table: Table) -> str:
    """The table as CSV (comma, UTF-8): a French header row, then the rows and the total row."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(table.csv_header)
    for row in [*table.rows, *([table.footer] if table.footer else [])]:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue()
