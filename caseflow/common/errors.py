"""Errors a service raises for a person to read; views flash them, the CLI prints them."""


class CaseflowError(Exception):
    """A rule was broken; the message says which, in words a registrar understands."""


class ValidationError(CaseflowError):
    """Input that cannot be registered as given."""


class NotFound(CaseflowError):
    """A case, document or user that does not exist."""


class ConflictError(CaseflowError):
    """Someone else saved the same record first; nothing was overwritten."""


class PermissionDenied(CaseflowError):
    """The user's role or relation to the case does not allow this."""
