"""Path converters with strict patterns: a URL whose token, region code or postcode does not have the right shape
is a 404 at once, before any view or query (``<str:...>`` let through NUL bytes, which PostgreSQL refuses with an
error, and any odd text). Registered here once; each app's ``urls.py`` imports this module."""

from django.urls import register_converter


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
    """A database id: 1 to 9 digits, never more than an integer column holds (a longer one would overflow)."""

    regex = r"[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(TokenConverter, "token")
register_converter(IdConverter, "id")
register_converter(RegionCodeConverter, "region_code")
register_converter(PostcodeConverter, "postcode")
