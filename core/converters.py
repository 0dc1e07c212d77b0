"""Path converters with strict patterns: a URL whose token, region code or postcode does not have the right shape
is a 404 at once, before any view or query (``<str:...>`` let through NUL bytes, which PostgreSQL refuses with an
error, and any odd text). Registered here once; each app's ``urls.py`` imports this module."""

from django.urls import register_converter

from core.ids import parse_id


class _Text:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class TokenConverter(_Text):
    """A random URL-safe token (``secrets.token_urlsafe``)."""

    regex = r"[A-Za-z0-9_-]{20,64}"


class RegionCodeConverter(_Text):
    """An INSEE region code: two digits (01 Guadeloupe… 94 Corse)."""

    regex = r"[0-9]{2}"


class PostcodeConverter(_Text):
    regex = r"[0-9]{5}"


class IdConverter:
    """A database id (``core.ids.parse_id``): never more than an integer column holds (a larger one would overflow
    in the database); anything else is a 404."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # the URL does not match: a 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(TokenConverter, "token")
register_converter(IdConverter, "id")
register_converter(RegionCodeConverter, "region_code")
register_converter(PostcodeConverter, "postcode")
