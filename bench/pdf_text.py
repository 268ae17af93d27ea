"""Benchmark: PDF text for search — pypdfium2 (chosen) against pypdf and pdfminer.six.

Three PDF/A files made by LibreOffice from a memo-like .docx (Swedish text, a table, a
header and a footer): 2 pages, 40 pages, and 3 narrow pages whose words are hyphenated at
line ends (soft hyphens). For each library: the median time to read all pages, and
whether the text keeps å/ä/ö, the paragraph order, the table and the footer, and a
hyphenated word whole. Libraries that are not installed are left out
(``pip install pdfminer.six`` to compare; only pypdfium2 is a dependency).

    .venv/bin/python bench/pdf_text.py [--runs 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from caseflow.pdf import converter  # noqa: E402
from tests.search.files import memo_docx  # noqa: E402


def with_pypdfium2(data: bytes) -> str:
    from caseflow.search.extract import read_pdf

    return read_pdf(data, 10**9)


def with_pypdf(data: bytes) -> str:
    import pypdf

    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def with_pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


HYPHENATED_PARAGRAPHS = 18
LIBRARIES = {"pypdfium2": with_pypdfium2, "pypdf": with_pypdf, "pdfminer.six": with_pdfminer}
MODULES = {"pypdfium2": "pypdfium2", "pypdf": "pypdf", "pdfminer.six": "pdfminer"}


def checks(text: str, hyphenated: int = 0) -> dict[str, bool]:
    flat = re.sub(r"\s+", " ", text)
    return {
        "åäö": all(w in flat for w in ("Östersund", "Åre Näringsliv", "två år")),
        "order": flat.find("Stycke 0:") < flat.find("Stycke 1:") < flat.find("Stycke 2:"),
        "table": "450 000 kr" in flat,
        "footer": "Dnr RS/720/2021" in flat,
        # Every paragraph has both words; some break at a line end (soft hyphens).
        "hyphen": flat.count("Samverkansformerna") == hyphenated
        and flat.count("regionutvecklingsstrategin") == hyphenated,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not converter.is_available():
        sys.exit("LibreOffice is needed to make the PDFs")
    files = {
        "2 pages": converter.to_pdfa(memo_docx(paragraphs=12), timeout=120),
        "40 pages": converter.to_pdfa(memo_docx(paragraphs=240), timeout=300),
        "hyphenated": converter.to_pdfa(
            memo_docx(paragraphs=HYPHENATED_PARAGRAPHS, soft_hyphens=True)
        ),
    }
    print(f"{'file':11} {'library':13} {'median ms':>10}  checks")
    for name, data in files.items():
        for library, read in LIBRARIES.items():
            if importlib.util.find_spec(MODULES[library]) is None:
                continue
            text = read(data)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                read(data)
                times.append(time.perf_counter() - started)
            ok = checks(text, HYPHENATED_PARAGRAPHS)
            if name != "hyphenated":
                ok.pop("hyphen")
            failed = [k for k, v in ok.items() if not v]
            verdict = "all kept" if not failed else "lost: " + ", ".join(failed)
            print(f"{name:11} {library:13} {statistics.median(times) * 1000:10.1f}  {verdict}")


if __name__ == "__main__":
    main()
