"""One shape for every workflow of the platform (an application under review, a company request, an event under
moderation): a table of named actions, each with the states it starts from, the state it leads to and who may take
it. Each domain writes its table in ``<app>/workflow.py`` and changes state in one service,
``<noun>_transition(*, <noun>, action, by, reason="", expected_version=None, **details)``, which checks the move
here (``Workflow.check``), writes the object (compare-and-set on its version), one row of its history table and the
audit log, and sends its emails on commit (docs/architecture.md).

The table knows actor kinds (« coordinator », « assignee »…), never users: the domain's rules say what kind a user
is for an object, and any further rule (a date, a reason, a field) stays in the domain's service.

    WORKFLOW = Workflow.of(
        Action("take", froms=frozenset({"new"}), to="taken", who=frozenset({ASSIGNEE}), label="Prise en charge"),
        Action("decline", froms=frozenset({"new", "taken"}), to=None, who=frozenset({ASSIGNEE})),  # stays
        also={COORDINATOR: frozenset({REVIEWER})},  # a coordinator may take a reviewer's moves too
    )
    WORKFLOW.check("take", request.state, actor, error=ContactError, impossible="…", not_yours="…")
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from core.errors import DomainError, NotAllowed


@dataclass(frozen=True)
class Action:
    """One move of a workflow. ``to`` None: the object stays in the state it is in (a move that changes something
    else, e.g. who a request is with). ``who``: the actor kinds who may take it (empty: nobody asks for it, the
    platform makes it itself). ``label``: what the history and the pages call it, in French."""

    name: str
    froms: frozenset[str]
    to: str | None
    who: frozenset[str]
    label: str = ""

    def target(self, state: str) -> str:
        """The state the object is in after the move, from ``state``."""
        return state if self.to is None else self.to


@dataclass(frozen=True)
class Workflow:
    """A table of actions by name. ``also`` maps an actor kind to the kinds whose moves it may take as well (the
    table then lists a move once, by its own actors)."""

    actions: Mapping[str, Action]
    also: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, *actions: Action, also: Mapping[str, Iterable[str]] | None = None) -> "Workflow":
        table = {}
        for action in actions:
            if action.name in table:
                raise ValueError(f"Two actions named {action.name!r}.")
            table[action.name] = action
        extra = {kind: frozenset(kinds) for kind, kinds in (also or {}).items()}
        return cls(actions=MappingProxyType(table), also=MappingProxyType(extra))

    def __contains__(self, action: object) -> bool:
        return action in self.actions

    def __getitem__(self, action: str) -> Action:
        return self.actions[action]

    def allowed(self, action: str, state: str) -> bool:
        """Whether the table holds ``action`` from ``state``, whoever asks."""
        return action in self.actions and state in self.actions[action].froms

    def holds(self, actor: str | None, action: str) -> bool:
        """Whether ``actor`` is one who may take ``action`` (in a state that allows it): one of its actors, or a
        kind that may also take their moves."""
        if action not in self.actions or actor is None:
            return False
        who = self.actions[action].who
        return actor in who or bool(self.also.get(actor, frozenset()) & who)

    def may(self, actor: str | None, action: str, state: str) -> bool:
        """Whether ``actor`` may take ``action`` from ``state``."""
        return self.allowed(action, state) and self.holds(actor, action)

    def actions_from(self, state: str, actor: str | None = None) -> list[str]:
        """The actions the table holds from ``state`` (in the table's order); with ``actor``, those it may take."""
        return [
            name
            for name, action in self.actions.items()
            if state in action.froms and (actor is None or self.holds(actor, name))
        ]

    def target(self, action: str, state: str) -> str:
        """The state ``action`` leads to from ``state`` (``KeyError`` for an action not in the table)."""
        return self.actions[action].target(state)

    def pairs(self) -> dict[tuple[str, str], frozenset[str]]:
        """The moves as (from, to) → who (the union over the actions making that move): the table seen by state,
        for the documentation and the tests."""
        moves: dict[tuple[str, str], frozenset[str]] = {}
        for action in self.actions.values():
            for state in action.froms:
                key = (state, action.target(state))
                moves[key] = moves.get(key, frozenset()) | action.who
        return moves

    def check(
        self,
        action: str,
        state: str,
        actor: str | None,
        *,
        error: type[DomainError] = DomainError,
        impossible: str = "Cette action n’est pas possible dans l’état actuel.",
        not_yours: str = "Cette action ne vous revient pas.",
        unknown: str = "Action inconnue.",
    ) -> Action:
        """The action, if ``actor`` may take it from ``state``. Else raises, with the domain's French messages:
        ``error(unknown)`` for an action not in the table, ``error(impossible)`` when ``state`` does not allow it
        (whoever asks), ``NotAllowed(not_yours)`` (a 403) when it is not ``actor``'s move."""
        if action not in self.actions:
            raise error(unknown)
        if not self.allowed(action, state):
            raise error(impossible)
        if not self.holds(actor, action):
            raise NotAllowed(not_yours)
        return self.actions[action]
