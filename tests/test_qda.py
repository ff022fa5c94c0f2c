"""The workspace as a REFI-QDA project: selections on exactly each statement, consent, GUIDs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_coop.qda import QdaProject, build_project, codebook, guid, interviewer_label
from ess_coop.refi import qdpx
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace
from refi_check import EWE, TG_TRANSCRIPT, read_qdpx, tg
from samples import PROJECT, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace


def project(root: Path, *, lang: str = "fr", anonymize: bool = False) -> tuple[Workspace, QdaProject]:
    ws, _ = check_workspace(root, lang=lang)
    synthesis = synthesise(ws, lang=lang, anonymize=anonymize)
    return ws, build_project(ws, synthesis, lang=lang, anonymize=anonymize)


def test_every_statement_is_a_selection_on_exactly_its_code_points(make_workspace: MakeWorkspace) -> None:
    _, qda = project(make_workspace(tg()))
    source = next(s for s in qda.sources if s.interview == "2024-07-10-tg-a")
    covered = {(sel.kind, source.text[sel.start : sel.end]) for sel in source.selections}
    assert covered == {
        ("expectation", EWE),
        ("expectation", "Après l'émoji 🤝, encore : ŋ."),
        ("contribution", "Savoir-faire ɖe 👩🏾‍🔧 recyclage."),
        ("constraint", "Connexion instable."),
        ("quote", "Ŋkɔ 🙂 de la citation."),
    }
    # The second expectation comes after astral characters: its position in UTF-16 units differs.
    later = next(sel for sel in source.selections if source.text[sel.start :].startswith("Après"))
    assert len(source.text[: later.start].encode("utf-16-le")) // 2 > later.start


def test_a_statement_is_coded_by_its_kind_themes_sdgs_and_priority(make_workspace: MakeWorkspace) -> None:
    _, qda = project(make_workspace(tg()))
    names = {code.guid: code.name for folder in qda.codes for code in folder.walk()}
    source = next(s for s in qda.sources if s.interview == "2024-07-10-tg-a")
    first = next(sel for sel in source.selections if source.text[sel.start : sel.end] == EWE)
    assert [names[c] for c in first.codes] == [
        "Attente",
        "Déchets plastiques",
        "Compostage",
        "ODD 12 — Consommation et production responsables",
        "ODD 17 — Partenariats pour la réalisation des objectifs",
        "Priorité moyenne",
    ]
    assert first.codes[1] == guid("test", "theme", "plastique")


def test_codebook_folders_and_descriptions(make_workspace: MakeWorkspace) -> None:
    ws, _ = check_workspace(make_workspace(), lang="en")
    folders = codebook(ws, lang="en")
    assert [(f.name, f.codable, len(f.children)) for f in folders] == [
        ("Themes", False, 4),
        ("Kind of statement", False, 4),
        ("Sustainable Development Goals (SDGs)", False, 17),
        ("Priority of expectations and contributions", False, 3),
    ]
    assert (folders[0].children[0].name, folders[0].children[0].description) == ("Composting", "In French: Compostage")
    assert [c.name for c in folders[1].children] == ["Expectation", "Contribution", "Constraint", "Quote"]


@pytest.mark.parametrize(
    ("consent", "anonymize", "in_source", "anonymous", "name_shown"),
    [
        ("named", False, "— Abla Dzɔ, Coordinatrice, TG A", False, True),
        ("named", True, "— Coordinatrice, TG A", False, False),
        ("role", False, "— Coordinatrice, TG A", False, False),
        ("anonymous", False, None, True, False),
        ("held-back", False, None, False, False),
        ("none", False, None, False, False),
    ],
)
def test_quotes_and_names_follow_consent(
    make_workspace: MakeWorkspace,
    consent: str,
    anonymize: bool,
    in_source: str | None,
    anonymous: bool,
    name_shown: bool,
) -> None:
    # Two partners: an anonymous quote reaches no group of 3 (privacy.min_group), so it is held
    # back as in the référentiel; with a group of 1 it is exported apart, labelled as printed there.
    held_back = consent == "held-back"
    files = tg("anonymous" if held_back else consent)
    if consent == "anonymous":
        files["ess-coop.yaml"] = PROJECT + "privacy:\n  min_group: 1\n"
    _, qda = project(make_workspace(files), anonymize=anonymize)
    quote = "Ŋkɔ 🙂 de la citation."
    everything = "\n".join(s.text for s in qda.sources) + "".join(u.name for u in qda.users)
    if consent == "none":  # quotes under "none" are an error: the interview is left out whole
        assert [s.interview for s in qda.sources] == ["2024-07-03-fr-a"] and quote not in everything
        return
    interview = next(s for s in qda.sources if s.interview == "2024-07-10-tg-a")
    apart = [s for s in qda.sources if s.interview is None]
    if in_source:
        assert f"« {quote} »\n{in_source}\n" in interview.text
    else:
        assert quote not in interview.text
    assert bool(apart) == anonymous
    if anonymous:  # apart, under the label the group rule gives
        assert f"« {quote} »\n— une ONG (Togo)\n" in apart[0].text
        assert "TG A" not in apart[0].text and "2024-07-10" not in apart[0].text
    assert ("Abla Dzɔ" in everything) == name_shown
    assert ("Kofi Mensah" in everything) == (not anonymize)  # an interviewer who is a person
    assert "Secret de l'enquêteur" not in everything


def test_a_sensitive_partner_is_at_most_anonymous(make_workspace: MakeWorkspace) -> None:
    transcript = TG_TRANSCRIPT.format(consent="named", ewe="Texte.").replace("tg-a", "tg-b")
    files = {
        "interviews/tg-b/2024-07-10-tg-b.yaml": transcript,
        "ess-coop.yaml": PROJECT + "privacy:\n  min_group: 1\n",
    }
    _, qda = project(make_workspace(files))
    interview = next(s for s in qda.sources if s.interview == "2024-07-10-tg-b")
    assert "Abla Dzɔ" not in interview.text and "citation" not in interview.text
    assert "— un réseau (Togo)" in next(s for s in qda.sources if s.interview is None).text


@pytest.mark.parametrize(
    ("entry", "anonymize", "expected"),
    [
        ("STADD", False, ("person/stadd", "STADD")),  # not in this registry: a person
        ("fr a", False, ("organisation/fr-a", "FR A")),
        ("Association française A", True, ("organisation/fr-a", "FR A")),
        ("tg-a", True, ("organisation/tg-a", "TG A")),
        ("Kofi  Mensah", False, ("person/kofi mensah", "Kofi  Mensah")),
        ("Kofi Mensah", True, ("team", "l'équipe du projet")),  # a person, never named under --anonymize
        ("Kofi Mensah (TG A)", True, ("organisation/tg-a", "TG A")),  # ... but their organisation may be
    ],
)
def test_interviewers_are_organisations_or_people(
    make_workspace: MakeWorkspace, entry: str, anonymize: bool, expected: tuple[str, str]
) -> None:
    ws, _ = check_workspace(make_workspace(), lang="fr")
    assert interviewer_label(entry, ws.actors, lang="fr", anonymize=anonymize) == expected


def test_cases_are_every_partner_with_their_interviews(make_workspace: MakeWorkspace) -> None:
    _, qda = project(make_workspace(tg()))
    cases = {case.name: case for case in qda.cases}
    assert list(cases) == ["FR A", "Collectivité française B", "TG A", "Réseau togolais B"]
    values = {v.variable.name: v.value for v in cases["TG A"].values}
    assert values == {
        "Pays": "Togo",
        "Type de structure": "ONG",
        "Rôle dans le projet": "Coordinateur",
        "Territoire": "",
        "Entretiens pris en compte": 1,
    }
    assert cases["TG A"].sources == (guid("test", "interview", "2024-07-10-tg-a"),)
    assert cases["Collectivité française B"].sources == ()


def test_same_data_same_identifiers_and_bytes(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(tg("anonymous"))
    first, second = project(root)[1], project(root)[1]
    assert qdpx(first) == qdpx(second)
    assert first.cases[0].guid == guid("test", "actor", "fr-a")
    # Another interview added: the identifiers of what was there do not move.
    extra = TRANSCRIPT.replace("2024-07-03", "2024-07-20").replace("fr-a", "fr-b")
    (root / TRANSCRIPT_PATH.replace("fr-a", "fr-b").replace("2024-07-03", "2024-07-20")).parent.mkdir()
    (root / "interviews/fr-b/2024-07-20-fr-b.yaml").write_text(extra, "utf-8")
    third = project(root)[1]
    before = {sel.guid for s in first.sources for sel in s.selections}
    after = {sel.guid for s in third.sources for sel in s.selections}
    assert before < after


def test_the_file_reads_back(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    _, qda = project(make_workspace(tg()), lang="en")
    back = read_qdpx(qdpx(qda), tmp_path)
    passage = next(p for p in back.passages if p.text == EWE)
    assert passage.codes[:2] == ["Expectation", "Plastic waste"]
    assert "Interview E02 — TG A (Togo)\n" in back.texts["E02 — TG A (Togo)"]


def test_the_same_anonymous_words_twice_are_two_passages(make_workspace: MakeWorkspace) -> None:
    first = TRANSCRIPT.replace("quotes: named", "quotes: anonymous")
    second = first.replace("2024-07-03", "2024-07-20").replace("fr-a", "fr-b")
    group_of_two = PROJECT + "privacy:\n  min_group: 2\n"  # two partners: a group of 3 would hold both back
    files = {TRANSCRIPT_PATH: first, "interviews/fr-b/2024-07-20-fr-b.yaml": second, "ess-coop.yaml": group_of_two}
    _, qda = project(make_workspace(files))
    apart = next(s for s in qda.sources if s.interview is None)
    assert apart.text.count("« La réciprocité avant tout. »\n— un partenaire (France)\n") == 2
    assert len({sel.guid for sel in apart.selections}) == len(apart.selections) == 2


@pytest.mark.parametrize(
    ("consent", "shown"), [("named", "abla dzɔ"), ("role", "Coordinatrice"), ("anonymous", "Personne P1")]
)
def test_answers_name_people_only_as_consent_allows(make_workspace: MakeWorkspace, consent: str, shown: str) -> None:
    transcript = tg(consent)
    path = next(iter(transcript))
    transcript[path] = transcript[path].replace("Mission 🌱 de ɖevi.", "Fondée par abla dzɔ en 2011.")
    _, qda = project(make_workspace(transcript))
    interview = next(s for s in qda.sources if s.interview == "2024-07-10-tg-a")
    assert f"Fondée par {shown} en 2011.\n" in interview.text


def test_a_person_who_withheld_their_name_is_not_named_in_answers(make_workspace: MakeWorkspace) -> None:
    """The interview allows names, but this person's own consent does not (issue 11's per-person rule)."""
    transcript = tg("named")
    path = next(iter(transcript))
    transcript[path] = (
        transcript[path]
        .replace("role: Coordinatrice}", "role: Coordinatrice, consent: role}")
        .replace("Mission 🌱 de ɖevi.", "Fondée par Abla Dzɔ en 2011.")
    )
    _, qda = project(make_workspace(transcript))
    interview = next(s for s in qda.sources if s.interview == "2024-07-10-tg-a")
    assert "Fondée par Coordinatrice en 2011.\n" in interview.text
    assert "Abla Dzɔ" not in interview.text
