"""``guide xlsform``, ``new-interview --form xlsform`` and ``import`` of a Kobo export, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from pyxform.xls2xform import convert
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.kobo_import import import_export
from ess_coop.validation import check_workspace
from ess_coop.yamlio import read_yaml
from kobo_samples import submission, write_json, write_xlsx
from samples import MakeWorkspace

runner = CliRunner()


def run(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--workspace", str(root)])
    return result.exit_code, result.output


def test_guide_xlsform_writes_one_form_for_every_actor(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    code, out = run(root, "guide", "xlsform")
    assert code == 0, out
    form = root / "output/xlsform-guide-test.xlsx"
    assert "Formulaire XLSForm : output/xlsform-guide-test.xlsx (4 structure(s), 4 question(s) du guide" in out
    assert "ess-coop import FICHIER.xlsx" in out
    code, out = run(root, "guide", "xlsform")
    assert out.startswith("Inchangé : output/xlsform-guide-test.xlsx (contenu identique, rien à synchroniser)")
    warnings: list[str] = []
    convert(form.read_bytes(), warnings=warnings, file_type=".xlsx")
    assert warnings == []


def test_new_interview_form_xlsform_is_tailored_to_the_actor(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    code, out = run(root, "new-interview", "fr-b", "--form", "xlsform", "--lang", "en")
    assert code == 0, out
    assert "XLSForm: output/xlsform-guide-test-fr-b.xlsx (1 organisation(s), 3 question(s) of the guide" in out
    assert not (root / "interviews/fr-b").exists()  # no interview id is taken: submissions bring theirs


def test_unknown_actor_is_one_line(make_workspace: MakeWorkspace) -> None:
    code, out = run(make_workspace(), "guide", "xlsform", "tg-z")
    assert code == 1
    assert "« tg-z » absent du registre (vouliez-vous dire « tg-b » ?)" in out


def test_import_an_export_then_again(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    export = write_xlsx(root / "kobo.xlsx", [submission("u-1", "tg-a", answers={"mission": "ɖe ŋu"}),
                                             submission("u-2", "tg-q")])  # fmt: skip
    code, out = run(root, "import", str(export))
    assert code == 1, out  # one submission could not be imported
    lines = out.splitlines()
    assert "kobo.xlsx, feuille « Guide test », ligne 2 → interviews/tg-a/2024-08-21-tg-a.yaml" in lines
    assert "kobo.xlsx, feuille « Guide test », ligne 3 : non importée" in lines
    assert f"{export} : 2 soumission(s) — 1 importée(s), 0 déjà importée(s), 1 non importée(s)." in lines
    code, out = run(root, "import", str(export))
    already = "kobo.xlsx, feuille « Guide test », ligne 2 : déjà importée (interviews/tg-a/2024-08-21-tg-a.yaml)"
    assert f"{already}, rien de nouveau" in out
    assert f"{export} : 2 soumission(s) — 0 importée(s), 1 déjà importée(s), 1 non importée(s)." in out
    assert sorted(p.name for p in root.glob("interviews/tg-a/*.yaml")) == ["2024-08-21-tg-a.yaml"]


def test_import_json_format_is_the_library_result(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    export = write_json(root / "kobo.json", [submission("u-1", "fr-b", answers={"mission": "M"})])
    code, out = run(root, "import", str(export), "--format", "json")
    assert code == 0, out
    [printed] = json.loads(out)
    assert printed["submissions"][0]["outcome"] == "imported"
    ws, _ = check_workspace(root)
    again = import_export(ws, export, lang="fr")  # the same call: now already imported
    code, out = run(root, "import", str(export), "--format", "json")
    assert json.loads(out) == [again.model_dump(mode="json")]
    data = read_yaml(root / "interviews/fr-b/2024-08-21-fr-b.yaml").data
    assert data["source"]["kobo_uuid"] == "u-1"


def test_import_refuses_other_file_types(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / "notes.txt").write_text("x", "utf-8")
    code, out = run(root, "import", str(root / "notes.txt"))
    assert code == 1
    assert "notes.txt: type de fichier non pris en charge par l'import (.txt) — importez" in " ".join(out.split())


def test_import_help_names_every_kind_of_file(make_workspace: MakeWorkspace) -> None:
    result = runner.invoke(app, ["import", "--help"])
    assert ".xlsx, .csv, .json, .zip" in result.output
