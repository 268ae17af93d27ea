"""The sandbox templates are rendered in, with limits on what a template can make it do.

Jinja's sandbox keeps a template away from Python's internals; it does not stop a
template from working for minutes or filling the memory. This one also

- refuses ``include``, ``import``, ``extends``, ``macro`` and ``call`` when a template is
  parsed (a template is one document; there is nothing for it to load);
- gives ``range`` a small ceiling and removes ``lipsum``;
- refuses a text larger than ``max_text`` before it is made, where the size can be
  known beforehand (``*``, ``%`` and ``format`` widths, ``center``, ``replace`` …),
  and after, for any call or filter;
- checks a deadline on every call, attribute, filter and output piece — in CPU time of
  the rendering thread: a template cannot sleep or wait, so every second it holds is CPU,
  and a busy machine must not stop a legitimate render that waited for a core. Time the
  garbage collector spends in that thread is left out: a collection walks the whole
  process's heap (in a long test run, every earlier test's), not what the template made;
- stops collecting output past ``max_output_bytes``.

Compiled code is cached by source (docxtpl compiles every part on every render, a third
of its time); the checks above run when a source is first compiled or at render time,
so the cache skips none of them.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import re
import threading
import time
from collections import OrderedDict
from types import CodeType

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

from caseflow.doctemplates.limits import LimitExceeded, Limits

FORBIDDEN_TAGS = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
}
#: Widths and counts a filter or string method may be given (padding, indenting).
MAX_WIDTH = 1000
#: A width or precision in a %-format or a format spec: any number of 5 digits or more.
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{5,})|%[-+ #0]*\d*\.(\*|\d{5,})|\{[^{}]*:[^{}]*\d{5,}")
_WIDTH_FILTERS = {"center", "indent", "batch", "slice"}
_SIZE_ARGUMENT_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}

_compiled: OrderedDict[str, CodeType] = OrderedDict()
_COMPILED_MAX = 256


def _content_size(value) -> int:
    """About how many characters ``value`` prints as (texts counted, other items as one)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(len(item) if isinstance(item, str) else 1 for item in value)
    return 0


def _joined_size(separator, items) -> int:
    if not isinstance(items, list | tuple | range):
        return 0
    return _content_size(list(items) if isinstance(items, range) else items) + len(
        separator if isinstance(separator, str) else ""
    ) * len(items)


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that the joined text is measured (``environment.sized``)."""

    def visit_Concat(self, node, frame):
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


def _replaced_size(text, old, new, count=-1) -> int:
    if not isinstance(text, str) or not isinstance(new, str) or not isinstance(old, str):
        return 0
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, len(new) - len(old))


_collecting = threading.local()


def _count_collections(phase: str, _info: dict) -> None:
    """The garbage collector's CPU time, per thread (a collection runs in the thread whose
    allocation set it off)."""
    if phase == "start":
        _collecting.started = time.thread_time()
    elif getattr(_collecting, "started", None) is not None:
        spent = time.thread_time() - _collecting.started
        _collecting.total = getattr(_collecting, "total", 0.0) + spent
        _collecting.started = None


if _count_collections not in gc.callbacks:
    gc.callbacks.append(_count_collections)


def render_cpu_seconds() -> float:
    """This thread's CPU time without what the garbage collector took of it."""
    return time.thread_time() - getattr(_collecting, "total", 0.0)


class GuardedSandbox(ImmutableSandboxedEnvironment):
    """A fresh, bounded sandbox for one render (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _GuardedCodeGenerator

    def __init__(self, limits: Limits, **options):
        super().__init__(**options)
        self.limits = limits
        self.deadline = render_cpu_seconds() + limits.render_seconds
        self.globals.pop("lipsum", None)
        self.globals["range"] = self._range
        self.filters = {name: self._guard_filter(name, f) for name, f in self.filters.items()}

    # -- parsing ---------------------------------------------------------------------------

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(tuple(FORBIDDEN_TAGS)):
            raise LimitExceeded("forbidden_tag", tag=FORBIDDEN_TAGS[type(node)])
        return tree

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

    # -- time and size ---------------------------------------------------------------------

    def tick(self) -> None:
        if render_cpu_seconds() > self.deadline:
            raise LimitExceeded("too_slow", limit=f"{self.limits.render_seconds:g}")

    def sized(self, value):
        """``value``, when it is no larger than a template may make."""
        if _content_size(value) > self.limits.max_text:
            raise LimitExceeded("text", limit=self.limits.max_text)
        return value

    def _refuse_text_over(self, size: int) -> None:
        if size > self.limits.max_text:
            raise LimitExceeded("text", limit=self.limits.max_text)

    def _refuse_wide_format(self, text) -> None:
        if isinstance(text, str) and _WIDE_FORMAT.search(text):
            raise LimitExceeded("text", limit=self.limits.max_text)

    def _range(self, *args):
        self.tick()
        numbers = range(*args)
        if len(numbers) > self.limits.max_range:
            raise LimitExceeded("range", limit=self.limits.max_range)
        return numbers

    def _guard_filter(self, name, function):
        @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
        def guarded(*args, **kwargs):
            self.tick()
            if name in _WIDTH_FILTERS:
                self._refuse_large_numbers(args[1:], kwargs)
            if name == "format" and args:
                self._refuse_wide_format(args[0])
            if name == "replace":
                texts = [a for a in args if isinstance(a, str)]
                if len(texts) >= 3:
                    self._refuse_text_over(_replaced_size(*texts[:3]))
            if name == "join":
                items = next((a for a in args if isinstance(a, list | tuple | range)), None)
                separator = kwargs.get("d", next((a for a in args if isinstance(a, str)), ""))
                self._refuse_text_over(_joined_size(separator, items))
            return self.sized(function(*args, **kwargs))

        return guarded

    @staticmethod
    def _refuse_large_numbers(args, kwargs) -> None:
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
                raise LimitExceeded("text", limit=MAX_WIDTH)

    # -- the sandbox's hooks ---------------------------------------------------------------

    def call(self, context, obj, /, *args, **kwargs):
        self.tick()
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str):
            method = getattr(obj, "__name__", "")
            if method in _SIZE_ARGUMENT_METHODS:
                self._refuse_large_numbers(args, kwargs)
            elif method == "replace":
                self._refuse_text_over(_replaced_size(owner, *args))
            elif method == "join" and args:
                self._refuse_text_over(_joined_size(owner, args[0]))
            elif method in ("format", "format_map"):
                self._refuse_wide_format(owner)
        return self.sized(super().call(context, obj, *args, **kwargs))

    def getattr(self, obj, attribute):
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        self.tick()
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise LimitExceeded("number")
        if operator == "*":
            for text, times in ((left, right), (right, left)):
                if isinstance(times, int) and not isinstance(times, bool):
                    self._refuse_text_over(_content_size(text) * times)
        if operator == "%":
            self._refuse_wide_format(left)
        return self.sized(super().call_binop(context, operator, left, right))

    def concat(self, parts) -> str:
        """Collect the output, counting: refused past the output limit."""
        collected, size = [], 0
        for n, part in enumerate(parts):
            size += len(part)
            if size > self.limits.max_output_bytes:
                raise LimitExceeded("output", limit=self.limits.max_output_bytes // (1024 * 1024))
            if n % 1000 == 0:
                self.tick()
            collected.append(part)
        return "".join(collected)
