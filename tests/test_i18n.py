"""Every user-facing string exists in French and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from ess_coop.i18n import catalogue, t
from ess_coop.report import CODES


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys() -> None:
    assert set(catalogue("fr")) == set(catalogue("en"))


@pytest.mark.parametrize("key", sorted(catalogue("fr")))
def test_placeholders_match(key: str) -> None:
    assert _fields(catalogue("fr")[key]) == _fields(catalogue("en")[key])


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_message_and_hint(code: str) -> None:
    for lang in ("fr", "en"):
        assert catalogue(lang)[f"codes.{code}.message"]
        assert catalogue(lang)[f"codes.{code}.hint"]


def test_unknown_language_falls_back_to_french() -> None:
    assert t("severity.error", "de") == "erreur"
