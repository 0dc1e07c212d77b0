"""Who may do what with accounts and the audit log (docs/architecture.md: every permission decision in a rules.py)."""


def can_read_audit_log(user) -> bool:
    return user.is_authenticated and user.is_national_coordinator
