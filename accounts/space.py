"""What the domains add to the space's home (``/espace/``, ``accounts.views.dashboard``) besides « Ce qui vous
attend » (``core.awaiting``): counts shown on its tiles. The domains sit above accounts in the dependency order
(docs/architecture.md): accounts never imports them; each registers its counts in its ``AppConfig.ready()``."""

from collections.abc import Callable

_COUNTS: dict[str, Callable] = {}


def register_count(name: str, count: Callable) -> None:
    """``count(user) -> int``, shown as ``counts.<name>`` on the space's home."""
    _COUNTS[name] = count


def counts_for(user) -> dict[str, int]:
    return {name: count(user) for name, count in _COUNTS.items()}
