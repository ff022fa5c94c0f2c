"""Faults of the imports found by hostile testing (issue 17): each a finding or one clear line,
and the other submissions or files of the run go on."""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ess_coop import kobo_export
from ess_coop.cli import app
from ess_coop.errors import UserError
from ess_coop.forms.values import without_invisible
from ess_coop.kobo_import import ExportResult, import_export
from ess_coop.validation import check_workspace
from ess_coop.yamlio import _BAD_CHAR, parse_yaml, quoted
from kobo_samples import submission, write_csv, write_json, write_xlsx
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


def _rezipped(path: Path, part: str, change: Callable[[str], str], name: str) -> Path:
    """A copy of the .docx/.xlsx at ``path`` named ``name``, its ``part`` changed."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    out = path.with_name(name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for key, value in parts.items():
            target.writestr(key, value)
    return out


BROKEN_FORMS: dict[str, tuple[str, Callable[[str], str], str]] = {
    "no-body": ("word/document.xml", lambda xml: re.sub(r"<w:body>.*</w:body>", "", xml, flags=re.S), "no w:body"),
    "wrong-root": (
        "word/document.xml",
        lambda xml: '<?xml version="1.0"?><w:foo xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body/></w:foo>",
        "body",
    ),
    "core": ("docProps/core.xml", lambda xml: '<?xml version="1.0"?><foo/>', "language"),
    "grid-span": ("word/document.xml", lambda xml: xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1),
                  "w:gridSpan='abc'"),
    "grid-before": ("word/document.xml",
                    lambda xml: re.sub(r"<w:tr( [^>]*)?>", r'\g<0><w:trPr><w:gridBefore w:val="1.5"/></w:trPr>', xml,
                                       count=1),
                    "w:gridBefore='1.5'"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN_FORMS))
def test_a_broken_form_is_one_line_and_the_batch_goes_on(make_workspace: MakeWorkspace, case: str) -> None:
    root = make_workspace()
    part, change, reason = BROKEN_FORMS[case]
    path, document = _new_form(root)
    document.save(str(path))
    bad = _rezipped(path, part, change, "bad.docx")
    other = path.with_name("2025-01-05-tg-b.docx")
    other_form, other_doc = _new_form(root, actor="tg-b")
    other_doc.save(str(other))
    other_form.unlink()
    code, out = cli(root, "import", str(path), str(bad), str(other))
    assert code == 1, out
    flat = " ".join(out.split())  # the terminal of the test wraps long lines
    assert flat.count("bad.docx") == 1 and "bad.docx: document Word illisible (" in flat and reason in flat, out
    assert "Traceback" not in out and "erreur inattendue" not in out
    assert "2 formulaire(s) importé(s), 1 en échec." in out
    assert (root / "interviews/tg-b/2025-01-02-tg-b.yaml").is_file()


def test_an_unexpected_fault_on_one_file_does_not_stop_the_batch(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ess_coop.forms.importer as importer

    root = make_workspace()
    path, document = _new_form(root)
    document.save(str(path))
    real = importer.import_form

    def faulty(ws: Any, file: Path, *, lang: str) -> Any:
        if file.name == "bad.docx":
            raise TypeError("'NoneType' object is not iterable")
        return real(ws, file, lang=lang)

    monkeypatch.setattr(importer, "import_form", faulty)
    bad = path.with_name("bad.docx")
    bad.write_bytes(path.read_bytes())
    code, out = cli(root, "import", str(bad), str(path))
    assert code == 1, out
    said = "erreur inattendue en lisant ce fichier (TypeError: 'NoneType' object is not iterable)"
    assert said in " ".join(out.split())
    assert "1 formulaire(s) importé(s), 1 en échec." in out


@pytest.mark.parametrize("name", ["dir.docx", "dir.xlsx", "dir.csv"])
def test_a_folder_given_to_import_is_said_to_be_a_folder(make_workspace: MakeWorkspace, name: str) -> None:
    root = make_workspace()
    (root / name).mkdir()
    code, out = cli(root, "import", str(root / name))
    assert code == 1
    assert "c'est un dossier, pas un fichier" in out, out
    assert "n'existe pas" not in out


def _sheet(path: Path, change: Callable[[str], str]) -> Path:
    return _rezipped(path, "xl/worksheets/sheet1.xml", change, path.name)


def test_an_export_sheet_with_broken_xml_is_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    cut: Callable[[str], str] = lambda xml: xml[: len(xml) // 2]  # noqa: E731
    number_not_a_number: Callable[[str], str] = lambda xml: xml.replace(  # noqa: E731
        't="inlineStr"><is><t>start</t></is>', 't="n"><v>abc</v>'
    )
    for number, change in enumerate([cut, number_not_a_number]):
        path = _sheet(write_xlsx(root / f"export{number}.xlsx", [submission("u-1", "tg-a")]), change)
        ws, _ = check_workspace(root)
        with pytest.raises(UserError) as caught:
            import_export(ws, path, lang="fr")
        assert caught.value.render("fr").startswith(f"{path}: export illisible ("), caught.value.render("fr")


def test_a_sheet_claiming_every_cell_is_read_in_bounded_memory(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace()
    path = write_xlsx(root / "export.xlsx", [submission("u-1", "tg-a")])

    def far(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                                           "</row></sheetData>")  # fmt: skip

    path = _sheet(path, far)
    tracemalloc.start()
    try:
        result = kobo(root, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, peak  # 4 GB before
    assert [s.outcome for s in result.submissions] == ["imported", "failed"]
    assert [i.place for i in result.issues if i.code == "kobo-actor-missing"] == [
        "export.xlsx, feuille « Guide test », ligne 1048576"
    ]
    monkeypatch.setattr(kobo_export, "MAX_SHEET_CELLS", 100_000)
    with pytest.raises(UserError) as caught:
        kobo(root, path)
    assert "export illisible : la feuille « Guide test » dépasse 100000 cellules" in caught.value.render("fr")


def test_an_odk_zip_with_a_huge_field_and_a_deep_json_are_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    odk = root / "odk.zip"
    with zipfile.ZipFile(odk, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("form.csv", "KEY,interview_info-actor_id,mission\nuuid:1,tg-a," + "x" * 140_000 + "\n")
    deep = root / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    ws, _ = check_workspace(root)
    for path, said in ((odk, "export illisible (field larger than field limit"),
                       (deep, "export illisible : les données sont imbriquées trop profondément")):  # fmt: skip
        with pytest.raises(UserError) as caught:
            import_export(ws, path, lang="fr")
        assert said in caught.value.render("fr")


def test_a_form_id_past_the_last_number_of_a_day_is_imported_under_a_free_id(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _row(document, "Identifiant").cells[1].text = "2025-01-02-tg-a-150"
    document.save(str(path))
    result = _import(root, path)  # was "trop d'entretiens « 2025-01-02-tg-a » le même jour"
    assert result.interview_id == "2025-01-02-tg-a"
    [said] = [i.message for i in result.issues if i.code == "import-id-out-of-range"]
    assert said.startswith("l'identifiant 2025-01-02-tg-a-150 dépasse le dernier numéro d'entretien d'un même jour")


def test_a_uuid_repeated_with_another_text_is_reported_not_called_nothing_new(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    rows = [submission("u-1", "tg-a", answers={"mission": "Former."}),
            submission("u-1", "tg-a", answers={"mission": "Former autrement."}),
            submission("u-1", "tg-a", answers={"mission": "Former."})]  # fmt: skip
    result = kobo(root, write_xlsx(root / "export.xlsx", rows))
    assert [s.outcome for s in result.submissions] == ["imported", "already", "already"]
    found = [(i.place, i.message) for i in result.issues if i.code == "kobo-uuid-differs"]
    assert found == [("export.xlsx, feuille « Guide test », ligne 3",
                      "même identifiant (_uuid) que la soumission n° 1 de cet export, mais un texte différent "
                      "(section_structure/mission) : seule la première est reprise")]  # fmt: skip


def test_a_column_the_form_does_not_have_is_reported_once(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    rows = [submission(f"u-{n}", "tg-a", date=f"2024-08-2{n}") for n in (1, 2, 3)]
    rows[1]["section_structure/question_added"] = "Une réponse tapée dans KoboToolbox."
    rows[2]["section_structure/question_added"] = "Une autre."
    for row in rows:
        row |= {"end": "2024-08-21T10:00:00", "deviceid": "ee.kobotoolbox.org:x", "_tags": "", "_notes": "n"}
    result = kobo(root, write_csv(root / "export.csv", rows))
    found = [(i.place, i.message) for i in result.issues if i.code == "kobo-unknown-column"]
    assert len(found) == 1, found  # the submissions' own columns (end, deviceid, _notes…) are not answers
    place, message = found[0]
    assert place.startswith("export.csv, ligne 3, colonne ") and place.endswith("« section_structure/question_added »")
    assert message == ("colonne « section_structure/question_added » absente du formulaire : son contenu n'est pas "
                       "repris (par exemple « Une réponse tapée dans KoboToolbox. »)")  # fmt: skip
    assert [s.outcome for s in result.submissions] == ["imported"] * 3
