import pytest

from caseflow.documents.filenames import distinct_filename, safe_filename


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("Inbjudan myndighetsnätverket.pdf", "Inbjudan myndighetsnätverket.pdf"),
        ("../../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("NUL", "_NUL"),
        ("lpt1.txt", "_lpt1.txt"),
        ("com3.tar.gz", "_com3.tar.gz"),
        ("  .hidden  ", "hidden"),
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("", "fil"),
        ("...", "fil"),
        ("Bilaga\u202e.exe", "Bilaga.exe"),  # right-to-left override removed
        ("A\u030angström.pdf", "Ångström.pdf"),  # NFC
    ],
)
def test_safe_filename(raw, safe):
    assert safe_filename(raw) == safe


def test_long_names_are_cut_but_keep_their_extension():
    name = safe_filename("ö" * 300 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name.encode("utf-8")) <= 200


def test_equal_names_are_made_distinct():
    taken = {"bilaga.pdf", "bilaga (2).pdf"}
    assert distinct_filename("bilaga.pdf", taken) == "bilaga (3).pdf"
    assert distinct_filename("README", {"README"}) == "README (2)"
    assert distinct_filename("ny.pdf", taken) == "ny.pdf"
