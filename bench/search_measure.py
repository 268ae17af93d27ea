"""The measurements of ``bench/search.py``: caseflow's ``search()`` against the bare floor.

Each query is timed as a logged-in registrar and as an official (whose search also looks
in the secret words of their own cases), with no filter, with series + year, and with a
date range. The floor is the bare FTS5 MATCH (SQLite) or tsvector @@ (PostgreSQL) query
on the same tokens in plain SQL via SQLAlchemy Core: the count up to the same cap and one
page in the same order (score, then newest) and LIMIT, with the same filters.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlmodel import select

from bench import registry
from bench.registry import percentile
from bench.searchgen import TextMaker
from caseflow.auth.models import User
from caseflow.cases.models import Case, Series
from caseflow.db import new_session
from caseflow.search.models import SearchEntry
from caseflow.search.query import COUNT_CAP, SearchQuery, search
from caseflow.search.tokens import fts5_match, parse_query, tsquery

SELECTIVE_MS, COMMON_MS, MAX_RATIO = 100.0, 300.0, 1.5
PER_PAGE = 20
FILTERS = {
    "": {},
    "series+year": {"series": "RS", "year": 2021},
    "date range": {"date_from": date(2021, 3, 1), "date_to": date(2021, 8, 31)},
}


@dataclass
class Spec:
    name: str
    text: Callable[[random.Random], str]
    #: Always selective by the issue's definition (numbers, names, phrases, prefixes).
    selective: bool = False


def specs(engine: sa.Engine, args) -> list[Spec]:
    vocab = TextMaker(args.seed, args.text_size).vocab
    rare = vocab[1500:6000]  # about 0.05–0.3 % of the texts each
    middle = vocab[150:500]
    case, series = Case.__table__, Series.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(case.c.seq, case.c.year, case.c.number)
            .join(series, series.c.id == case.c.series_id)
            .where(series.c.code == "RS", case.c.year == 2021)
        ).all()
    numbers = rows or [(1, 2021, "RS/1/2021")]
    phrases = ["nära vård", "regional utvecklingsstrategi", "kollektivtrafik på landsbygden"]
    parties = ["Vinnova", "Jämtkraft", "Mittuniversitetet", "Sametinget", "Noaksson"]
    prefixes = ["samverk*", "bredband*", "ambulans*", "läkemedel*", "klimat*"]
    return [
        Spec("rare word", lambda r: r.choice(rare)),
        Spec("common word", lambda r: "beslut"),
        Spec("two words", lambda r: f"{r.choice(middle)} {r.choice(middle)}"),
        Spec("phrase", lambda r: f'"{r.choice(phrases)}"', True),
        Spec("prefix", lambda r: r.choice(prefixes), True),
        Spec("party name", lambda r: r.choice(parties), True),
        Spec("number RS/720/2021", lambda r: r.choice(numbers)[2], True),
        Spec("number RS 720/2021", lambda r: "RS {}/{}".format(*r.choice(numbers)), True),
        Spec("number 720/2021", lambda r: "{}/{}".format(*r.choice(numbers)), True),
        Spec("document number", lambda r: r.choice(numbers)[2] + "-1", True),
    ]


def _filter_sql(filters: dict) -> tuple[str, dict]:
    sql, params = "", {}
    if "series" in filters:
        sql += " AND e.series_code = :series AND e.year = :year"
        params.update(series=filters["series"], year=filters["year"])
    if "date_from" in filters:
        sql += " AND e.dated_on BETWEEN :date_from AND :date_to"
        params.update(date_from=filters["date_from"], date_to=filters["date_to"])
    return sql, params


def floor_statements(dialect: str, text: str, filters: dict):
    """The bare query: count up to the cap, and one page (score, newest first)."""
    terms = parse_query(text).terms
    where, params = _filter_sql(filters)
    if dialect == "sqlite":
        params["q"] = fts5_match(terms)
        # CROSS JOIN keeps FTS5 the outer loop: offered a narrow covering index of
        # search_entry, SQLite's planner may otherwise walk every entry and run the MATCH
        # once for each (minutes for a prefix at a million entries).
        base = (
            "FROM search_fts CROSS JOIN search_entry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH :q{where}"
        )
        page = f"SELECT e.id, bm25(search_fts) AS score {base}"
    else:
        params["q"] = tsquery(terms)
        base = (
            "FROM search_entry e, to_tsquery('simple', :q) q "
            f"WHERE (e.open_tsv @@ q OR e.held_tsv @@ q){where}"
        )
        page = f"SELECT e.id, -(ts_rank(e.open_tsv, q) + ts_rank(e.held_tsv, q)) AS score {base}"
    count = sa.text(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP + 1}) c")  # noqa: S608
    page = sa.text(f"{page} ORDER BY score, e.dated_on DESC, e.id DESC LIMIT {PER_PAGE}")
    full = sa.text(f"SELECT count(*) {base}")  # noqa: S608
    return count, page, full, params


def summary(times: list[float]) -> dict:
    ms = [t * 1000 for t in times]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
    }


def _loop(args, fn) -> list[float]:
    times, deadline = [], time.perf_counter() + args.max_seconds_per_op
    fn()  # warm up
    for i in range(args.requests):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
        if time.perf_counter() > deadline and i >= 9:
            break
    return times


def measure_all(app, engine: sa.Engine, args, rng: random.Random) -> list[dict]:
    dialect = engine.dialect.name
    with engine.connect() as conn:
        entries = conn.execute(sa.select(sa.func.count()).select_from(SearchEntry)).scalar()
    setup = new_session(engine)
    registrar = setup.exec(select(User).where(User.email == registry.REGISTRAR_EMAIL)).one()
    official = setup.exec(
        select(User)
        .where(User.role == "official", User.is_enabled.is_(True))
        .where(select(Case.id).where(Case.officer_id == User.id).exists())
        .order_by(User.id)
    ).first()
    setup.close()
    viewers = {"registrar": registrar, "official": official}
    has_page = any(rule.rule.startswith("/search") for rule in app.url_map.iter_rules())
    results = []
    for spec in specs(engine, args):
        if args.only and args.only not in spec.name:
            continue
        for label, filters in FILTERS.items():
            probe_text = spec.text(random.Random(args.seed))
            count, page, full, params = floor_statements(dialect, probe_text, filters)
            with engine.connect() as conn:
                matches = conn.execute(full, params).scalar()
            row = {
                "query": spec.name,
                "filter": label,
                "example": probe_text,
                "matches_of_example": matches,
                "share_of_entries": round(matches / max(1, entries), 4),
            }
            common = not spec.selective and row["share_of_entries"] >= 0.05
            row["target_p95_ms"] = COMMON_MS if common else SELECTIVE_MS
            print(f"  {spec.name} {label or 'no filter'} …", flush=True)

            def floor_once(conn=None, spec=spec, filters=filters):
                count, page, _full, params = floor_statements(dialect, spec.text(rng), filters)
                conn.execute(count, params).scalar()
                conn.execute(page, params).all()

            with engine.connect() as conn:
                row["floor"] = summary(_loop(args, lambda conn=conn: floor_once(conn)))
            for who, viewer in viewers.items():
                with app.test_request_context():

                    def app_once(viewer=viewer, spec=spec, filters=filters):
                        session = new_session(engine)
                        try:
                            search(
                                session,
                                viewer,
                                SearchQuery(text=spec.text(rng), per_page=PER_PAGE, **filters),
                            )
                        finally:
                            session.rollback()
                            session.close()

                    row[who] = summary(_loop(args, app_once))
            if has_page and not filters:
                with app.test_client() as client:
                    registry.login(client)
                    row["page"] = summary(
                        _loop(
                            args,
                            lambda client=client, spec=spec: _get(
                                client, "/search/?" + _qs(spec, rng)
                            ),
                        )
                    )
            results.append(row)
    results.extend(case_list(app, args, rng))
    return results


def _qs(spec: Spec, rng) -> str:
    return urlencode({"q": spec.text(rng)})


def _get(client, url: str) -> None:
    response = client.get(url)
    # A number goes straight to its case or document: the page answers with that redirect.
    if response.status_code not in (200, 303):
        raise SystemExit(f"GET {url} answered {response.status_code}")


def case_list(app, args, rng) -> list[dict]:
    """The case list keeps its p95: page 1 and a title word (now through the index)."""
    out = []
    with app.test_client() as client:
        registry.login(client)
        for name, url in (
            ("case list /cases/", lambda: "/cases/"),
            (
                "case list ?q=<title word>",
                lambda: "/cases/?" + urlencode({"q": rng.choice(registry.TITLE_SEARCH_WORDS)}),
            ),
        ):
            print(f"  {name} …", flush=True)
            out.append(
                {
                    "query": name,
                    "filter": "",
                    "target_p95_ms": registry.TARGET_P95_MS,
                    "page": summary(_loop(args, lambda url=url: _get(client, url()))),
                }
            )
    return out


def _ok(row: dict, key: str) -> str:
    cell = row.get(key)
    if not cell:
        return ""
    within = cell["p95_ms"] <= row["target_p95_ms"]
    floor = row.get("floor")
    ratio_ok = floor is None or cell["p95_ms"] <= MAX_RATIO * max(floor["p95_ms"], 1.0)
    return ("✓" if within else "✗") + ("" if ratio_ok else " ratio")


def print_table(backend: str, prepared: dict, size: dict, results: list[dict]) -> None:
    print(f"\n{backend}: server time in ms, p50/p95 (registrar, official: search(); page: "
          "Flask test client as registrar; floor: bare SQL)")  # fmt: skip
    head = (
        f"{'query':<22}{'filter':<12}{'share':>7}{'registrar':>13}{'official':>13}"
        f"{'page':>13}{'floor':>13}{'ratio':>6}{'target':>7}  ok"
    )
    print(head)
    print("-" * len(head))

    def cell(d):
        return f"{d['p50_ms']:>6.1f}/{d['p95_ms']:<6.1f}" if d else f"{'–':>13}"

    for r in results:
        floor = r.get("floor")
        worst = max((r[k]["p95_ms"] for k in ("registrar", "official") if r.get(k)), default=None)
        ratio = f"{worst / max(floor['p95_ms'], 0.1):>6.1f}" if floor and worst else f"{'':>6}"
        share = f"{r['share_of_entries'] * 100:>6.1f}%" if "share_of_entries" in r else " " * 7
        oks = " ".join(filter(None, (_ok(r, k) for k in ("registrar", "official", "page"))))
        print(
            f"{r['query']:<22}{r['filter']:<12}{share}{cell(r.get('registrar'))}"
            f"{cell(r.get('official'))}{cell(r.get('page'))}{cell(floor)}{ratio}"
            f"{r['target_p95_ms']:>7.0f}  {oks}"
        )
    if prepared.get("index"):
        i = prepared["index"]
        print(
            f"\nindex build: {i['things']} things → {i['entries']} entries in {i['seconds']} s "
            f"= {i['per_second']:,.0f}/s (caseflow.search.sync.reindex, commit per batch)"
        )
    print("sizes (MiB): " + ", ".join(f"{k}: {v / 2**20:,.1f}" for k, v in size.items() if v))
