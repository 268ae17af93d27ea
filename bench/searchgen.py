"""Swedish-like file text for the search benchmark, and the file rows that carry it.

The text is drawn word by word from a Zipf distribution (s ≈ 1) over a vocabulary of
inflected Swedish word forms: function words first (och, i, att …), then the words of
public administration in all their forms (beslut, beslutet, besluten, besluts…), then a
long tail of compounds (vårdplatsavtal, kollektivtrafikutredningen …), with names, places,
amounts, dates and case numbers mixed in. So a few words are in nearly every text, and most
are in a handful — as in real documents.

:func:`add_file_texts` gives ``n`` documents one file each: a ``document_file`` row, a
``file_blob`` row (the size of the text, no bytes are stored) and a ``file_text`` row with
status done, as search-extract leaves it. Rows are bulk-inserted with SQLAlchemy Core.
"""

from __future__ import annotations

import hashlib
import random
import time
from datetime import UTC, datetime
from itertools import accumulate

import sqlalchemy as sa

from bench.registry import FIRST_NAMES, LAST_NAMES, ORGANISATIONS, PLACES, SUBJECTS
from caseflow.documents.models import Document, DocumentFile, FileBlob
from caseflow.search.models import FileText, TextStatus

FUNCTION_WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list
    "och i att det som en på är av för med till den har de inte om ett men var sig från vi "
    "så kan man när år under också efter eller nu sin där vid mot ska skulle kommer ut får "
    "finns vara hade alla andra mycket än här då sedan över bara in blir upp även vad två "
    "vill ha många hur mer går detta nya procent utan sina något allt första måste mellan "
    "blev bli någon några sitt stora varit dem bland bra tre genom del hela annat fram gör "
    "ingen stor kunna samma tid därför enligt samt vilket dessa inom avseende gällande"
).split()

