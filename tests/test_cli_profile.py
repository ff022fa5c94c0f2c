"""``ess-coop profile``: the partner's own sheet, the same text as its section of the référentiel."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.init_workspace import create_workspace
from ess_coop.yamlio import read_yaml
from samples import plain

runner = CliRunner()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("profile") / "ws"
    create_workspace(root, example=True)
    assert runner.invoke(app, ["build-referential", "--workspace", str(root)]).exit_code == 0
    return root


def texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    cells = [plain(c.text) for t in document.tables for r in t.rows for c in r.cells]
    return [plain(p.text) for p in document.paragraphs] + cells


def test_profile_is_the_referential_section(example: Path) -> None:
    # The sheet is made on 1 September 2024 (SOURCE_DATE_EPOCH): a reply date already past is refused.
    at = {"SOURCE_DATE_EPOCH": "1725148800"}
    result = runner.invoke(app, ["profile", "stadd", "--reply-by", "2024-09-20", "--workspace", str(example)], env=at)
    assert result.exit_code == 0, result.output
    assert "Écrit : output/fiche-stadd.docx" in result.output
    profile = texts(example / "output/fiche-stadd.docx")
    assert profile[0] == "Fiche de la structure — STADD"
    assert any("avant le 20 septembre 2024" in p for p in profile)
    paragraphs = docx.Document(str(example / "output/referentiel.docx")).paragraphs
    headings = [i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == "Heading 3"]
    start = next(i for i in headings if paragraphs[i].text == "STADD")  # the sheet in section 2
    end = next(i for i in headings if i > start)
    quotes = next(i for i in range(start, end) if paragraphs[i].text == "Paroles")
    body = [plain(p.text) for p in paragraphs[start:quotes] if p.text]
    # "Not yet reviewed by the organisation" is said to the committee, not to the organisation.
    not_reviewed = "Fiche non encore relue par la structure."
    assert not_reviewed in body and not_reviewed not in profile
    body.remove(not_reviewed)
    assert len(body) > 15 and all(p in profile for p in body)
    # The quotes come with how the référentiel prints them, reference included.
    said = [plain(p.text) for p in paragraphs[quotes + 1 : end] if p.style is not None and p.style.name == "Quote"]
    attributions = [plain(paragraphs[i + 1].text) for i in range(quotes + 1, end) if plain(paragraphs[i].text) in said]
    assert len(said) == 2
    assert all(text in profile for text in said)
    assert [p for p in profile if p.startswith("Apparaîtra ainsi")] == [
        f"Apparaîtra ainsi dans le référentiel : « … » {a}" for a in attributions
    ]


def test_profile_respects_consent_and_notes(example: Path) -> None:
    assert runner.invoke(app, ["profile", "smpdd", "--workspace", str(example)]).exit_code == 0
    text = "\n".join(texts(example / "output/fiche-smpdd.docx"))
    transcript = read_yaml(next((example / "interviews/smpdd").glob("*.yaml"))).data
    # Its anonymous quote is shown to the partner (never in the référentiel's profile) with its fate.
    quote = " ".join(transcript["quotes"][0]["text"].split())
    assert f"« {quote} »\nApparaîtra ainsi dans le référentiel : « … » — un partenaire\n" in text
    assert " ".join(transcript["notes"].split())[:40] not in " ".join(text.split())


def test_profile_needs_a_finished_interview(example: Path) -> None:
    result = runner.invoke(app, ["profile", "enpro", "--workspace", str(example)])
    assert result.exit_code == 1
    assert "« enpro » n'a pas encore d'entretien complet ou validé" in result.output
    result = runner.invoke(app, ["profile", "enpro", "--include-drafts", "--lang", "en", "--workspace", str(example)])
    assert result.exit_code == 0 and "output/profile-enpro.docx" in result.output


def test_profile_of_unknown_actor(example: Path) -> None:
    result = runner.invoke(app, ["profile", "stad", "--workspace", str(example)])
    assert result.exit_code == 1
    assert "acteur « stad » absent du registre (vouliez-vous dire « stadd » ?)" in result.output
