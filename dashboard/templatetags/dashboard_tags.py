from django import template

from core.formats import NNBSP, french_number
from dashboard.tables import DEC

register = template.Library()
# « pluriel », « nombre », « date_heure »: the French filters of core (core_tags), loaded beside these.


@register.filter
def cell(value, kind: str = "") -> str:
    """A figure as a French reader expects it: « – » when it does not exist, « 2,5 » for a decimal, thin groups of
    thousands (« 1 209 »)."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == DEC or isinstance(value, float):  # always one decimal in a column of decimals: « 4,0 »
        return f"{value:,.1f}".replace(",", NNBSP).replace(".", ",")
    return french_number(value)


@register.filter
def with_columns(row, columns) -> list:
    """``{% for value, column in row|with_columns:table.columns %}``: each cell with the column it belongs to."""
    return list(zip(row, columns, strict=False))