#: Nouns: (base, definite singular, indefinite plural, definite plural).
NOUNS = [
    ("beslut", "beslutet", "beslut", "besluten"),
    ("ärende", "ärendet", "ärenden", "ärendena"),
    ("ansökan", "ansökan", "ansökningar", "ansökningarna"),
    ("förening", "föreningen", "föreningar", "föreningarna"),
    ("verksamhet", "verksamheten", "verksamheter", "verksamheterna"),
    ("kommun", "kommunen", "kommuner", "kommunerna"),
    ("region", "regionen", "regioner", "regionerna"),
    ("patient", "patienten", "patienter", "patienterna"),
    ("utredning", "utredningen", "utredningar", "utredningarna"),
    ("avtal", "avtalet", "avtal", "avtalen"),
    ("projekt", "projektet", "projekt", "projekten"),
    ("kostnad", "kostnaden", "kostnader", "kostnaderna"),
    ("underlag", "underlaget", "underlag", "underlagen"),
    ("yttrande", "yttrandet", "yttranden", "yttrandena"),
    ("förslag", "förslaget", "förslag", "förslagen"),
    ("nämnd", "nämnden", "nämnder", "nämnderna"),
    ("styrelse", "styrelsen", "styrelser", "styrelserna"),
    ("åtgärd", "åtgärden", "åtgärder", "åtgärderna"),
    ("uppdrag", "uppdraget", "uppdrag", "uppdragen"),
    ("plan", "planen", "planer", "planerna"),
    ("insats", "insatsen", "insatser", "insatserna"),
    ("medel", "medlet", "medel", "medlen"),
    ("vård", "vården", "vårdar", "vårdarna"),
    ("plats", "platsen", "platser", "platserna"),
    ("trafik", "trafiken", "trafiker", "trafikerna"),
    ("samverkan", "samverkan", "samverkningar", "samverkningarna"),
    ("rapport", "rapporten", "rapporter", "rapporterna"),
    ("enhet", "enheten", "enheter", "enheterna"),
    ("tjänst", "tjänsten", "tjänster", "tjänsterna"),
    ("möte", "mötet", "möten", "mötena"),
    ("fråga", "frågan", "frågor", "frågorna"),
    ("uppföljning", "uppföljningen", "uppföljningar", "uppföljningarna"),
    ("budget", "budgeten", "budgetar", "budgetarna"),
    ("bidrag", "bidraget", "bidrag", "bidragen"),
    ("myndighet", "myndigheten", "myndigheter", "myndigheterna"),
    ("handling", "handlingen", "handlingar", "handlingarna"),
    ("sjukhus", "sjukhuset", "sjukhus", "sjukhusen"),
    ("skola", "skolan", "skolor", "skolorna"),
    ("väg", "vägen", "vägar", "vägarna"),
    ("bana", "banan", "banor", "banorna"),
    ("miljö", "miljön", "miljöer", "miljöerna"),
    ("risk", "risken", "risker", "riskerna"),
    ("avgift", "avgiften", "avgifter", "avgifterna"),
    ("lokal", "lokalen", "lokaler", "lokalerna"),
    ("fastighet", "fastigheten", "fastigheter", "fastigheterna"),
    ("personal", "personalen", "personaler", "personalerna"),
    ("resa", "resan", "resor", "resorna"),
    ("stöd", "stödet", "stöd", "stöden"),
    ("tillstånd", "tillståndet", "tillstånd", "tillstånden"),
    ("granskning", "granskningen", "granskningar", "granskningarna"),
]
VERBS = [
    ("besluta", "beslutar", "beslutade", "beslutat"),
    ("föreslå", "föreslår", "föreslog", "föreslagit"),
    ("utreda", "utreder", "utredde", "utrett"),
    ("godkänna", "godkänner", "godkände", "godkänt"),
    ("anta", "antar", "antog", "antagit"),
    ("genomföra", "genomför", "genomförde", "genomfört"),
    ("ansöka", "ansöker", "ansökte", "ansökt"),
    ("bevilja", "beviljar", "beviljade", "beviljat"),
    ("redovisa", "redovisar", "redovisade", "redovisat"),
    ("samverka", "samverkar", "samverkade", "samverkat"),
    ("finansiera", "finansierar", "finansierade", "finansierat"),
    ("upphandla", "upphandlar", "upphandlade", "upphandlat"),
    ("överklaga", "överklagar", "överklagade", "överklagat"),
    ("inkomma", "inkommer", "inkom", "inkommit"),
]
ADJECTIVES = [
    ("regional", "regionalt", "regionala"),
    ("kommunal", "kommunalt", "kommunala"),
    ("ekonomisk", "ekonomiskt", "ekonomiska"),
    ("särskild", "särskilt", "särskilda"),
    ("tillfällig", "tillfälligt", "tillfälliga"),
    ("långsiktig", "långsiktigt", "långsiktiga"),
    ("digital", "digitalt", "digitala"),
    ("gemensam", "gemensamt", "gemensamma"),
    ("ny", "nytt", "nya"),
    ("hållbar", "hållbart", "hållbara"),
]


def vocabulary(rng: random.Random) -> list[str]:
    """Word forms in rank order: function words, the common forms, then a long tail."""
    common = [form for forms in NOUNS + VERBS + ADJECTIVES for form in forms[:2]]
    rng.shuffle(common)
    rest = [form for forms in NOUNS + VERBS + ADJECTIVES for form in forms[2:]]
    bases = [n[0] for n in NOUNS]
    # Compounds: two (or three) nouns, in their forms: the long tail of Swedish text.
    compounds = set()
    while len(compounds) < 30_000:
        first, second = rng.sample(NOUNS, 2)
        link = "s" if first[0][-1] not in "aeiouyåäös" and rng.random() < 0.4 else ""
        head = first[0] + link
        if rng.random() < 0.05:
            head += rng.choice(bases)
        compounds.add(head + rng.choice(second))
    tail = rest + sorted(compounds)
    rng.shuffle(tail)
    names = [*FIRST_NAMES, *LAST_NAMES, *(w for p in PLACES for w in p.split()[1:])]
    subjects = [w for s in SUBJECTS for w in s.split() if len(w) > 3]
    tail[200:200] = names + subjects  # names and subject words: fairly common, not top
    return list(dict.fromkeys(FUNCTION_WORDS + common + tail))


