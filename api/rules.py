"""Who may do what with the partners' API keys (docs/architecture.md: every permission decision in a rules.py)."""


def can_manage_keys(user) -> bool:
    """Only the national coordination issues, lists and revokes the partners' keys."""
    return bool(getattr(user, "is_authenticated", False) and user.is_national_coordinator)
