"""The guide as an XLSForm: what the form asks, and that pyxform and LibreOffice take it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace
from ess_coop.xlsform import build_xlsform, field_name, write_xlsform
from kobo_samples import HOSTILE
from samples import MakeWorkspace

ROOT = Path(__file__).resolve().parents[1]
FR, EN = "label::Français (fr)", "label::English (en)"
UTF8_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quotes, UTF-8


def _workspace(root: Path) -> Workspace:
    ws, _ = check_workspace(root)
    return ws


def _sheets(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Each sheet as a list of rows keyed by header."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = {}
    for sheet in book.worksheets:
        rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        out[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return out


def _survey(data: bytes) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in _sheets(data)["survey"] if row["name"]}


def _pyxform(data: bytes) -> str:
    warnings: list[str] = []
    result = convert(data, warnings=warnings, file_type=".xlsx")
    assert warnings == []
    return result.xform


@pytest.mark.parametrize("actors", [None, ["tg-a"], ["fr-b"], ["fr-a", "tg-b"]])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pyxform_converts_the_form_without_error_or_warning(
    make_workspace: MakeWorkspace, actors: list[str] | None, lang: str
) -> None:
    ws = _workspace(make_workspace())
    chosen = [a for a in ws.actors if actors is None or a.id in actors]
    data, form_id, version, _ = build_xlsform(ws, chosen, lang=lang)
    xform = _pyxform(data)
    assert f'id="{form_id}"' in xform
    assert f'version="{version}"' in xform


@pytest.mark.parametrize("shared", [True, False])
def test_hostile_names_and_texts_still_convert(make_workspace: MakeWorkspace, shared: bool) -> None:
    ws = _workspace(make_workspace(HOSTILE))
    actor = ws.actor("ong-d")
    assert actor is not None
    data = build_xlsform(ws, ws.actors if shared else [actor], lang="fr")[0]
    _pyxform(data)
    survey = _survey(data)
    assert {"q_1-premiere", "q_quotes", "q_expectations"} <= set(survey)
    expected = (
        "(${actor_country} = 'TG' or ${actor_country} = 'FR') and (${actor_type} = 'ngo' or "
        "${actor_type} = 'network' or ${actor_type} = 'local-authority')"
    )
    assert survey["q_1-premiere"]["relevant"] == (expected if shared else "")
    assert survey["q_expectations"]["label::English (en)"] == "Seulement en français"


def test_the_bundled_guide_converts_too() -> None:
    ws = _workspace(ROOT)
    data, _, _, questions = build_xlsform(ws, ws.actors, lang="fr")
    xform = _pyxform(data)
    assert questions == len(ws.guide.questions()) if ws.guide else False
    assert "Structure interrogée" in xform and "Organisation interviewed" in xform


def test_shared_form_asks_the_actor_first_and_conditions_questions_on_country_and_type(
    make_workspace: MakeWorkspace,
) -> None:
    ws = _workspace(make_workspace())
    data, form_id, version, questions = build_xlsform(ws, ws.actors, lang="fr")
    survey = _survey(data)
    names = list(survey)
    assert names[:2] == ["interview_info", "actor_id"]
    assert survey["actor_id"]["type"] == "select_one actor_id"
    assert survey["loi-ess"]["relevant"] == "${actor_country} = 'TG'"
    assert survey["cooperation-decentralisee"]["relevant"] == "${actor_type} = 'local-authority'"
    assert survey["mission"]["relevant"] == ""
    assert survey["section_structure"]["relevant"] == "${consent_participation} = 'yes'"
    assert survey["mission"]["required"] == "yes" and survey["activites"]["required"] == ""
    assert survey["mission"]["hint::Français (fr)"] == "Faire préciser."
    assert survey["mission"]["hint::English (en)"] == "Ask for details."
    assert (form_id, questions) == ("guide-test", 4)
    assert version.startswith("1-")
    choices = {(c["list_name"], c["name"]): c for c in _sheets(data)["choices"]}
    assert choices[("actor_id", "tg-b")]["country"] == "TG"
    assert choices[("actor_id", "tg-b")]["actor_type"] == "network"
    assert choices[("actor_id", "tg-a")][FR] == "ONG togolaise A (TG A) — Togo"


def test_consent_comes_first_and_refusing_it_ends_the_interview(make_workspace: MakeWorkspace) -> None:
    ws = _workspace(make_workspace())
    survey = _survey(build_xlsform(ws, ws.actors, lang="fr")[0])
    names = list(survey)
    consent = names.index("consent_participation")
    assert names.index("consent_quotes") < names.index("interviewees") < names.index("section_structure")
    assert survey["consent_participation"]["required"] == "yes"
    assert survey["consent_refused_note"]["relevant"] == "${consent_participation} = 'no'"
    asked_after = [row for name, row in survey.items() if names.index(name) > consent + 1]
    top_level = [row for row in asked_after if row["type"] in ("begin_group", "begin_repeat")]
    assert all("${consent_participation} = 'yes'" in row["relevant"] for row in top_level)
    assert survey["interviewee_name"]["relevant"] == "${consent_quotes} = 'named' and ${actor_sensitive} != 'yes'"
    assert "${consent_quotes} != 'none'" in survey["quotes"]["relevant"]


def test_lists_are_repeats_with_themes_sdgs_and_priority(make_workspace: MakeWorkspace) -> None:
    ws = _workspace(make_workspace())
    data = build_xlsform(ws, ws.actors, lang="en")[0]
    survey = _survey(data)
    for repeat in ("expectations", "contributions", "constraints", "quotes"):
        assert survey[repeat]["type"] == "begin_repeat"
    assert survey["expectation_themes"]["type"] == "select_multiple themes"
    assert survey["expectation_themes"]["required"] == "yes"
    assert survey["expectation_sdgs"]["type"] == "select_multiple sdgs"
    assert survey["expectation_priority"]["type"] == "select_one priorities"
    assert survey["contribution_sdgs"]["type"] == "select_multiple sdgs"
    sheets = _sheets(data)
    sdgs = [c for c in sheets["choices"] if c["list_name"] == "sdgs"]
    assert [c["name"] for c in sdgs] == [str(n) for n in range(1, 18)]
    assert sdgs[12][EN] == "13 — Climate action"
    themes = {c["name"]: c for c in sheets["choices"] if c["list_name"] == "themes"}
    assert themes["compost"][FR] == "Compostage" and themes["compost"][EN] == "Composting"
    assert sheets["settings"] == [
        {"form_title": "Test guide", "form_id": "guide-test", "version": sheets["settings"][0]["version"],
         "default_language": "English (en)"}
    ]  # fmt: skip


def test_a_form_for_one_actor_holds_only_its_questions(make_workspace: MakeWorkspace) -> None:
    ws = _workspace(make_workspace())
    fr_b = ws.actor("fr-b")
    assert fr_b is not None
    data, form_id, _, questions = build_xlsform(ws, [fr_b], lang="fr")
    survey = _survey(data)
    assert "loi-ess" not in survey
    assert survey["cooperation-decentralisee"]["relevant"] == ""
    assert survey["actor_id"]["type"] == "calculate"
    assert survey["actor_id"]["calculation"] == "'fr-b'"
    assert (form_id, questions) == ("guide-test-fr-b", 3)
    assert survey["interviewee_name"]["relevant"] == "${consent_quotes} = 'named'"


def test_names_are_not_even_asked_of_a_sensitive_actor(make_workspace: MakeWorkspace) -> None:
    ws = _workspace(make_workspace())
    tg_b = ws.actor("tg-b")
    assert tg_b is not None and tg_b.sensitive
    assert "interviewee_name" not in _survey(build_xlsform(ws, [tg_b], lang="fr")[0])
    choices = _sheets(build_xlsform(ws, ws.actors, lang="fr")[0])["choices"]
    assert {c["name"]: c["actor_sensitive"] for c in choices if c["list_name"] == "actor_id"} == {
        "fr-a": "no", "fr-b": "no", "tg-a": "no", "tg-b": "yes"
    }  # fmt: skip


def test_same_workspace_same_bytes_and_a_changed_guide_changes_the_version(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    first = write_xlsform(_workspace(root), [], lang="fr")
    again = write_xlsform(_workspace(root), [], lang="fr")
    assert (first.written.status, again.written.status) == ("written", "unchanged")
    guide = root / "templates/guide.yaml"
    guide.write_text(guide.read_text("utf-8").replace("Vos activités ?", "Vos activités principales ?"), "utf-8")
    changed = write_xlsform(_workspace(root), [], lang="fr")
    assert changed.version != first.version
    assert changed.written.path == root / "output/xlsform-guide-test.xlsx"


@pytest.mark.parametrize(("question_id", "name"), [("mission", "mission"), ("2024-bilan", "q_2024-bilan"),
                                                   ("quotes", "q_quotes")])  # fmt: skip
def test_field_names_stay_valid_xml_and_never_clash_with_ours(question_id: str, name: str) -> None:
    assert field_name(question_id) == name


def test_libreoffice_calc_opens_the_form(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed"
    form = write_xlsform(_workspace(make_workspace()), [], lang="fr").written.path
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", UTF8_CSV,
         "--outdir", str(tmp_path), str(form)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / f"{form.stem}.csv").read_text("utf-8")
    assert text.startswith("type,name,label::Français (fr)")
    assert "select_one actor_id,actor_id,Structure interrogée" in text


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate runs on Java")
@pytest.mark.parametrize("shared", [True, False])
def test_odk_validate_accepts_the_form(make_workspace: MakeWorkspace, shared: bool) -> None:
    """ODK Validate (JavaRosa, shipped with pyxform) loads the form as ODK Collect would:
    the relevant expressions, the lookups in the actor list and ``position(..)`` all parse."""
    ws = _workspace(make_workspace(HOSTILE))
    actor = ws.actor("tg-b")
    assert actor is not None
    warnings: list[str] = []
    data = build_xlsform(ws, ws.actors if shared else [actor], lang="fr")[0]
    convert(data, warnings=warnings, validate=True, file_type=".xlsx")
    assert warnings == []
