"""What several doors answer alike: the one JSON error body, and the headers of the pages reached through a
private token link (an application, a company request, a diagnostic)."""

from django.http import JsonResponse


def json_error_body(message: str, errors: dict | None = None) -> dict:
    """The one JSON error body of the site and of the API: a French sentence, and the messages by field or
    parameter (« erreurs »: {"secteur": ["…"]}, empty when the fault is not one field's)."""
    return {"message": message, "erreurs": errors or {}}


def json_error(status: int, message: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse(
        json_error_body(message, errors), status=status, json_dumps_params={"ensure_ascii": False}
    )


def private_link_page(response, *, cacheable: bool = False):
    """Never indexed, and the address (the token) never sent as referrer to another site. ``same-origin``, not
    ``no-referrer``: under the latter browsers send ``Origin: null`` with the page's own forms, which Django's CSRF
    check refuses. Not stored by caches unless ``cacheable`` (a shareable result)."""
    if not cacheable:
        response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
