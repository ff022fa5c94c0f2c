"""Message catalogues: every user-facing string, in French (default) and English.

The catalogues are package data (``locales/fr.json``, ``locales/en.json``) with the same keys;
a test holds them in step. Keys are dotted paths (``codes.unknown-key.message``).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib.resources import files
from typing import Any, Final

LANGUAGES: Final = ("fr", "en")
DEFAULT_LANGUAGE: Final = "fr"

_MISSING: Final = object()


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flattened catalogue of ``lang`` (falls back to French for an unknown language)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    raw = json.loads(files("ess_coop").joinpath("locales").joinpath(f"{lang}.json").read_text("utf-8"))
    flat: dict[str, str] = {}
    _flatten(raw, "", flat)
    return flat


def _flatten(node: Any, prefix: str, into: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}{key}.", into)
    else:
        into[prefix[:-1]] = node


def t(key: str, lang: str, /, *, default: Any = _MISSING, **params: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``.

    A missing key is a programming error (KeyError) unless ``default`` is given.
    """
    template = catalogue(lang).get(key)
    if template is None:
        if default is _MISSING:
            raise KeyError(f"no message {key!r} in the {lang!r} catalogue")
        template = default
    return template.format(**params) if params else template


def did_you_mean(word: str | None, lang: str) -> str:
    """`` (vouliez-vous dire « word » ?)`` to append to a message, or nothing without a word."""
    return t("common.did_you_mean", lang, word=word) if word else ""


def format_date(day: dt.date, lang: str) -> str:
    """A date as people write it: "1er juillet 2024", "1 July 2024"."""
    number = t("doc.first_day", lang) if day.day == 1 else str(day.day)
    return t("doc.date", lang, day=number, month=t(f"doc.month.{day.month}", lang), year=day.year)


def with_project_dates(text: str, start: dt.date | None, end: dt.date | None, lang: str) -> str:
    """A guide's text with the project's dates in place of ``{project_start}``, ``{project_end}``
    and their ``_year`` forms, so that prompts follow the project's own calendar ("date à préciser"
    when ``ess-coop.yaml`` does not give it)."""
    if "{project_" not in text:
        return text
    unset = t("edition.date_unset", lang)
    for name, day in (("start", start), ("end", end)):
        year, full = (str(day.year), format_date(day, lang)) if day is not None else (unset, unset)
        text = text.replace(f"{{project_{name}_year}}", year).replace(f"{{project_{name}}}", full)
    return text
