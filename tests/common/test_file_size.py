"""File sizes as the reader's language writes them; a small file never reads as empty."""

from flask_babel import force_locale

from caseflow.common.i18n import file_size


def test_sizes_in_swedish_and_english(app):
    with app.test_request_context():
        with force_locale("sv"):
            assert [file_size(n) for n in (32, 812, 1_400, 2_345_678)] == [
                "32 B",
                "812 B",
                "1,4 kB",
                "2,3 MB",
            ]
        with force_locale("en"):
            assert file_size(1_400) == "1.4 kB"