class TextMaker:
    """Makes texts of about ``size`` characters from a Zipf-distributed vocabulary."""

    def __init__(self, seed: int, size: int = 2000, exponent: float = 1.0):
        self.rng = random.Random(seed)
        self.vocab = vocabulary(self.rng)
        self.cum = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(self.vocab))))
        mean_len = sum(len(w) * (1 / (i + 1)) for i, w in enumerate(self.vocab)) / self.cum[-1]
        self.words_per_text = int(size / (mean_len + 1))
        self.size = size

    def text(self) -> str:
        rng = self.rng
        drawn = rng.choices(self.vocab, cum_weights=self.cum, k=self.words_per_text)
        # Things every document has: a counterpart, a place, an amount, a date, a reference.
        extras = [
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(ORGANISATIONS),
            f"{rng.randint(1, 999)} {rng.randint(0, 999):03d} kronor",
            f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"{rng.choice(('RS', 'HSN', 'RUN'))}/{rng.randint(1, 4000)}/{rng.randint(2019, 2026)}",
        ]
        for extra in extras:
            drawn.insert(rng.randrange(len(drawn)), extra)
        # Sentences of 8–20 words, each starting with a capital letter.
        out, i = [], 0
        while i < len(drawn):
            n = rng.randint(8, 20)
            sentence = " ".join(drawn[i : i + n])
            out.append(sentence[:1].upper() + sentence[1:] + ".")
            i += n
        return " ".join(out)[: self.size + 200]


def add_file_texts(engine: sa.Engine, n: int, seed: int, size: int = 2000) -> dict:
    """Give ``n`` random documents one file with extracted text each; returns timings."""
    started = time.perf_counter()
    maker = TextMaker(seed, size)
    doc = Document.__table__
    with engine.connect() as conn:
        ids = list(conn.execute(sa.select(doc.c.id).order_by(doc.c.id)).scalars())
        registrar = conn.execute(sa.select(doc.c.registered_by_id).limit(1)).scalar()
    chosen = sorted(random.Random(seed).sample(ids, min(n, len(ids))))
    stamp = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    chars = t_text = t_insert = 0.0
    for start in range(0, len(chosen), 5000):
        t0 = time.perf_counter()
        blobs, files, texts = [], [], []
        for doc_id in chosen[start : start + 5000]:
            text = maker.text()
            data = text.encode()
            sha = hashlib.sha256(data).hexdigest()
            chars += len(text)
            blobs.append({"sha256": sha, "size": len(data), "created_at": stamp})
            files.append(
                {
                    "document_id": doc_id,
                    "sha256": sha,
                    "filename": f"handling-{doc_id}.pdf",
                    "mime_type": "application/pdf",
                    "size": len(data),
                    "file_version": 1,
                    "uploaded_at": stamp,
                    "uploaded_by_id": registrar,
                }
            )
            texts.append(
                {
                    "sha256": sha,
                    "status": TextStatus.DONE.value,
                    "text": text,
                    "mime_type": "application/pdf",
                    "size": len(data),
                    "attempts": 1,
                    "queued_at": stamp,
                    "extracted_at": stamp,
                }
            )
        t1 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(FileBlob.__table__.insert(), blobs)
            conn.execute(DocumentFile.__table__.insert(), files)
            conn.execute(FileText.__table__.insert(), texts)
        t_text += t1 - t0
        t_insert += time.perf_counter() - t1
        print(f"\r  file texts {start + len(files):>7}/{len(chosen)}", end="", flush=True)
    print()
    return {
        "texts": len(chosen),
        "mean_chars": round(chars / max(1, len(chosen))),
        "vocabulary": len(maker.vocab),
        "make_text_s": round(t_text, 1),
        "insert_s": round(t_insert, 1),
        "total_s": round(time.perf_counter() - started, 1),
    }
