"""People in the documents: per-person consent, interviewers, and what validate says of them."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from openpyxl import load_workbook

from ess_coop.consent import interviewer_label, quote_fates
from ess_coop.models import ActorsFile
from ess_coop.referential_docx import build_referential
from ess_coop.referential_xlsx import build_workbook
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from ess_coop.yamlio import parse_yaml, read_yaml
from samples import ACTORS, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

DAY = dt.date(2024, 9, 30)


@pytest.mark.parametrize(
    ("entry", "normal", "anonymized"),
    [
        ("fr-a", "FR A", "FR A"),  # an id: the organisation's label
        ("tg a", "TG A", "TG A"),  # a short name, any case
        ("Awa Koné (TG A)", "Awa Koné (TG A)", "TG A"),  # a person of an organisation
        ("Jean Dupont", "Jean Dupont", "l'équipe du projet"),
        ("Xylm", "Xylm", "l'équipe du projet"),  # not in this registry: a person
    ],
)
def test_interviewer_label(entry: str, normal: str, anonymized: str) -> None:
    actors = list(ActorsFile.model_validate(parse_yaml(ACTORS).data).actors)
    assert interviewer_label(entry, actors, lang="fr") == normal
    assert interviewer_label(entry, actors, lang="fr", anonymize=True) == anonymized


INTERVIEWERS = TRANSCRIPT.replace("interviewers: [Xylm]", "interviewers: [Jeanne Enquêtrice, Awa Koné (TG A), fr-a]")


@pytest.mark.parametrize(("anonymize", "expected"), [(False, "Jeanne Enquêtrice, Awa Koné (TG A), FR A"), (True, "")])
def test_anonymize_hides_interviewers_in_annex_and_workbook(
    make_workspace: MakeWorkspace, anonymize: bool, expected: str
) -> None:
    ws, _ = check_workspace(make_workspace({TRANSCRIPT_PATH: INTERVIEWERS}))
    syn = synthesise(ws, anonymize=anonymize)
    document = docx.Document(io.BytesIO(build_referential(ws, syn, lang="fr", template=None, anonymize=anonymize,
                                                          today=DAY)))  # fmt: skip
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    book = load_workbook(io.BytesIO(build_workbook(ws, syn, lang="fr", today=DAY)))
    sheet = [c.value for row in book["Entretiens"].iter_rows() for c in row]
    text = "\n".join([p.text for p in document.paragraphs] + cells + [str(v) for v in sheet])
    if anonymize:
        assert "Jeanne" not in text and "Awa" not in text
        assert "l'équipe du projet, TG A, FR A" in cells and "l'équipe du projet, TG A, FR A" in sheet
    else:
        assert expected in cells and expected in sheet


PER_PERSON = (
    TRANSCRIPT.replace("quotes: named", "quotes: anonymous")
    .replace(
        "    role: Chargée de mission\n",
        "    role: Chargée de mission\n    consent: named\n  - ref: P2\n    role: Trésorier\n    consent: none\n"
        "  - ref: P3\n    role: Animateur\n",
    )
    .replace(
        "notes:",
        '  - text: "Je ne veux pas être cité."\n    speaker: P2\n'
        '  - text: "Anonyme, moi."\n    speaker: P3\n    themes: [compost]\nnotes:',
    )
)


def test_each_person_consent_overrides_the_interview(make_workspace: MakeWorkspace) -> None:
    ws, report = check_workspace(make_workspace({TRANSCRIPT_PATH: PER_PERSON}))
    assert [i.code for i in report.issues] == ["person-quotes-without-consent"]  # P2's quote; no name warning
    tr, actor = ws.transcripts[0].transcript, ws.actors[0]
    assert tr is not None
    fates = {f.speaker: f for f in quote_fates([(tr, actor)], actors=ws.actors, min_group=1, lang="fr")}
    assert fates["P1"].attribution == "Jeanne Exemple, Chargée de mission, FR A"
    assert fates["P2"].fate == "not-published"
    assert (fates["P3"].level, fates["P3"].attribution) == ("anonymous", "une association (France)")
    sensitive = actor.model_copy(update={"sensitive": True})
    capped = quote_fates([(tr, sensitive)], actors=[sensitive], min_group=1, lang="fr")
    assert [f.level for f in capped] == ["anonymous", "none", "anonymous"]  # sensitive: at most anonymous


def test_person_consent_is_checked_with_a_suggestion(make_workspace: MakeWorkspace) -> None:
    bad = TRANSCRIPT.replace("    role: Chargée de mission\n", "    role: Chargée de mission\n    consent: nommé\n")
    _, report = check_workspace(make_workspace({TRANSCRIPT_PATH: bad}))
    issue = next(i for i in report.issues if i.code == "invalid-value")
    assert (issue.line, issue.column) == (14, 14)
    assert issue.message == "valeur « nommé » non prévue pour « consent » (vouliez-vous dire « named » ?)"


def test_a_sensitive_actor_is_said_to_be_sensitive(make_workspace: MakeWorkspace) -> None:
    sensitive = ACTORS.replace("coordinator\n  - id: fr-b", "coordinator\n    sensitive: true\n  - id: fr-b")
    _, report = check_workspace(make_workspace({"actors.yaml": sensitive}))
    found = {i.code: i for i in report.issues}
    assert set(found) == {"sensitive-consent", "sensitive-name"}
    assert found["sensitive-consent"].message == (
        "consent.quotes vaut named, mais l'acteur fr-a est marqué sensible : ses citations seront imprimées "
        "anonymement, sans nom ni fonction"
    )
    assert "sensible" in found["sensitive-name"].message
    assert "consent.quotes vaut named" not in found["sensitive-name"].hint  # the old, untrue hint


def test_the_word_form_carries_each_person_consent(make_workspace: MakeWorkspace) -> None:
    from test_form_import import _fill, _import, _new_form, _table

    root = make_workspace()
    path, document = _new_form(root)
    _fill(_table(document, "Réf."), [["P1", "", "Coordinatrice", "anonyme"], ["P2", "", "Trésorier", "peut-être"]])
    document.save(str(path))
    result = _import(root, path)
    people = read_yaml(result.transcript_path).data["interviewees"]
    assert people == [
        {"ref": "P1", "role": "Coordinatrice", "consent": "anonymous"},
        {"ref": "P2", "role": "Trésorier"},
    ]
    finding = next(f for f in result.findings if f.code == "import-unknown-choice")
    assert finding.place == "tableau « Personnes interrogées », ligne 2, colonne « Consentement »"
    assert finding.message.startswith("« peut-être » n'est pas un choix attendu (sous son nom, par sa fonction")
