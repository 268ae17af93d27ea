"""The mbox that bench/mail.py imports: a Swedish region's registrar mailbox, generated.

Seeded and cached in bench/data/ (regenerated when the count, the seed or
``GENERATOR_VERSION`` changes). Mostly short Swedish mails, plain or text + HTML, replies
naming a case in the subject, forwards with Swedish Outlook blocks, auto-replies, a few
bounces and re-deliveries, ISO-8859-1 bodies, attachments of 50 kB – 2 MB with RFC 2231 /
RFC 2047 Swedish filenames, and a few scanned documents of 5–10 MB.
"""

from __future__ import annotations

import base64
import json
import math
import quopri
import random
import re
import textwrap
import time
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime, formataddr, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
#: Bumped when the generator changes, so a cached mbox of an older generator is redone.
GENERATOR_VERSION = 1
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MB = 1_000_000

FIRST = [
    "Anna", "Erik", "Karin", "Lars", "Maria", "Anders", "Eva", "Per", "Kristina", "Johan",
    "Åsa", "Björn", "Ingrid", "Göran", "Märta", "Örjan", "Sofia", "Mikael", "Helena",
    "Jörgen", "Linnéa", "Håkan", "Sara", "Stefan", "Elin", "Magnus", "Emma", "Ulf",
    "Birgitta", "Fredrik", "Susanna", "Tomas", "Agneta", "Pär", "Ylva", "Måns",
]  # fmt: skip
LAST = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Byström", "Löfgren", "Sjödin", "Öberg", "Åkesson",
    "Näslund", "Hägglund", "Strömberg", "Bäckström", "Forsgren", "Lindqvist", "Wikström",
    "Jönsson", "Hedström", "Ångström", "Noaksson", "Sundqvist", "Östlund", "Dahlén",
]  # fmt: skip
ORGS = [
    ("Östersunds kommun", "ostersund.se"), ("Krokoms kommun", "krokom.se"),
    ("Åre kommun", "are.se"), ("Bergs kommun", "berg.se"), ("Bräcke kommun", "bracke.se"),
    ("Ragunda kommun", "ragunda.se"), ("Strömsunds kommun", "stromsund.se"),
    ("Härjedalens kommun", "herjedalen.se"),
    ("Länsstyrelsen Jämtlands län", "lansstyrelsen.se"), ("Trafikverket", "trafikverket.se"),
    ("Tillväxtverket", "tillvaxtverket.se"), ("Vinnova", "vinnova.se"),
    ("Boverket", "boverket.se"), ("Socialstyrelsen", "socialstyrelsen.se"),
    ("Mittuniversitetet", "miun.se"), ("Region Västernorrland", "rvn.se"),
    ("Region Jämtland Härjedalen", "regionjh.se"), ("Jämtkraft AB", "jamtkraft.se"),
]  # fmt: skip
PRIVATE = ["gmail.com", "hotmail.com", "outlook.com", "telia.com", "live.se", "icloud.com"]
TITLES = [
    "Handläggare", "Utvecklingsstrateg", "Enhetschef", "Kommunsekreterare", "Controller",
    "Projektledare", "Registrator", "Verksamhetsutvecklare", "Näringslivsutvecklare",
]  # fmt: skip
TOPICS = [
    "projektmedel för landsbygdsutveckling", "länsplan för regional transportinfrastruktur",
    "den regionala utvecklingsstrategin", "kollektivtrafiken i Bergs kommun",
    "hybridarbete och coworking", "bredbandsutbyggnad i Strömsund",
    "kompetensförsörjning inom vården", "folkhälsoarbetet under året",
    "vattenförsörjning i fjällområdet", "kulturstöd till föreningar", "Myndighetsnätverket",
    "besöksnäringens återstart", "destinationsutveckling i Åre", "näringslivsstrategin",
    "tandvårdens väntetider", "ambulansverksamheten i Härjedalen",
    "den regionala livsmedelsstrategin", "elektrifiering av tunga transporter",
    "Interreg Aurora", "smart specialisering", "företagsstöd till små företag",
    "samverkan kring psykisk hälsa", "kulturmiljöprogrammet", "Mittstråket",
]  # fmt: skip
SUBJECTS = [
    "Ansökan om {t}", "Remiss: {t}", "Fråga om {t}", "Inbjudan till möte om {t}",
    "Synpunkter på {t}", "Yttrande över {t}", "Begäran om allmän handling rörande {t}",
    "Anmälan om {t}", "Rapport om {t}", "Komplettering gällande {t}", "Underlag till {t}",
    "Överklagande av beslut om {t}", "Angående {t}", "Information om {t}",
]  # fmt: skip
SENTENCES = [
    "Vi har tagit del av underlaget och återkommer med synpunkter inom utsatt tid.",
    "Bifogat finns ansökan med budget och tidplan för projektet.",
    "Kommunstyrelsen behandlade ärendet vid sitt sammanträde förra veckan.",
    "Kan ni bekräfta att handlingarna har kommit in och diarieförts?",
    "Enligt beslutet ska redovisningen lämnas senast den 30 juni.",
    "Vi önskar ta del av protokollet från regionstyrelsens senaste sammanträde.",
    "Projektet syftar till att stärka kompetensförsörjningen i länet.",
    "Länsstyrelsen har inga invändningar mot förslaget i sin helhet.",
    "Det är viktigt att även de mindre orterna i glesbygden får del av satsningen.",
    "Frågan har också diskuterats i samverkansgruppen för näringslivsfrågor.",
    "Vi föreslår att mötet hålls digitalt via Teams.",
    "Underlaget har kompletterats med en riskanalys och en kostnadskalkyl.",
    "Tack för ett givande möte i tisdags på Regionens hus i Östersund.",
    "Återkom gärna om något är oklart eller om ni behöver fler uppgifter.",
    "Beslutet kan överklagas hos förvaltningsrätten inom tre veckor.",
    "Handläggaren för ärendet är tjänstledig under sommaren.",
    "Föreningen har haft verksamhet i Strömsund sedan 1987.",
    "Vi ser fram emot ett fortsatt gott samarbete under året.",
    "Medfinansieringen från kommunen uppgår till 450 000 kronor.",
    "Remissvaret ska vara regionen tillhanda senast fredag vecka 14.",
    "I bilagan framgår hur medlen har använts under projektperioden.",
    "Trafikverket planerar åtgärder på väg E14 mellan Åre och Duved.",
    "Vi vill uppmärksamma er på att tidplanen har förskjutits något.",
    "Ärendet gäller bidrag till kulturarrangemang i Härjedalen.",
    "Synpunkterna nedan är framtagna tillsammans med miljöförvaltningen.",
    "Deltagarna från Bräcke och Ragunda har anmält förhinder.",
    "Rapporten visar på en ökning av antalet besökare med 12 procent.",
    "Vänligen skicka fakturan till vår e-fakturaadress.",
    "Personuppgifterna behandlas enligt dataskyddsförordningen (GDPR).",
    "Mer information finns på vår webbplats under rubriken Regional utveckling.",
    "Styrgruppen träffas nästa gång den 14 oktober kl. 13.00–15.00.",
    "Vi har svårt att se hur förslaget påverkar företagen i Östersund på kort sikt.",
]
ATTACHMENTS = [
    ("Ansökan om projektmedel", "pdf"), ("Yttrande över remiss", "docx"),
    ("Budget för år 2022", "xlsx"), ("Protokoll från årsmötet", "pdf"), ("Fullmakt", "pdf"),
    ("Lägesrapport för Östersund", "docx"), ("Tidplan och åtgärdsförslag", "pdf"),
    ("Bilaga 2 – Kostnadskalkyl", "xlsx"), ("Slutrapport Interreg Åre–Trondheim", "pdf"),
    ("Karta över området", "jpg"), ("Skrivelse till regionstyrelsen", "docx"),
    ("Intyg", "pdf"), ("scan_0042", "pdf"), ("invoice_2021-118", "pdf"), ("IMG_2043", "jpg"),
    ("Verksamhetsplan och budget för föreningen Östersunds Fältrittklubb 2022", "docx"),
]  # fmt: skip
TYPES = {
    "pdf": ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04\x14\x00\x06\x00",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04\x14\x00\x06\x00",
    ),
    "jpg": ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]  # fmt: skip
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
REGISTRAR = ("Registrator Region Jämtland Härjedalen", "registrator@regionjh.se")
#: What each kind of generated message must come out as (a reply: filed if its case exists).
KIND_WEIGHTS = {
    "new": 43, "reply": 30, "forward": 12, "autoreply": 11, "bounce": 2, "redelivery": 1,
    "reply_unknown": 1,
}  # fmt: skip
#: Share of new mails, replies and forwards that carry files; of those, the large ones.
P_ATTACHMENTS = 0.09
P_LARGE = 0.0025
#: Replies name RS/1..REPLY_RANGE/2021; those above --cases are queued (no such case).
REPLY_RANGE = 2300


