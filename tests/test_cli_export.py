"""``ess-coop export qdpx|qdc``: the interviews for researchers' software, read back as they would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.export import export_qdpx
from ess_coop.init_workspace import create_workspace
from ess_coop.validation import check_workspace
from ess_coop.yamlio import read_yaml
from refi_check import NS, Qdpx, assert_valid, read_qdpx, tg
from samples import MakeWorkspace

runner = CliRunner()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export") / "ws"
    create_workspace(root, example=True)
    return root


def export(root: Path, *args: str) -> tuple[str, Qdpx]:
    result = runner.invoke(app, ["export", "qdpx", "--workspace", str(root), *args])
    assert result.exit_code == 0, result.output
    target = root / "output" / "ess-bretagne-togo.qdpx"
    return result.output, read_qdpx(target.read_bytes(), root.parent)


def transcripts(root: Path) -> list[dict]:
    return [read_yaml(path).data for path in sorted((root / "interviews").glob("*/*.yaml"))]


def test_export_says_what_it_wrote(example: Path) -> None:
    output, _ = export(example)
    assert output.splitlines() == [
        "Écrit : output/ess-bretagne-togo.qdpx",
        "  6 entretien(s) en sources, 16 partenaire(s) en cas, 50 codes, 52 passage(s) codé(s) dont 8 citation(s)"
        " (2 anonyme(s), à part)",
        "Attention : entretien en brouillon laissé de côté : interviews/enpro/2024-08-08-enpro.yaml"
        " (--include-drafts pour le compter)",
        "Ouvrez-le avec l'import de projet REFI-QDA (QDPX) de QualCoder, NVivo, MAXQDA ou ATLAS.ti.",
    ]
    again = runner.invoke(app, ["export", "qdpx", "--workspace", str(example)])
    assert again.output.splitlines()[0].startswith("Inchangé : output/ess-bretagne-togo.qdpx")


def test_every_statement_is_coded_on_exactly_its_text(example: Path) -> None:
    _, back = export(example, "--include-drafts")
    themes = {}
    for theme in read_yaml(example / "templates/themes.yaml").data["themes"]:
        themes[theme["id"]] = theme["label"]["fr"]
    kinds = {"expectations": "Attente", "contributions": "Apport", "constraints": "Contrainte"}
    expected = []
    for tr in transcripts(example):
        for key, kind in kinds.items():
            for item in tr.get(key) or []:
                codes = [kind, *(themes[th] for th in item.get("themes", []))]
                expected.append((item["text"], codes))
    coded = [(p.text, p.codes[: len(c)]) for p in back.passages for t, c in expected if p.text == t]
    assert sorted(coded) == sorted(expected)  # each statement once, on its text, with its kind and themes
    sdg = next(p for p in back.passages if any(c.startswith("ODD ") for c in p.codes))
    assert all(c in back.codes.values() for c in sdg.codes)


def test_every_partner_is_a_case_with_its_variables(example: Path) -> None:
    _, back = export(example)
    cases = back.cases()
    actors = read_yaml(example / "actors.yaml").data["actors"]
    assert sorted(cases) == sorted(a.get("short_name", a["name"]) for a in actors)
    assert cases["STADD"] == {
        "Pays": "Togo",
        "Type de structure": "ONG",
        "Rôle dans le projet": "Coordinateur",
        "Territoire": "Lomé",
        "Entretiens pris en compte": "1",
    }
    variables = {v.get("name"): v.get("typeOfVariable") for v in back.root.iterfind(".//q:Variable", NS)}
    assert variables["Entretiens pris en compte"] == "Integer" and variables["Date de l'entretien"] == "Date"
    stadd = next(c for c in back.root.iterfind("q:Cases/q:Case", NS) if c.get("name") == "STADD")
    refs = [r.get("targetGUID") for r in stadd.iterfind("q:SourceRef", NS)]
    names = {s.get("guid"): s.get("name") for s in back.root.iterfind("q:Sources/q:TextSource", NS)}
    assert [names[r] for r in refs] == ["E04 — STADD (Togo)"]


@pytest.mark.parametrize("anonymize", [False, True])
def test_nobody_is_named_beyond_consent(example: Path, anonymize: bool) -> None:
    _, back = export(example, "--include-drafts", *(["--anonymize"] if anonymize else []))
    everything = back.everything()
    for tr in transcripts(example):
        named = tr["consent"]["quotes"] == "named" and tr["actor"] != "smpdd" and not anonymize  # smpdd: sensitive
        for person in tr.get("interviewees") or []:
            if person.get("name"):
                assert (person["name"] in everything) == named, person["name"]
        for quote in tr.get("quotes") or []:
            assert (quote["text"] in everything) == (tr["consent"]["quotes"] != "none")
        assert " ".join(tr["notes"].split())[:40] not in " ".join(everything.split())
    assert ("M. K." in back.users()) == (not anonymize)  # an interviewer who is a person
    assert {"Xylm", "STADD"} <= set(back.users())  # interviewers that are partner organisations


def test_anonymous_quotes_are_tied_to_no_interview(example: Path) -> None:
    _, back = export(example)
    apart = back.texts["Paroles anonymes"]
    smpdd = next(q["text"] for tr in transcripts(example) if tr["actor"] == "smpdd" for q in tr["quotes"])
    assert f"« {smpdd} »\n— un partenaire\n" in apart
    assert all(smpdd not in text for name, text in back.texts.items() if name != "Paroles anonymes")
    source = next(s for s in back.root.iterfind("q:Sources/q:TextSource", NS) if s.get("name") == "Paroles anonymes")
    assert all(source.get("guid") not in case for case in _source_refs(back))


def _source_refs(back: Qdpx) -> list[list[str]]:
    return [[r.get("targetGUID") for r in c.iterfind("q:SourceRef", NS)] for c in back.root.iterfind(".//q:Case", NS)]


def test_english_export_and_json_summary(example: Path) -> None:
    result = runner.invoke(app, ["export", "qdpx", "--lang", "en", "--format", "json", "--workspace", str(example)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    ws, _ = check_workspace(example, lang="en")
    again = export_qdpx(ws, lang="en")
    expected = again.model_dump(mode="json")  # the library's answer, the second time: "unchanged"
    assert printed.pop("document")["path"] == expected.pop("document")["path"] == "output/ess-bretagne-togo.qdpx"
    assert printed == expected
    back = read_qdpx((example / "output/ess-bretagne-togo.qdpx").read_bytes(), example.parent)
    assert "Interview E04 — STADD (Togo)\n" in back.texts["E04 — STADD (Togo)"]
    assert "Expectation" in back.codes.values() and "SDG 8 — Decent work and economic growth" in back.codes.values()


def test_codebook_alone(example: Path) -> None:
    result = runner.invoke(app, ["export", "qdc", "--workspace", str(example)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "Écrit : output/ess-bretagne-togo.qdc",
        "  50 codes : thèmes, nature de l'énoncé, ODD et priorités",
    ]
    root = assert_valid((example / "output/ess-bretagne-togo.qdc").read_bytes(), "Codebook-mrt2019.xsd")
    _, back = export(example)
    qdc = {c.get("guid"): c.get("name") for c in root.iterfind(".//c:Code", NS)}
    assert qdc == back.codes  # the same codes, with the same identifiers, as in the project


@pytest.mark.parametrize(
    ("command", "output", "message"),
    [
        ("qdpx", "projet.docx", "projet.docx: le fichier de sortie doit se terminer par .qdpx — "
         "par ex. --output output/projet.qdpx"),
        ("qdc", "codes.qdpx", "codes.qdpx: le fichier de sortie doit se terminer par .qdc — "
         "par ex. --output output/projet.qdc"),
        ("qdpx", "con.qdpx", "con.qdpx: nom de fichier impossible sous Windows"),
    ],
)  # fmt: skip
def test_wrong_output_names_are_refused(make_workspace: MakeWorkspace, command: str, output: str, message: str) -> None:
    root = make_workspace(tg())
    result = runner.invoke(app, ["export", command, "--output", output, "--workspace", str(root)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Erreur : {message}")
    assert not (root / output).exists()


def test_export_never_overwrites_an_edited_file(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(tg())
    assert runner.invoke(app, ["export", "qdpx", "--workspace", str(root)]).exit_code == 0
    (root / "output/test.qdpx").write_bytes(b"edited by hand")
    result = runner.invoke(app, ["export", "qdpx", "--workspace", str(root)])
    assert result.exit_code == 0 and "output/test-2.qdpx" in result.output
    assert (root / "output/test.qdpx").read_bytes() == b"edited by hand"
