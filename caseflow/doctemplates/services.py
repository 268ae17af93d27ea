"""Template versions: the built-in ones, admin uploads (validated, previewed), rendering."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.doctemplates.isolated import render_isolated
from caseflow.doctemplates.limits import LimitExceeded, Limits, check_package
from caseflow.doctemplates.models import DocumentTemplate
from caseflow.doctemplates.render import TemplateError, render_docx, template_variables
from caseflow.documents.filenames import safe_filename
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore

BUILTIN_DIR = Path(__file__).resolve().parent.parent.parent / "document_templates"


class Kind:
    """What each template kind is called, where its built-in version is, what it may use."""

    def __init__(
        self, label: str, filename: str, variables: set[str], required: set[str], sample: dict
    ):
        self.label, self.filename = label, filename
        self.variables, self.required, self.sample = variables, required, sample


MEMO_SAMPLE = {
    "organisation_name": "Region Jämtland Härjedalen",
    "organisation_address": "Box 654, 831 27 Östersund",
    "organisation_number": "232100-0214",
    "organisation_phone": "063-14 75 00",
    "organisation_email": "region@regionjh.se",
    "organisation_web": "https://www.regionjh.se",
    # The logo's place: an image when the profile has one, else nothing.
    "organisation_logo": "",
    "memo_date": "2021-11-03",
    "unit": "Näringsliv",
    "officer_name": "Erik Noaksson",
    "officer_phone": "063146562",
    "officer_email": "erik.noaksson@regionjh.se",
    "case_number": "RS/720/2021",
    "title": "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
    "description": [
        {
            "text": "Regionen föreslås söka medel från Vinnova för en lärandeprocess inom "
            "Samverket.",
            "bullet": False,
        },
        {"text": "medlemskap (180 000 kr)", "bullet": True},
        {"text": "projektledning (137 000 kr)", "bullet": True},
    ],
    "supporting_documents": [
        {"title": "Ansökan om medfinansiering", "date": "2021-11-01", "number": "RS/720/2021-1"}
    ],
    "decision_body": "Regionstyrelsen",
    "proposal_heading": "Regiondirektörens förslag",
    "proposal": [
        {
            "number": 1,
            "text": "Region Jämtland Härjedalen avsätter arbetstid motsvarande "
            "134 100 kronor för att medfinansiera projektet.",
        },
        {
            "number": 2,
            "text": "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova.",
        },
    ],
    "signatories": [
        {"name": "Hans Svensson", "title": "Regiondirektör"},
        {"name": "Anders Byström", "title": "Verksamhetsområde/Ledningsstab"},
    ],
    "recipients": [
        {
            "name": "",
            "organisation": "Vinnova",
            "email": "registrator@vinnova.se",
            "label": "Vinnova",
        }
    ],
}

EXCERPT_SAMPLE = {
    **{key: value for key, value in MEMO_SAMPLE.items() if key.startswith("organisation_")},
    "organ": "Regionstyrelsen",
    "meeting_date": "2021-11-24",
    "meeting_place": "Regionens hus, Östersund",
    "paragraph": 123,
    "case_number": "RS/720/2021",
    "title": MEMO_SAMPLE["title"],
    "summary": MEMO_SAMPLE["description"],
    "supporting_documents": MEMO_SAMPLE["supporting_documents"],
    "motions": "Ordföranden yrkar bifall till regiondirektörens förslag.",
    "decision_intro": "Regionstyrelsen beslutar",
    "decision": MEMO_SAMPLE["proposal"],
    "reservations": "",
    "protocol_notes": "",
    # The same, structured: who decided, changes of attendance, motions, votes, statements.
    "attendance": ["Anna Ordförande (S), ordförande", "Bertil Justerare (M), ledamot"],
    "presence_changes": ["Olle Ledamot (C) deltar inte i handläggningen på grund av jäv."],
    "motion_list": ["Bertil Justerare (M): Avslag på förslaget."],
    "acclamation": "",
    "votes": [
        {
            "heading": "Omröstning",
            "proposition": "Ordföranden ställer proposition på förslaget till beslut och "
            "Bertil Justerares (M) yrkande och finner att Regionstyrelsen beslutar enligt "
            "förslaget till beslut.",
            "request": "Omröstning begärs och verkställs. Ja-röst för förslaget till beslut, "
            "nej-röst för Bertil Justerares (M) yrkande.",
            "rows": [
                {"name": "Anna Ordförande (S)", "yes": "X", "no": "", "abstain": ""},
                {"name": "Bertil Justerare (M)", "yes": "", "no": "X", "abstain": ""},
            ],
            "totals": {"yes": 1, "no": 1, "abstain": 0},
            "result": "Med 1 ja-röst mot 1 nej-röst och ordförandens utslagsröst beslutar "
            "Regionstyrelsen enligt förslaget till beslut.",
        }
    ],
    "reservation_list": [{"line": "Bertil Justerare (M) reserverar sig mot beslutet.", "text": ""}],
    "note_list": [],
    "is_closed": False,
    "closed_doors": "",
    "immediately_attested": False,
    "attestation": "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
    "certified_by": "Cecilia Sekreterare",
    "certified_on": "2021-12-01",
    "recipients": MEMO_SAMPLE["recipients"],
}

DELEGATED_DECISION_SAMPLE = {
    **{key: value for key, value in MEMO_SAMPLE.items() if key.startswith("organisation_")},
    "decision_date": "2021-11-10",
    "case_number": "RS/720/2021",
    "title": MEMO_SAMPLE["title"],
    "decision": MEMO_SAMPLE["proposal"],
    "organ": "Regionstyrelsen",
    "organ_genitive": "Regionstyrelsens",
    "delegation_code": "3.2",
    "delegation_matter": "Beslut om medfinansiering av projekt upp till 500 000 kr",
    "resting_on": "RS 2021-02-06 § 12",
    "decided_by": "Hans Svensson, Regiondirektör",
    "recipients": MEMO_SAMPLE["recipients"],
}

KINDS: dict[str, Kind] = {
    "memo": Kind(
        _l("Memo (tjänsteskrivelse)"),
        "tjansteskrivelse.docx",
        set(MEMO_SAMPLE),
        {"case_number", "title", "proposal"},
        MEMO_SAMPLE,
    ),
    "excerpt": Kind(
        _l("Protocol excerpt (protokollsutdrag)"),
        "protokollsutdrag.docx",
        set(EXCERPT_SAMPLE),
        {"case_number", "title", "paragraph", "decision"},
        EXCERPT_SAMPLE,
    ),
    "delegated_decision": Kind(
        _l("Delegated decision (delegationsbeslut)"),
        "delegationsbeslut.docx",
        set(DELEGATED_DECISION_SAMPLE),
        {"case_number", "title", "decision", "delegation_code", "resting_on", "decided_by"},
        DELEGATED_DECISION_SAMPLE,
    ),
}

_bytes_cache: dict[str, bytes] = {}


def register_kind(name: str, kind: Kind) -> None:
    """Let a higher domain add a template kind of its own (in its ``init_app``), so this
    module never imports it. Registering the same name again keeps the first."""
    KINDS.setdefault(name, kind)


def kind_of(kind: str) -> Kind:
    if kind not in KINDS:
        raise NotFound(_l("Unknown template kind »%(kind)s«.", kind=kind))
    return KINDS[kind]


def template_bytes(store: FileStore, template: DocumentTemplate) -> bytes:
    """The template's bytes, read from the store once (render() re-parses them each time)."""
    cached = _bytes_cache.get(template.sha256)
    if cached is None:
        with store.open(template.sha256) as handle:
            cached = _bytes_cache[template.sha256] = handle.read()
    return cached


