"""Import from a previous diarium: cases with their documents and files.

Above cases and documents, since an import registers both.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from caseflow.imports.cli import import_group

    app.cli.add_command(import_group)
