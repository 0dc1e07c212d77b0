"""The errors of every domain's services, by what the person is told (docs/architecture.md). Forms, views, the API,
commands and tasks catch them by kind; none turns one into another by hand.

- ``DomainError``: a rule refused the action (a deadline passed, a state that does not allow it). Each domain
  has its own subclass (``AgendaError``, ``RecruitmentError``…); shown with the form, 400 or 409 in the API.
- ``Conflict``: someone else changed the object first; nothing was written; the page shows it as it is now (409).
- ``NotAllowed``: not this person's to do, though they may see the object (an object out of their scope is a 404
  instead). A ``PermissionDenied``: Django answers 403 with our page (``core.views.permission_denied``, which
  shows its reason), the API its JSON 403 (``api/api.py``)."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule refused the action; the message is for the person, in French. ``field`` names the field at fault, if
    one is (a form and the API put the message under it)."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class Conflict(DomainError):
    """Someone else changed the object meanwhile: nothing was written."""


class NotAllowed(PermissionDenied):
    """The action is not this person's (a 403 wherever it is raised)."""
