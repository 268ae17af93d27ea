"""The demo's mail: what the shared mailbox (FBL Platina RS) brought in, taken in by the
same intake as real mail, so the registrar's queue has something to decide on at once."""

from __future__ import annotations

import base64
from urllib.parse import quote

from sqlmodel import Session

from caseflow.documents.storage import FileStore
from caseflow.mail.intake import process
from caseflow.mail.models import MailMessage
from caseflow.mail.store import RawMail, store_raw

_HEAD = (
    "From: {sender}\nTo: FBL Platina RS <platina@regionjh.se>\nSubject: {subject}\n"
    "Date: {date}\nMessage-ID: <{mid}>\n{extra}MIME-Version: 1.0\n"
)
_TEXT = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n"

DEMO_MAIL = [
    dict(
        sender="Vinnova <registrator@vinnova.se>",
        subject="Beslut om finansiering – Test av coworking och hybridarbete",
        date="Mon, 22 Nov 2021 10:12:00 +0100",
        mid="beslut-2021-04711@vinnova.se",
        body=(
            "Hej!\n\nVinnova har beslutat att bevilja projektet Test av coworking och "
            "hybridarbete inom Samverket i Östersund (ert diarienummer RS/720/2021) "
            "75 % av de stödberättigande kostnaderna.\n\nBeslutet bifogas.\n\nVinnova"
        ),
        attachment=("Beslut 2021-04711 åäö.pdf", b"%PDF-1.4\n% Vinnova beslut\n%%EOF\n"),
    ),
    dict(
        sender="Emma Borg <emma.borg@regionjh.se>",
        subject="VB: Inbjudan till dialogmöte om Myndighetsnätverket",
        date="Tue, 23 Nov 2021 08:05:00 +0100",
        mid="vb-dialogmote@regionjh.se",
        body=(
            "Till diariet.\n\n"
            "Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>\n"
            "Skickat: den 22 november 2021 16:40\n"
            "Till: Anders Byström <anders.bystrom@regionjh.se>\n"
            "Ämne: Inbjudan till dialogmöte om Myndighetsnätverket\n\n"
            "Hej Anders!\n\nVälkomna till ett dialogmöte om nätverkets fortsättning "
            "den 8 december.\n\nVarma hälsningar!\nSusanna Löfgren"
        ),
    ),
    dict(
        sender="Samverket Östersund <info@samverket.se>",
        subject="SV: RS/720/2021 Frågor om hyresavtalet",
        date="Wed, 24 Nov 2021 13:30:00 +0100",
        mid="sv-hyresavtal@samverket.se",
        body="Hej Erik!\n\nHyresavtalet för projektlokalen kan tecknas från januari.\n\nSamverket",
    ),
    dict(
        sender="Hans Svensson <hans.svensson@regionjh.se>",
        subject="Frånvaro: Kallelse till Regionstyrelsen",
        date="Wed, 24 Nov 2021 14:00:00 +0100",
        mid="oof-hs@regionjh.se",
        extra="Auto-Submitted: auto-replied\n",
        body="Jag är på semester till och med 29 november.",
    ),
]


def _raw(item: dict) -> bytes:
    head = _HEAD.format(
        extra=item.get("extra", ""), **{k: item[k] for k in ("sender", "subject", "date", "mid")}
    )
    if "attachment" not in item:
        return (head + _TEXT.format(body=item["body"])).encode()
    name, content = item["attachment"]
    encoded = base64.b64encode(content).decode()
    filename = quote(name)  # RFC 2231: utf-8''percent-encoded
    return (
        head
        + 'Content-Type: multipart/mixed; boundary="demo"\n\n--demo\n'
        + _TEXT.format(body=item["body"])
        + "--demo\nContent-Type: application/pdf\n"
        + f"Content-Disposition: attachment; filename*=utf-8''{filename}\n"
        + f"Content-Transfer-Encoding: base64\n\n{encoded}\n--demo--\n"
    ).encode()


def load_demo_mail(session: Session, store: FileStore) -> dict[str, int]:
    """Take the demo's mail in; returns how many ended up with which status."""
    counts: dict[str, int] = {}
    for item in DEMO_MAIL:
        key = f"demo:{item['mid']}"
        stored = store_raw(session, store, RawMail(_raw(item), source="demo", source_key=key))
        row = session.get(MailMessage, stored.id)
        process(session, store, row)
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts
