"""Themes the interviewer forgot: keywords matched despite accents, case and plurals."""

from __future__ import annotations

import pytest

from ess_coop.keywords import KeywordMatcher, fold
from ess_coop.models import LocalText, Theme


def theme(theme_id: str, *keywords: str) -> Theme:
    return Theme(id=theme_id, label=LocalText(fr=theme_id, en=theme_id), keywords=list(keywords))


MATCHER = KeywordMatcher(
    [
        theme("compost", "biodéchet", "déchets organiques"),
        theme("plastique", "tri", "eau potable"),
        theme("vide"),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Valoriser les BIODECHETS.", {"compost": ["BIODECHETS"]}),  # case, accents, plural
        ("Un biodéchet", {"compost": ["biodéchet"]}),
        ("Les Déchets-Organiques du marché", {"compost": ["Déchets-Organiques"]}),  # two words, hyphen
        ("le déchet organique", {"compost": ["déchet organique"]}),  # a plural keyword matches its singular
        ("Accès aux eaux potables et au tri", {"plastique": ["eaux potables", "tri"]}),  # -x plural
        ("Le patrimoine et la tribune", {}),  # word boundaries: "tri" is not in "patrimoine"
        ("", {}),
    ],
)
def test_keywords_match_whatever_the_accents_case_and_plural(text: str, expected: dict[str, list[str]]) -> None:
    assert MATCHER.matches(text) == expected


def test_a_suggestion_leaves_out_the_themes_already_tagged() -> None:
    text = "Collecter les biodéchets et organiser le tri."
    assert [(s.theme, s.words) for s in MATCHER.suggest(text, ["plastique"])] == [("compost", ["biodéchets"])]
    assert MATCHER.suggest(text, ["plastique", "compost"]) == []


def test_fold_keeps_one_character_for_one() -> None:
    assert fold("Éco-Système ÉLÈVE ŋ") == "eco-systeme eleve ŋ"


def test_a_vocabulary_without_keywords_matches_nothing() -> None:
    assert not KeywordMatcher([theme("vide")])
    assert KeywordMatcher([theme("vide")]).matches("tout") == {}
