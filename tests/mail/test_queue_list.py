"""The registrar's queue list: which filter a request gets."""

from caseflow.mail.queue import list_filter


def test_the_queue_list_shows_what_waits_unless_a_known_status_is_asked_for():
    assert list_filter(None) == "waiting"
    assert list_filter("filed") == "filed"
    assert list_filter("<script>") == "waiting"
