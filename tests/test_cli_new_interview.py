"""``ess-coop new-interview``: tailored skeletons that validate, never overwrite, refuse bad ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.init_workspace import create_workspace
from ess_coop.validation import check_workspace
from ess_coop.yamlio import read_yaml
from samples import MakeWorkspace

runner = CliRunner()
BUNDLED_ACTORS = [
    "xylm",
    "departement-ille-et-vilaine",
    "cress-bretagne",
    "reseau-bretagne-solidaire",
    "pole-ess-pays-de-fougeres",
    "tag35",
    "universite-de-rennes",
    "cado",
    "stadd",
    "miawodo",
    "smpdd",
    "uongto",
    "enpro",
    "fongto",
    "oadel",
    "pasyd",
]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "ws"
    create_workspace(root, example=True)
    return root


def new(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["new-interview", "--workspace", str(root), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("actor", BUNDLED_ACTORS)
def test_skeleton_of_every_bundled_actor_validates(example: Path, actor: str) -> None:
    code, out = new(example, actor, "--date", "2025-03-01", "-i", "Xylm")
    assert code == 0, out
    path = example / "interviews" / actor / f"2025-03-01-{actor}.yaml"
    assert f"interviews/{actor}/2025-03-01-{actor}.yaml" in out
    _, report = check_workspace(example, only=[path])
    assert report.issues == [], report.issues
    data = read_yaml(path).data
    assert data["status"] == "draft" and data["actor"] == actor and data["interviewers"] == ["Xylm"]
    assert data["guide"] == "guide-referentiel@1" and data["mode"] == "in-person"


def _questions(root: Path, actor: str, date: str) -> set[str]:
    assert new(root, actor, "--date", date)[0] == 0
    return set(read_yaml(root / "interviews" / actor / f"{date}-{actor}.yaml").data["answers"])


def test_questions_are_tailored(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    togolese_ngo = _questions(root, "tg-a", "2025-01-01")
    french_authority = _questions(root, "fr-b", "2025-01-01")
    assert togolese_ngo == {"mission", "activites", "loi-ess"}
    assert french_authority == {"mission", "activites", "cooperation-decentralisee"}


def test_second_interview_same_day_gets_suffix(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    assert new(root, "tg-a", "--date", "2025-01-01")[0] == 0
    original = (root / "interviews/tg-a/2025-01-01-tg-a.yaml").read_text("utf-8")
    assert new(root, "tg-a", "--date", "2025-01-01")[0] == 0
    assert (root / "interviews/tg-a/2025-01-01-tg-a-2.yaml").is_file()
    assert (root / "interviews/tg-a/2025-01-01-tg-a.yaml").read_text("utf-8") == original
    _, report = check_workspace(root)
    assert report.valid


@pytest.mark.parametrize("bad", ["../evil", "..", "FR-A", "fr a", "/tmp/x", "fr-a/../../x", "con:", "é"])
def test_bad_ids_never_create_a_file(make_workspace: MakeWorkspace, tmp_path: Path, bad: str) -> None:
    root = make_workspace()
    before = sorted(tmp_path.rglob("*"))
    code, out = new(root, bad)
    assert code == 1
    close = bad in ("FR-A", "fr a")  # refused, with the id meant
    expected = "(vouliez-vous dire « fr-a » ?)" if close else "n'est pas un identifiant d'acteur"
    assert expected in out
    assert sorted(tmp_path.rglob("*")) == before


def test_unknown_actor_suggests(make_workspace: MakeWorkspace) -> None:
    code, out = new(make_workspace(), "tg-aa")
    assert code == 1
    assert "acteur « tg-aa » absent du registre (vouliez-vous dire « tg-a » ?)" in out


def test_english_skeleton(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    assert new(root, "tg-a", "--date", "2025-01-01", "--lang", "en", "--mode", "phone")[0] == 0
    text = (root / "interviews/tg-a/2025-01-01-tg-a.yaml").read_text("utf-8")
    assert "# ? What is your mission? (required)" in text
    assert "  # → Ask for details." in text
    assert "language: en" in text and "mode: phone" in text


def test_bad_date_is_refused(make_workspace: MakeWorkspace) -> None:
    code, out = new(make_workspace(), "tg-a", "--date", "2025-02-30")
    assert code == 2  # a malformed option value is a usage error
    assert "« 2025-02-30 » n'est pas une date pour --date — écrivez une date réelle au format AAAA-MM-JJ" in out


def test_interviewers_are_written_as_typed_whatever_they_are(example: Path) -> None:
    typed = ["Awa Koné", "M. K.", "null", "Yes", 'Jean "JD" Dupont', "a: b", " STADD", "#1"]
    code, out = new(example, "oadel", "--date", "2025-03-02", *(arg for name in typed for arg in ("-i", name)))
    assert code == 0, out
    path = example / "interviews" / "oadel" / "2025-03-02-oadel.yaml"
    assert "interviewers: [Awa Koné, M. K., " in path.read_text("utf-8")  # plain, as people read names
    _, report = check_workspace(example, only=[path])
    assert report.issues == [], report.issues
    assert read_yaml(path).data["interviewers"] == typed
