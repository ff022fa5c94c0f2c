"""Placeholder texts that ``init`` writes in ``ess-coop.yaml`` and a person never replaced.

``init`` fills ``project.summary`` and ``project.objective`` with an instruction ("En quelques
phrases : ce qu'est le projet…"). Left as written, it is no project text: ``validate`` warns,
and the référentiel leaves it out. The placeholders are read from the init templates
themselves (both languages), so that they cannot drift apart.
"""

from __future__ import annotations

import functools
import re

from ess_coop.models import Project
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
    """The fields of ``project`` that still hold the text ``init`` wrote."""
    templates = init_placeholders()
    return [f for f in FIELDS if (value := getattr(project, f)) and _normal(value) in templates[f]]
