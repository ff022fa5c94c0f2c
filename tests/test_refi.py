"""REFI-QDA files: valid against the published schemas, safe and reproducible zips."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from ess_coop.files import windows_safe
from ess_coop.qda import build_project, codebook
from ess_coop.refi import codebook_xml, qdpx
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from refi_check import GUID, NS, SCHEMAS, assert_valid, tg
from samples import MakeWorkspace

ROOT = Path(__file__).resolve().parents[1]


def _qdpx(root: Path, *, anonymize: bool = False, lang: str = "fr") -> bytes:
    ws, _ = check_workspace(root, lang=lang)
    return qdpx(build_project(ws, synthesise(ws, lang=lang, anonymize=anonymize), lang=lang, anonymize=anonymize))


@pytest.mark.parametrize(("consent", "anonymize", "lang"), [("named", False, "fr"), ("anonymous", True, "en")])
def test_project_is_valid_and_every_reference_resolves(
    make_workspace: MakeWorkspace, consent: str, anonymize: bool, lang: str
) -> None:
    data = _qdpx(make_workspace(tg(consent)), anonymize=anonymize, lang=lang)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = assert_valid(archive.read("project.qde"), "Project-mrt2019.xsd")
        entries = archive.namelist()
    guids = {el.get("guid") for el in root.iter() if el.get("guid")}
    targets = [el.get("targetGUID") for el in root.iter() if el.get("targetGUID")]
    users = {u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert targets and set(targets) <= guids
    assert all(GUID.match(g) for g in guids)
    assert len(guids) == sum(1 for el in root.iter() if el.get("guid"))  # no GUID used twice
    assert {el.get("creatingUser") for el in root.iter() if el.get("creatingUser")} <= users
    paths = [s.get("plainTextPath") for s in root.iterfind("q:Sources/q:TextSource", NS)]
    assert entries == ["project.qde", "sources/", *(p.replace("internal://", "sources/") for p in paths)]


def test_zip_entries_are_safe_names_with_fixed_dates(make_workspace: MakeWorkspace) -> None:
    data = _qdpx(make_workspace(tg()))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos[:2]] == ["project.qde", "sources/"]
    for info in infos[2:]:
        assert re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", info.filename)
        assert windows_safe(info.filename.split("/")[1])
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.create_system for info in infos} == {0}
    assert infos[1].is_dir() and {info.external_attr >> 16 for info in infos} == {0o40755, 0o644}


def test_codebook_is_valid(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace(), lang="fr")
    root = assert_valid(codebook_xml(codebook(ws, lang="fr")), "Codebook-mrt2019.xsd")
    names = [c.get("name") for c in root.iterfind("c:Codes/c:Code", NS)]
    assert names == ["Thèmes", "Nature de l'énoncé", "Objectifs de développement durable (ODD)",
                     "Priorité des attentes et apports"]  # fmt: skip
    assert len(root.findall(".//c:Code", NS)) == 4 + 4 + 4 + 17 + 3


def test_an_invalid_project_fails_the_schema() -> None:
    """The check can fail: a selection without its end position is refused."""
    xml = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource guid="'
        + (b"0" * 8)
        + (
            b'-0000-0000-0000-000000000000"><PlainTextSelection guid="00000000-0000-0000-0000-000000000001" '
            b'startPosition="0"/></TextSource></Sources></Project>'
        )
    )
    with pytest.raises(AssertionError, match="endPosition"):
        assert_valid(xml, "Project-mrt2019.xsd")


def test_shipped_project_schema_is_the_published_one() -> None:
    shared = ROOT.parent / "shared" / "refi" / "Project-mrt2019.xsd"
    if not shared.is_file():
        pytest.skip("no ../shared/refi beside the repository")
    assert (SCHEMAS / "Project-mrt2019.xsd").read_bytes() == shared.read_bytes()


def test_a_project_with_no_interview_yet_is_valid(make_workspace: MakeWorkspace) -> None:
    data = _qdpx(make_workspace({"interviews/fr-a/2024-07-03-fr-a.yaml": None}))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = assert_valid(archive.read("project.qde"), "Project-mrt2019.xsd")
        assert archive.namelist() == ["project.qde", "sources/"]
    assert root.find("q:Sources", NS) is None
    assert len(root.findall("q:Cases/q:Case", NS)) == 4
