"""Each rule of format.md: one case that breaks it, located; the base workspace breaks none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ess_coop.report import CODES
from ess_coop.validation import check_workspace
from samples import ACTORS, GUIDE, PROJECT, THEMES, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

T = TRANSCRIPT_PATH


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def tr(old: str, new: str) -> dict[str, str | bytes | None]:
    return {T: edit(TRANSCRIPT, old, new)}


SENSITIVE_FR_A = edit(ACTORS, "role: coordinator\n  - id: fr-b", "role: coordinator\n    sensitive: true\n  - id: fr-b")
SOURCE = 'source:\n  kobo_uuid: "5e1f2a3b-0001"\n'
DEEP = "a: " + "[" * 60 + "]" * 60 + "\n"

# code -> (files changed, path of the finding, line, column); None = no line/column.
CASES: dict[str, tuple[dict[str, str | bytes | None], str, int | None, int | None]] = {
    "file-too-large": ({T: "notes: " + "x" * (2 * 1024 * 1024)}, T, None, None),
    "file-unreadable": ({}, "templates/themes.yaml", None, None),
    "encoding": ({T: TRANSCRIPT.encode("latin-1")}, T, 13, 16),
    "control-character": (tr("Accompagner", "Acc\x0bompagner"), T, 19, 15),
    "empty-file": ({T: "# rien\n"}, T, 1, 1),
    "tab-character": (tr("  mission:", "\tmission:"), T, 19, 1),
    "unclosed-quote": (tr('"La réciprocité avant tout."', '"La réciprocité avant tout.'), T, 29, 11),
    "colon-in-value": (tr("Accompagner les projets.", "Objectif: accompagner"), T, 19, 20),
    "yaml-syntax": (tr("interviewers: [Xylm]", "interviewers: [Xylm"), T, 9, 15),
    "duplicate-key": (tr("mode: video", "mode: video\nmode: phone"), T, 8, 1),
    "complex-key": (tr("notes:", "? [a, b]\n: c\nnotes:"), T, 32, 3),
    "yaml-alias": (tr("interviewers: [Xylm]", "interviewers: &i [Xylm]\nnotes2: *i"), T, 10, 1),
    "too-deep": ({T: DEEP}, T, 1, 53),
    "not-a-mapping": ({T: "- a\n- b\n"}, T, 1, 1),
    "missing-file": ({"templates/themes.yaml": None}, "templates/themes.yaml", None, None),
    "not-a-folder": ({T: None, "interviews": "une note\n"}, "interviews", None, None),
    "unsupported-format": (tr("format: 1", "format: 2"), T, 1, 9),
    "missing-key": (tr("  - ref: P1\n    name", "  - name"), T, 11, 5),
    "unknown-key": (tr("language: fr", "languge: fr"), T, 8, 1),
    "wrong-type": (tr("interviewers: [Xylm]", "interviewers: Xylm"), T, 9, 15),
    "invalid-value": (tr("status: complete", "status: complet"), T, 5, 9),
    "invalid-id": (tr("id: 2024-07-03-fr-a", "id: 2024-07-03 FR A"), T, 2, 5),
    "invalid-country": ({"actors.yaml": edit(ACTORS, "country: TG", "country: tg")}, "actors.yaml", 15, 14),
    "invalid-date": (tr("date: 2024-07-03", "date: 2024-13-03"), T, 4, 7),
    "invalid-number": ({"templates/guide.yaml": edit(GUIDE, "version: 1", "version: 0")}, "templates/guide.yaml", 2, 10),
    "invalid-sdg": (tr("sdgs: [12]", "sdgs: [18]"), T, 23, 12),
    "invalid-guide-ref": (tr("guide: guide-test@1", "guide: guide-test"), T, 6, 8),
    "empty-text": (tr("Apprendre le compostage.", '""'), T, 21, 11),
    "too-few-items": (tr("themes: [compost]", "themes: []"), T, 22, 13),
    "date-order": ({"ess-coop.yaml": edit(PROJECT, "end: 2025-12-31", "end: 2023-12-31")}, "ess-coop.yaml", 7, 8),
    "duplicate-actor": ({"actors.yaml": edit(ACTORS, "id: fr-b", "id: fr-a")}, "actors.yaml", 8, 9),
    "country-not-in-project": ({"actors.yaml": edit(ACTORS, "country: TG", "country: SN")}, "actors.yaml", 15, 14),
    "unknown-coordinator": ({"ess-coop.yaml": edit(PROJECT, "[fr-a, tg-a]", "[fr-a, tg-c]")}, "ess-coop.yaml", 9, 24),
    "duplicate-milestone": (
        {"ess-coop.yaml": edit(PROJECT, "due: 2024-08-31}", "due: 2024-08-31}\n    - {id: entretiens, label: B, due: 2024-09-01}")},
        "ess-coop.yaml", 12, 12,
    ),
    "duplicate-theme": ({"templates/themes.yaml": edit(THEMES, "id: plastique", "id: compost")}, "templates/themes.yaml", 4, 9),
    "duplicate-section": (
        {"templates/guide.yaml": GUIDE + "  - id: structure\n    title: {fr: B, en: B}\n"}, "templates/guide.yaml", 20, 9,
    ),
    "duplicate-question": ({"templates/guide.yaml": edit(GUIDE, "id: activites", "id: mission")}, "templates/guide.yaml", 12, 13),
    "missing-translation": ({"templates/themes.yaml": edit(THEMES, "{fr: Compostage, en: Composting}", "{fr: Compostage}")}, "templates/themes.yaml", 3, 5),
    "condition-country": ({"templates/guide.yaml": edit(GUIDE, "country: [TG]", "country: [SN]")}, "templates/guide.yaml", 16, 26),
    "misplaced-file": ({"interviews/2024-07-03-fr-a.yaml": TRANSCRIPT}, "interviews/2024-07-03-fr-a.yaml", None, None),
    "id-mismatch": ({T: None, "interviews/fr-a/2024-07-03-fr-a-2.yaml": TRANSCRIPT}, "interviews/fr-a/2024-07-03-fr-a-2.yaml", 2, 5),
    "interview-id-format": (
        {T: None, "interviews/fr-a/2024-07-04-fr-a.yaml": edit(TRANSCRIPT, "id: 2024-07-03-fr-a", "id: 2024-07-04-fr-a")},
        "interviews/fr-a/2024-07-04-fr-a.yaml", 2, 5,
    ),
    "duplicate-interview": ({"interviews/fr-b/2024-07-03-fr-a.yaml": TRANSCRIPT}, "interviews/fr-b/2024-07-03-fr-a.yaml", 2, 5),
    "wrong-folder": ({"interviews/fr-b/2024-07-03-fr-a.yaml": TRANSCRIPT}, "interviews/fr-b/2024-07-03-fr-a.yaml", 3, 8),
    "unknown-actor": (tr("actor: fr-a", "actor: fr-c"), T, 3, 8),
    "unknown-theme": (tr("themes: [compost]", "themes: [compst]"), T, 22, 14),
    "unknown-speaker": (tr("speaker: P1", "speaker: P2"), T, 30, 14),
    "duplicate-interviewee": (tr("    role: Chargée de mission", "  - ref: P1"), T, 13, 10),
    "unknown-question": (tr("  mission: Accompagner", "  mision: x\n  mission: Accompagner"), T, 19, 3),
    "question-not-asked": (tr("  mission: Accompagner", "  loi-ess: Un avis.\n  mission: Accompagner"), T, 19, 3),
    "other-guide": (tr("guide: guide-test@1", "guide: guide-test@2"), T, 6, 8),
    "required-unanswered": (tr("  mission: Accompagner les projets.", "  mission:"), T, 19, 3),
    "no-expectation": (tr("expectations:\n  - text: Apprendre le compostage.\n    themes: [compost]\n    sdgs: [12]\n    priority: high\n", ""), T, 5, 1),
    "no-contribution": (tr("contributions:\n  - text: Financement participatif.\n    themes: [financement]\n", ""), T, 5, 1),
    "quotes-without-consent": (tr("quotes: named", "quotes: none"), T, 28, 1),
    "names-without-consent": (tr("quotes: named", "quotes: role"), T, 12, 11),
    "sensitive-consent": ({"actors.yaml": SENSITIVE_FR_A}, T, 16, 11),
    "sensitive-name": ({"actors.yaml": SENSITIVE_FR_A}, T, 12, 11),
    "person-quotes-without-consent": (tr("    role: Chargée de mission", "    role: Chargée de mission\n    consent: none"), T, 14, 14),
    "release-without-effect": (tr("    themes: [gouvernance]", "    themes: [gouvernance]\n    release: true"), T, 32, 14),
    "duplicate-submission": (
        {T: TRANSCRIPT + SOURCE, "interviews/fr-a/2024-07-04-fr-a.yaml": edit(edit(TRANSCRIPT, "07-03-fr-a", "07-04-fr-a"), "date: 2024-07-03", "date: 2024-07-04") + SOURCE},
        "interviews/fr-a/2024-07-04-fr-a.yaml", 34, 14,
    ),
    "invalid-email": (
        {"actors.yaml": edit(ACTORS, "coordinator\n  - id: fr-b", "coordinator\n    contact: fr-a at example.org\n  - id: fr-b")},
        "actors.yaml",
        8,
        14,
    ),
    "validated-without-date": (
        {"ess-coop.yaml": edit(PROJECT, '  version: "0.1"\n', '  version: "0.1"\n  status: validated\n')},
        "ess-coop.yaml",
        15,
        11,
    ),
    "conflict-copy": (
        {"interviews/fr-a/2024-07-03-fr-a (conflicted copy 2024-07-05).yaml": TRANSCRIPT},
        "interviews/fr-a/2024-07-03-fr-a (conflicted copy 2024-07-05).yaml", None, None,
    ),
    "name-clash": ({"interviews/FR-A/2024-07-03-fr-a.yaml": TRANSCRIPT}, T, None, None),
    "not-a-regular-file": ({T: None}, T, None, None),  # a named pipe in its place: see special_file
    "link-outside-workspace": ({T: None}, T, None, None),  # a link to /dev/zero: see special_file
    "folder-unreadable": ({}, "interviews/tg-b", None, None),  # a link leading nowhere: see special_file
    "folder-unusable": ({"templates/guide.yaml": None, "templates/themes.yaml": None, "templates": "x"}, "templates/guide.yaml", None, None),
    "theme-suggested": ({"templates/themes.yaml": edit(THEMES, "{fr: Financement, en: Funding}", "{fr: Financement, en: Funding}\n    keywords: [Compostages]")}, T, 21, 11),
    "placeholder-text": ({"ess-coop.yaml": edit(PROJECT, "  start: 2024", "  objective: L'objectif général du projet.\n  start: 2024")}, "ess-coop.yaml", 6, 14),
    "no-coordinators": ({"ess-coop.yaml": edit(PROJECT, "[fr-a, tg-a]", "[]")}, "ess-coop.yaml", 9, 17),
    "texts-unknown-file": ({"texts/intro.md": "Bonjour."}, "texts/intro.md", None, None),
    "texts-duplicate": ({"texts/introduction.md": "Bonjour.", "texts/introduction.docx": b"PK"}, "texts/introduction.docx", None, None),
    "texts-unreadable": ({"texts/conclusion.docx": b"not a zip"}, "texts/conclusion.docx", None, None),
}  # fmt: skip


def special_file(root: Path, code: str) -> None:
    """What a file cannot hold: a named pipe, a link leading out of the workspace; a folder of
    interviews that is a link leading nowhere."""
    if code == "folder-unreadable":
        (root / "interviews/tg-b").symlink_to("nowhere")
    if code not in ("not-a-regular-file", "link-outside-workspace"):
        return
    (root / T).parent.mkdir(parents=True, exist_ok=True)
    if code == "not-a-regular-file":
        os.mkfifo(root / T)
    else:
        (root / T).symlink_to("/dev/zero")


def test_every_code_has_a_case() -> None:
    """The imports' findings have their cases in ``tests/test_import_codes.py``."""
    from test_import_codes import FORM_CASES, KOBO_CASES

    assert set(CASES) | set(FORM_CASES) | set(KOBO_CASES) == set(CODES)
    assert not set(CASES) & (set(FORM_CASES) | set(KOBO_CASES))


