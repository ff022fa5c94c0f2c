"""Values as people type them in a Word form, one line each."""

from __future__ import annotations

import datetime as dt

import pytest

from ess_coop.forms.values import Vocabulary, longest_names, normalize, parse_date, split_terms
from ess_coop.validation import check_workspace
from samples import MakeWorkspace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-07-03", dt.date(2024, 7, 3)),
        (" 3.7.2024 ", dt.date(2024, 7, 3)),
        ("03/07/2024", dt.date(2024, 7, 3)),
        ("3-7-2024", dt.date(2024, 7, 3)),
        ("31/02/2024", None),
        ("2024-07-03 10:00", None),
        ("2024-08-21T10:15:00.000+00:00", None),
        ("juillet 2024", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Économie   Sociale!", "economie sociale"), ("ODD-8", "odd 8"), ("a_b", "a b"), ("", "")],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_split_terms_keeps_a_name_with_commas_whole() -> None:
    names = {"industry, innovation and infrastructure": 9, "decent work": 8}
    assert split_terms("Industry, innovation and infrastructure; decent work, x", lambda s: names.get(s.lower())) == [
        ("Industry, innovation and infrastructure", 9),
        ("decent work", 8),
        ("x", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ODD 8", 8), ("sdg 17", 17), ("8", 8), ("ODD 18", "ODD 18"), ("Travail décent et croissance économique", 8),
     ("nothing", None)],
)
def test_an_sdg_is_read_by_number_or_name(make_workspace: MakeWorkspace, text: str, expected: object) -> None:
    ws, _ = check_workspace(make_workspace(), lang="fr")
    assert Vocabulary(ws).sdg(text) == expected


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["Eau", "assainissement", "Compost"], [("Eau, assainissement", 1), ("Compost", 1)]),
        (["Compost", "Eau"], [("Compost", 1), ("Eau", None)]),
        ([], []),
    ],
)
def test_longest_names_joins_the_longest_run_that_names_something(
    pieces: list[str], expected: list[tuple[str, int | None]]
) -> None:
    known = {"Eau, assainissement", "Compost"}
    assert longest_names(pieces, lambda text: 1 if text in known else None) == expected
