"""Fragments of public pages kept in the shared cache (Django's ``{% cache %}`` tag), keyed by what they show, so
that a change shows at once: an event's card by the event's ``updated_at`` (agenda/views.py), a list's filter form
by the values sent and the version of the lists its choices come from (``filters_key``). Rendering the ~150
options of a filter form and twenty cards through the template engine was most of a list page's time.

The version of the reference lists is a random token in the cache, dropped when a row of one of them is saved or
deleted (after the commit: a page rendered in between would keep the old lists under the new version). Bulk writes
send no signal (``load_reference_data``, run with a release): ``FRAGMENT_SECONDS`` bounds how long a form keeps
lists changed that way, unless they end by ``drop_reference_version`` (``load_reference_data`` does).
"""

import functools
import hashlib
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

from core.middleware import shared_answer, with_a_key

FRAGMENT_SECONDS = 3600
REFERENCE_KEY = "fragments:reference-version"
# The models whose rows are the choices of a public filter form (ambassadors/forms.py, agenda/forms.py), and the
# communes, whose names the cards of the pages kept whole print (``whole_page``).
REFERENCE_MODELS = (
    "territories.Commune",
    "territories.Region",
    "territories.Departement",
    "territories.NafActivity",
    "ambassadors.Topic",
    "ambassadors.PartnerNetwork",
)


def token_version(key: str) -> str:
    """A version kept as a random token in the shared cache under ``key``, made on first read (``add``: the first of
    concurrent readers wins); its owner changes it by deleting the key."""
    version = cache.get(key)
    if version is None:
        cache.add(key, secrets.token_hex(8), None)
        version = cache.get(key, "")
    return version


def token_versions(*keys: str) -> tuple[str, ...]:
    """``token_version`` of each of ``keys``, read in one round trip to the cache when they are all there."""
    found = cache.get_many(keys)
    return tuple(found[key] if key in found else token_version(key) for key in keys)


def reference_version() -> str:
    return token_version(REFERENCE_KEY)


def drop_reference_version(**kwargs) -> None:
    """After the commit: every page and form keyed by the reference lists (``reference_version``) is rendered
    again. Sent by a save or deletion of their rows, and called by the bulk load of the reference data."""
    transaction.on_commit(lambda: cache.delete(REFERENCE_KEY))


# The events' deletions, as a random token dropped when an event is deleted (after the commit): the events'
# version (``agenda.selectors.events_version``) is their last change, which a deletion does not move.
EVENTS_DELETED_KEY = "fragments:events-deleted"


def events_deleted_version() -> str:
    return token_version(EVENTS_DELETED_KEY)


def _drop_events_deleted_version(**kwargs) -> None:
    transaction.on_commit(lambda: cache.delete(EVENTS_DELETED_KEY))


def connect() -> None:
    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(drop_reference_version, sender=model, dispatch_uid=f"fragments-{label}-save")
        post_delete.connect(drop_reference_version, sender=model, dispatch_uid=f"fragments-{label}-delete")
    post_delete.connect(
        _drop_events_deleted_version,
        sender=apps.get_model("agenda.Event"),
        dispatch_uid="fragments-event-delete",
    )


@functools.cache
def release() -> str:
    """This release's code and templates, in every key: fragments cached by the previous release (their markup,
    the fingerprinted names of its static files) are not shown by the next one. Read once per process."""
    files = hashlib.md5(usedforsecurity=False)
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve()
        if folder.is_relative_to(base):
            for path in sorted([*folder.rglob("*.py"), *folder.rglob("*.html")]):
                files.update(path.read_bytes())
    files.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    return files.hexdigest()[:12]


def digest(*parts) -> str:
    """A short key for ``{% cache %}`` from values whose ``repr`` says all a fragment depends on."""
    return hashlib.md5(repr((release(), parts)).encode(), usedforsecurity=False).hexdigest()


def filters_key(form) -> str:
    """What a filter form's HTML depends on: its class, the values sent for its fields (errors follow from them)
    and the reference lists. Only for forms whose HTML is a function of those (no initial value from a person)."""
    return filters_key_for(type(form), form.data if form.is_bound else None)


def filters_key_for(form_class, data) -> str:
    """``filters_key`` of ``form_class(data)``, without building the form (its fields are deep-copied)."""
    data = data or {}
    read = data.getlist if hasattr(data, "getlist") else data.get
    sent = sorted((name, read(name)) for name in form_class.base_fields if name in data)
    return digest(form_class.__qualname__, sent, reference_version())


# How long a whole public page stays in the shared cache (``whole_page``): its key is the exact version of what it
# shows, so a change shows at once (a save, a deletion, ``load_reference_data``); the bound frees the pages of
# addresses nobody asks again, and bounds what a write that sends no signal leaves (an ``update()`` typed in a
# shell): 30 s here, before the proxy's and the browser's ``core.middleware.PUBLIC_MAX_AGE``.
PAGE_SECONDS = 30


def whole_page(request, version: str | None, render) -> HttpResponse:
    """``render()``'s answer, kept whole in the shared cache by ``version`` (a key that changes whenever what the
    page shows does, such as ``agenda.selectors.found_key``) and the address asked, for an anonymous visitor: the
    next one gets the same bytes without the template engine, which was half of the agenda's time once its
    fragments were cached (granian alone, ``make bench-http``). Only what is the same for everyone is kept and
    served: a GET or HEAD without a session nor a message waiting (their cookies), answered 200 with no cookie set,
    no ``Vary: Cookie`` and nothing private. ``PublicCacheMiddleware`` and ``ConditionalGetMiddleware`` then add
    the caching headers and the ETag, as for a page rendered. ``version`` None (an invalid filter): rendered."""
    if version is None or not _anonymous_read(request):
        return render()
    key = "page:" + digest(version, request.get_full_path(), request.scheme, request.get_host())
    kept = cache.get(key)
    if kept is not None:
        status, headers, content = kept
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
    response = render()
    if _same_for_everyone(request, response):
        cache.set(key, (response.status_code, list(response.items()), response.content), PAGE_SECONDS)
    return response


def _anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not with_a_key(request)
    )


def _same_for_everyone(request, response) -> bool:
    """The answer as every anonymous visitor gets it (``core.middleware.shared_answer``, the rule of the caching
    headers), with what the middlewares outside the view would add for this visitor alone seen on the request: a
    session read (hence ``Vary: Cookie``), a CSRF token (hence its cookie), a message queued or shown."""
    session = getattr(request, "session", None)
    return (
        not getattr(session, "accessed", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _messages_shown(request)
        and response.status_code == 200
        and not response.streaming
        and shared_answer(response)
    )


def _messages_shown(request) -> bool:
    """A message added during the request, or one shown by the page (iterating the messages moves those queued
    out of the queue: ``added_new`` and ``used`` stay)."""
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (storage.added_new or storage.used))
