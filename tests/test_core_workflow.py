"""The one shape of the workflows (``core.workflow``): a table of actions, who may take each, where it leads, and the
errors a refused move raises."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError, NotAllowed
from core.workflow import Action, Workflow

BOSS, CLERK, GUEST = "boss", "clerk", "guest"


class ShopError(DomainError):
    pass


def action(name, froms, to, who):
    return Action(name, frozenset(froms), to, frozenset(who), label=name.title())


FLOW = Workflow.of(
    action("check", {"new"}, "checked", {CLERK}),
    action("approve", {"checked"}, "approved", {BOSS}),
    action("note", {"new", "checked"}, None, {CLERK, GUEST}),
    action("sweep", {"new"}, "archived", set()),  # the platform's own move
    also={BOSS: {CLERK}},
)


def test_allowed_is_the_table_whoever_asks():
    assert FLOW.allowed("check", "new")
    assert not FLOW.allowed("check", "checked")
    assert not FLOW.allowed("approve", "new")
    assert not FLOW.allowed("fly", "new")
    assert "check" in FLOW
    assert "fly" not in FLOW


def test_may_needs_the_state_and_the_actor():
    assert FLOW.may(CLERK, "check", "new")
    assert not FLOW.may(CLERK, "check", "checked")
    assert not FLOW.may(GUEST, "check", "new")
    assert not FLOW.may(CLERK, "approve", "checked")
    assert FLOW.may(BOSS, "approve", "checked")
    assert not FLOW.may(None, "note", "new")


def test_also_lets_a_kind_take_another_kinds_moves_and_nothing_more():
    assert FLOW.may(BOSS, "check", "new")  # a clerk's move
    assert FLOW.may(BOSS, "note", "new")
    assert not FLOW.may(CLERK, "approve", "checked")  # not the other way round
    assert not FLOW.may(BOSS, "sweep", "new")  # nobody's
    assert FLOW.holds(BOSS, "check")
    assert not FLOW.holds(GUEST, "approve")


def test_actions_from_in_table_order_and_by_actor():
    assert FLOW.actions_from("new") == ["check", "note", "sweep"]
    assert FLOW.actions_from("new", GUEST) == ["note"]
    assert FLOW.actions_from("new", BOSS) == ["check", "note"]
    assert FLOW.actions_from("checked", CLERK) == ["note"]
    assert FLOW.actions_from("approved") == []


def test_target_is_the_state_it_leads_to_or_the_same_one():
    assert FLOW.target("check", "new") == "checked"
    assert FLOW.target("note", "checked") == "checked"
    assert FLOW["note"].target("new") == "new"
    assert FLOW["approve"].label == "Approve"
    with pytest.raises(KeyError):
        FLOW.target("fly", "new")


def test_pairs_is_the_table_by_state():
    assert FLOW.pairs() == {
        ("new", "checked"): {CLERK},
        ("checked", "approved"): {BOSS},
        ("new", "new"): {CLERK, GUEST},
        ("checked", "checked"): {CLERK, GUEST},
        ("new", "archived"): frozenset(),
    }


def test_check_returns_the_action_when_the_move_is_allowed():
    assert FLOW.check("check", "new", CLERK) is FLOW["check"]
    assert FLOW.check("check", "new", BOSS) is FLOW["check"]


def test_check_raises_the_domains_error_with_its_message_when_the_state_does_not_allow_it():
    with pytest.raises(ShopError, match=r"^Déjà vérifiée\.$") as exc:
        FLOW.check("check", "checked", CLERK, error=ShopError, impossible="Déjà vérifiée.")
    assert not isinstance(exc.value, PermissionDenied)
    # The state is judged first: whoever asks hears that it is not possible now.
    with pytest.raises(ShopError):
        FLOW.check("approve", "new", GUEST, error=ShopError)


def test_check_raises_not_allowed_with_the_domains_message_when_not_the_actors_move():
    with pytest.raises(NotAllowed, match=r"^Pas pour vous\.$") as exc:
        FLOW.check("approve", "checked", CLERK, error=ShopError, not_yours="Pas pour vous.")
    assert isinstance(exc.value, PermissionDenied)  # a 403 wherever it is raised
    with pytest.raises(NotAllowed):
        FLOW.check("note", "new", None)
    with pytest.raises(NotAllowed):
        FLOW.check("sweep", "new", BOSS)


def test_check_refuses_an_unknown_action_with_the_domains_error():
    with pytest.raises(ShopError, match=r"^Inconnue\.$"):
        FLOW.check("fly", "new", BOSS, error=ShopError, unknown="Inconnue.")
    with pytest.raises(DomainError, match="Action inconnue"):
        FLOW.check("fly", "new", BOSS)


def test_two_actions_of_one_name_are_refused():
    with pytest.raises(ValueError, match="check"):
        Workflow.of(action("check", {"new"}, "a", {CLERK}), action("check", {"a"}, "b", {CLERK}))


def test_the_table_cannot_be_changed_once_built():
    with pytest.raises(TypeError):
        FLOW.actions["fly"] = FLOW["check"]  # type: ignore[index]