def _fold(text: str) -> str:
    table = str.maketrans("åäöÅÄÖéü", "aaoAAOeu")
    return re.sub(r"[^a-z0-9.]", "", text.translate(table).lower())


def people(seed: int, count: int = 400) -> list[tuple[str, str, str | None]]:
    """(name, address, organisation) of the registrar's correspondents; also the parties."""
    rng = random.Random(f"people-{seed}")
    found, seen = [], set()
    while len(found) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.8:
            org, domain = rng.choice(ORGS)
            address = f"{_fold(first)}.{_fold(last)}@{domain}"
        else:
            org, address = (
                None,
                f"{_fold(first)}{_fold(last)}{rng.randint(1, 99)}@" + (rng.choice(PRIVATE)),
            )
        if address not in seen:
            seen.add(address)
            found.append((f"{first} {last}", address, org))
    return found


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.people = people(seed)
        self.start = datetime(2021, 1, 4, 7, tzinfo=STOCKHOLM)

    # -- pieces -----------------------------------------------------------------------------

    def hexid(self, n: int = 16) -> str:
        return self.rng.randbytes(n // 2).hex()

    def date(self, index: int, total: int) -> datetime:
        span = timedelta(days=700)
        when = self.start + span * (index / max(total, 1))
        when += timedelta(minutes=self.rng.randint(0, 600))
        return when.astimezone(STOCKHOLM)

    def paragraphs(self, target: int) -> list[str]:
        out, size = [], 0
        while size < target:
            para = " ".join(self.rng.choice(SENTENCES) for _ in range(self.rng.randint(1, 4)))
            out.append(para)
            size += len(para) + 2
        return out

    def signature(self, person) -> str:
        name, address, org = person
        lines = ["Med vänliga hälsningar", "", name]
        if org:
            lines += [self.rng.choice(TITLES), org, f"Tel: 063-{self.rng.randint(100000, 999999)}"]
        lines.append(address)
        return "\n".join(lines)

    def outlook_block(self, sender, recipient, when: datetime, subject: str) -> str:
        stamp = f"den {when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M}"
        return (
            f"Från: {sender[0]} <{sender[1]}>\nSkickat: {stamp}\n"
            f"Till: {recipient[0]} <{recipient[1]}>\nÄmne: {subject}\n"
        )

    def subject(self) -> str:
        topic = self.rng.choice(TOPICS)
        return self.rng.choice(SUBJECTS).format(t=topic)

    def trace_headers(self, sender_domain: str, when: datetime) -> list[str]:
        """What a message picks up on its way in: Received, DKIM, Exchange headers."""
        rng, stamp = self.rng, format_datetime(when)
        ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        lines = []
        for hop in range(rng.randint(2, 4)):
            lines.append(
                f"Received: from EX{hop + 1:02d}.regionjh.se (10.10.1.{20 + hop}) by\n"
                f" EX{hop + 2:02d}.regionjh.se (10.10.1.{21 + hop}) with Microsoft SMTP Server\n"
                " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\n"
                f" 15.1.2375.{rng.randint(1, 40)}; {stamp}"
            )
        lines.append(
            f"Received: from mail.{sender_domain} (mail.{sender_domain} [{ip}])\n"
            f"\tby mx1.regionjh.se (Postfix) with ESMTPS id {self.hexid(12).upper()}\n"
            f"\tfor <{REGISTRAR[1]}>; {stamp}"
        )
        if rng.random() < 0.7:
            b = base64.b64encode(rng.randbytes(256)).decode()
            lines.append(
                f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={sender_domain};\n"
                " s=selector1; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version;\n"
                f" bh={base64.b64encode(rng.randbytes(32)).decode()};\n b="
                + "\n ".join(textwrap.wrap(b, 72))
            )
            lines.append(
                "Authentication-Results: mx1.regionjh.se; dkim=pass (2048-bit key)\n"
                f" header.d={sender_domain}; spf=pass smtp.mailfrom={sender_domain};\n"
                f" dmarc=pass (p=quarantine) header.from={sender_domain}"
            )
        lines += [
            "X-MS-Exchange-Organization-SCL: 1",
            "X-MS-Exchange-Organization-AuthSource: EX01.regionjh.se",
            "X-MS-Exchange-Organization-AuthAs: Anonymous",
            f"X-Originating-IP: [{ip}]",
            "Content-Language: sv-SE",
            "Accept-Language: sv-SE, en-US",
        ]
        return lines

    def text_part(self, text: str, charset: str, html: bool = False) -> tuple[list[str], bytes]:
        subtype = "html" if html else "plain"
        data = text.encode(charset, "replace")
        rng = self.rng
        if charset != "utf-8":
            cte = rng.choice(["quoted-printable", "quoted-printable", "8bit"])
        else:
            cte = rng.choice(["quoted-printable", "quoted-printable", "8bit", "base64"])
        if cte == "quoted-printable":
            body = quopri.encodestring(data)
        elif cte == "base64":
            body = base64.encodebytes(data)
        else:
            body = data
        if not body.endswith(b"\n"):
            body += b"\n"
        return [
            f'Content-Type: text/{subtype}; charset="{charset}"',
            f"Content-Transfer-Encoding: {cte}",
        ], body

    def html_of(self, text: str) -> str:
        paras = "".join(
            f'<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,'
            f'sans-serif">{line or "&nbsp;"}</span></p>\n'
            for para in text.split("\n\n")
            for line in para.split("\n")
        )
        return (
            "<html>\n<head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            "<style><!--\n@font-face {font-family:Calibri;}\n"
            "p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt;"
            ' font-family:"Calibri",sans-serif;}\n'
            "span.E-postmall17 {mso-style-type:personal-compose; color:windowtext;}\n"
            "@page WordSection1 {size:612.0pt 792.0pt; margin:70.85pt 70.85pt 70.85pt 70.85pt;}\n"
            "--></style>\n</head>\n"
            f'<body lang="SV" link="#0563C1" vlink="#954F72">\n<div class="WordSection1">\n'
            f"{paras}</div>\n</body>\n</html>\n"
        )

    def filename_params(self, name: str) -> tuple[str, str]:
        """Content-Type name=… and Content-Disposition filename=… as clients write them."""
        if name.isascii():
            return f'name="{name}"', f'filename="{name}"'
        style = self.rng.choice(["rfc2231", "rfc2231", "rfc2231_long", "rfc2231_latin1", "rfc2047"])
        encoded = Header(name, "utf-8").encode(maxlinelen=10_000)
        if style == "rfc2047":  # Outlook/Exchange
            return f'name="{encoded}"', f'filename="{encoded}"'
        if style == "rfc2231_latin1":
            value = quote(name.replace("–", "-").encode("iso-8859-1", "replace"), safe="")
            return f'name="{encoded}"', f"filename*=iso-8859-1''{value}"
        if style == "rfc2231_long" or len(name) > 40:  # Thunderbird: continuations
            chunks = [name[i : i + 20] for i in range(0, len(name), 20)]
            params = [f"filename*0*=utf-8''{quote(chunks[0], safe='')}"]
            params += [f"filename*{i}*={quote(c, safe='')}" for i, c in enumerate(chunks[1:], 1)]
            return f'name="{encoded}"', ";\n ".join(params)
        return f'name="{encoded}"', f"filename*=utf-8''{quote(name, safe='')}"

    def attachment(self, size: int, large: bool = False) -> tuple[list[str], bytes]:
        name, ext = ("Inskannade handlingar", "pdf") if large else self.rng.choice(ATTACHMENTS)
        if ext != "jpg" and self.rng.random() < 0.3 and not large:
            ext = self.rng.choice(["pdf", "docx"])
        content_type, magic = TYPES[ext]
        content = magic + self.rng.randbytes(max(0, size - len(magic)))
        ct_param, cd_param = self.filename_params(f"{name}.{ext}")
        return [
            f"Content-Type: {content_type};\n {ct_param}",
            f"Content-Description: {name}.{ext}" if name.isascii() else "",
            f"Content-Disposition: attachment;\n {cd_param}; size={len(content)}",
            "Content-Transfer-Encoding: base64",
        ], base64.encodebytes(content)

    def logo(self) -> tuple[list[str], bytes]:
        content = TYPES["png"][1] + self.rng.randbytes(self.rng.randint(3_000, 9_000))
        cid = f"image001.png@01D7{self.hexid(12).upper()}"
        return [
            'Content-Type: image/png; name="image001.png"',
            "Content-Description: image001.png",
            'Content-Disposition: inline; filename="image001.png"',
            f"Content-ID: <{cid}>",
            "Content-Transfer-Encoding: base64",
        ], base64.encodebytes(content)

    def multipart(self, subtype: str, parts: list[tuple[list[str], bytes]], extra: str = ""):
        boundary = f"_{self.rng.randint(0, 999):03d}_{self.hexid(24).upper()}_"
        chunks = [b"This is a multi-part message in MIME format.\n"] if subtype == "mixed" else []
        for headers, body in parts:
            head = "\n".join(h for h in headers if h)
            chunks.append(f"--{boundary}\n{head}\n\n".encode() + body)
        chunks.append(f"--{boundary}--\n".encode())
        return [f'Content-Type: multipart/{subtype};\n boundary="{boundary}"{extra}'], b"".join(
            chunks
        )

    # -- one message --------------------------------------------------------------------------

    def message(self, kind: str, index: int, total: int, seq: int | None) -> bytes:
        rng = self.rng
        when = self.date(index, total)
        sender = rng.choice(self.people)
        domain = sender[1].split("@")[1]
        charset = "iso-8859-1" if rng.random() < 0.12 else "utf-8"
        headers = self.trace_headers(domain, when)
        message_id = f"<{self.hexid(32).upper()}@{domain.split('.')[0].upper()}.{domain}>"
        in_reply_to = None
        topic_subject = self.subject()
        target = int(math.exp(rng.uniform(math.log(250), math.log(3000))))

        if kind in ("reply", "reply_unknown"):
            number = f"RS/{seq}/2021"
            form = rng.choice(
                [number, number, f"[{number}]", f"Dnr {number}", f"RS {seq}/2021", number.lower()]
            )
            subject = rng.choice(["SV: ", "SV: ", "Sv: ", "RE: ", "SV: SV: "]) + (
                f"{form} {topic_subject}" if rng.random() < 0.8 else f"{topic_subject} {form}"
            )
            in_reply_to = f"<{self.hexid(32)}@regionjh.se>"
            earlier = when - timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
            quoted = "\n\n".join(self.paragraphs(target // 3))
            text = (
                "Hej!\n\n"
                + "\n\n".join(self.paragraphs(target // 2))
                + "\n\n"
                + self.signature(sender)
                + "\n\n"
                + self.outlook_block(REGISTRAR, sender[:2], earlier, f"{number} {topic_subject}")
                + "\n"
                + quoted
                + "\n"
            )
        elif kind == "forward":
            original = rng.choice(self.people)
            subject = rng.choice(["VB: ", "VB: ", "Vb: ", "FW: ", "Fwd: "]) + topic_subject
            earlier = when - timedelta(days=rng.randint(0, 5), minutes=rng.randint(0, 600))
            mention = (
                f"Gäller ert ärende RS/{rng.randint(1, REPLY_RANGE)}/2021.\n\n"
                if rng.random() < 0.3
                else ""
            )
            text = (
                rng.choice(["För diarieföring.", "Hej, detta borde diarieföras.", "Till er."])
                + "\n\n"
                + self.signature(sender)
                + "\n\n"
                + self.outlook_block(original[:2], sender[:2], earlier, topic_subject)
                + "\n"
                + mention
                + "\n\n".join(self.paragraphs(target))
                + "\n\n"
                + self.signature(original)
                + "\n"
            )
        elif kind == "autoreply":
            about = rng.choice(
                [topic_subject, f"SV: RS/{rng.randint(1, REPLY_RANGE)}/2021 {topic_subject}"]
            )
            subject = rng.choice(["Frånvaro: ", "Frånvaro: ", "Automatiskt svar: "]) + about
            back = when + timedelta(days=rng.randint(3, 40))
            text = (
                f"Hej!\n\nJag är tjänstledig till och med {back:%Y-%m-%d} och läser inte min "
                "e-post. Vid brådskande ärenden, kontakta registrator på "
                f"{REGISTRAR[1]} eller växeln 063-14 75 00.\n\n{sender[0]}\n"
            )
            headers += ["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"]
            in_reply_to = f"<{self.hexid(32)}@regionjh.se>"
        else:  # new
            subject = topic_subject
            mention = (
                f"Vi hänvisar till ert dnr RS/{rng.randint(1, REPLY_RANGE)}/2021.\n\n"
                if rng.random() < 0.1
                else ""
            )
            text = (
                rng.choice(["Hej!", "Hej,", "Till Region Jämtland Härjedalen", "Hej registrator!"])
                + "\n\n"
                + mention
                + "\n\n".join(self.paragraphs(target))
                + "\n\n"
                + self.signature(sender)
                + "\n"
            )
        if charset != "utf-8":
            text = text.replace("–", "-")
        text = "\n".join(
            textwrap.fill(line, 76) if len(line) > 76 else line for line in text.split("\n")
        )

        plain = self.text_part(text, charset)
        with_html = kind != "autoreply" and rng.random() < 0.5
        if with_html:
            html = self.text_part(self.html_of(text), charset, html=True)
            if rng.random() < 0.15:
                html = self.multipart("related", [html, self.logo()], '; type="text/html"')
            body = self.multipart("alternative", [plain, html])
        else:
            body = plain
        if kind in ("new", "reply", "forward") and rng.random() < P_LARGE:
            files = [self.attachment(rng.randint(5 * MB, 10 * MB), large=True)]
            body = self.multipart("mixed", [body, *files])
        elif kind in ("new", "reply", "forward") and rng.random() < P_ATTACHMENTS:
            count = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
            sizes = [int(math.exp(rng.uniform(math.log(50_000), math.log(2 * MB))))
                     for _ in range(count)]  # fmt: skip
            body = self.multipart("mixed", [body, *(self.attachment(s) for s in sizes)])

        head = [
            f"From: {formataddr(sender[:2], charset='utf-8')}",
            f"To: {formataddr(REGISTRAR, charset='utf-8')}",
            "Subject: " + Header(subject, charset, header_name="Subject").encode(),
            f"Date: {format_datetime(when)}",
            f"Message-ID: {message_id}",
        ]
        if in_reply_to:
            head += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
        head += [
            "Thread-Topic: " + Header(subject, charset, header_name="Thread-Topic").encode(),
            f"Thread-Index: {base64.b64encode(rng.randbytes(22)).decode()}",
            "X-MS-Has-Attach: " + ("yes" if b"attachment;" in body[1] else ""),
            "MIME-Version: 1.0",
        ]
        headers = headers + head + body[0]
        return "\n".join(headers).encode("ascii") + b"\n\n" + body[1]

    def bounce(self, index: int, total: int) -> bytes:
        rng, when = self.rng, self.date(index, total)
        recipient = rng.choice(self.people)
        original_subject = f"RS/{rng.randint(1, REPLY_RANGE)}/2021 {self.subject()}"
        ours = f"<{self.hexid(32)}@regionjh.se>"
        explanation = (
            "Det gick inte att leverera meddelandet till följande mottagare:\n\n"
            f"{recipient[1]}\nMottagarens e-postadress hittades inte.\n"
        ).encode()
        status = (
            f"Reporting-MTA: dns; mx1.regionjh.se\nArrival-Date: {format_datetime(when)}\n\n"
            f"Final-Recipient: rfc822; {recipient[1]}\nAction: failed\nStatus: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
        ).encode()
        returned = (
            f"From: {formataddr(REGISTRAR, charset='utf-8')}\nTo: {recipient[1]}\n"
            "Subject: " + Header(original_subject, "utf-8").encode() + "\n"
            f"Message-ID: {ours}\nDate: {format_datetime(when - timedelta(minutes=1))}\n"
        ).encode()
        ctype, body = self.multipart(
            "report",
            [
                (['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: 8bit"],
                 explanation),
                (["Content-Type: message/delivery-status"], status),
                (["Content-Type: text/rfc822-headers"], returned),
            ],
            "; report-type=delivery-status",
        )  # fmt: skip
        head = [
            "From: Mail Delivery System <MAILER-DAEMON@mx1.regionjh.se>",
            f"To: {REGISTRAR[1]}",
            "Subject: " + Header("Olevererbart: " + original_subject, "utf-8").encode(),
            f"Date: {format_datetime(when)}",
            f"Message-ID: <{self.hexid(24)}@mx1.regionjh.se>",
            "Auto-Submitted: auto-replied",
            "MIME-Version: 1.0",
            *ctype,
        ]
        return "\n".join(head).encode("ascii") + b"\n\n" + body


def _from_line(raw: bytes) -> bytes:
    match = re.search(rb"(?m)^Date: (.+)$", raw)
    when = parsedate_to_datetime(match[1].decode()).astimezone(UTC) if match else datetime.now(UTC)
    stamp = f"{DAYS[when.weekday()]} {MON[when.month - 1]} {when.day:2d} {when:%H:%M:%S %Y}"
    return f"From MAILER-DAEMON {stamp}\n".encode()


def generate(path: Path, count: int, seed: int) -> dict:
    """Write the mbox; returns what it holds (kinds, and the case each reply names)."""
    gen = Generator(seed)
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    plan: list[list] = []
    written: list[bytes] = []  # only the short ones, for re-deliveries
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        for index in range(count):
            kind = gen.rng.choices(kinds, weights)[0]
            seq = None
            if kind == "redelivery" and written:
                raw = gen.rng.choice(written)
            else:
                if kind == "redelivery":
                    kind = "new"
                if kind == "bounce":
                    raw = gen.bounce(index, count)
                else:
                    if kind == "reply":
                        seq = gen.rng.randint(1, REPLY_RANGE)
                    elif kind == "reply_unknown":
                        seq = gen.rng.randint(REPLY_RANGE + 1, 9999)
                    raw = gen.message(kind, index, count, seq)
                if len(raw) < 20_000 and kind != "bounce":
                    written.append(raw)
                    if len(written) > 200:
                        written.pop(0)
            plan.append([kind, seq, len(raw)])
            out.write(_from_line(raw))
            out.write(re.sub(rb"(?m)^(>*From )", rb">\1", raw))
            out.write(b"\n")
    tmp.replace(path)
    return {"plan": plan}


def ensure_mbox(count: int, seed: int) -> tuple[Path, dict, float | None]:
    """The cached mbox for (count, seed), generated if missing; (path, meta, seconds)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"mail-{count}-seed{seed}.mbox"
    meta_path = path.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta["messages"] == count
            and meta["seed"] == seed
            and meta["generator"] == GENERATOR_VERSION
            and path.stat().st_size == meta["bytes"]
        ):
            return path, meta, None
    except (OSError, ValueError, KeyError):
        pass
    print(f"generating {count} messages into {path.relative_to(ROOT)} …", flush=True)
    started = time.perf_counter()
    meta = generate(path, count, seed)
    seconds = time.perf_counter() - started
    meta.update(messages=count, seed=seed, generator=GENERATOR_VERSION, bytes=path.stat().st_size)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return path, meta, seconds


def expected_status(kind: str, seq: int | None, cases: int) -> str:
    if kind == "reply":
        return "filed" if seq <= cases else "queued"
    return {
        "new": "queued",
        "forward": "queued",
        "reply_unknown": "queued",
        "autoreply": "autoreply",
        "bounce": "bounce",
        "redelivery": "duplicate",
    }[kind]
