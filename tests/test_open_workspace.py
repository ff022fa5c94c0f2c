"""Whether a workspace can be worked from, and which paths `validate` checks, are the library's decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ess_coop.errors import UserError
from ess_coop.forms.writer import write_form
from ess_coop.skeleton import create_interview
from ess_coop.validation import Part, open_workspace, paths_to_check
from samples import MakeWorkspace

BROKEN = "format: 1\n\tbroken: [\n"


@pytest.mark.parametrize(
    ("file", "need"),
    [
        ("ess-coop.yaml", ("project",)),
        ("actors.yaml", ("actors",)),
        ("templates/guide.yaml", ("guide",)),
        ("templates/themes.yaml", ("themes",)),
    ],
)
def test_a_needed_part_that_did_not_parse_is_refused(
    make_workspace: MakeWorkspace, file: str, need: tuple[Part, ...]
) -> None:
    root = make_workspace({file: BROKEN})
    with pytest.raises(UserError) as caught:
        open_workspace(root, lang="en", need=need)
    assert (caught.value.code, caught.value.params) == ("workspace-invalid", {"file": file})


def test_a_part_not_needed_may_be_broken(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"templates/guide.yaml": BROKEN})
    ws, report = open_workspace(root, lang="en")
    assert ws.guide is None and not report.valid


def test_validate_is_given_paths_inside_the_workspace(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    assert paths_to_check(root, [root / "actors.yaml"]) == [(root / "actors.yaml").resolve()]
    with pytest.raises(UserError) as missing:
        paths_to_check(root, [root / "nowhere.yaml"])
    (tmp_path / "elsewhere.yaml").write_text("format: 1\n", "utf-8")
    with pytest.raises(UserError) as outside:
        paths_to_check(root, [tmp_path / "elsewhere.yaml"])
    assert (missing.value.code, outside.value.code) == ("path-missing", "path-outside")


def test_what_needs_the_guide_refuses_a_workspace_whose_guide_did_not_parse(make_workspace: MakeWorkspace) -> None:
    ws, _ = open_workspace(make_workspace({"templates/guide.yaml": BROKEN}), lang="en")
    when = dt.date(2024, 7, 3)
    for needs_the_guide in (
        ws.require_guide,
        lambda: create_interview(ws, "fr-a", date=when, interviewers=[], mode="in-person", lang="fr"),
        lambda: write_form(ws, "fr-a", date=when, interviewers=[], mode="in-person", lang="fr"),
    ):
        with pytest.raises(UserError) as caught:
            needs_the_guide()
        assert (caught.value.code, caught.value.params) == ("workspace-invalid", {"file": "templates/guide.yaml"})


def test_a_command_reads_the_workspace_without_the_theme_suggestions(make_workspace: MakeWorkspace) -> None:
    """Only ``validate`` prints the suggestions: the other commands do not pay for them."""
    from ess_coop.validation import check_workspace

    themes = "themes:\n  - id: compost\n    label: {fr: Compostage, en: Composting}\n    keywords: [participatif]\n"
    themes += "  - id: financement\n    label: {fr: Financement, en: Funding}\n  - id: gouvernance\n"
    themes += "    label: {fr: Gouvernance, en: Governance}\n"
    root = make_workspace({"templates/themes.yaml": themes})
    checked = [i.code for i in check_workspace(root)[1].issues]
    assert "theme-suggested" in checked
    ws, report = open_workspace(root)
    assert [i.code for i in report.issues] == [c for c in checked if c != "theme-suggested"]
    assert [t.rel for t in ws.transcripts] == [t.rel for t in check_workspace(root)[0].transcripts]
