"""mail reasons and failures as codes and parameters, put in words when shown

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The Swedish sentences stored so far are matched against the sentences this code wrote
and become codes; text that matches none is kept as free text (code ``text``), shown as
it is. The patterns are copied here on purpose: a migration must not change with the
application's code.
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_CASE = r"(?P<case>\S+)"

#: (code, pattern) in the order they are tried; each must match the whole text.
OLD_REASONS = [
    (
        "own_mail_in_case",
        rf"Vårt eget utskick \(registrerat som utgående handling i {_CASE}\): "
        r"diarieförs inte igen\.",
    ),
    ("own_mail", r"Vårt eget utskick: diarieförs inte igen\."),
    ("autoreply", r"Automatiskt svar: sparas, men ingenting görs\."),
    ("bounce_in_case", rf"Studsat utskick i {_CASE}\."),
    ("bounce_unknown", r"Studsat meddelande; utskicket det gäller är okänt\."),
    ("several_numbers", r"Flera diarienummer i ämnesraden: (?P<numbers>.+)\."),
    ("unknown_number", r"Diarienumret (?P<number>\S+) finns inte\."),
    (
        "conflicting_signals",
        r"Motstridiga uppgifter: svar på utskick (?P<reply>\S+), "
        r"diarienummer i ämnesraden (?P<subject>\S+)\.",
    ),
    ("case_not_open", rf"{_CASE} är inte öppet\."),
    ("filed_reply", rf"Diarieförd i {_CASE} \(svar på utskick\)\."),
    ("filed_subject", rf"Diarieförd i {_CASE} \(diarienummer i ämnesraden\)\."),
    ("filed_by_registrar", rf"Diarieförd i {_CASE} av registrator\."),
    ("no_case_number", r"Inget diarienummer och inget svar på ett utskick\."),
    (
        "forwarded_no_case_number",
        r"Inget diarienummer och inget svar på ett utskick \(vidarebefordrat meddelande\)\.",
    ),
    (
        "oversized",
        r"Meddelandet är (?P<size>\d+(?:\.\d+)?) MB, större än gränsen (?P<limit>\d+) MB "
        r"för automatisk diarieföring: granska det i kön\.",
    ),
    (
        "message_id_collision_in_case",
        r"Ett meddelande med samma Message-ID men annat innehåll har redan kommit in "
        rf"\(det tidigare finns i {_CASE}\): kontrollera att det inte redan är diariefört\.",
    ),
    (
        "message_id_collision",
        r"Ett meddelande med samma Message-ID men annat innehåll har redan kommit in: "
        r"kontrollera att det inte redan är diariefört\.",
    ),
    ("same_bytes", r"Samma meddelande finns redan \(meddelande (?P<first>\d+)\)\."),
    ("registered_without_case", r"Registrerad utan ärende \(löpande post\)\."),
    ("requeued", r"Till kön: (?P<reason>.*)"),
    ("undone", r"Ångrat: (?P<reason>.*)"),
]
_OLD_INTERRUPTED = re.compile(r"Behandlingen avbröts (?P<attempts>\d+) gånger", re.S)


def _params(code: str, match: re.Match) -> dict:
    params = match.groupdict()
    if code == "several_numbers":
        params["numbers"] = params["numbers"].split(", ")
    elif code == "oversized":
        params = {"size": float(params["size"]), "limit": int(params["limit"])}
    elif code == "same_bytes":
        params["first"] = int(params["first"])
    return params


def reason_code(text: str | None, status: str) -> tuple[str | None, dict | None]:
    """The code and parameters of a reason stored as a sentence."""
    if text is None:
        return None, None
    for code, pattern in OLD_REASONS:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            return code, _params(code, match)
    if status == "rejected":  # the registrar's own words, stored as typed
        return "rejected", {"reason": text}
    return "text", {"text": text}


def failure_code(text: str | None) -> tuple[str | None, str | None]:
    """The code and technical detail of a failure stored as one text."""
    if text is None:
        return None, None
    match = _OLD_INTERRUPTED.match(text)
    if match:
        return "interrupted", f"{match['attempts']} attempts ended with the process dying"
    return "processing_failed", text


def upgrade() -> None:
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("reason_params", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("error_code", sa.String(length=40), nullable=True))

    mail = sa.table(
        "mail_message",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("reason", sa.Text),
        sa.column("reason_code", sa.String),
        sa.column("reason_params", sa.Text),
        sa.column("error", sa.Text),
        sa.column("error_code", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(mail.c.id, mail.c.status, mail.c.reason, mail.c.error).where(
            sa.or_(mail.c.reason.is_not(None), mail.c.error.is_not(None))
        )
    ).all()
    for row in rows:
        code, params = reason_code(row.reason, row.status)
        params_json = json.dumps(params, ensure_ascii=False) if params is not None else None
        error_code, detail = failure_code(row.error)
        conn.execute(
            mail.update()
            .where(mail.c.id == row.id)
            .values(
                reason_code=code,
                reason_params=params_json,
                error_code=error_code,
                error=detail,
            )
        )

    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.alter_column("error", new_column_name="error_detail")

    # The built-in template's note was stored in Swedish; the page names it instead.
    template = sa.table(
        "document_template",
        sa.column("note", sa.String),
        sa.column("is_builtin", sa.Boolean),
    )
    conn.execute(
        template.update()
        .where(template.c.is_builtin.is_(True), template.c.note == "Inbyggd mall")
        .values(note=None)
    )


#: For a downgrade: the sentences revision 0008's code wrote, by code.
OLD_SENTENCES = {
    "own_mail_in_case": "Vårt eget utskick (registrerat som utgående handling i %(case)s): "
    "diarieförs inte igen.",
    "own_mail": "Vårt eget utskick: diarieförs inte igen.",
    "autoreply": "Automatiskt svar: sparas, men ingenting görs.",
    "bounce_in_case": "Studsat utskick i %(case)s.",
    "bounce_unknown": "Studsat meddelande; utskicket det gäller är okänt.",
    "several_numbers": "Flera diarienummer i ämnesraden: %(numbers)s.",
    "unknown_number": "Diarienumret %(number)s finns inte.",
    "conflicting_signals": "Motstridiga uppgifter: svar på utskick %(reply)s, "
    "diarienummer i ämnesraden %(subject)s.",
    "case_not_open": "%(case)s är inte öppet.",
    "filed_reply": "Diarieförd i %(case)s (svar på utskick).",
    "filed_subject": "Diarieförd i %(case)s (diarienummer i ämnesraden).",
    "filed_by_registrar": "Diarieförd i %(case)s av registrator.",
    "no_case_number": "Inget diarienummer och inget svar på ett utskick.",
    "forwarded_no_case_number": "Inget diarienummer och inget svar på ett utskick "
    "(vidarebefordrat meddelande).",
    "oversized": "Meddelandet är %(size)s MB, större än gränsen %(limit)s MB för automatisk "
    "diarieföring: granska det i kön.",
    "message_id_collision_in_case": "Ett meddelande med samma Message-ID men annat innehåll "
    "har redan kommit in (det tidigare finns i %(case)s): kontrollera att det inte redan är "
    "diariefört.",
    "message_id_collision": "Ett meddelande med samma Message-ID men annat innehåll har "
    "redan kommit in: kontrollera att det inte redan är diariefört.",
    "same_bytes": "Samma meddelande finns redan (meddelande %(first)s).",
    "registered_without_case": "Registrerad utan ärende (löpande post).",
    "requeued": "Till kön: %(reason)s",
    "undone": "Ångrat: %(reason)s",
    "rejected": "%(reason)s",
    "text": "%(text)s",
}


def old_sentence(code: str | None, params: dict) -> str | None:
    """The sentence revision 0008 stored for ``code``; an unknown code as code and JSON."""
    if code is None:
        return None
    params = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
    try:
        return OLD_SENTENCES[code] % params
    except (KeyError, TypeError, ValueError):
        return f"{code} {json.dumps(params, ensure_ascii=False)}"


def old_failure(code: str | None, detail: str | None) -> str | None:
    if code == "interrupted":
        attempts = re.match(r"\d+", detail or "")
        return (
            f"Behandlingen avbröts {attempts[0] if attempts else 'flera'} gånger (processen "
            "dog): meddelandet finns sparat och väntar på registrator."
        )
    return detail if detail is not None else code


def downgrade() -> None:
    """Codes go back to the sentences revision 0008 wrote."""
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.alter_column("error_detail", new_column_name="error")

    mail = sa.table(
        "mail_message",
        sa.column("id", sa.Integer),
        sa.column("reason", sa.Text),
        sa.column("reason_code", sa.String),
        sa.column("reason_params", sa.Text),
        sa.column("error", sa.Text),
        sa.column("error_code", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            mail.c.id, mail.c.reason_code, mail.c.reason_params, mail.c.error_code, mail.c.error
        ).where(sa.or_(mail.c.reason_code.is_not(None), mail.c.error_code.is_not(None)))
    ).all()
    for row in rows:
        params = json.loads(row.reason_params or "{}")
        values = {"reason": old_sentence(row.reason_code, params)}
        if row.error_code is not None:
            values["error"] = old_failure(row.error_code, row.error)
        conn.execute(mail.update().where(mail.c.id == row.id).values(**values))

    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_column("error_code")
        batch_op.drop_column("reason_params")
        batch_op.drop_column("reason_code")
