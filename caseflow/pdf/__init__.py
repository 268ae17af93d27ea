"""PDF export: Word documents (.docx) to archivable PDF/A-2b through LibreOffice.

Use ``from caseflow.pdf import converter`` and call ``converter.to_pdfa(docx_bytes)``;
see :mod:`caseflow.pdf.converter`.
"""
