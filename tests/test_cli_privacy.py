"""``ess-coop privacy``: the register of personal data; its JSON is the library's return value."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.privacy import privacy_register
from ess_coop.validation import check_workspace
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

runner = CliRunner()

PEOPLE = TRANSCRIPT.replace("interviewers: [Xylm]", "interviewers: [FR-A, Awa Koné (TG A), Jean Dupont]").replace(
    "    role: Chargée de mission\n",
    "    role: Chargée de mission\n  - ref: P2\n    name: Kossi Secret\n    role: Trésorier\n    consent: anonymous\n",
)


def test_json_is_the_library_register(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TRANSCRIPT_PATH: PEOPLE})
    result = runner.invoke(app, ["privacy", "--format", "json", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    ws, _ = check_workspace(root)
    assert json.loads(result.output) == json.loads(privacy_register(ws, lang="fr").model_dump_json())


def test_every_person_with_consent_and_where_printed(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace({TRANSCRIPT_PATH: PEOPLE}))
    register = privacy_register(ws, lang="en")
    people = {p.name or p.ref: p for p in register.people}
    assert set(people) == {"Jeanne Exemple", "Kossi Secret", "Awa Koné (TG A)", "Jean Dupont"}  # FR-A: an organisation

    def printed(name: str) -> dict[str, tuple[str | None, str | None]]:
        return {p.document: (p.normal, p.anonymized) for p in people[name].printed}

    assert (people["Jeanne Exemple"].consent, people["Kossi Secret"].consent) == ("named", "anonymous")
    assert printed("Jeanne Exemple") == {
        "referential": ("Jeanne Exemple, Chargée de mission", "Chargée de mission"),
        "profile": ("Jeanne Exemple, Chargée de mission", "Chargée de mission"),
        "workbook": (None, None),
    }
    assert printed("Kossi Secret")["referential"] == ("Person P2", "Person P2")
    assert printed("Awa Koné (TG A)")["workbook"] == ("Awa Koné (TG A)", "TG A")
    assert printed("Jean Dupont")["referential"] == ("Jean Dupont", "the project team")
    assert register.held_back == []


def test_text_lists_people_and_held_back_quotes(make_workspace: MakeWorkspace) -> None:
    held = PEOPLE.replace("quotes: named", "quotes: anonymous").replace("    name: Jeanne Exemple\n", "")
    root = make_workspace({TRANSCRIPT_PATH: held})
    result = runner.invoke(app, ["privacy", "--lang", "en", "--workspace", str(root)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "Kossi Secret" in result.output and "Jean Dupont; with --anonymize: the project team" in result.output
    line = held.splitlines().index('  - text: "La réciprocité avant tout."') + 1
    assert (
        f"{TRANSCRIPT_PATH}:{line} — interview 2024-07-03-fr-a, quote 1"
        " (themes: gouvernance; partners covered: 1, 1, 1)" in result.output
    )
