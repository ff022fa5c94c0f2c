"""Message catalogues: every user-facing string, in French (default) and English.

The catalogues are package data (``locales/fr.json``, ``locales/en.json``) with the same keys;
a test holds them in step. Keys are dotted paths (``codes.unknown-key.message``).
"""

from __future__ import annotations

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