def _register_builtin(session: Session, store: FileStore, kind: str) -> DocumentTemplate:
    spec = kind_of(kind)
    content = (BUILTIN_DIR / spec.filename).read_bytes()
    sha, _size = store_blob(session, store, content)
    template = DocumentTemplate(
        kind=kind,
        version=1,
        sha256=sha,
        filename=spec.filename,
        is_builtin=True,
        note=None,  # the page names it (is_builtin), in the reader's language
    )
    session.add(template)
    session.flush()
    return template


def active_template(session: Session, store: FileStore, kind: str) -> DocumentTemplate:
    """The version in use: the highest active one; the built-in one on first use."""
    template = session.exec(
        select(DocumentTemplate)
        .where(DocumentTemplate.kind == kind, DocumentTemplate.is_active)
        .order_by(DocumentTemplate.version.desc())
    ).first()
    if template is None:
        template = _register_builtin(session, store, kind)
    return template


def render_with(
    store: FileStore, template: DocumentTemplate, context: dict, images: dict | None = None
) -> bytes:
    return render_docx(template_bytes(store, template), context, images)


def check_template(kind: str, content: bytes) -> dict:
    """Validate an uploaded template: a .docx within the limits (:mod:`.limits`), known
    variables only, and it renders with the sample case in a process of its own."""
    spec = kind_of(kind)
    limits = Limits.current()
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationError(_l("The file is not a Word document (.docx)."))
    try:
        check_package(content, limits)
        used = template_variables(content)
    except LimitExceeded as exc:
        raise ValidationError(str(TemplateError(exc.kind, **exc.params))) from exc
    except TemplateError as exc:
        raise ValidationError(str(exc)) from exc
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ValidationError(_l("The file is not a readable Word document (.docx).")) from exc
    unknown = sorted(used - spec.variables)
    missing = sorted(spec.required - used)
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(_l("unknown variables: %(names)s", names=", ".join(unknown)))
        if missing:
            parts.append(_l("missing variables: %(names)s", names=", ".join(missing)))
        raise ValidationError(
            _l("The template cannot be used – %(problems)s.", problems="; ".join(map(str, parts)))
        )
    try:  # in a process of its own: a hostile file costs the worker nothing
        render_isolated(content, spec.sample, limits)
    except TemplateError as exc:
        raise ValidationError(str(exc)) from exc
    return {"variables": sorted(used)}


