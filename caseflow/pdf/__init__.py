"""PDF export: Word documents (.docx) to archivable PDF/A-2b through LibreOffice.

Use ``from caseflow.pdf import converter`` and call ``converter.to_pdfa(docx_bytes)``;
see :mod:`caseflow.pdf.converter`.
"""


def init_app(app) -> None:
    from caseflow.pdf.cli import converter_command

    app.cli.add_command(converter_command)
