"""Database ids read from a request. ``str.isdigit()`` accepts « ² » or « ٣ » (which ``int()`` then refuses or
reads) and Python ints have no bound, while a database integer does (SQLite and PostgreSQL raise, a 500): every id
typed in a form or a query string goes through here first."""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**31 - 1  # the largest value of a PostgreSQL integer column; our ids never come near it


def parse_id(value, *, minimum: int = 1) -> int | None:
    """The id written in ``value`` (ASCII digits, between ``minimum`` and ``MAX_ID``), else None. The one parser of
    the ids and version numbers a request carries: forms, views, the URL converter ``<id:…>`` (core/converters.py)
    and the API."""
    value = str(value).strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if minimum <= number <= MAX_ID else None


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` over objects chosen by integer id that refuses, before any query, a value
    that is not an id (error ``invalid_pk_value``) instead of letting the database overflow."""

    def _check_values(self, value):
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)
