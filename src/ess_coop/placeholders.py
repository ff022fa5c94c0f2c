"""Placeholder texts that ``init`` writes in ``ess-coop.yaml`` and a person never replaced.

``init`` fills ``project.summary`` and ``project.objective`` with an instruction ("En quelques
phrases : ce qu'est le projet…"). Left as written, it is no project text: ``validate`` warns,
and the référentiel leaves it out. The placeholders are read from the init templates
themselves (both languages), so that they cannot drift apart.
"""

from __future__ import annotations

import functools
import re

from ess_coop.models import LocalText, Project
from ess_coop.resources import data_file

FIELDS = ("summary", "objective")
LANGUAGES = ("fr", "en")


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@functools.cache
def init_placeholders() -> dict[str, frozenset[str]]:
    """For each field, the placeholder texts of the init templates (normalised)."""
    found: dict[str, set[str]] = {f: set() for f in FIELDS}
    for lang in LANGUAGES:
        template = data_file(f"init/ess-coop.{lang}.yaml").read_text("utf-8")
        for field in FIELDS:
            # "  summary: >-" then the indented lines of the folded scalar
            match = re.search(rf"^( +){field}: >-\n((?:\1 +.*\n)+)", template, re.MULTILINE)
            if match:
                found[field].add(_normal(match.group(2)))
    return {f: frozenset(texts) for f, texts in found.items()}


def placeholder_fields(project: Project) -> list[str]:
    """The fields of ``project`` that still hold the text ``init`` wrote (in either language,
    as a plain string or as one of the texts of a ``{fr: …, en: …}`` mapping)."""
    templates = init_placeholders()
    return [f for f in FIELDS if any(_normal(text) in templates[f] for text in _texts(getattr(project, f)))]


def _texts(value: str | LocalText | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [text for text in (value.fr, value.en) if text]
