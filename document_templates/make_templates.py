"""Build the shipped .docx templates with python-docx.

Run ``.venv/bin/python document_templates/make_templates.py`` after changing the layout and
commit the resulting .docx files. Admins may upload their own versions in the UI; these
are the built-in first versions. Tags are docxtpl's (Jinja in Word): ``{%p … %}`` lines
are paragraph-level blocks.
"""

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent


def _base_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for name, size in (("Heading 1", 16), ("Heading 2", 12)):
        style = doc.styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
    return doc


def _line(doc, text, *, bold=False, style=None, align=None, size=None):
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _text_parts(doc, variable: str) -> None:
    """Paragraphs and "- " lists typed by an official: a list of {text, bullet}."""
    doc.add_paragraph(f"{{%p for part in {variable} %}}")
    doc.add_paragraph("{%p if part.bullet %}")
    doc.add_paragraph("{{ part.text }}", style="List Bullet")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ part.text }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")


#: The header's first line: the organisation's logo, when it has one, and its name.
LOGO_AND_NAME = (
    "{% if organisation_logo %}{{ organisation_logo }} {% endif %}{{ organisation_name }}"
)


def build_memo() -> Path:
    doc = _base_document()
    header = doc.sections[0].header
    head = header.paragraphs[0]
    head.text = LOGO_AND_NAME
    head.runs[0].bold = True
    _line(header, "TJÄNSTESKRIVELSE", align=WD_ALIGN_PARAGRAPH.RIGHT, size=9)

    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "{{ memo_date }}"
    for text in (
        "{{ unit }}",
        "{{ officer_name }}",
        "Tfn: {{ officer_phone }}",
        "E-post: {{ officer_email }}",
    ):
        left.add_paragraph(text)
    right.paragraphs[0].text = "Dnr {{ case_number }}"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph()
    doc.add_heading("{{ title }}", level=1)
    doc.add_heading("Ärendebeskrivning", level=2)
    _text_parts(doc, "description")

    doc.add_paragraph("{%p if supporting_documents %}")
    doc.add_heading("Beslutsunderlag", level=2)
    doc.add_paragraph("{%p for d in supporting_documents %}")
    doc.add_paragraph(
        "{{ d.title }}, {{ d.date }}{% if d.number %} ({{ d.number }}){% endif %}",
        style="List Bullet",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("{{ proposal_heading }}", level=2)
    doc.add_paragraph("{%p for point in proposal %}")
    doc.add_paragraph("{{ point.number }}. {{ point.text }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph()
    _line(doc, "I tjänsten", bold=True)
    doc.add_paragraph("{%p for s in signatories %}")
    _line(doc, "{{ s.name }}")
    doc.add_paragraph("{{ s.title }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("Utdrag till", level=2)
    doc.add_paragraph("{%p for r in recipients %}")
    doc.add_paragraph("{{ r.label }}")
    doc.add_paragraph("{%p endfor %}")

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ organisation_name }} · {{ organisation_address }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    target = HERE / "tjansteskrivelse.docx"
    doc.save(target)
    return target


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _votes(doc) -> None:
    """Each round of votes: the proposition, the vote's set-up, a table of the ballots
    with their totals, and the result."""
    doc.add_paragraph("{%p for vote in votes %}")
    doc.add_heading("{{ vote.heading }}", level=2)
    doc.add_paragraph("{{ vote.proposition }}")
    doc.add_paragraph("{{ vote.request }}")
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Ledamot", "Ja", "Nej", "Avstår"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for row in vote.rows %}"
    for cell, key in zip(table.rows[2].cells, ("name", "yes", "no", "abstain"), strict=True):
        cell.text = f"{{{{ row.{key} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    totals = table.add_row().cells
    for cell, text in zip(
        totals,
        ("Summa", "{{ vote.totals.yes }}", "{{ vote.totals.no }}", "{{ vote.totals.abstain }}"),
        strict=True,
    ):
        cell.text = text
    doc.add_paragraph("{{ vote.result }}")
    doc.add_paragraph("{%p endfor %}")


def _statements(doc, heading: str, variable: str) -> None:
    """Reservations or protocol notes: who, and their written text where there is one."""
    doc.add_paragraph(f"{{%p if {variable} %}}")
    doc.add_heading(heading, level=2)
    doc.add_paragraph(f"{{%p for entry in {variable} %}}")
    doc.add_paragraph("{{ entry.line }}")
    doc.add_paragraph("{%p if entry.text %}")
    doc.add_paragraph("{{ entry.text }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def build_excerpt() -> Path:
    doc = _base_document()
    header = doc.sections[0].header
    head = header.paragraphs[0]
    head.text = LOGO_AND_NAME
    head.runs[0].bold = True
    right = _line(header, "PROTOKOLLSUTDRAG", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    right.paragraph_format.space_after = Pt(0)
    page = _line(
        header,
        "Sammanträdesdatum {{ meeting_date }}    Sida ",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        size=9,
    )
    _field(page, "PAGE")
    page.add_run(" (").font.size = Pt(9)
    _field(page, "NUMPAGES")
    page.add_run(")").font.size = Pt(9)

    _line(doc, "{{ organ }}", bold=True, size=13)
    _line(doc, "Sammanträdesdatum: {{ meeting_date }}, {{ meeting_place }}")
    doc.add_paragraph()
    _line(doc, "§ {{ paragraph }}", bold=True, size=13)
    _line(doc, "Dnr {{ case_number }}")
    doc.add_heading("{{ title }}", level=1)
    doc.add_paragraph("{%p if is_closed %}")
    doc.add_paragraph("{{ closed_doors }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p if summary %}")
    doc.add_heading("Ärendebeskrivning", level=2)
    _text_parts(doc, "summary")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p if supporting_documents %}")
    doc.add_heading("Beslutsunderlag", level=2)
    doc.add_paragraph("{%p for d in supporting_documents %}")
    doc.add_paragraph("{{ d.title }}, {{ d.date }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p for line in presence_changes %}")
    doc.add_paragraph("{{ line }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph("{%p if motion_list %}")
    doc.add_heading("Yrkanden", level=2)
    doc.add_paragraph("{%p for motion in motion_list %}")
    doc.add_paragraph("{{ motion }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if acclamation %}")
    doc.add_heading("Propositionsordning", level=2)
    doc.add_paragraph("{{ acclamation }}")
    doc.add_paragraph("{%p endif %}")

    _votes(doc)

    doc.add_heading("Beslut", level=2)
    doc.add_paragraph("{{ decision_intro }}")
    doc.add_paragraph("{%p for point in decision %}")
    doc.add_paragraph("{{ point.number }}. {{ point.text }}")
    doc.add_paragraph("{%p endfor %}")

    _statements(doc, "Reservationer", "reservation_list")
    _statements(doc, "Protokollsanteckningar", "note_list")
    doc.add_paragraph("{%p if immediately_attested %}")
    _line(doc, "Paragrafen förklaras omedelbart justerad.", bold=True)
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Justering", level=2)
    doc.add_paragraph("{{ attestation }}")
    doc.add_heading("Rätt utdraget intygar", level=2)
    _line(doc, "{{ certified_by }}")
    doc.add_paragraph("{{ certified_on }}")
    doc.add_heading("Utdrag till", level=2)
    doc.add_paragraph("{%p for r in recipients %}")
    doc.add_paragraph("{{ r.label }}")
    doc.add_paragraph("{%p endfor %}")

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ organisation_name }} · {{ organisation_address }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    target = HERE / "protokollsutdrag.docx"
    doc.save(target)
    return target


#: How to appeal a delegated decision (laglighetsprövning, 13 kap. kommunallagen), in
#: plain Swedish.
APPEAL = (
    "Du kan överklaga beslutet om du är medlem i regionen, det vill säga om du är "
    "folkbokförd i regionen, äger fast egendom i regionen eller betalar skatt till den. "
    "Det kallas laglighetsprövning och regleras i 13 kap. kommunallagen. Förvaltningsrätten "
    "prövar då bara om beslutet är lagligt: om det har kommit till på rätt sätt, om det "
    "gäller något som regionen får ta hand om, om den som beslutade hade rätt att göra det "
    "och om beslutet strider mot lag. Förvaltningsrätten kan upphäva beslutet men inte "
    "ändra det eller sätta ett annat beslut i dess ställe.",
    "Skriv ett brev till förvaltningsrätten. Skriv vilket beslut du överklagar (ange "
    "diarienummer {{ case_number }}) och varför du anser att det är olagligt, och lämna "
    "med det du vill hänvisa till. Skriv under brevet och skriv ditt namn, din adress och "
    "ditt telefonnummer.",
    "Skicka brevet direkt till förvaltningsrätten, inte till regionen.",
    "Överklagandet måste ha kommit in till förvaltningsrätten inom tre veckor från den dag "
    "då det justerade protokollet där beslutet anmäldes till {{ organ }} sattes upp på "
    "regionens anslagstavla. Kommer det in senare kan det inte prövas.",
)


def build_delegated_decision() -> Path:
    doc = _base_document()
    header = doc.sections[0].header
    head = header.paragraphs[0]
    head.text = LOGO_AND_NAME
    head.runs[0].bold = True
    _line(header, "BESLUT", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)

    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Datum {{ decision_date }}"
    right.paragraphs[0].text = "Dnr {{ case_number }}"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph()
    _line(doc, "BESLUT", bold=True, size=14)
    doc.add_heading("{{ title }}", level=1)

    doc.add_heading("Beslut", level=2)
    doc.add_paragraph("{%p for point in decision %}")
    doc.add_paragraph("{{ point.number }}. {{ point.text }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("Delegation", level=2)
    doc.add_paragraph(
        "Beslutet är fattat med stöd av delegation enligt punkt {{ delegation_code }} i "
        "{{ organ_genitive }} delegationsordning (beslut {{ resting_on }})."
        "{% if delegation_matter %} Delegationen avser: {{ delegation_matter }}.{% endif %}"
    )
    doc.add_paragraph(
        "Beslutet anmäls till {{ organ }} och tas upp i protokollet under anmälan av "
        "delegationsbeslut."
    )

    doc.add_paragraph()
    _line(doc, "{{ decided_by }}", bold=True)

    doc.add_heading("Hur du överklagar beslutet", level=2)
    for text in APPEAL:
        doc.add_paragraph(text)

    doc.add_paragraph("{%p if recipients %}")
    doc.add_heading("Beslutet skickas till", level=2)
    doc.add_paragraph("{%p for r in recipients %}")
    doc.add_paragraph("{{ r.label }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ organisation_name }} · {{ organisation_address }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    target = HERE / "delegationsbeslut.docx"
    doc.save(target)
    return target


#: How to appeal a refusal to release a public document (OSL 6 kap. 7 §, FL 43–44 §§).
REFUSAL_APPEAL = (
    "Om du vill överklaga beslutet ska du skriva till kammarrätten. Skrivelsen ska dock "
    "skickas eller lämnas till {{ organisation_name }}, {{ organisation_address }}, som "
    "skickar den vidare till kammarrätten.",
    "Skriv vilket beslut du överklagar (ange beslutets datum och {{ request_number }}), "
    "hur du vill att beslutet ska ändras och varför. Skrivelsen behöver inte undertecknas "
    "med namn; du har rätt att vara anonym.",
    "Överklagandet måste ha kommit in till {{ organisation_name }} inom tre veckor från "
    "den dag du fick del av beslutet. Kommer det in senare kan det inte prövas.",
)


def build_refusal() -> Path:
    """The written decision on a request for public documents that was refused."""
    doc = _base_document()
    header = doc.sections[0].header
    head = header.paragraphs[0]
    head.text = LOGO_AND_NAME
    head.runs[0].bold = True
    _line(header, "BESLUT", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)

    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "Datum {{ decision_date }}"
    right.paragraphs[
        0
    ].text = "{{ request_number }}{% if case_number %}, dnr {{ case_number }}{% endif %}"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph()
    _line(doc, "Till: {{ requester }}")
    doc.add_heading("Beslut om begäran att få ta del av allmän handling", level=1)
    doc.add_paragraph(
        "Du begärde den {{ received_on }} att få ta del av allmänna handlingar. "
        "{{ organisation_name }} har prövat begäran."
    )
    doc.add_heading("Beslut", level=2)
    doc.add_paragraph(
        "{{ organisation_name }} avslår begäran i följande delar, eftersom uppgifterna "
        "omfattas av sekretess:"
    )
    doc.add_paragraph("{%p for d in refused %}")
    doc.add_paragraph(
        "{% if d.number %}{{ d.number }} {% endif %}{{ d.title }} – sekretess enligt "
        "{{ d.provision }}",
        style="List Bullet",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if released %}")
    doc.add_paragraph("Övriga handlingar har lämnats ut:")
    doc.add_paragraph("{%p for d in released %}")
    doc.add_paragraph(
        "{% if d.number %}{{ d.number }} {% endif %}{{ d.title }}{% if d.provision %} "
        "(med maskering enligt {{ d.provision }}){% endif %}",
        style="List Bullet",
    )
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph()
    _line(doc, "{{ decided_by }}", bold=True)

    doc.add_heading("Hur du överklagar beslutet", level=2)
    for text in REFUSAL_APPEAL:
        doc.add_paragraph(text)

    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ organisation_name }} · {{ organisation_address }}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    target = HERE / "avslagsbeslut.docx"
    doc.save(target)
    return target


if __name__ == "__main__":
    print(build_memo())
    print(build_excerpt())
    print(build_delegated_decision())
    print(build_refusal())
