"""Themes the interviewer forgot: a statement whose text holds a keyword of a theme it is not
tagged with suggests that theme.

Pure data. The vocabulary's ``keywords`` (themes.yaml) are matched against the text so that
accents, case and plurals do not defeat them: both sides are case-folded and stripped of their
accents (Unicode NFD, combining marks dropped), each word of a keyword may take a trailing
``s`` or ``x`` (and a keyword written in the plural also matches the singular), and a match
starts and ends on word boundaries. A keyword may hold several words; any run of spaces,
hyphens or apostrophes separates them. One regular expression per theme, compiled once.

A suggestion is explainable: it carries the words of the text that matched, as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from pydantic import BaseModel

from ess_coop.models import LocalText, Theme

# Between the words of a multi-word keyword: spaces, hyphens, apostrophes (straight or curly).
_SEPARATOR = r"[\s\-'’]+"


class Suggestion(BaseModel):
    """``theme`` suggested by ``words`` (as written in the text)."""

    theme: str
    words: list[str]


def fold(text: str) -> str:
    """``text`` case-folded and without accents, one character for one character when it can:
    "Biodéchets" → "biodechets"."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.casefold()


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one (folding
    can change the length: "ß" → "ss"), so that a match is shown as the person wrote it."""
    out: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


def _word_pattern(word: str) -> str:
    """One word, with an optional plural ending; a plural keyword also matches its singular."""
    stem = word[:-1] if len(word) > 3 and word[-1] in "sx" else word
    return re.escape(stem) + "(?:s|x)?"


def keyword_pattern(keyword: str) -> str | None:
    """The regular expression of one keyword (``None`` for a keyword with no word in it)."""
    words = [w for w in re.split(_SEPARATOR, fold(keyword).strip()) if w]
    if not words:
        return None
    return _SEPARATOR.join(_word_pattern(w) for w in words)


class KeywordMatcher:
    """The vocabulary's keywords, one compiled expression per theme (themes without keywords
    are left out)."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.patterns: dict[str, re.Pattern[str]] = {}
        for theme in themes:
            parts = sorted({p for k in theme.keywords if (p := keyword_pattern(k))}, key=lambda p: (-len(p), p))
            if parts and theme.id not in self.patterns:
                # \w boundaries: "tri" is found in "le tri" but not in "patrimoine".
                self.patterns[theme.id] = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def matches(self, text: str) -> dict[str, list[str]]:
        """Every theme whose keywords ``text`` holds, with the words that matched (as written,
        each once, in the order of the text)."""
        if not self.patterns:
            return {}
        folded, where = _folded_with_map(text)
        found: dict[str, list[str]] = {}
        for theme, pattern in self.patterns.items():
            words: list[str] = []
            for match in pattern.finditer(folded):
                start, end = where[match.start()], where[match.end() - 1] + 1
                word = text[start:end]
                if word not in words:
                    words.append(word)
            if words:
                found[theme] = words
        return found

    def suggest(self, text: str, tagged: Iterable[str]) -> list[Suggestion]:
        """The themes ``text`` suggests that it is not already tagged with, in vocabulary order."""
        have = set(tagged)
        return [Suggestion(theme=th, words=words) for th, words in self.matches(text).items() if th not in have]


def matcher_for(themes: Iterable[Theme]) -> KeywordMatcher:
    """The matcher of this vocabulary, compiled once per vocabulary (``validate`` asks it once
    per statement)."""
    return _cached(tuple((th.id, tuple(th.keywords)) for th in themes))


@functools.lru_cache(maxsize=4)
def _cached(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> KeywordMatcher:
    return KeywordMatcher(Theme(id=i, label=LocalText(fr=i, en=i), keywords=list(k)) for i, k in vocabulary)
