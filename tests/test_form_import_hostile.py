"""Importing forms that people filled in unexpected ways (issue 17): nothing lost, nothing false."""

from __future__ import annotations

from pathlib import Path

import pytest

from samples import MakeWorkspace
from test_form_import import _import, _new_form, _row, _table


def outside(root: Path, path: Path) -> list[tuple[str, str]]:
    return [(f.place, f.message) for f in _import(root, path).findings if f.code == "import-outside"]


@pytest.mark.parametrize("typed", ["Oui", "Nous accompagnons les femmes de Kpalimé depuis 2010."])
def test_text_typed_at_the_end_of_a_printed_question_is_reported(make_workspace: MakeWorkspace, typed: str) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    question = _table(document, "Quelle est votre mission").rows[0].cells[0]
    question.paragraphs[-1].add_run(" " + typed)  # typed right after the question, same paragraph
    document.save(str(path))
    assert outside(root, path) == [
        ("réponse à « Quelle est votre mission ? »", f"texte écrit hors des cases, non repris : « {typed} »")
    ]


def test_a_corrected_word_in_a_question_is_not_reported(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root)
    question = _table(document, "Quelle est votre mission").rows[0].cells[0]
    for run in question.paragraphs[0].runs:
        run.text = run.text.replace("mission", "misson")
    document.save(str(path))
    assert outside(root, path) == []


def test_a_form_in_another_actors_folder_is_imported_with_a_word(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root, "tg-a")
    moved = root / "interviews/tg-b" / path.name
    moved.parent.mkdir(parents=True)
    document.save(str(moved))
    result = _import(root, moved, "en")
    assert result.actor == "tg-a"
    assert [(f.code, f.message) for f in result.findings if f.code not in ("import-consent-empty",)] == [
        ("import-other-folder", "form kept in the folder of tg-b, but its organisation is tg-a: the interview is "
                                "written for tg-a"),
    ]  # fmt: skip
    assert result.transcript_path.parent.name == "tg-a"


def test_changing_the_structure_field_gives_no_false_outside_text(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path, document = _new_form(root, "tg-a")
    _row(document, "Structure").cells[1].text = "Réseau togolais B (tg-b)"
    document.save(str(path))
    result = _import(root, path, "en")
    assert result.actor == "tg-b"
    assert [f.code for f in result.findings if f.code == "import-outside"] == []
