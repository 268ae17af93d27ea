"""What heading a § shows, and to whom: the public never reads a closed § or a secret title."""

from types import SimpleNamespace

from caseflow.common.projection import Audience, agenda_item_title


def _case(**values):
    fields = {"title": "Köp av fastigheten Remonthagen 1:5", "title_is_secret": False}
    fields.update({"public_title": None, "secrecy_provision": None, **values})
    return SimpleNamespace(**fields)


def _item(**values):
    return SimpleNamespace(**{"is_closed": False, "public_title": None, "title": None, **values})


def test_a_case_paragraph_carries_the_case_title_as_the_reader_may_see_it(app):
    secret = _case(
        title_is_secret=True, public_title="Fastighetsärende", secrecy_provision="OSL 19 kap. 1 §"
    )
    with app.test_request_context():
        assert agenda_item_title(_item(), _case(), Audience.PUBLIC).startswith("Köp av")
        assert agenda_item_title(_item(), secret, Audience.PUBLIC) == "Fastighetsärende"
        assert agenda_item_title(_item(), secret, Audience.HOLDER).startswith("Köp av")


def test_a_paragraph_behind_closed_doors_shows_the_public_its_public_heading(app):
    closed = _item(is_closed=True, title="Personalärende: Anna A", public_title="Personalärende")
    unnamed = _item(is_closed=True, title="Förhandling om avtal med X AB")
    with app.test_request_context():
        assert agenda_item_title(closed, None, Audience.PUBLIC) == "Personalärende"
        assert agenda_item_title(closed, None, Audience.HOLDER) == "Personalärende: Anna A"
        masked = agenda_item_title(unnamed, None, Audience.PUBLIC)
        assert "X AB" not in masked and masked
        assert agenda_item_title(_item(title="Information"), None, Audience.PUBLIC) == "Information"
