"""Headers of the pages reached through a private token link (an application, a company request, a diagnostic)."""


def private_link_page(response, *, cacheable: bool = False):
    """Never indexed, and the address (the token) never sent as referrer to another site. ``same-origin``, not
    ``no-referrer``: under the latter browsers send ``Origin: null`` with the page's own forms, which Django's CSRF
    check refuses. Not stored by caches unless ``cacheable`` (a shareable result)."""
    if not cacheable:
        response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response
