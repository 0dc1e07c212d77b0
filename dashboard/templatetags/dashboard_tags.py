from django import template

from dashboard.tables import DEC

register = template.Library()


@register.filter
def cell(value, kind: str = "") -> str:
    """A figure as a French reader expects it: « – » when it does not exist, « 2,5 » for a decimal, thin groups of
    thousands (« 1 209 »)."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == DEC or isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{value:,}".replace(",", "\u202f")


@register.filter
def with_columns(row, columns) -> list:
    """``{% for value, column in row|with_columns:table.columns %}``: each cell with the column it belongs to."""
    return list(zip(row, columns, strict=False))


@register.filter
def pluriel(value) -> str:
    """« s » from 2 on: in French, 0 and 1 take the singular (« 0 demande »)."""
    try:
        return "s" if int(value) > 1 else ""
    except (TypeError, ValueError):
        return ""
