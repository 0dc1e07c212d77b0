"""One shape for every table of the steering page: the page and its CSV and XLSX exports are written from the same
object, so they always carry the same figures."""

from dataclasses import dataclass, field

from core import exports

TEXT, INT, DEC, GAP = "text", "int", "dec", "gap"  # GAP: a count where 0 means « nobody here », shown as such


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = INT
    title: str = ""  # a longer label: shown as an <abbr> title on the page, the exports' header when given


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


def export_rows(table: Table) -> list[list]:
    """The rows of the exports: the table's rows, then its total row."""
    return [*table.rows, *([table.footer] if table.footer else [])]


def to_csv(table: Table) -> str:
    """The table as the back office's CSV (``core.exports``: BOM, « ; »): a French header row, the rows, the total."""
    return exports.to_csv(table.csv_header, export_rows(table))
