"""The Word interview form: tailored, never overwriting, identifiers that survive LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from ess_coop.forms.writer import bookmark_name, build_form, write_form
from ess_coop.validation import check_workspace
from samples import MakeWorkspace, libreoffice, soffice_pdf

DATE = dt.date(2025, 1, 2)


def _form(root: Path, actor: str, lang: str = "fr", date: dt.date = DATE) -> Path:
    ws, _ = check_workspace(root)
    return write_form(ws, actor, date=date, interviewers=["Xylm"], mode="video", lang=lang)


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _identifiers(xml: str) -> tuple[set[str], list[str]]:
    """(bookmark names, hidden markers) of a document."""
    return set(re.findall(r'w:name="(ess_[a-z0-9_]+)"', xml)), re.findall(r"\[ess:[a-z]+(?::[a-z0-9-]+)?\]", xml)


@pytest.mark.parametrize(
    ("actor", "asked", "not_asked"),
    [("tg-a", "loi-ess", "cooperation-decentralisee"), ("fr-b", "cooperation-decentralisee", "loi-ess")],
)
def test_form_has_the_questions_for_this_actor(
    make_workspace: MakeWorkspace, actor: str, asked: str, not_asked: str
) -> None:
    path = _form(make_workspace(), actor)
    assert path.relative_to(path.parents[2]).as_posix() == f"interviews/{actor}/2025-01-02-{actor}.docx"
    xml = _xml(path)
    assert f"[ess:answer:{asked}]" in xml and f"ess_answer_{asked.replace('-', '_')}" in xml
    assert f"[ess:answer:{not_asked}]" not in xml
    assert "[ess:answer:mission]" in xml


def test_form_prints_metadata_vocabulary_and_sdgs(make_workspace: MakeWorkspace) -> None:
    document = docx.Document(str(_form(make_workspace(), "tg-a", lang="en")))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "2025-01-02-tg-a" in cells and "ONG togolaise A (tg-a)" in cells and "Xylm" in cells
    assert "Composting" in cells and "compost" not in cells  # labels, never the vocabulary's ids
    assert "Partnerships for the goals" in cells and "17" in cells
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:3] == ["The interview", "Consent (to collect before starting)", "1. The organisation"]
    assert "What do you think of the draft ESS law?" in " ".join(cells)
    assert document.core_properties.author == "ess-coop" and document.core_properties.language == "en-GB"


def test_form_never_overwrites_a_transcript_or_a_form(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()  # holds interviews/fr-a/2024-07-03-fr-a.yaml
    first = _form(root, "fr-a", date=dt.date(2024, 7, 3))
    second = _form(root, "fr-a", date=dt.date(2024, 7, 3))
    assert (first.name, second.name) == ("2024-07-03-fr-a-2.docx", "2024-07-03-fr-a-3.docx")
    assert "2024-07-03-fr-a-2" in docx.Document(str(first)).tables[0].rows[1].cells[1].text


def test_form_is_reproducible(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace())
    actor = ws.actor("tg-b")
    assert actor is not None

    def make() -> bytes:
        return build_form(
            ws, actor, interview_id="2025-01-02-tg-b", date=DATE, interviewers=[], mode="phone", lang="fr"
        )

    assert make() == make()


def test_bookmark_names_fit_word() -> None:
    long_id = "a" + "-b" * 31
    names = {bookmark_name("answer", long_id), bookmark_name("answer", long_id[:-2]), bookmark_name("meta", "date")}
    assert len(names) == 3 and all(len(n) <= 40 and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) for n in names)


def test_identifiers_survive_libreoffice_and_the_form_opens(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    """LibreOffice 7.4 drops content-control tags and table descriptions: we rely on neither."""
    path = _form(make_workspace(), "tg-b")
    soffice = libreoffice()
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    before, after = _identifiers(_xml(path)), _identifiers(_xml(out / path.name))
    assert len(before[0]) == 19 and len(before[1]) == 35  # 19 anchors; 35 markers with the columns'
    assert after == before
    assert "w:tag" not in _xml(out / path.name)  # what we do not rely on indeed went away
    soffice_pdf(path, tmp_path)
