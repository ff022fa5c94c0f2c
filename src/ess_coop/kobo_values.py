"""Values of KoboToolbox / ODK submissions as exports write them, read into transcript values.

Pure functions, no findings: each says what it could read, and what it could not, and
``kobo_import`` turns the latter into findings with their place in the export. Exports hold
choice *names* (``compost plastique``, ``named``), or their *labels* when made "with labels"
(``Compostage, Déchets plastiques``, ``sous son nom``): both are read, in French and English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ess_coop.forms.values import longest_names
from ess_coop.i18n import LANGUAGES, t
from ess_coop.models import MODES, PRIORITIES, QUOTE_CONSENTS, Theme
from ess_coop.xlsform import NO, YES

Labels = dict[str, tuple[str, ...]]  # a choice's value → the catalogue keys of its labels
YES_NO: Labels = {YES: ("form.choice.yes",), NO: ("form.choice.no",)}
# The consent to quotes: the XLSForm's labels, and the Word form's.
QUOTE_LEVELS: Labels = {q: (f"kobo.form.quote_choice.{q}", f"form.choice.quotes.{q}") for q in QUOTE_CONSENTS}
MODE_LABELS: Labels = {m: (f"form.choice.mode.{m}",) for m in MODES}
LANGUAGE_LABELS: Labels = {g: (f"form.choice.language.{g}",) for g in LANGUAGES}
PRIORITY_LABELS: Labels = {p: (f"priority.{p}",) for p in PRIORITIES}


def fold(text: str) -> str:
    """For comparing labels: no case, no accents, no surrounding spaces."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def choice(raw: str, labels: Labels) -> str | None:
    """A select_one's value from its name or one of its labels; ``None`` if it is neither."""
    raw = raw.strip()
    if raw in labels:
        return raw
    by_label = {fold(t(key, lang)): value for value, keys in labels.items() for key in keys for lang in LANGUAGES}
    return by_label.get(fold(raw))


def free_text(raw: str) -> str:
    """Free text as typed: Windows line ends made plain, no spaces at line ends or around."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def split_choices(raw: str, known: Iterable[str]) -> list[str]:
    """A select_multiple's choices: space-separated names; or labels (which hold spaces, and
    sometimes commas) separated by commas or semicolons, the longest known label first."""
    known = {fold(k) for k in known} | set(known)
    raw = raw.strip()
    if not raw or fold(raw) in known:
        return [raw] if raw else []
    if not any(sep in raw for sep in ",;"):
        return raw.split()
    pieces = [p.strip() for p in re.split(r"[,;]", raw) if p.strip()]
    return [term for term, _ in longest_names(pieces, lambda candidate: fold(candidate) in known or None)]


def theme_ids(raw: str, themes: list[Theme]) -> tuple[list[str], list[str]]:
    """``(theme ids, words that name no theme)`` of a select_multiple of themes."""
    by_name: dict[str, str] = {theme.id: theme.id for theme in themes}
    for theme in themes:
        for label in (theme.label.fr, theme.label.en):
            if label:
                by_name.setdefault(fold(label), theme.id)
    ids: list[str] = []
    unknown: list[str] = []
    for word in split_choices(raw, by_name):
        found = by_name.get(word) or by_name.get(fold(word))
        if found is None:
            unknown.append(word)
        elif found not in ids:
            ids.append(found)
    return ids, unknown


def sdg_numbers(raw: str) -> tuple[list[int], list[str]]:
    """``(SDG numbers, words that are no SDG)``: ``12 13`` as the form stores them, ``12, ODD 13``
    as people type them, or the form's labels (``12 — Consommation…, 13 — …``), some of which
    hold commas themselves."""
    text = re.sub(r"(?i)\b(?:odd|sdg)[\s_-]*(?=\d)", "", raw)
    tokens = re.findall(r"(\d{1,3})\s*—", text) if "—" in text else re.findall(r"[^\s,;]+", text)
    numbers: list[int] = []
    unknown: list[str] = []
    for token in tokens:
        number = int(token) if token.isdigit() else 0
        if not 1 <= number <= 17:
            unknown.append(token)
        elif number not in numbers:
            numbers.append(number)
    return numbers, unknown
