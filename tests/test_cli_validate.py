"""``ess-coop validate``: exact lines, exit codes, JSON equal to the library's report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.validation import check_workspace
from samples import PROJECT, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

runner = CliRunner()


def run(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", "--workspace", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_clean_workspace_exits_0(make_workspace: MakeWorkspace) -> None:
    code, out = run(make_workspace())
    assert code == 0
    assert "Aucune erreur : 5 fichier(s) vérifié(s), dont 1 entretien(s), 0 avertissement(s)." in out


def test_error_line_is_located_in_french(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("status: complete", "status: complet")})
    code, out = run(root)
    assert code == 1
    assert (
        "interviews/fr-a/2024-07-03-fr-a.yaml:5:9: erreur invalid-value: valeur « complet » non prévue pour "
        "« status » (vouliez-vous dire « complete » ?) — valeurs possibles : draft, complete, validated"
    ) in out
    assert "1 erreur(s) et 0 avertissement(s)" in out


@pytest.mark.parametrize("how", ["flag", "workspace"])
def test_english(make_workspace: MakeWorkspace, how: str) -> None:
    files = {TRANSCRIPT_PATH: TRANSCRIPT.replace("languge", "x").replace("language: fr", "languge: fr")}
    if how == "workspace":
        files["ess-coop.yaml"] = PROJECT.replace("language: fr", "language: en")
    code, out = run(make_workspace(files), *(["--lang", "en"] if how == "flag" else []))
    assert code == 1
    assert ':8:1: error unknown-key: unknown key "languge" (did you mean "language"?)' in out


def test_warnings_pass_unless_strict(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("quotes: named", "quotes: role")})
    assert run(root)[0] == 0
    code, out = run(root, "--strict")
    assert code == 1
    assert "avertissement names-without-consent" in out


def test_json_is_the_library_report(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("sdgs: [12]", "sdgs: [18]")})
    code, out = run(root, "--format", "json")
    assert code == 1
    assert json.loads(out) == json.loads(check_workspace(root)[1].model_dump_json())


def test_paths_restrict_the_report(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/fr-b/2024-07-04-fr-b.yaml": "- a\n"})
    code, out = run(root, str(root / TRANSCRIPT_PATH))
    assert code == 0
    assert "fr-b" not in out


def test_validate_writes_nothing(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    before = sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*"))
    run(root)
    assert sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*")) == before


def test_usage_error_exits_2(make_workspace: MakeWorkspace) -> None:
    assert run(make_workspace(), "--format", "xml")[0] == 2


def test_no_workspace_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Erreur : ")
    assert "aucun espace de travail ess-coop ici ni dans les dossiers parents" in result.output
    assert "Traceback" not in result.output


def test_workspace_found_upward(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace()
    monkeypatch.chdir(root / "interviews" / "fr-a")
    assert runner.invoke(app, ["validate"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "--strct"], "Erreur : option inconnue « --strct » (vouliez-vous dire « --strict » ?)"),
        (
            ["validate", "--format", "xml"],
            "Erreur : « xml » n'est pas une valeur possible de --format ; valeurs possibles : text, json",
        ),
        (["new-interview"], "Erreur : ACTEUR manquant — ess-coop new-interview --help montre l'utilisation"),
        (
            ["--lang", "en", "validate", "--format", "jsn"],
            'Error: "jsn" is not a possible value of --format (did you mean "json"?); possible values: text, json',
        ),
    ],
)
def test_usage_errors_are_one_line_in_our_language(args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.strip().startswith(expected)
    assert len(result.output.strip().splitlines()) == 1
