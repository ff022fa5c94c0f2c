"""The consent table of format.md, cell by cell."""

from __future__ import annotations

import pytest

from ess_coop.consent import interviewee_labels, interviewer_label, interviewer_organisation, printed_quote
from ess_coop.models import Actor, Transcript

ACTOR = Actor(id="tg-a", name="ONG togolaise A", short_name="TG A", country="TG", type="ngo")


def transcript(level: str) -> Transcript:
    return Transcript.model_validate(
        {
            "format": 1,
            "id": "2024-07-02-tg-a",
            "actor": "tg-a",
            "date": "2024-07-02",
            "status": "complete",
            "interviewees": [{"ref": "P1", "name": "Abla Dzɔ", "role": "Coordinatrice"}],
            "consent": {"quotes": level},
            "quotes": [{"text": "Apprendre autant qu'on apporte.", "speaker": "P1"}],
            "notes": "Ne jamais imprimer.",
        }
    )


@pytest.mark.parametrize(
    ("level", "context", "sensitive", "anonymize", "expected"),
    [
        ("named", "profile", False, False, "Abla Dzɔ, Coordinatrice, TG A"),
        ("named", "profile", False, True, "Coordinatrice, TG A"),
        ("role", "profile", False, False, "Coordinatrice, TG A"),
        ("anonymous", "cross", False, False, "un partenaire (Togo)"),
        ("anonymous", "profile", False, False, None),
        ("named", "cross", True, False, "un partenaire (Togo)"),
        ("named", "profile", True, False, None),
        ("none", "cross", False, False, None),
    ],
)
def test_quote_attribution(level: str, context: str, sensitive: bool, anonymize: bool, expected: str | None) -> None:
    actor = ACTOR.model_copy(update={"sensitive": sensitive})
    tr = transcript(level)
    printed = printed_quote(
        tr.quotes[0],
        tr,
        actor,
        context=context,
        lang="fr",
        anonymize=anonymize,  # type: ignore[arg-type]
        type_is_unique=True,
    )
    assert (printed.attribution if printed else None) == expected


def test_anonymous_attribution_uses_the_type_when_it_is_shared() -> None:
    tr = transcript("anonymous")
    printed = printed_quote(tr.quotes[0], tr, ACTOR, context="cross", lang="en")
    assert printed is not None and printed.attribution == "an NGO (Togo)"


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("named", ["Abla Dzɔ, Coordinatrice"]),
        ("role", ["Coordinatrice"]),
        ("anonymous", ["Personne P1"]),
        ("none", ["Personne P1"]),
    ],
)
def test_interviewee_labels(level: str, expected: list[str]) -> None:
    assert interviewee_labels(transcript(level), ACTOR, lang="fr") == expected


def test_interviewers_are_matched_against_the_registry_given() -> None:
    # The registry's names are folded once and kept between calls: never an actor of another list.
    first = [ACTOR, Actor(id="tg-b", name="Réseau B", short_name="TG A", country="TG", type="network")]
    other = [Actor(id="tg-a", name="ONG togolaise A", short_name="ONG A", country="TG", type="ngo")]
    assert interviewer_organisation("tg a", first) is ACTOR  # a name two actors bear: the first
    copies = [a.model_copy() for a in first]  # the same names, other objects
    assert interviewer_organisation("tg a", copies) is copies[0]
    assert interviewer_organisation("TG-A", other) is other[0]
    assert interviewer_label("Awa (ONG A)", other, lang="fr", anonymize=True) == "ONG A"
    assert interviewer_label("Awa (ONG A)", first, lang="fr", anonymize=True) == "l'équipe du projet"
    renamed = [other[0].model_copy(update={"short_name": "Nouvelle"})]
    assert interviewer_label("Awa (ONG A)", renamed, lang="fr", anonymize=True) == "l'équipe du projet"
    assert interviewer_organisation("nouvelle", renamed) is renamed[0]
