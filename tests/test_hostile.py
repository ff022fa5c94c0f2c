"""Faults found by hostile testing (issue 17): each gets a located finding or one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_coop.validation import check_workspace
from samples import ACTORS, GUIDE, PROJECT, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace


def findings(root: Path) -> list[tuple[str, str]]:
    return [(i.code, i.path) for i in check_workspace(root, lang="en")[1].issues]


@pytest.mark.parametrize(
    ("copy", "content"),
    [
        ("actors (conflicted copy 2024-07-05 101010).yaml", ACTORS.replace("Association française A", "Asso A")),
        ("ess-coop (Kossi's conflicted copy 2024-07-05).yaml", PROJECT),
        ("templates/guide-DESKTOP-ABC123.yaml", GUIDE),
        ("templates/themes.sync-conflict-20240705-101010-ABCDEFG.yaml", "themes: []\n"),
        ("actors (1).yaml", ACTORS),
    ],
)
def test_conflict_copies_of_workspace_files_are_reported(make_workspace: MakeWorkspace, copy: str,
                                                         content: str) -> None:  # fmt: skip
    root = make_workspace({copy: content})
    report = check_workspace(root, lang="en")[1]
    assert [(i.code, i.path, i.severity) for i in report.issues] == [("conflict-copy", copy, "warning")]
    original = copy.split(" (")[0].split(".sync-")[0].replace("-DESKTOP-ABC123", "").removesuffix(".yaml") + ".yaml"
    assert f"of {original}" in report.issues[0].message


def test_conflict_copy_of_the_registry_names_the_differing_keys(make_workspace: MakeWorkspace) -> None:
    copy = "actors (conflicted copy 2024-07-05 101010).yaml"
    root = make_workspace({copy: ACTORS.replace("Association française A", "Asso A")})
    issue = check_workspace(root, lang="en")[1].issues[0]
    assert issue.message == "conflict copy (dropbox/nextcloud) of actors.yaml; values differ for: actors"
    assert issue.line == 1


def test_a_file_beside_workspace_files_that_is_not_a_copy_is_left_alone(make_workspace: MakeWorkspace) -> None:
    assert findings(make_workspace({"templates/guide-agriculture.yaml": GUIDE, "notes-2024.yaml": "a: 1\n"})) == []


def test_folders_differing_only_by_case_are_reported(make_workspace: MakeWorkspace) -> None:
    other = TRANSCRIPT.replace("2024-07-03", "2024-07-04")
    root = make_workspace({"interviews/FR-A/2024-07-04-fr-a.yaml": other})
    assert ("name-clash", "interviews/fr-a") in findings(root)
    issue = next(i for i in check_workspace(root, lang="en")[1].issues if i.code == "name-clash")
    assert issue.message == "same name as interviews/FR-A on Windows and macOS (up to case or accents)"


def test_interviews_as_a_file_is_reported(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: None, "interviews": "oops\n"})
    assert findings(root) == [("not-a-folder", "interviews")]


def test_an_alias_bomb_gets_one_finding_per_place(make_workspace: MakeWorkspace) -> None:
    bomb = "\n".join(
        [
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
            *(
                f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
                for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
            ),
        ]
    )
    root = make_workspace({TRANSCRIPT_PATH: bomb + "\n"})
    issues = check_workspace(root, lang="en")[1].issues
    places = [(i.code, i.line, i.column) for i in issues]
    assert len(places) == len(set(places)) == 8  # one finding per anchor the aliases point at
    assert {code for code, *_ in places} == {"yaml-alias"}


@pytest.mark.parametrize(
    ("escaped", "char"),
    [(r"\x07", "U+0007"), (r"\x1b[31mrouge", "U+001B"), (r"\u202e", "U+202E"), (r"\e[0m", "U+001B"),
     (r"\u2066isolé\u2069", "U+2066"), (r"\0", "U+0000")],
)  # fmt: skip
def test_control_characters_written_as_escapes_are_refused(make_workspace: MakeWorkspace, escaped: str,
                                                           char: str) -> None:  # fmt: skip
    transcript = TRANSCRIPT.replace(
        "mission: Accompagner les projets.", f'mission: "Accompagner{escaped} les projets."'
    )
    root = make_workspace({TRANSCRIPT_PATH: transcript})
    issues = check_workspace(root, lang="en")[1].issues
    assert [(i.code, i.path, i.line, i.column) for i in issues] == [("control-character", TRANSCRIPT_PATH, 19, 12)]
    assert char in issues[0].message


def test_a_typed_bidi_override_is_refused_too(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("Accompagner", "Acc\u202eompagner")})
    issues = check_workspace(root, lang="en")[1].issues
    assert [(i.code, i.line, i.column) for i in issues] == [("control-character", 19, 15)]


@pytest.mark.parametrize("allowed", [r"\t", r"\n", r"\u00e9", r"\"", "\\\\"])
def test_ordinary_escapes_stay_allowed(make_workspace: MakeWorkspace, allowed: str) -> None:
    transcript = TRANSCRIPT.replace(
        "mission: Accompagner les projets.", f'mission: "Accompagner{allowed} les projets."'
    )
    assert findings(make_workspace({TRANSCRIPT_PATH: transcript})) == []


def test_an_escape_in_a_quoted_key_is_refused(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("notes:", '"\\e[2Jnotes":')})
    issues = check_workspace(root, lang="en")[1].issues
    assert [(i.code, i.line, i.column) for i in issues] == [("control-character", 32, 1)]
