"""Who may be responsible for a case: one rule behind every officer choice."""

from caseflow.auth.services import responsible_officers


def test_officials_and_managers_who_are_active_may_be_responsible(make):
    make.user("official", name="Erik Noaksson", unit="Näringsliv")
    make.user("manager", name="Hans Svensson", unit="Regiondirektör")
    make.user("official", name="Anders Byström")
    make.user("official", name="Gunnel Slutat", enabled=False)
    make.user("registrar", name="Karin Ek")
    make.user("admin", name="Sara Nilsson")
    rows = responsible_officers(make.fresh())
    assert [(name, unit) for _id, name, unit in rows] == [
        ("Anders Byström", None),
        ("Erik Noaksson", "Näringsliv"),
        ("Hans Svensson", "Regiondirektör"),
    ]


def test_the_case_form_offers_only_those_who_may_be_responsible(make, client, login):
    make.series("RS")
    make.user("official", name="Erik Noaksson")
    make.user("registrar", name="Karin Ek")
    login(make.user("registrar", name="Registrator"))
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Erik Noaksson" in page and ">Karin Ek<" not in page
