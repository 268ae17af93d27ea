from caseflow.search.query import SearchQuery, search


def test_smoke(make, app):
    erik = make.user("official", name="Erik Noaksson")
    case = make.case("Besluten om föreningarna", officer=erik, parties=[{"name": "Anna Andersson", "organisation": "Samverket AB"}],
                     title_is_secret=True, public_title="Offentlig rubrik", secrecy_provision="OSL 21 kap. 1 §")
    make.document(case, title="Ansökan", files=[("a.txt", b"hej")])
    reg = make.user("registrar")
    other = make.user("official")
    with app.test_request_context():
        for v in (reg, erik, other):
            for q in ("beslut", "förening*", "samverk*", "RS/1/2021", '"anna andersson"', "offentlig", "NEAR(\"x"):
                r = search(make.session, v, SearchQuery(text=q))
                print(v.role, v.id, q, r.total, r.direct, [(h.kind, h.number, h.title, h.snippet) for h in r.hits])
