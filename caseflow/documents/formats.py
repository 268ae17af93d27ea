"""The file types caseflow itself produces, one name for each.

Generated memos and excerpts are Word documents; archive and mail copies are PDF/A.
"""

#: A Word document (.docx): memos, excerpts, document templates.
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A PDF (caseflow makes PDF/A-2b).
PDF_MIME = "application/pdf"
