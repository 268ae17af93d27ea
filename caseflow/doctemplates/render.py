"""Rendering .docx templates safely.

Always a fresh ``ImmutableSandboxedEnvironment`` with autoescape and ``StrictUndefined``:
templates cannot reach Python internals (an attempt raises :class:`TemplateError`), ``&``
and ``<`` in Swedish text survive, and a typo in a template fails loudly instead of
printing nothing. The context must be plain data; values are never evaluated as
templates, so ``{{ 7*7 }}`` typed by an official prints as written.
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from datetime import date, datetime
from types import CodeType

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

PLAIN_TYPES = (str, int, float, bool, date, type(None))


class TemplateError(Exception):
    """The template cannot be rendered; the message says why, in words an admin understands."""


def _swedish_date(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return "" if value is None else str(value)


#: Compiled template code by source, shared by the fresh environments (bounded).
_compiled: OrderedDict[str, CodeType] = OrderedDict()
_COMPILED_MAX = 256


class _Sandbox(ImmutableSandboxedEnvironment):
    """A sandbox that reuses the compiled code of a template part it has seen before.

    docxtpl compiles every XML part of the .docx on every render, which is about a third of
    its time. The code an environment compiles depends only on the source and on settings
    that never change here, so the code object is cached and bound to each new, fresh
    environment; the sandbox's checks run at render time and still apply.
    """

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        code = _compiled.get(key)
        if code is None:
            code = self.compile(source)
            _compiled[key] = code
            if len(_compiled) > _COMPILED_MAX:
                _compiled.popitem(last=False)
        else:
            _compiled.move_to_end(key)
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals))


def sandbox() -> ImmutableSandboxedEnvironment:
    """A fresh sandboxed environment for one render."""
    env = _Sandbox(autoescape=True, undefined=StrictUndefined)
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


def render_docx(template_bytes: bytes, context: dict, images: dict | None = None) -> bytes:
    """Render a .docx template with plain data and return the new document's bytes.

    ``images`` (name → PNG or JPEG bytes) are placed where the template names them; they
    are the only non-plain values, made here from bytes caseflow checked itself.
    """
    check_plain(context)
    context = normalise_text(context)
    template = DocxTemplate(io.BytesIO(template_bytes))
    for name, data in (images or {}).items():
        if data:
            context[name] = InlineImage(template, io.BytesIO(data), height=IMAGE_HEIGHT)
    try:
        template.render(context, jinja_env=sandbox(), autoescape=True)
    except SecurityError as exc:
        raise TemplateError(
            _l("The template tries to do something not allowed: %(error)s", error=exc)
        ) from exc
    except UndefinedError as exc:
        raise TemplateError(
            _l("The template uses an unknown variable: %(error)s", error=exc.message)
        ) from exc
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _syntax_error(exc: TemplateSyntaxError) -> TemplateError:
    return TemplateError(
        _l(
            "The template has a syntax error (line %(line)s): %(error)s",
            line=exc.lineno,
            error=exc.message,
        )
    )


def template_variables(template_bytes: bytes) -> set[str]:
    """The top-level variables a template uses."""
    template = DocxTemplate(io.BytesIO(template_bytes))
    try:
        return set(template.get_undeclared_template_variables(sandbox()))
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc) from exc
