"""Every message in tests/mail/corpus is read as tests/mail/corpus/expected.json says.

The corpus is written for these tests (Swedish and English mail in the shapes real
clients produce: Outlook, Thunderbird, Gmail, Apple Mail, Exchange reports). Each entry
names only what matters for that message; ``flags`` is compared as a whole.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseflow.mail.canonical import canonical_sha256
from caseflow.mail.parsing import ParsedMessage, parse_message

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
RECEIVED_AT = datetime(2021, 3, 19, 9, 30, tzinfo=UTC)

SCALARS = {
    "kind", "subject", "from_address", "from_name", "to", "cc", "message_id",
    "message_id_derived", "in_reply_to", "references", "is_reply", "bounce_of",
    "case_numbers_in_subject", "case_numbers_in_body", "text",
}  # fmt: skip
ATTACHMENT_FIELDS = {
    "attachment_types": "content_type",
    "attachment_sizes": "size",
    "attachment_inline": "is_inline",
    "attachment_content_ids": "content_id",
    "attachment_extracted_from": "extracted_from",
}
CHECKS = {"about", "date", "forward", "attachments", "attachment_contains", "flags"}
CHECKS |= SCALARS | set(ATTACHMENT_FIELDS)
CHECKS |= {"text_contains", "text_excludes", "html_contains", "html_safe_contains"}
CHECKS |= {"html_safe_excludes"}


def test_corpus_is_complete():
    on_disk = {path.name for path in CORPUS.glob("*.eml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_message_reads_as_expected(name: str):
    raw = (CORPUS / name).read_bytes()
    expected = EXPECTED[name]
    assert set(expected) <= CHECKS, f"unknown checks: {set(expected) - CHECKS}"

    parsed = parse_message(raw, received_at=RECEIVED_AT)

    assert_invariants(parsed, raw)
    for key in SCALARS & set(expected):
        assert getattr(parsed, key) == expected[key], key
    if "date" in expected:
        want = RECEIVED_AT if expected["date"] == "RECEIVED_AT" else iso(expected["date"])
        assert parsed.date == want
    if "forward" in expected:
        assert_forward(parsed, expected["forward"])
    if "attachments" in expected:
        assert [a.filename for a in parsed.attachments] == expected["attachments"]
    for key, attribute in ATTACHMENT_FIELDS.items():
        if key in expected:
            assert [getattr(a, attribute) for a in parsed.attachments] == expected[key], key
    for filename, snippet in expected.get("attachment_contains", {}).items():
        (attachment,) = [a for a in parsed.attachments if a.filename == filename]
        assert snippet in attachment.content.decode("utf-8")
    if "flags" in expected:
        assert sorted(parsed.flags) == sorted(expected["flags"])
    for snippet in expected.get("text_contains", []):
        assert snippet in parsed.text
    # What must be left out has to be in the message to begin with, or the check is empty.
    raw_text = raw.decode("utf-8", "replace").lower()
    for snippet in expected.get("text_excludes", []) + expected.get("html_safe_excludes", []):
        assert snippet.lower() in raw_text, f"{snippet!r} is not in {name} at all"
    for snippet in expected.get("text_excludes", []):
        assert snippet not in parsed.text
    for snippet in expected.get("html_contains", []):
        assert snippet in (parsed.html or "")
    for snippet in expected.get("html_safe_contains", []):
        assert snippet in (parsed.html_safe or "")
    for snippet in expected.get("html_safe_excludes", []):
        assert snippet.lower() not in (parsed.html_safe or "").lower()


def assert_invariants(parsed: ParsedMessage, raw: bytes) -> None:
    assert re.fullmatch(r"<[^<>\s]+>", parsed.message_id)
    assert parsed.raw_sha256 == hashlib.sha256(raw).hexdigest()
    if parsed.message_id_derived:
        # Derived from the canonical form: the same mail from an mbox gets the same id.
        assert parsed.message_id == f"<{canonical_sha256(raw)}@caseflow.invalid>"
    assert parsed.date.tzinfo is not None
    assert parsed.kind in ("normal", "autoreply", "bounce", "delay", "receipt")
    # Only notices about mail we sent (bounces, delays, receipts) name the mail they concern.
    assert parsed.kind in ("bounce", "delay", "receipt") or parsed.bounce_of is None
    assert not (parsed.is_reply and parsed.forward is not None)
    names = [a.filename for a in parsed.attachments]
    assert len(names) == len(set(names))
    for attachment in parsed.attachments:
        assert attachment.size == len(attachment.content)
        assert attachment.sha256 == hashlib.sha256(attachment.content).hexdigest()
        assert "/" not in attachment.filename and "\\" not in attachment.filename


def assert_forward(parsed: ParsedMessage, expected: dict | None) -> None:
    if expected is None:
        assert parsed.forward is None
        return
    assert parsed.forward is not None
    for key, value in expected.items():
        actual = getattr(parsed.forward, key)
        if key == "original_date" and value is not None:
            assert actual == iso(value)
            assert actual.utcoffset() == iso(value).utcoffset()
        else:
            assert actual == value, key


def iso(value: str) -> datetime:
    return datetime.fromisoformat(value)
