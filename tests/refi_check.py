"""Reading a ``.qdpx`` or ``.qdc`` back, as a researcher's software would, for the tests."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "data" / "refi"
NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Ewe letters, a decomposed accent (e + U+0301) and emoji outside the BMP (two UTF-16 units
# each): a position counted in UTF-16 units or in bytes lands on the wrong character.
EWE = "Ɖeviwo ƒe ŋɔŋlɔ: ʋɔ ɣe ɛ — re\u0301seau 🌍🤝 fin"
TG_TRANSCRIPT = """\
format: 1
id: 2024-07-10-tg-a
actor: tg-a
date: 2024-07-10
status: complete
guide: guide-test@1
mode: phone
interviewers: [STADD, Kofi Mensah]
interviewees:
  - {{ref: P1, name: Abla Dzɔ, role: Coordinatrice}}
consent: {{quotes: {consent}}}
answers:
  mission: "Mission 🌱 de ɖevi."
expectations:
  - text: "{ewe}"
    themes: [plastique, compost]
    sdgs: [12, 17]
    priority: medium
  - text: "Après l'émoji 🤝, encore : ŋ."
    themes: [financement]
contributions:
  - text: "Savoir-faire ɖe 👩🏾‍🔧 recyclage."
    themes: [plastique]
constraints:
  - text: Connexion instable.
quotes:
  - text: "Ŋkɔ 🙂 de la citation."
    speaker: P1
    themes: [gouvernance]
notes: Secret de l'enquêteur, jamais exporté.
"""


def tg(consent: str = "named") -> dict[str, str]:
    return {"interviews/tg-a/2024-07-10-tg-a.yaml": TG_TRANSCRIPT.format(consent=consent, ewe=EWE)}


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def assert_valid(xml: bytes, name: str) -> etree._Element:
    """Parse ``xml`` and validate it against the REFI-QDA schema ``name``; the root element."""
    root = etree.fromstring(xml)
    checker = schema(name)
    assert checker.validate(root), checker.error_log
    return root


@dataclass
class Passage:
    source: str  # source name
    text: str  # what the selection covers
    codes: list[str]  # code names


@dataclass
class Qdpx:
    root: etree._Element
    entries: list[str]
    texts: dict[str, str]  # source name → its plain text
    codes: dict[str, str]  # code GUID → name
    passages: list[Passage]

    def everything(self) -> str:
        """Every text of the file: the XML and the sources."""
        xml = etree.tostring(self.root, encoding="unicode")
        return xml + "\n".join(self.texts.values())

    def cases(self) -> dict[str, dict[str, str]]:
        """Case name → {variable name: value}."""
        names = {v.get("guid"): v.get("name") for v in self.root.iterfind(".//q:Variable", NS)}
        out = {}
        for case in self.root.iterfind("q:Cases/q:Case", NS):
            values = {}
            for value in case.iterfind("q:VariableValue", NS):
                ref = value.find("q:VariableRef", NS).get("targetGUID")
                values[names[ref]] = value[1].text
            out[case.get("name")] = values
        return out

    def users(self) -> list[str]:
        return [u.get("name") for u in self.root.iterfind("q:Users/q:User", NS)]


def read_qdpx(data: bytes, tmp: Path) -> Qdpx:
    """Validate and read a ``.qdpx`` back: every selection's text taken from its source file."""
    path = tmp / "read.qdpx"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as archive:
        entries = archive.namelist()
        root = assert_valid(archive.read("project.qde"), "Project-mrt2019.xsd")
        codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
        texts, passages = {}, []
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            internal = source.get("plainTextPath")
            assert internal.startswith("internal://")
            text = archive.read("sources/" + internal.removeprefix("internal://")).decode("utf-8")
            texts[source.get("name")] = text
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert 0 <= start < end <= len(text)
                refs = [c.get("targetGUID") for c in selection.iterfind("q:Coding/q:CodeRef", NS)]
                assert all(ref in codes for ref in refs)
                passages.append(Passage(source.get("name"), text[start:end], [codes[ref] for ref in refs]))
    return Qdpx(root, entries, texts, codes, passages)
