"""Text typed in a Word form where the import does not read it is reported, quoted (issue 17).

A page header or footer, a comment beside the choice boxes, a copy of a field with another value,
one word added to a printed line: each was lost without a word.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx.document import Document
from docx.table import Table

from ess_coop.yamlio import read_yaml
from samples import MakeWorkspace
from test_form_import import _import, _new_form, _row, _table, _tick


def findings(root: Path, path: Path, lang: str = "fr") -> list[tuple[str, str]]:
    return [(f.place, f.message) for f in _import(root, path, lang).findings if f.code == "import-outside"]


# --- 1. the page header and footer --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "header", "footer", "message"),
    [
        ("fr", "en-tête", "pied de page", "texte écrit hors des cases, non repris : « {} »"),
        ("en", "page header", "page footer", 'text written outside the boxes, not imported: "{}"'),
    ],
)
def test_text_typed_in_the_page_header_or_footer_is_reported(
    make_workspace: MakeWorkspace, lang: str, header: str, footer: str, message: str
) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    section = document.sections[0]
    section.header.paragraphs[0].add_run("TOK058")  # the form has no header: Word makes one
    section.footer.paragraphs[0].add_run(" relu par Ama")  # after the printed footer
    document.save(str(path))
    assert findings(root, path, lang) == [
        (header, message.format("TOK058")),
        (footer, message.format("relu par Ama")),
    ]


def test_the_printed_footer_and_its_page_numbers_are_not_reported(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    for text in document.sections[0].footer._element.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    ):
        if text.text and text.text.strip().isdigit():
            text.text = "7"  # Word updates the page numbers on opening
    document.save(str(path))
    assert findings(root, path) == []


# --- 2. a comment beside the choice boxes ---------------------------------------------------------


def test_a_comment_beside_the_ticked_box_is_reported_and_the_choice_kept(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)  # printed with "video" ticked
    _row(document, "Mode").cells[1].paragraphs[0].add_run(" (coupure réseau pendant 10 minutes)")
    recording = _row(document, "Enregistrement").cells[1]
    _tick(recording, "oui")
    recording.paragraphs[-1].add_run(" seulement l'audio")
    _row(document, "État").cells[1].add_paragraph("à relire par Marie")
    document.save(str(path))
    result = _import(root, path)
    data = read_yaml(result.transcript_path).data
    assert (data["mode"], data["consent"]["recording"], data["status"]) == ("video", "true", "draft")
    assert [(f.place, f.message) for f in result.findings if f.code == "import-outside"] == [
        ("champ « État de la fiche »", "texte écrit hors des cases, non repris : « à relire par Marie »"),
        ("champ « Mode »", "texte écrit hors des cases, non repris : « (coupure réseau pendant 10 minutes) »"),
        ("champ « Enregistrement accepté »", "texte écrit hors des cases, non repris : « seulement l'audio »"),
    ]


@pytest.mark.parametrize("typed", ["X visio", "x  En visio", "X visio (vidéo)", "☒ visio / ☐ téléphone", "Visio."])
def test_a_choice_typed_without_comment_gives_no_finding(make_workspace: MakeWorkspace, typed: str) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _row(document, "Mode").cells[1].text = typed
    document.save(str(path))
    result = _import(root, path)
    assert read_yaml(result.transcript_path).data["mode"] == "video"
    assert [f.code for f in result.findings if f.code != "import-consent-empty"] == []


# --- 3. a copied field with another value ----------------------------------------------------------


def _copied_meta(document: Document) -> Table:
    meta = _table(document, "Rubrique")
    duplicate = copy.deepcopy(meta._tbl)
    meta._tbl.addnext(duplicate)
    return Table(duplicate, meta._parent)


def test_a_copied_field_keeps_every_name_and_says_which_other_value_was_left(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    _row(document, "Enquêteurs").cells[1].text = "Alice"
    second = _copied_meta(document)
    next(r for r in second.rows if "Enquêteurs" in r.cells[0].text).cells[1].text = "Bob"
    next(r for r in second.rows if "Mode" in r.cells[0].text).cells[1].text = "☒ téléphone"
    document.save(str(path))
    result = _import(root, path)
    data = read_yaml(result.transcript_path).data
    assert (data["interviewers"], data["mode"]) == (["Alice", "Bob"], "video")
    shown = [(f.code, f.place, f.message) for f in result.findings if f.code.startswith("import-duplicate")]
    assert [f for f in shown if "Enquêteurs" in f[1] or "Mode" in f[1]] == [
        ("import-duplicate", "champ « Enquêteurs (séparés par des virgules) »",
         "cette partie figure deux fois dans le document (copiée ?) : leurs contenus ont été réunis"),
        ("import-duplicate-field", "champ « Mode »",
         "ce champ figure deux fois dans le document avec des contenus différents : "
         "« ☐ en présentiel ☒ visio ☐ téléphone ☐ écrit » (la première copie remplie) retenu, "
         "« ☒ téléphone » non repris"),
    ]  # fmt: skip


# --- 4. one word added to a printed line ------------------------------------------------------------


@pytest.mark.parametrize("added", ["oui", "oui, en priorité"])
def test_words_added_to_a_printed_line_are_reported(make_workspace: MakeWorkspace, added: str) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    sdgs = _table(document, "N°")
    sdgs.rows[12].cells[1].paragraphs[0].add_run(f" {added}")
    bullet = next(p for p in document.paragraphs if p.text.startswith("Pour un choix"))
    bullet.add_run(" urgent")
    heading = next(p for p in document.paragraphs if p.text == "1. La structure")
    heading.text = "1. La structrure"  # a typo corrected or made: not an answer
    document.save(str(path))
    assert findings(root, path) == [
        ("après : début du document", "texte écrit hors des cases, non repris : « urgent »"),
        ("après : notes internes", f"texte écrit hors des cases, non repris : « {added} »"),
    ]
