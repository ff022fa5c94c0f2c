"""Themes the interviewer forgot: a statement whose text holds a keyword of a theme it is not
tagged with suggests that theme.

Pure data. The vocabulary's ``keywords`` (themes.yaml) are matched against the text so that
accents, case and plurals do not defeat them: both sides are case-folded and stripped of their
accents (Unicode NFD, combining marks dropped), each word of a keyword may take a trailing
``s`` or ``x`` (and a keyword written in the plural also matches the singular), and a match
starts and ends on word boundaries. A keyword may hold several words; any run of spaces,
hyphens or apostrophes separates them.

Deterministic and fast: rather than one regular expression per theme scanned over every text
(measured at ~0.3 ms a statement with the bundled 22 themes), the text is folded and cut into
words once, and each run of words is looked up among the keywords' stems in a dictionary: the
cost grows with the text, not with the number of themes or keywords.

A suggestion is explainable: it carries the words of the text that matched, as written.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ess_coop.models import LocalText, Theme

# Between the words of a multi-word keyword: spaces, hyphens, apostrophes (straight or curly).
_SEPARATOR = r"[\s\-'’]+"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """``theme`` suggested by ``words`` (as written in the text)."""

    theme: str
    words: list[str]


def fold(text: str) -> str:
    """``text`` case-folded and without accents: "Biodéchets" → "biodechets"."""
    return _folded_with_map(text)[0]


# Character -> folded text, filled as characters are met; ``str.translate`` applies it in C.
_FOLDED: dict[int, str] = {}
_KNOWN: set[str] = set()  # the characters already in _FOLDED
_RESHAPING: set[str] = set()  # the characters met whose folded form is not one character ("ß" → "ss")


def _learn(ch: str) -> None:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    folded = base.casefold()
    # In this order, so that a character another thread finds known is known whole.
    if len(folded) != 1:
        _RESHAPING.add(ch)
    _FOLDED[ord(ch)] = folded
    _KNOWN.add(ch)


def _folded_with_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each of its characters, the index of the original one (folding
    can change the length: "ß" → "ss"), so that a match is shown as the person wrote it;
    ``None`` when folding kept every position (most texts: é → e is one for one)."""
    if text.isascii():
        return text.lower(), None
    chars = set(text)
    for ch in chars - _KNOWN:
        _learn(ch)
    folded = text.translate(_FOLDED)
    if _RESHAPING.isdisjoint(chars):
        return folded, None
    where = [index for index, ch in enumerate(text) for _ in _FOLDED[ord(ch)]]
    return folded, where


# A text cut into its words and what lies between them: words at even places, gaps at odd ones.
_CUT = re.compile(r"(\W+)")
_GAP = re.compile(_SEPARATOR)
_WORD = re.compile(r"\w+")


def _stem(word: str) -> str:
    """A folded word without its plural ending (``s`` or ``x``), when longer than three letters;
    keywords and texts go through the same rule, so "eaux" meets "eau" and "tris" meets "tri"."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """The stems of a keyword's words: "Déchets organiques" → ("dechet", "organique")."""
    return tuple(_stem(w) for w in _WORD.findall(fold(keyword)))


_KNOWN_TEXTS = 100_000  # texts whose matches a matcher keeps (a few KB each at most)


class KeywordMatcher:
    """The vocabulary's keywords, as a dictionary from word stems to theme ids (themes without
    keywords are left out)."""

    def __init__(self, themes: Iterable[Theme]) -> None:
        self.keywords: dict[tuple[str, ...], list[str]] = {}
        self.themes: list[str] = []  # the vocabulary's order, for the results
        for theme in themes:
            for keyword in theme.keywords:
                stems = keyword_stems(keyword)
                if not stems:
                    continue
                ids = self.keywords.setdefault(stems, [])
                if theme.id not in ids:
                    ids.append(theme.id)
                if theme.id not in self.themes:
                    self.themes.append(theme.id)
        # Keywords of one word (most of them) are looked up by the word itself; for the others,
        # every beginning of a keyword: a run of words that begins none stops being extended.
        self.single = {stems[0]: ids for stems, ids in self.keywords.items() if len(stems) == 1}
        longer = [stems for stems in self.keywords if len(stems) > 1]
        self.prefixes = {stems[:n] for stems in longer for n in range(2, len(stems) + 1)}
        self.first_words = {stems[0] for stems in longer}
        self._known: dict[str, dict[str, list[str]]] = {}  # text -> its matches, see ``matches``

    def __bool__(self) -> bool:
        return bool(self.keywords)

    def matches(self, text: str) -> dict[str, list[str]]:
        """Every theme whose keywords ``text`` holds, in vocabulary order, with the words that
        matched as written (each once, in the order of the text)."""
        # Each text is scanned once per matcher: build-referential asks about the statements that
        # validate scanned a moment before (a vocabulary's matcher is shared: ``matcher_for``).
        known = self._known.get(text)
        if known is None:
            if len(self._known) >= _KNOWN_TEXTS:
                self._known.clear()  # a long-running watch must not grow without end
            known = self._known[text] = self._matches(text)
        return {theme: list(words) for theme, words in known.items()}

    def _matches(self, text: str) -> dict[str, list[str]]:
        """``matches``, scanning the text."""
        if not self.keywords:
            return {}
        folded, where = _folded_with_map(text)
        # One split in C rather than a match object per word, a dictionary lookup per word, and
        # runs of words only from the first word of a longer keyword: a third of the time.
        parts = _CUT.split(folded)
        stems = [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in parts[0::2]]
        single, first_words, prefixes, keywords = self.single, self.first_words, self.prefixes, self.keywords
        found: dict[str, list[str]] = {}
        offsets: list[int] = []  # where each part starts in ``folded``, computed at the first match

        def record(themes: list[str], i: int, j: int) -> None:
            nonlocal offsets
            if not offsets:
                offsets = list(itertools.accumulate(map(len, parts), initial=0))
            start, end = offsets[2 * i], offsets[2 * j + 1]
            if where is not None:
                start, end = where[start], where[end - 1] + 1
            for theme in themes:
                shown = found.setdefault(theme, [])
                if text[start:end] not in shown:
                    shown.append(text[start:end])

        for i, first in enumerate(stems):
            themes = single.get(first)
            if themes:
                record(themes, i, i)
            if first not in first_words:
                continue
            run: tuple[str, ...] = (first,)
            for j in range(i + 1, len(stems)):
                if not _GAP.fullmatch(parts[2 * j - 1]):
                    break  # "déchets, organiques" is not the keyword "déchets organiques"
                run += (stems[j],)
                if run not in prefixes:
                    break
                themes = keywords.get(run)
                if themes:
                    record(themes, i, j)
        return {theme: found[theme] for theme in self.themes if theme in found}

    def suggest(self, text: str, tagged: Iterable[str]) -> list[Suggestion]:
        """The themes ``text`` suggests that it is not already tagged with, in vocabulary order."""
        have = set(tagged)
        return [Suggestion(th, words) for th, words in self.matches(text).items() if th not in have]


def matcher_for(themes: Iterable[Theme]) -> KeywordMatcher:
    """The matcher of this vocabulary, compiled once per vocabulary (``validate`` asks it once
    per statement)."""
    return _cached(tuple((th.id, tuple(th.keywords)) for th in themes))


@functools.lru_cache(maxsize=4)
def _cached(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> KeywordMatcher:
    return KeywordMatcher(Theme(id=i, label=LocalText(fr=i, en=i), keywords=list(k)) for i, k in vocabulary)
