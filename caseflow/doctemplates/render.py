"""Rendering .docx templates safely.

Always a fresh ``ImmutableSandboxedEnvironment`` with autoescape and ``StrictUndefined``:
templates cannot reach Python internals (an attempt raises :class:`TemplateError`), ``&``
and ``<`` in Swedish text survive, and a typo in a template fails loudly instead of
printing nothing. The context must be plain data; values are never evaluated as
templates, so ``{{ 7*7 }}`` typed by an official prints as written.

The sandbox is also bounded (:mod:`.guard`): no ``include``, ``import``, ``extends`` or
macros, a small ``range``, no text larger than a limit, a deadline, and a bounded output
(:mod:`.limits` has the numbers).
"""

from __future__ import annotations

import io
from datetime import date, datetime

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from caseflow.doctemplates.guard import GuardedSandbox
from caseflow.doctemplates.limits import LimitExceeded, Limits

PLAIN_TYPES = (str, int, float, bool, date, type(None))


#: Why a template cannot be rendered, in words an admin understands.
MESSAGES = {
    "security": _l("The template tries to do something not allowed: %(error)s"),
    "undefined": _l("The template uses an unknown variable: %(error)s"),
    "syntax": _l("The template has a syntax error (line %(line)s): %(error)s"),
    "forbidden_tag": _l(
        "The template uses {%% %(tag)s %%}, which templates may not: everything must be in "
        "the document itself (no include, import, extends or macro)."
    ),
    "range": _l("The template loops over more than %(limit)s items with range()."),
    "text": _l("The template makes a text longer than %(limit)s characters."),
    "number": _l("The template computes a number too large to print."),
    "output": _l("The finished document would be larger than %(limit)s MB."),
    "too_slow": _l("Filling in the template took longer than %(limit)s seconds: it was stopped."),
    "too_large": _l("Filling in the template needed more memory than allowed: it was stopped."),
    "files": _l("The Word file holds more than %(limit)s parts: it is not an ordinary template."),
    "unpacked": _l("The Word file would unpack to more than %(limit)s MB."),
    "ratio": _l(
        "The Word file unpacks to more than %(limit)s times its size: it is not an ordinary "
        "document (a zip bomb?)."
    ),
    "paragraphs": _l("The template has %(count)s paragraphs; at most %(limit)s are allowed."),
    "failed": _l("The template could not be filled in with the sample case."),
}


class TemplateError(Exception):
    """The template cannot be rendered; the message says why, in words an admin understands.

    ``kind`` is a key of :data:`MESSAGES` and ``params`` its values, so that the reason
    crosses a process boundary (:mod:`.isolated`) and is worded in the reader's language.
    """

    def __init__(self, kind: str, **params):
        super().__init__(kind)
        self.kind, self.params = kind, params

    def __str__(self) -> str:
        return str(MESSAGES[self.kind]) % self.params


def _swedish_date(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return "" if value is None else str(value)


def sandbox(limits: Limits | None = None) -> ImmutableSandboxedEnvironment:
    """A fresh sandboxed environment for one render, its clock started."""
    env = GuardedSandbox(limits or Limits.current(), autoescape=True, undefined=StrictUndefined)
    env.filters["datum"] = _swedish_date
    return env


def check_plain(value, path: str = "context") -> None:
    """Refuse anything but plain data: no ORM objects, no callables reach a template."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be text")
            check_plain(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_plain(item, f"{path}[{i}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"{path}: {type(value).__name__} is not plain data")


def normalise_text(value):
    """CRLF and lone CR become LF everywhere in the context."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {k: normalise_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_text(v) for v in value]
    return value


#: How tall an image placed by caseflow (the organisation's logo) is printed.
IMAGE_HEIGHT = Mm(14)


def render_docx(
    template_bytes: bytes,
    context: dict,
    images: dict | None = None,
    *,
    limits: Limits | None = None,
) -> bytes:
    """Render a .docx template with plain data and return the new document's bytes.

    ``images`` (name → PNG or JPEG bytes) are placed where the template names them; they
    are the only non-plain values, made here from bytes caseflow checked itself.
    """
    limits = limits or Limits.current()
    check_plain(context)
    context = normalise_text(context)
    template = DocxTemplate(io.BytesIO(template_bytes))
    for name, data in (images or {}).items():
        if data:
            context[name] = InlineImage(template, io.BytesIO(data), height=IMAGE_HEIGHT)
    try:
        template.render(context, jinja_env=sandbox(limits), autoescape=True)
    except SecurityError as exc:
        raise TemplateError("security", error=exc) from exc
    except UndefinedError as exc:
        raise TemplateError("undefined", error=exc.message) from exc
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
    except LimitExceeded as exc:
        raise TemplateError(exc.kind, **exc.params) from exc
    except (MemoryError, RecursionError) as exc:
        raise TemplateError("too_large") from exc
    out = io.BytesIO()
    template.save(out)
    if out.tell() > limits.max_output_bytes:
        raise TemplateError("output", limit=limits.max_output_bytes // (1024 * 1024))
    return out.getvalue()


def _syntax_error(exc: TemplateSyntaxError) -> TemplateError:
    return TemplateError("syntax", line=exc.lineno, error=exc.message)


def template_variables(template_bytes: bytes) -> set[str]:
    """The top-level variables a template uses (refused: the tags templates may not use)."""
    template = DocxTemplate(io.BytesIO(template_bytes))
    try:
        return set(template.get_undeclared_template_variables(sandbox()))
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
    except LimitExceeded as exc:
        raise TemplateError(exc.kind, **exc.params) from exc
