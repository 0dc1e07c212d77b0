"""CSV cells that a spreadsheet will not run as formulas (CSV injection): text typed by the public that starts with
=, +, -, @, a tab or a carriage return gets a leading apostrophe, as OWASP recommends."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
