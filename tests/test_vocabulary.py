"""The one synonym table: what people type for our values, read the same by validate and the imports."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from ess_coop import models
from ess_coop.vocabulary import SYNONYMS, fold, suggest

FIELDS: dict[str, Any] = {
    "mode": models.Mode,
    "language": models.Language,
    "status": models.Status,
    "quotes": models.QuoteConsent,
    "priority": models.Priority,
    "type": models.ActorType,
    "role": models.ActorRole,
}


@pytest.mark.parametrize("field", sorted(SYNONYMS))
def test_every_synonym_stands_for_a_value_of_the_format(field: str) -> None:
    values = (True, False) if field == "yes_no" else get_args(FIELDS[field])
    assert set(SYNONYMS[field]) <= set(values)
    assert all(word == fold(word) for words in SYNONYMS[field].values() for word in words)


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("Visioconférence", models.MODES, "video"),
        ("face-to-face", models.MODES, "in-person"),
        ("non", models.QUOTE_CONSENTS, "none"),
        ("Élevée", models.PRIORITIES, "high"),
        ("Réseau", get_args(models.ActorType), "network"),
        ("financeur", get_args(models.ActorRole), "funder"),
        ("compelte", models.STATUSES, "complete"),  # a typo: the closest spelling
        ("non", models.MODES, None),  # a synonym of another field's value
        ("xyz", models.MODES, None),
        (3, models.MODES, None),
    ],
)
def test_suggest(word: object, choices: tuple[str, ...], expected: str | None) -> None:
    assert suggest(word, choices) == expected


def test_fold_keeps_one_character_for_one() -> None:
    assert fold("Élevée À Lomé") == "elevee a lome"
