"""What a signed-in person's back office covers, decided once from their account: every ``*_for_user`` selector
and the steering page narrow their querysets through ``Scope.narrow`` (docs/architecture.md).

- National coordination: everything.
- Regional coordination: their region.
- Reviewer of a partner network: what their network proposed, within their region if they have one.
- Ambassador: their own things (their profile, the requests given to them, the events they proposed…).
- Anyone else (not signed in, no role): nothing.

Each domain says how its rows meet each part of a scope (which column holds the region, the network, the owner);
a scope that has a part the domain does not offer sees none of its rows: a reviewer has no company requests, an
ambassador no applications. A person is in one scope only (one role per account)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

# How a domain's rows meet a part of the scope: a field name (compared with the value: a region code, a network id,
# a user id), or a function of the value giving the condition.
Match = str | Callable[[object], Q] | None


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_code: str | None = None  # territories.Region's code
    network_id: int | None = None  # ambassadors.PartnerNetwork's id
    owner_id: int | None = None  # the ambassador's own account (accounts.User's id)

    @property
    def is_empty(self) -> bool:
        return (
            not self.everything
            and self.region_code is None
            and self.network_id is None
            and self.owner_id is None
        )

    def condition(self, *, region: Match = None, network: Match = None, owner: Match = None) -> Q | None:
        """The rows of this scope as a condition (None: no row), given how the domain's rows meet a region, a
        network and an owner."""
        if self.everything:
            return Q()
        if self.is_empty:
            return None
        parts = []
        for value, match in ((self.network_id, network), (self.region_code, region), (self.owner_id, owner)):
            if value is None:
                continue
            if match is None:
                return None  # the domain has nothing for this part of the scope
            parts.append(Q(**{match: value}) if isinstance(match, str) else match(value))
        found = Q()
        for part in parts:
            found &= part
        return found

    def narrow(
        self, qs: QuerySet, *, region: Match = None, network: Match = None, owner: Match = None
    ) -> QuerySet:
        """``qs`` limited to this scope (``condition``)."""
        condition = self.condition(region=region, network=network, owner=owner)
        return qs.none() if condition is None else qs.filter(condition)


NOTHING = Scope()


def scope_for(user) -> Scope:
    """The scope of ``user``'s back office, from their role, region and network (the account's own columns: no
    query)."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_national_coordinator:
        scope = Scope(everything=True)
    elif user.is_regional_coordinator:
        scope = Scope(region_code=user.region_id) if user.region_id else NOTHING
    elif user.is_reviewer:
        scope = Scope(region_code=user.region_id, network_id=user.partner_network_id)
        if scope.network_id is None:
            scope = NOTHING
    elif user.is_ambassador:
        scope = Scope(owner_id=user.pk)
    else:
        scope = NOTHING
    return scope
