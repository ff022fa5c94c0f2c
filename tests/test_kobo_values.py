"""Values as KoboToolbox and ODK exports write them: names, labels, dates, lists."""

from __future__ import annotations

import datetime as dt

import pytest

from ess_coop.forms.values import interviewer_names, parse_date
from ess_coop.kobo_values import (
    PRIORITY_LABELS,
    QUOTE_LEVELS,
    YES_NO,
    choice,
    free_text,
    sdg_numbers,
    split_choices,
    theme_ids,
)
from ess_coop.models import LocalText, Theme

THEMES = [
    Theme(id="compost", label=LocalText(fr="Compostage", en="Composting")),
    Theme(id="eau", label=LocalText(fr="Eau potable, assainissement", en="Drinking water")),
]


@pytest.mark.parametrize(("raw", "labels", "value"), [
    ("named", QUOTE_LEVELS, "named"),
    ("Sous son nom", QUOTE_LEVELS, "named"),
    ("anonymously", QUOTE_LEVELS, "anonymous"),
    ("anonymes", QUOTE_LEVELS, "anonymous"),
    ("pas du tout", QUOTE_LEVELS, "none"),
    (" yes ", YES_NO, "yes"),
    ("Oui", YES_NO, "yes"),
    ("NON", YES_NO, "no"),
    ("Haute", PRIORITY_LABELS, "high"),
    ("peut-être", YES_NO, None),
])  # fmt: skip
def test_choice(raw: str, labels: dict[str, tuple[str, ...]], value: str | None) -> None:
    assert choice(raw, labels) == value


@pytest.mark.parametrize(("raw", "date"), [
    ("2024-08-21", dt.date(2024, 8, 21)),
    ("2024-08-21T10:15:00.000+00:00", dt.date(2024, 8, 21)),
    ("21/08/2024", dt.date(2024, 8, 21)),
    ("3.7.2024", dt.date(2024, 7, 3)),
    ("2024-13-01", None),
    ("hier", None),
])  # fmt: skip
def test_parse_date(raw: str, date: dt.date | None) -> None:
    assert parse_date(raw, time_after=True) == date


@pytest.mark.parametrize(("raw", "found"), [
    ("compost eau", (["compost", "eau"], [])),
    ("compost compost", (["compost"], [])),
    ("Compostage, Eau potable, assainissement", (["compost", "eau"], [])),
    ("Composting; Drinking water", (["compost", "eau"], [])),
    ("compst eau", (["eau"], ["compst"])),
    ("", ([], [])),
])  # fmt: skip
def test_theme_ids(raw: str, found: tuple[list[str], list[str]]) -> None:
    assert theme_ids(raw, THEMES) == found


@pytest.mark.parametrize(("raw", "found"), [
    ("12 13", ([12, 13], [])),
    ("12,13, 12", ([12, 13], [])),
    ("ODD 8, SDG 17", ([8, 17], [])),
    ("9 — Industrie, innovation et infrastructure, 17 — Partenariats", ([9, 17], [])),
    ("18 0 x", ([], ["18", "0", "x"])),
])  # fmt: skip
def test_sdg_numbers(raw: str, found: tuple[list[int], list[str]]) -> None:
    assert sdg_numbers(raw) == found


@pytest.mark.parametrize(("raw", "parts"), [
    ("a b", ["a", "b"]),
    ("Compostage", ["Compostage"]),
    ("a, zz", ["a", "zz"]),
    ("a zz", ["a", "zz"]),
])  # fmt: skip
def test_split_choices(raw: str, parts: list[str]) -> None:
    assert split_choices(raw, ["a", "b", "compostage"]) == parts


def test_free_text_and_names() -> None:
    assert free_text("  Ligne ɖe  \r\nƒe ŋu\r\n\r\n") == "Ligne ɖe\nƒe ŋu"
    assert interviewer_names("STADD, K. A.;\nXylm") == ["STADD", "K. A.", "Xylm"]
