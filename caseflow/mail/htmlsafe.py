"""HTML in mail: readable text out of it, and a sanitised copy that is safe to show.

``html_to_text`` is a hand-written forward-only scanner (linear time): Python 3.11's
``html.parser`` takes minutes on some malformed input such as ``"<a " * 70000``.
``sanitise_html`` uses nh3 (ammonia): no script/style, no event handlers, no
javascript:/data: links, and no remote images (an image keeps its ``src`` only when it
is a ``cid:`` link to a part of the same message).
"""

from __future__ import annotations

import re
from html import unescape

import nh3

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "tr", "ul", "title",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_SKIP_CONTENT_TAGS = {"script", "style", "head", "noscript", "template", "xml"}
_VOID_OR_AUTOCLOSE = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
}  # fmt: skip
_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)")
_SOURCE_BREAK = re.compile(r"[\r\n]+")


def html_to_text(html: str) -> str:
    """Readable text from HTML: block elements become line breaks, scripts vanish."""
    out: list[str] = []
    pos, length = 0, len(html)
    in_pre = 0  # line breaks in the source mean something only inside <pre>

    def text(chunk: str) -> str:
        return chunk if in_pre else _SOURCE_BREAK.sub(" ", chunk)

    while pos < length:
        lt = html.find("<", pos)
        if lt < 0:
            out.append(text(html[pos:]))
            break
        out.append(text(html[pos:lt]))
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            pos = length if end < 0 else end + 3
            continue
        tag = _TAG_START.match(html, lt)
        if tag is None:
            if html.startswith(("<!", "<?"), lt):
                end = html.find(">", lt)
                pos = length if end < 0 else end + 1
            else:
                out.append("<")
                pos = lt + 1
            continue
        end = html.find(">", tag.end())
        if end < 0:
            break
        closing, name = tag.group(1), tag.group(2).lower()
        pos = end + 1
        if not closing and name in _SKIP_CONTENT_TAGS and html[end - 1] != "/":
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, pos)
            pos = length if close is None else close.end()
        elif name in _BLOCK_TAGS:
            out.append("\n")
            if name == "pre":
                in_pre = max(0, in_pre + (-1 if closing else 1))
        elif name in _CELL_TAGS and closing:
            out.append(" ")
    text = unescape("".join(out)).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\u00a0\u200b]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_depth(html: str) -> int:
    """How deep the elements nest (void and self-closing-by-parser elements not counted)."""
    depth = deepest = 0
    for tag in _TAG_START.finditer(html):
        name = tag.group(2).lower()
        if name in _VOID_OR_AUTOCLOSE:
            continue
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


_SAFE_TAGS = set(nh3.ALLOWED_TAGS) | {"font", "center"}
_SAFE_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
_SAFE_ATTRIBUTES.setdefault("img", set()).update({"src", "alt", "width", "height", "title"})
_SAFE_ATTRIBUTES.setdefault("a", set()).update({"href", "title"})
_SAFE_ATTRIBUTES.setdefault("font", set()).update({"color", "face", "size"})
_SAFE_ATTRIBUTES.setdefault("td", set()).update({"valign", "width"})


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        # No remote images (they tell the sender the mail was read): only cid: parts.
        return value if value.strip().lower().startswith("cid:") else None
    if element == "a" and attribute == "href":
        # Only links that leave for somewhere named: a relative link would point into
        # caseflow itself, with the registrar's session.
        return value if re.match(r"(?i)\s*(?:https?:|mailto:|tel:)", value) else None
    return value


def sanitise_html(html: str) -> str:
    """HTML safe to show: no script/style, handlers, javascript:/data: links, remote images."""
    return nh3.clean(
        html,
        tags=_SAFE_TAGS,
        attributes=_SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel", "cid"},
        clean_content_tags={"script", "style", "title"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_keep_attribute,
    )