def upload_template(
    session: Session,
    store: FileStore,
    kind: str,
    *,
    filename: str,
    content: bytes,
    user,
    note: str | None = None,
) -> DocumentTemplate:
    """Store a checked new version, inactive until an admin has previewed and activated it."""
    check_template(kind, content)
    sha, _size = store_blob(session, store, content)
    active_template(session, store, kind)  # the built-in one is version 1
    latest = session.exec(
        select(func.max(DocumentTemplate.version)).where(DocumentTemplate.kind == kind)
    ).one()
    template = DocumentTemplate(
        kind=kind,
        version=(latest or 0) + 1,
        sha256=sha,
        filename=safe_filename(filename),
        is_active=False,
        note=(note or "").strip() or None,
        uploaded_by_id=getattr(user, "id", None),
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        "template.upload",
        template,
        actor=user,
        after={"kind": kind, "version": template.version, "sha256": sha},
    )
    return template


def preview(store: FileStore, template: DocumentTemplate) -> bytes:
    """The template rendered with the sample case (RS/720/2021); an uploaded one in a
    process of its own, as when it was checked."""
    sample = kind_of(template.kind).sample
    if template.is_builtin:
        return render_with(store, template, sample)
    try:
        return render_isolated(template_bytes(store, template), sample, Limits.current())
    except TemplateError as exc:
        raise ValidationError(str(exc)) from exc


def activate(session: Session, template: DocumentTemplate, *, user) -> DocumentTemplate:
    """Make this version the one in use; documents made earlier keep theirs."""
    for other in session.exec(
        select(DocumentTemplate).where(DocumentTemplate.kind == template.kind)
    ).all():
        other.is_active = other.id == template.id
    session.flush()
    audit.record(
        session,
        "template.activate",
        template,
        actor=user,
        after={"kind": template.kind, "version": template.version},
    )
    return template


def list_templates(session: Session, kind: str) -> list[DocumentTemplate]:
    return list(
        session.exec(
            select(DocumentTemplate)
            .where(DocumentTemplate.kind == kind)
            .order_by(DocumentTemplate.version.desc())
        ).all()
    )
