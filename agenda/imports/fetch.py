"""Fetching a remote calendar: the network part (checked addresses, pinned connections, one deadline for the
whole exchange) is ``core.fetch``; here only what a calendar adds (webcal, its size limit, messages that say
« calendrier »)."""

from agenda.imports.errors import ImportFailed
from agenda.imports.parsing import MAX_BYTES
from core import fetch

FETCH_TIMEOUT = 10  # seconds
USER_AGENT = "ambassadeurs-ia-import/1.0 (+agenda)"

# Every network failure, a private address included, gives this one message (see core.fetch).
UNREACHABLE = "Le calendrier n’a pas pu être téléchargé à cette adresse : vérifiez-la ou réessayez plus tard."


class FetchError(ImportFailed, fetch.FetchError):
    """A calendar could not be downloaded; the message is for the user, in French."""


def fetch_url(url: str, *, timeout: float | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at ``url`` (http, https; webcal read as https), as ``core.fetch.fetch_url`` guarantees: never from
    a private or local network, within ``timeout`` seconds for the whole exchange (``FETCH_TIMEOUT`` by default),
    no more than ``max_bytes``; every failure a ``FetchError`` with a French message."""
    url = (url or "").strip()
    if url[:9].lower() == "webcal://":  # webcal:// is https:// for calendar applications
        url = "https://" + url[9:]
    try:
        return fetch.fetch_url(
            url,
            timeout=FETCH_TIMEOUT if timeout is None else timeout,
            max_bytes=max_bytes,
            accept="text/calendar, */*;q=0.5",
            user_agent=USER_AGENT,
        )
    except fetch.FetchError as exc:
        if exc.reason == "unreachable":
            message = UNREACHABLE
        elif exc.reason == "status":
            message = f"Le serveur a répondu par une erreur {exc.status} : vérifiez l’adresse du calendrier."
        elif exc.reason == "too_big":
            message = f"Le calendrier dépasse la taille maximale ({max_bytes / 1_000_000:g} Mo) : il n’est pas importé."
        elif exc.reason == "scheme":
            message = "Adresse refusée : seules les adresses http, https et webcal sont acceptées."
        else:
            message = str(exc)
        raise FetchError(message, reason=exc.reason, status=exc.status) from exc
