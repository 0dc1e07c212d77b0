"""Who may open a page or make a write is decided in the apps' rules.py (docs/architecture.md), never by a role
check in a view or a service: a view asks a rule, and a test here fails on a view or service that reads a role
itself to refuse someone (``if not request.user.is_coordinator: raise PermissionDenied``)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLE = r"\.is_(national_coordinator|regional_coordinator|coordinator|reviewer|ambassador)\b"
# A role read in a condition that refuses: ``if not ….is_<role>`` (with ``or``/``and``, on one line), followed by a
# refusal on the next line.
REFUSAL = re.compile(rf"^\s*if not[^\n]*{ROLE}[^\n]*:\n\s*raise (PermissionDenied|NotAllowed)", re.MULTILINE)


def _doors() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/views*.py", "*/services.py", "*/api.py")
        for path in ROOT.glob(pattern)
        if ".venv" not in path.parts
    )


def test_no_view_nor_service_refuses_by_reading_a_role_itself():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip().splitlines()[0]}"
        for path in _doors()
        for match in REFUSAL.finditer(path.read_text())
    ]
    assert found == []


def test_the_guard_sees_a_role_check():
    assert REFUSAL.search("    if not request.user.is_coordinator:\n        raise PermissionDenied\n")
    assert REFUSAL.search(
        "    if not (user.is_coordinator or user.is_reviewer):\n        raise NotAllowed('x')\n"
    )
    assert not REFUSAL.search(
        "    if not rules.can_see_inbox(request.user):\n        raise PermissionDenied\n"
    )
