"""Every independent finding in one run: a field that fails its schema no longer hides the
vocabulary, actor, speaker, SDG and date checks of its siblings; the checks that truly depend
on a broken value wait, and the finding about that value says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_coop.report import Issue
from ess_coop.validation import check_workspace
from samples import ACTORS, GUIDE, PROJECT, THEMES, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace


def findings(root: Path, lang: str = "fr") -> list[tuple[str, str, int | None, int | None]]:
    return [(i.code, i.path, i.line, i.column) for i in check_workspace(root, lang=lang)[1].issues]


def issue(root: Path, code: str, lang: str = "fr") -> Issue:
    return next(i for i in check_workspace(root, lang=lang)[1].issues if i.code == code)


def test_a_new_users_four_mistakes_are_all_found_at_once(make_workspace: MakeWorkspace) -> None:
    broken = (
        TRANSCRIPT.replace("status: complete", "status: complet")
        .replace("sdgs: [12]", "sdgs: [18]")
        .replace("priority: high", "priority: haute")
        .replace("themes: [compost]", "themes: [finance-alternative]")
    )
    root = make_workspace({TRANSCRIPT_PATH: broken})
    assert findings(root) == [
        ("invalid-value", TRANSCRIPT_PATH, 5, 9),
        ("unknown-theme", TRANSCRIPT_PATH, 22, 14),
        ("invalid-sdg", TRANSCRIPT_PATH, 23, 12),
        ("invalid-value", TRANSCRIPT_PATH, 24, 15),
    ]


def test_the_checks_that_wait_are_named_in_the_finding_of_the_broken_value(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("status: complete", "status: complet")})
    found = issue(root, "invalid-value", "en")
    assert found.hint == (
        "allowed values: draft, complete, validated (until this is fixed, these checks were not made: "
        "no-contribution, no-expectation, required-unanswered)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a broken quote (no text) does not hide an unknown speaker of another, nor shift its line
        ('  - text: "La réciprocité avant tout."\n    speaker: P1',
         '  - speaker: P1\n  - text: "Autre."\n    speaker: P9', [("missing-key", 29, 5), ("unknown-speaker", 31, 14)]),
        # an unknown key at the top does not hide a wrong actor
        ("actor: fr-a", "actor: fr-z\nlanguge: fr", [("interview-id-format", 2, 5), ("unknown-actor", 3, 8),
                                                    ("unknown-key", 4, 1), ("wrong-folder", 3, 8)]),
        # a bad date waits for the id format check, but the actor is still checked
        ("date: 2024-07-03\n", "date: 2024-13-03\n", [("invalid-date", 4, 7)]),
    ],
)  # fmt: skip
def test_independent_checks_run_beside_a_schema_failure(make_workspace: MakeWorkspace, old: str, new: str,
                                                         expected: list[tuple[str, int, int]]) -> None:  # fmt: skip
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace(old, new)})
    got = [(code, line, column) for code, _, line, column in findings(root)]
    assert sorted(got) == sorted(expected)


def test_broken_consent_waits_instead_of_false_findings(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: TRANSCRIPT.replace("quotes: named", "quotes: nommer")})
    got = findings(root)
    assert [c for c, *_ in got] == ["invalid-value"]  # no "quotes without consent", no "names without consent"
    assert "names-without-consent, quotes-without-consent" in issue(root, "invalid-value", "en").hint


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("advocacy", "plaidoyer"), ("Advocacy", "plaidoyer"), ("financement-participatif", "financement"),
     ("Funding", "financement")],
)  # fmt: skip
def test_theme_labels_are_suggested_as_their_ids(make_workspace: MakeWorkspace, typed: str, suggested: str) -> None:
    themes = THEMES + "  - id: plaidoyer\n    label: {fr: Plaidoyer, en: Advocacy}\n"
    root = make_workspace({"templates/themes.yaml": themes,
                           TRANSCRIPT_PATH: TRANSCRIPT.replace("themes: [compost]", f"themes: [{typed}]")})  # fmt: skip
    found = [i for i in check_workspace(root, lang="en")[1].issues if i.path == TRANSCRIPT_PATH]
    assert len(found) == 1 and found[0].line == 22
    assert f'(did you mean "{suggested}"?)' in found[0].message


def test_a_typo_in_one_actor_does_not_make_its_id_unknown(make_workspace: MakeWorkspace) -> None:
    """`type: netwrok` is one finding, not also "unknown coordinator" for actors in the file."""
    actors = ACTORS.replace("type: association", "type: netwrok")  # fr-a: a coordinator, and the transcript's actor
    root = make_workspace({"actors.yaml": actors})
    assert [(c, p) for c, p, *_ in findings(root)] == [("invalid-value", "actors.yaml")]


def test_a_coordinator_really_missing_is_still_reported_beside_a_typo(make_workspace: MakeWorkspace) -> None:
    actors = ACTORS.replace("type: association", "type: netwrok")
    root = make_workspace({"actors.yaml": actors, "ess-coop.yaml": PROJECT.replace("[fr-a, tg-a]", "[fr-a, tg-x]")})
    assert [(c, p) for c, p, *_ in findings(root)] == [("invalid-value", "actors.yaml"),
                                                       ("unknown-coordinator", "ess-coop.yaml")]  # fmt: skip


def test_a_registry_with_a_yaml_error_does_not_make_every_coordinator_unknown(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": ACTORS.replace("  - id: fr-b", "  - id: fr-b\n\tx: 1")})
    assert [c for c, *_ in findings(root)] == ["tab-character"]


def test_vocabulary_with_one_bad_theme_still_checks_transcripts(make_workspace: MakeWorkspace) -> None:
    themes = THEMES.replace("label: {fr: Compostage, en: Composting}", "label: Compostage")
    transcript = TRANSCRIPT.replace("themes: [financement]", "themes: [financment]")
    root = make_workspace({"templates/themes.yaml": themes, TRANSCRIPT_PATH: transcript})
    assert [(c, p) for c, p, *_ in findings(root)] == [("unknown-theme", TRANSCRIPT_PATH),
                                                       ("wrong-type", "templates/themes.yaml")]  # fmt: skip


def test_a_yaml_problem_after_a_schema_failure_leaves_the_earlier_finding_alone(make_workspace: MakeWorkspace) -> None:
    second_path = "interviews/fr-a/2024-07-04-fr-a.yaml"
    second = TRANSCRIPT.replace("2024-07-03", "2024-07-04").replace("mode: video", "mode: video\nmode: phone")
    first = TRANSCRIPT.replace("status: complete", "status: complet")
    root = make_workspace({TRANSCRIPT_PATH: first, second_path: second})
    issues = check_workspace(root, lang="en")[1].issues
    assert [(i.code, i.path) for i in issues] == [("invalid-value", TRANSCRIPT_PATH), ("duplicate-key", second_path)]
    assert issues[0].hint.count("until this is fixed") == 1
    assert "until this is fixed" not in issues[1].hint


def test_an_invalid_actor_id_still_names_its_actor_elsewhere(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": ACTORS.replace("  - id: fr-a", "  - id: Fr-A")})
    assert [(c, p) for c, p, *_ in findings(root)] == [("invalid-id", "actors.yaml")]


def test_a_guide_with_one_broken_question_still_checks_the_answers(make_workspace: MakeWorkspace) -> None:
    guide = GUIDE.replace("        required: true", "        required: oui")  # the mission question
    transcript = TRANSCRIPT.replace("  mission: Accompagner les projets.", "  mission: Oui.\n  misson: Accompagner.")
    root = make_workspace({"templates/guide.yaml": guide, TRANSCRIPT_PATH: transcript})
    got = [(c, p, line) for c, p, line, _ in findings(root)]
    assert got == [("unknown-question", TRANSCRIPT_PATH, 20), ("wrong-type", "templates/guide.yaml", 11)]


def test_a_question_with_a_broken_id_is_not_unknown_in_transcripts(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"templates/guide.yaml": GUIDE.replace("      - id: mission", "      - id: Mission")})
    assert [(c, p) for c, p, *_ in findings(root)] == [("invalid-id", "templates/guide.yaml")]


def test_a_finding_made_without_validation_is_the_validated_one() -> None:
    """``Issue.make`` skips Pydantic's validation for speed: what it builds must be in every way
    the model Pydantic would have built (equality, dumps, copies, frozenness, fields set)."""
    made = Issue.make("theme-suggested", "a/b.yaml", (3, 4), "en", theme="t", label="T", words='"w"')
    checked = Issue.model_validate(made.model_dump())
    assert made == checked
    assert made.model_dump_json() == checked.model_dump_json()
    assert made.model_fields_set == checked.model_fields_set == set(Issue.model_fields)
    assert made.model_copy(update={"line": 9}).line == 9
    assert hash(made) == hash(checked)
    with pytest.raises(ValueError):
        made.line = 5  # type: ignore[misc]
    unplaced = Issue.make("empty-file", "x.yaml", None, "fr")
    assert (unplaced.line, unplaced.column, unplaced.place) == (None, None, None)
    assert unplaced == Issue.model_validate(unplaced.model_dump())
