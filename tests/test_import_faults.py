"""Faults of the imports found by hostile testing (issue 17): each a finding or one clear line,
and the other submissions or files of the run go on."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.forms.values import without_invisible
from ess_coop.kobo_import import ExportResult, import_export
from ess_coop.validation import check_workspace
from ess_coop.yamlio import _BAD_CHAR, parse_yaml, quoted
from kobo_samples import submission, write_csv, write_json
from samples import MakeWorkspace
from test_form_import import _import, _new_form, _row, _table

runner = CliRunner()


def cli(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--workspace", str(root)])
    return result.exit_code, result.output


def kobo(root: Path, path: Path) -> ExportResult:
    ws, _ = check_workspace(root)
    return import_export(ws, path, lang="fr")


def test_every_character_a_transcript_refuses_is_removed_by_the_imports() -> None:
    for number in range(0x10000):
        char = chr(number)
        refused = _BAD_CHAR.search(char) is not None
        assert (without_invisible(char)[0] == "") == refused, f"U+{number:04X}"
    text, removed = without_invisible("a\u202eb\u2066c\x85d\x9fe\u202e")
    assert (text, removed) == ("ab" + "c\x85de", "U+202E, U+2066, U+009F")
    assert parse_yaml(f"x: {quoted(text)}\n").data == {"x": text}  # what is left is written and read back


def test_invisible_characters_in_a_kobo_answer_are_removed_and_said_once(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    rows = [submission(f"u-{n}", "tg-a", date=f"2024-08-2{n}", answers={"mission": f"Réponse {n}"}) for n in (1, 2, 3)]
    rows[1]["section_structure/mission"] = "Texte collé\u202e d'un PDF\u2069\x9f."
    result = kobo(root, write_csv(root / "export.csv", rows))
    assert [s.outcome for s in result.submissions] == ["imported"] * 3
    found = [i for i in result.issues if i.code == "kobo-invisible-removed"]
    assert len(found) == 1, found
    assert "U+202E, U+2069, U+009F" in found[0].message
    assert found[0].place == "export.csv, ligne 3, colonne M « section_structure/mission »"
    text = (root / "interviews/tg-a/2024-08-22-tg-a.yaml").read_text("utf-8")
    assert "Texte collé d'un PDF." in text


def test_a_submission_that_cannot_be_written_does_not_stop_the_others(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    folder = root / "interviews/tg-a"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 100):  # every id of tg-a on that day is taken
        (folder / f"2024-08-21-tg-a{'' if n == 1 else f'-{n}'}.docx").write_bytes(b"")
    rows = [submission("u-1", "tg-a"), submission("u-2", "tg-b"), submission("u-3", "tg-a")]
    export = write_json(root / "export.json", rows)
    result = kobo(root, export)
    assert [s.outcome for s in result.submissions] == ["failed", "imported", "failed"]
    failed = [i for i in result.issues if i.code == "kobo-not-written"]
    assert len(failed) == 2 and "trop d'entretiens" in failed[0].message, failed
    assert (root / "interviews/tg-b/2024-08-21-tg-b.yaml").is_file()
    (root / "interviews/tg-b/2024-08-21-tg-b.yaml").unlink()
    code, out = cli(root, "import", str(export))
    assert code == 1, out
    assert out.count("soumission non importée : ") == 2, out
    assert "2024-08-21-tg-b" in out


def test_invisible_characters_in_a_word_form_are_removed_and_said_where(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _table(document, "Quelle est votre mission").rows[1].cells[0].text = "Former\u202e les\u2066 jeunes\x7f."
    _row(document, "Mode").cells[1].text = "visio\u202d"
    document.save(str(path))
    result = _import(root, path)
    found = {i.place: i.message for i in result.issues if i.code == "import-invisible-removed"}
    assert set(found) == {"réponse à « Quelle est votre mission ? »", "champ « Mode »"}, result.issues
    assert "U+202E, U+2066, U+007F" in found["réponse à « Quelle est votre mission ? »"]
    data = parse_yaml(result.transcript_path.read_text("utf-8")).data
    assert isinstance(data, dict)
    assert data["answers"]["mission"] == "Former les jeunes."
    assert data["mode"] == "video"