def test_base_workspace_is_clean(make_workspace: MakeWorkspace) -> None:
    ws, report = check_workspace(make_workspace())
    assert report.issues == []
    assert report.valid
    assert report.stats.transcripts == 1
    assert ws.transcripts[0].usable


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_reported_where_it_is_broken(make_workspace: MakeWorkspace, code: str) -> None:
    files, path, line, column = CASES[code]
    root = make_workspace(files)
    if code == "file-unreadable":  # a folder where a file is expected
        (root / "templates/themes.yaml").unlink()
        (root / "templates/themes.yaml").mkdir()
    special_file(root, code)
    _, report = check_workspace(root)
    found = [(i.path, i.line, i.column) for i in report.issues if i.code == code]
    assert (path, line, column) in found, report.issues
    assert report.valid == (CODES[code] != "error")


def test_information_never_fails_even_strict(make_workspace: MakeWorkspace) -> None:
    _, report = check_workspace(make_workspace(CASES["theme-suggested"][0]), strict=True)
    assert [i.severity for i in report.issues] == ["info"]
    assert report.valid and report.stats.infos == 1 and report.stats.warnings == 0


def test_placeholders_in_english_are_found_too(make_workspace: MakeWorkspace) -> None:
    summary = "  summary: >-\n    In a few sentences: what the project is,\n    who runs it, where.\n  start: 2024"
    _, report = check_workspace(make_workspace({"ess-coop.yaml": edit(PROJECT, "  start: 2024", summary)}))
    assert [(i.code, i.line, i.column) for i in report.issues] == [("placeholder-text", 6, 12)]
    assert "project.summary" in report.issues[0].message


