"""Editions: two versions with known differences, the record, the annex and ``ess-coop changes``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.editions import version_before, version_key, workspace_changes
from ess_coop.referential import build_date
from ess_coop.validation import check_workspace
from samples import PROJECT, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace, plain

runner = CliRunner()
TG_A = "interviews/tg-a/2024-07-10-tg-a.yaml"
TG_B = "interviews/tg-b/2024-07-20-tg-b.yaml"


def transcript(actor: str, date: str, expectations: list[tuple[str, str]], contributions: list[tuple[str, str]]) -> str:
    def items(pairs: list[tuple[str, str]]) -> str:
        return "".join(f"  - text: {text}\n    themes: [{theme}]\n" for text, theme in pairs) or "  []\n"

    return (
        f"format: 1\nid: {date}-{actor}\nactor: {actor}\ndate: {date}\nstatus: complete\nguide: guide-test@1\n"
        f"answers:\n  mission: Agir.\nexpectations:\n{items(expectations)}contributions:\n{items(contributions)}"
    )


PARTICIPATIF = "  - text: Financement participatif.\n    themes: [financement]\n"
HONNEUR = "  - text: Prêts d'honneur.\n    themes: [financement]\n"
FR_A_01 = TRANSCRIPT.replace(PARTICIPATIF, PARTICIPATIF + HONNEUR)
# 0.2: one expectation reworded, one added; the two contributions swapped (not a change), one of them
# given a second theme (a change: the themes are printed beside it).
FR_A_02 = (
    FR_A_01.replace("Apprendre le compostage.", "Apprendre le compostage collectif.")
    .replace("contributions:\n", "  - text: Former des animateurs.\n    themes: [gouvernance]\ncontributions:\n")
    .replace(PARTICIPATIF + HONNEUR, HONNEUR.replace("[financement]", "[financement, gouvernance]") + PARTICIPATIF)
)
V01 = {
    TRANSCRIPT_PATH: FR_A_01,
    TG_A: transcript("tg-a", "2024-07-10", [("Trouver des financements.", "financement")], [("Composter.", "compost")]),
}
V02 = {
    "ess-coop.yaml": PROJECT.replace('version: "0.1"', 'version: "0.2"'),
    TRANSCRIPT_PATH: FR_A_02,
    TG_A: None,  # withdrawn
    TG_B: transcript("tg-b", "2024-07-20", [("Financer la filière.", "financement")], []),
}


def build(root: Path, *args: str) -> str:
    result = runner.invoke(app, ["build-referential", "--workspace", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def two_editions(make_workspace: MakeWorkspace) -> Path:
    root = make_workspace(V01)
    build(root)
    make_workspace(V02)
    return root


def test_changes_between_two_editions(two_editions: Path) -> None:
    ws, report = check_workspace(two_editions)
    assert report.valid, report.issues
    changes = workspace_changes(ws, since=None, lang="fr", today=build_date())
    assert (changes.since, changes.version) == ("0.1", "0.2")
    assert [(i.id, i.change) for i in changes.interviews] == [
        ("2024-07-10-tg-a", "withdrawn"),
        ("2024-07-20-tg-b", "added"),
    ]
    assert [(s.actor, s.kind, s.change, s.before, s.after) for s in changes.statements] == [
        ("fr-a", "expectation", "changed", "Apprendre le compostage.", "Apprendre le compostage collectif."),
        ("fr-a", "expectation", "added", None, "Former des animateurs."),
        ("fr-a", "contribution", "changed", "Prêts d'honneur.", "Prêts d'honneur."),
        ("tg-b", "expectation", "added", None, "Financer la filière."),  # by name: Réseau togolais B
        ("tg-a", "expectation", "removed", "Trouver des financements.", None),
        ("tg-a", "contribution", "removed", "Composter.", None),
    ]
    assert [(lead.change, lead.theme, lead.expecting, lead.offering) for lead in changes.leads] == [
        ("gained", "financement", "tg-b", "fr-a"),
        ("lost", "compost", "fr-a", "tg-a"),
        ("lost", "financement", "tg-a", "fr-a"),
    ]
    assert (changes.quotes_added, changes.quotes_removed) == (0, 0)


def test_the_new_draft_has_the_annex(two_editions: Path) -> None:
    output = build(two_editions)
    assert "Édition enregistrée : output/editions/referentiel-0.2.json" in output
    assert "depuis la version 0.1" in output
    paragraphs = [plain(p.text) for p in docx.Document(str(two_editions / "output/referentiel.docx")).paragraphs]
    start = paragraphs.index("F. Ce qui a changé depuis la version 0.1")
    annex = paragraphs[start:]
    assert "Entretiens retirés (1)" in annex and "Entretiens ajoutés (1)" in annex
    # E02 is now Réseau togolais B's interview: the withdrawn one's reference names its version.
    assert "Réseau togolais B — entretien du 20 juillet 2024 [E02]" in annex
    assert "TG A — entretien du 10 juillet 2024 [E02 de la version 0.1]" in annex
    assert (
        "Modification (attente) : « Apprendre le compostage. » devient « Apprendre le compostage collectif. » [E01]"
        in annex
    )
    assert "Retrait (apport) : « Composter. » [E02 de la version 0.1]" in annex
    assert "Modification (apport) : « Prêts d'honneur. » — Financement devient Financement · Gouvernance [E01]" in annex
    assert "Financement : FR A pourrait répondre à l'attente de Réseau togolais B" in annex
    # No tool language in the document: no ids, no paths.
    assert not [p for p in annex if "tg-a" in p or "interviews/" in p or ".yaml" in p]


def test_the_annex_counts_quotes_in_a_sentence(two_editions: Path, make_workspace: MakeWorkspace) -> None:
    quote = '  - text: "Le compost, ça se partage."\n    speaker: P1\n    themes: [compost]\n'
    make_workspace(V02 | {TRANSCRIPT_PATH: FR_A_02.replace("quotes:\n", "quotes:\n" + quote)})
    build(two_editions)
    paragraphs = [plain(p.text) for p in docx.Document(str(two_editions / "output/referentiel.docx")).paragraphs]
    annex = paragraphs[paragraphs.index("F. Ce qui a changé depuis la version 0.1") :]
    assert "Citations ajoutées : 1 ; retirées : 0." in annex  # not "1 citation(s) ajoutée(s), 0 retirée(s)."


def test_rebuilding_a_version_compares_with_the_one_before(two_editions: Path) -> None:
    build(two_editions)
    make_workspace_again = two_editions / TRANSCRIPT_PATH
    make_workspace_again.write_text(FR_A_02.replace("Former des animateurs.", "Former des animatrices."), "utf-8")
    output = build(two_editions)
    assert "depuis la version 0.1" in output
    record = json.loads((two_editions / "output/editions/referentiel-0.2.json").read_text("utf-8"))
    assert "Former des animatrices." in [s["text"] for s in record["statements"]]
    assert sorted(p.name for p in (two_editions / "output/editions").glob("referentiel-*")) == [
        "referentiel-0.1.json",
        "referentiel-0.2.json",
    ]


def test_the_record_holds_only_what_was_printed(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(V01)
    build(root)
    raw = (root / "output/editions/referentiel-0.1.json").read_text("utf-8")
    assert "Note interne" not in raw  # notes
    assert "Jeanne" not in raw  # interviewees' names
    assert "réciprocité" not in raw  # quotes by fingerprint only
    record = json.loads(raw)
    assert record["version"] == "0.1" and len(record["quotes"]) == 1
    build(root)  # same inputs, same record: nothing rewritten
    assert (root / "output/editions/referentiel-0.1.json").read_text("utf-8") == raw


def test_changes_command(two_editions: Path) -> None:
    result = runner.invoke(app, ["changes", "--workspace", str(two_editions)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Changements depuis la version 0.1 (vers 0.2) :"
    assert "  FR A — Ajout (attente) : « Former des animateurs. » [E01]" in result.output
    assert "  Financement : FR A → Réseau togolais B" in result.output
    as_json = runner.invoke(app, ["changes", "--format", "json", "--workspace", str(two_editions)])
    ws, _ = check_workspace(two_editions)
    assert (
        as_json.stdout
        == workspace_changes(ws, since=None, lang="fr", today=build_date()).model_dump_json(indent=2) + "\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Erreur : output/editions: aucune édition du référentiel n'est encore enregistrée"),
        (["--since", "0.1"], "Erreur : output/editions: aucune édition du référentiel n'est encore enregistrée"),
    ],
)
def test_changes_without_record(make_workspace: MakeWorkspace, args: list[str], message: str) -> None:
    root = make_workspace()
    result = runner.invoke(app, ["changes", "--workspace", str(root), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message)


def test_changes_since_an_unknown_version(two_editions: Path) -> None:
    result = runner.invoke(app, ["changes", "--since", "0.0", "--workspace", str(two_editions)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : la version 0.0 n'est pas enregistrée (versions enregistrées : 0.1)")


def test_versions_in_natural_order() -> None:
    assert sorted(["1.0", "0.10", "0.9", "0.2"], key=version_key) == ["0.2", "0.9", "0.10", "1.0"]
    assert version_before(["0.1", "0.2", "0.10"], "0.10") == "0.2"
    assert version_before(["0.2"], "0.1") is None


def test_references_follow_the_newer_edition() -> None:
    from ess_coop.editions import Edition, EditionInterview, EditionStatement, compare, fingerprint

    def edition(version: str, interviews: list[tuple[str, str]], statements: list[tuple[str, str, str]]) -> Edition:
        day = dt.date(2024, 7, 1)
        return Edition(
            version=version,
            built_on=day,
            anonymize=False,
            include_drafts=False,
            leads=[],
            quotes=[],
            interviews=[EditionInterview(id=i, ref=r, actor=i, label=i.upper(), date=day) for i, r in interviews],
            statements=[
                EditionStatement(interview=i, actor=i, kind="expectation", index=n, ref=r, text=x, hash=fingerprint(x))
                for n, (i, r, x) in enumerate(statements)
            ],
        )

    old = edition("0.1", [("b", "E01")], [("b", "E01", "Un."), ("b", "E01", "Deux.")])
    new = edition("0.2", [("a", "E01"), ("b", "E02")], [("b", "E02", "Un.")])
    changes = compare(old, new)
    assert [(s.change, s.before, s.ref, s.old_ref) for s in changes.statements] == [("removed", "Deux.", "E02", False)]
    assert [(i.id, i.change, i.ref) for i in changes.interviews] == [("a", "added", "E01")]
