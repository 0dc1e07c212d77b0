"""The two failures of an import: the whole input refused (``ImportFailed``), or one event skipped (``SkipEvent``)."""


class ImportFailed(Exception):
    """The whole input is refused (not a calendar, too big, unreachable); the message is for the user, in French."""


class SkipEvent(Exception):
    """One event is skipped; the message is the French reason."""
