"""Themes the interviewer forgot: keywords matched despite accents, case and plurals."""

from __future__ import annotations

import random
import re

import pytest

from ess_coop.keywords import KeywordMatcher, fold, keyword_stems
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


def test_fold_keeps_one_character_for_one() -> None:
    assert fold("Éco-Système ÉLÈVE ŋ") == "eco-systeme eleve ŋ"


def test_a_vocabulary_without_keywords_matches_nothing() -> None:
    assert not KeywordMatcher([theme("vide")])
    assert KeywordMatcher([theme("vide")]).matches("tout") == {}


def _naive_matches(matcher: KeywordMatcher, text: str) -> dict[str, list[str]]:
    """Every run of words of ``text`` tried against the keywords, one word after the other: what
    the matcher's regular expression of first words must find too, only faster."""
    found: dict[str, list[str]] = {}
    tokens = list(re.finditer(r"\w+", text))
    for i in range(len(tokens)):
        for j in range(i, len(tokens)):
            if j > i and not re.fullmatch(r"[\s'’-]+", text[tokens[j - 1].end() : tokens[j].start()]):
                break
            stems = tuple(keyword_stems(" ".join(t.group() for t in tokens[i : j + 1])))
            for theme in matcher.keywords.get(stems, ()):
                shown = found.setdefault(theme, [])
                if text[tokens[i].start() : tokens[j].end()] not in shown:
                    shown.append(text[tokens[i].start() : tokens[j].end()])
    return {theme: found[theme] for theme in matcher.themes if theme in found}


def test_the_first_word_scan_finds_what_a_word_by_word_scan_finds() -> None:
    matcher = KeywordMatcher(
        [
            Theme(id="dechets", label=LocalText(fr="D", en="W"), keywords=["déchets organiques", "tri", "eau"]),
            Theme(id="compost", label=LocalText(fr="C", en="C"), keywords=["compost", "compostage", "Œuvre"]),
        ]
    )
    vocabulary = ["Déchets", "organiques,", "ORGANIQUES", "tris", "eaux", "l'eau", "Compostages", "composts",
                  "œuvres", "trier", "déchet", "de", "Straße", "ÉAU", "ǅ", "ﬁ"]  # fmt: skip
    separators = [" ", " ", "  ", "-", " - ", ", ", "’", "\n", "."]
    rnd = random.Random(7)
    for _ in range(2000):
        words = [rnd.choice(vocabulary) for _ in range(rnd.randint(1, 10))]
        text = "".join(word + rnd.choice(separators) for word in words).strip()
        assert matcher.matches(text) == _naive_matches(matcher, text), text


def test_texts_scanned_together_match_as_each_alone() -> None:
    """A batch (a transcript's statements, a network's) is one text joined: no keyword may span
    two texts, and a character that folding reshapes ("ß" → "ss", "ﬁ" → "fi") in one text must
    not shift the words shown of the others."""
    themes = [theme("dechets", "déchets organiques", "tri"), theme("compost", "compost", "Straße")]
    matcher = KeywordMatcher(themes)
    vocabulary = ["Déchets", "organiques", "tris", "Straße", "ﬁn", "compost", "Œuvre", "ǅ", "de", "Tri"]
    rnd = random.Random(11)
    for _ in range(300):
        texts = [
            " ".join(rnd.choice(vocabulary) for _ in range(rnd.randint(0, 6))) + rnd.choice(["", " ", "-", "’"])
            for _ in range(rnd.randint(1, 9))
        ]
        alone = [_naive_matches(matcher, text) for text in texts]
        assert KeywordMatcher(themes).matches_all(texts) == alone, texts  # a new matcher: nothing known
    assert matcher.matches_all(["les déchets", "organiques"]) == [{}, {}]  # not "déchets organiques"
    assert matcher.matches_all([]) == []


def test_a_text_asked_again_gets_the_same_matches_and_its_own_copy() -> None:
    text = "Trier les biodéchets du marché."
    first = MATCHER.matches(text)
    first["compost"].append("changé")  # a caller's change must not reach the next caller
    assert MATCHER.matches(text) == {"compost": ["biodéchets"]}
