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
cost grows with the text, not with the number of themes or keywords. Texts asked about together
(a transcript's statements, a network's) are joined and scanned as one: a fifth less again.

A suggestion is explainable: it carries the words of the text that matched, as written.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

from ess_coop.models import LocalText, Theme

# Between the words of a multi-word keyword: spaces, hyphens, apostrophes (straight or curly).
_SEPARATOR = r"[\s\-'’]+"


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
_BATCH = 256  # texts scanned together (the map of positions of a text that folding reshapes is the batch's)
# Between the texts of a batch: neither a word nor a gap, so that no keyword spans two texts.
_BETWEEN = "\n\x00\n"


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
        self.rank = {theme: index for index, theme in enumerate(self.themes)}
        self._known: dict[str, dict[str, list[str]]] = {}  # text -> its matches, see ``matches_all``

    def __bool__(self) -> bool:
        return bool(self.keywords)

    def matches(self, text: str) -> dict[str, list[str]]:
        """Every theme whose keywords ``text`` holds, in vocabulary order, with the words that
        matched as written (each once, in the order of the text)."""
        return self.matches_all([text])[0]

    def matches_all(self, texts: Sequence[str]) -> list[dict[str, list[str]]]:
        """``matches`` of each text: the texts not seen before are scanned together (a
        transcript's statements, a network's), which costs a fifth less than one by one."""
        if not self.keywords:
            return [{} for _ in texts]
        # Each text is scanned once per matcher: build-referential asks about the statements that
        # validate scanned a moment before (a vocabulary's matcher is shared: ``matcher_for``),
        # and --watch about the unchanged ones again.
        known = self._known
        found = {text: known[text] for text in texts if text in known}
        new = [text for text in dict.fromkeys(texts) if text not in found]
        for start in range(0, len(new), _BATCH):
            batch = new[start : start + _BATCH]
            found.update(zip(batch, self._scan(batch), strict=True))
        if len(known) + len(new) > _KNOWN_TEXTS:
            known.clear()  # a long-running watch must not grow without end
        known.update((text, found[text]) for text in new)
        # Copies: a caller's change must not reach the next caller.
        return [{theme: list(words) for theme, words in found[text].items()} for text in texts]

    def _scan(self, texts: list[str]) -> list[dict[str, list[str]]]:
        """``matches`` of each text, scanning them joined: one fold, one split, one pass."""
        joined = _BETWEEN.join(texts)
        folded, where = _folded_with_map(joined)
        # One split in C rather than a match object per word, a dictionary lookup per word, and
        # runs of words only from the first word of a longer keyword: a third of the time.
        parts = _CUT.split(folded)
        stems = [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in parts[0::2]]
        single, first_words, prefixes, keywords = self.single, self.first_words, self.prefixes, self.keywords
        starts = list(itertools.accumulate((len(text) + len(_BETWEEN) for text in texts), initial=0))
        offsets = list(itertools.accumulate(map(len, parts), initial=0))  # where each part starts
        found: list[dict[str, list[str]]] = [{} for _ in texts]

        def record(themes: list[str], i: int, j: int) -> None:
            start, end = offsets[2 * i], offsets[2 * j + 1]
            if where is not None:
                start, end = where[start], where[end - 1] + 1
            words = joined[start:end]
            into = found[bisect.bisect_right(starts, start) - 1]
            for theme in themes:
                shown = into.setdefault(theme, [])
                if words not in shown:
                    shown.append(words)

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
        rank = self.rank
        return [
            {theme: each[theme] for theme in sorted(each, key=rank.__getitem__)} if len(each) > 1 else each
            for each in found
        ]


def matcher_for(themes: Iterable[Theme]) -> KeywordMatcher:
    """The matcher of this vocabulary, compiled once per vocabulary (``validate`` asks it once
    per statement)."""
    return _cached(tuple((th.id, tuple(th.keywords)) for th in themes))


@functools.lru_cache(maxsize=4)
def _cached(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> KeywordMatcher:
    return KeywordMatcher(Theme(id=i, label=LocalText(fr=i, en=i), keywords=list(k)) for i, k in vocabulary)
