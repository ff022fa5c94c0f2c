"""Values as people type them in a form, read into transcript values: words compared without
case, accents or punctuation; dates and lists of names (a KoboToolbox export's too); cells split
into terms; themes and SDGs by id, number, label or name in either language. Pure functions:
what could not be read comes back as ``None`` for ``importer`` to report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ess_coop.i18n import LANGUAGES, t
from ess_coop.vocabulary import fold
from ess_coop.workspace import Workspace


def normalize(text: str) -> str:
    """For comparing words: no case, accents, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


# Characters a transcript may not hold, even escaped (``yamlio`` refuses them: text pasted from a
# PDF or a web page carries them): C0 and C1 controls but tab and line ends, the bidirectional
# embeddings and isolates, non-characters and lone surrogates. The imports remove them, and say so.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def without_invisible(text: str) -> tuple[str, str]:
    """``(text without the characters a transcript may not hold, those removed as "U+202E, …")``."""
    found = dict.fromkeys(_INVISIBLE.findall(text))
    if not found:
        return text, ""
    return _INVISIBLE.sub("", text), ", ".join(f"U+{ord(char):04X}" for char in found)


def parse_date(text: str, *, time_after: bool = False) -> dt.date | None:
    """ISO dates, and the day-first dates of France and Togo (03/07/2024, 3.7.2024, 3-7-2024).
    With ``time_after``, an ISO date may have more after it (an export's ``2024-08-21T10:15``)."""
    text = text.strip()
    iso = re.match if time_after else re.fullmatch
    try:
        if match := iso(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def interviewer_names(text: str) -> list[str]:
    """Interviewers as typed in one field: separated by commas, semicolons or lines."""
    return [name.strip() for name in re.split(r"[,;\n]", text) if name.strip()]


def split_terms(text: str, resolve: Callable[[str], Any]) -> list[tuple[str, Any]]:
    """Split a cell into terms and resolve each: ``(term, value or None)``.

    Lines and semicolons always separate; commas separate unless the text between them is one
    name (SDG 9 is "Industry, innovation and infrastructure"), so the longest run of pieces that
    resolves wins.
    """
    found: list[tuple[str, Any]] = []
    for chunk in re.split(r"[;\n\t•·]+", text):
        pieces = [p.strip(" -–—*.") for p in chunk.split(",")]
        found += longest_names([p for p in pieces if p], resolve)
    return found


def longest_names(pieces: list[str], resolve: Callable[[str], Any]) -> list[tuple[str, Any]]:
    """``pieces`` (a cell split at its commas) joined back where a run of them names something,
    the longest run first: ``(term, what it resolves to, or None)``."""
    found: list[tuple[str, Any]] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            candidate = ", ".join(pieces[i:j])
            value = resolve(candidate)
            if value is not None:
                found.append((candidate, value))
                i = j
                break
        else:
            found.append((pieces[i], None))
            i += 1
    return found


class Vocabulary:
    """Themes and SDGs as people write them: ids, numbers, labels and names in both languages."""

    def __init__(self, ws: Workspace) -> None:
        self.themes: dict[str, str] = {}
        for theme in ws.themes:
            for name in (theme.id, theme.label.fr, theme.label.en):
                if name:
                    self.themes.setdefault(normalize(name), theme.id)
        self.sdgs: dict[str, int] = {}
        for number in range(1, 18):
            for lang in LANGUAGES:
                self.sdgs.setdefault(normalize(t(f"sdg.{number}", lang)), number)

    def theme(self, text: str) -> str | None:
        key = normalize(text)
        if key in self.themes:
            return self.themes[key]
        inner = re.split(r"\s[—–-]\s|\(|:", text)[0]  # "compost — Compostage", "compost (…)"
        return self.themes.get(normalize(inner)) if inner != text else None

    def sdg(self, text: str) -> int | str | None:
        """An SDG number; the text itself when it names a number out of range; None if unknown."""
        key = normalize(text)
        if key in self.sdgs:
            return self.sdgs[key]
        match = re.fullmatch(r"(?:odd|sdg|objectif|objective|goal|o d d|s d g|n|no)?\s*(\d{1,3})(?:\s\D*)?", key)
        if match:
            number = int(match[1])
            return number if 1 <= number <= 17 else text
        return None
