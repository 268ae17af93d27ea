"""Why a file has no text: the reason codes stored in ``FileText.reason``, and their words.

The row keeps the code; the words are chosen when shown, in the reader's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from caseflow.search.models import TextStatus

STATUS_LABELS = {
    TextStatus.PENDING: _l("Waiting to be read"),
    TextStatus.DONE: _l("Text read"),
    TextStatus.NO_TEXT: _l("No text"),
    TextStatus.UNSUPPORTED: _l("File type not read"),
    TextStatus.TOO_LARGE: _l("Too large"),
    TextStatus.FAILED: _l("Could not be read"),
}

REASON_LABELS = {
    "image": _l("An image: its text is not read (no OCR)."),
    "no_text_layer": _l("The file has no text layer (a scan?): its text is not read (no OCR)."),
    "unknown_type": _l("caseflow does not read the text of this file type."),
    "msg_reader_missing": _l("Outlook .msg files are read only with the extract-msg package."),
    "file_too_large": _l("The file is larger than the limit for reading its text."),
    "unpacks_too_large": _l("The file unpacks to far more than its size (a zip bomb?)."),
    "encrypted": _l("The file is protected by a password."),
    "broken_pdf": _l("The PDF is damaged or not a PDF."),
    "broken_docx": _l("The Word file is damaged or not a .docx."),
    "broken_outlook": _l("The Outlook file is damaged."),
    "timeout": _l("Reading the file took longer than the time limit."),
    "crashed": _l("The reader stopped while reading this file."),
    "out_of_memory": _l("Reading the file needed more memory than allowed."),
    "file_missing": _l("The file is missing from the file store."),
    "internal_error": _l("An unexpected error occurred while reading the file."),
    "truncated": _l("The text was cut at the limit for a file's text."),
}


def reason_label(code: str | None) -> str | None:
    """The reason in the reader's language (an unknown code: a general sentence)."""
    if not code:
        return None
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else str(_l("The file could not be read."))


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status
