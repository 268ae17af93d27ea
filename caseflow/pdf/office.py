"""Finding LibreOffice: the settings that name it and the soffice on this machine.

Used by the converter and by the warm server's manager, which imports nothing else of the
converter.
"""

from __future__ import annotations

import os
import shutil

from flask import current_app, has_app_context

from caseflow.pdf import errors
from caseflow.pdf.errors import MSG_NOT_INSTALLED, MSG_SOFFICE_MISSING


def _setting(config_keys: tuple[str, ...], env_names: tuple[str, ...]) -> str | None:
    """The app config (when there is an app context) first, then the environment."""
    if has_app_context():
        for key in config_keys:
            value = current_app.config.get(key)
            if value not in (None, ""):
                return str(value)
    for name in env_names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _configured_soffice() -> str | None:
    return _setting(("SOFFICE",), ("CASEFLOW_SOFFICE",))


def soffice_path() -> str | None:
    """The soffice executable to run, or None when LibreOffice is not installed."""
    configured = _configured_soffice()
    if configured:
        return shutil.which(configured)
    for name in errors.SOFFICE_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def uno_python() -> str:
    """The Python that can ``import uno`` (Debian's, with python3-uno)."""
    return _setting(("PDF_UNO_PYTHON",), ("CASEFLOW_PDF_UNO_PYTHON",)) or errors.DEFAULT_UNO_PYTHON


def missing_message():
    """Why no PDF can be made with the LibreOffice settings as they are."""
    return MSG_SOFFICE_MISSING if _configured_soffice() else MSG_NOT_INSTALLED
