def login_username(request, credentials) -> str | None:
    """The email a login attempt was for, lower-cased, so that changing its case does not dodge the throttle
    (emails log in case-insensitively)."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None