def test_a_theme_already_tagged_is_not_suggested(make_workspace: MakeWorkspace) -> None:
    """"Apprendre le compostage." holds keywords of compost (tagged) and of financement (not)."""
    themes = edit(THEMES, "{fr: Financement, en: Funding}", "{fr: Financement, en: Funding}\n    keywords: [Compostages]")
    themes = edit(themes, "{fr: Compostage, en: Composting}", "{fr: Compostage, en: Composting}\n    keywords: [compostage]")
    _, report = check_workspace(make_workspace({"templates/themes.yaml": themes}))
    assert [(i.code, i.line) for i in report.issues] == [("theme-suggested", 21)]
    assert "(financement)" in report.issues[0].message


def test_a_constraint_can_suggest_a_theme_too(make_workspace: MakeWorkspace) -> None:
    themes = edit(THEMES, "{fr: Gouvernance, en: Governance}", "{fr: Gouvernance, en: Governance}\n    keywords: [bénévole]")
    constraint = "notes: Note interne à ne jamais imprimer.\nconstraints:\n  - text: Peu de Bénévoles l'été.\n"
    _, report = check_workspace(make_workspace({"templates/themes.yaml": themes, **tr("notes: Note interne à ne jamais imprimer.\n", constraint)}))
    assert [(i.code, i.line, i.column) for i in report.issues] == [("theme-suggested", 34, 11)]
    assert "« Bénévoles »" in report.issues[0].message


def test_a_placeholder_left_in_a_bilingual_text_is_found(make_workspace: MakeWorkspace) -> None:
    objective = "  objective:\n    fr: L'objectif général du projet.\n    en: The real objective.\n  start: 2024"
    _, report = check_workspace(make_workspace({"ess-coop.yaml": edit(PROJECT, "  start: 2024", objective)}))
    assert [(i.code, i.line) for i in report.issues] == [("placeholder-text", 7)]  # at the mapping
