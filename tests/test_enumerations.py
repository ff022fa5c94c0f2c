"""Each enumeration is defined once, in ``models``; the command line types its own choices
(importing ``models`` would slow ``--help``), and this test holds them equal."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, get_args

import pytest

from ess_coop import cli, i18n, models
from ess_coop.forms import writer as form_docx


@pytest.mark.parametrize(
    ("choice", "literal"),
    [
        (cli.ModeChoice, models.Mode),
        (cli.ActorTypeChoice, models.ActorType),
        (cli.RoleChoice, models.ActorRole),
        (cli.Lang, models.Language),
    ],
)
def test_the_command_line_offers_the_values_of_the_format(choice: type[StrEnum], literal: Any) -> None:
    assert [member.value for member in choice] == list(get_args(literal))


def test_the_languages_of_messages_are_the_languages_of_the_format() -> None:
    assert tuple(i18n.LANGUAGES) == get_args(models.Language)


@pytest.mark.parametrize(
    ("field", "literal"),
    [("mode", models.Mode), ("status", models.Status), ("quotes", models.QuoteConsent), ("language", models.Language)],
)
def test_the_word_form_offers_the_values_of_the_format(field: str, literal: Any) -> None:
    assert [value for value, _label in form_docx.CHOICES[field]] == list(get_args(literal))
