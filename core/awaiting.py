"""What awaits a person on their space (`/espace/`): each domain says what is waiting for this user, the space lists it.

Each domain app provides ``awaiting_for_user(user) -> list[Awaiting]`` in its ``selectors.py`` (scoped like the
rest of its reads, a fixed number of queries whatever the counts) and is named in ``SOURCES``. ``core`` imports
them by name, so it still depends on no domain app.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

# In the order the space shows them.
SOURCES: list[str] = [
    "ambassadors.selectors.awaiting_for_user",
    "recruitment.selectors.awaiting_for_user",
    "agenda.selectors.awaiting_for_user",
    "contact.selectors.awaiting_for_user",
]


@dataclass(frozen=True)
class Awaiting:
    """One line of « Ce qui vous attend »: how many things of one kind wait for this person, and where they are."""

    label: str  # « Événements à modérer »
    count: int
    url: str  # the list that holds them, filtered if it can be
    empty: str  # what to do next when there is nothing (« Aucun événement à modérer. »)
    urgent: bool = False  # past a promised time: shown first, marked


def awaiting_for(user) -> list[Awaiting]:
    items = [item for path in SOURCES for item in import_string(path)(user)]
    return sorted(items, key=lambda item: not item.urgent)
