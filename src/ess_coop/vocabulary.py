"""Words people type for our values: the one synonym table, and the closest known choice.

``validate`` says "did you mean" with :func:`suggest`; the imports (Word forms, KoboToolbox)
use the same table to read what a person typed or ticked in a form.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Any

# Field → value → the words people type for it beyond the value itself and its printed labels
# (French and common English; compared without case or accents, see fold()).
SYNONYMS: dict[str, dict[Any, tuple[str, ...]]] = {
    "mode": {
        "in-person": ("presentiel", "en presentiel", "in person", "in-person", "face to face", "face-to-face",
                      "sur place"),
        "video": ("visio", "video", "visioconference", "videoconference", "en ligne", "online"),
        "phone": ("telephone", "phone", "tel", "par telephone", "by phone"),
        "written": ("ecrit", "par ecrit", "written", "in writing", "questionnaire"),
    },
    "language": {"fr": ("fr", "francais", "french"), "en": ("en", "anglais", "english")},
    "status": {
        "draft": ("brouillon", "draft"),
        "complete": ("complet", "complete", "termine", "terminee", "done", "completed"),
        "validated": ("valide", "validee", "validated", "approuve", "approuvee", "approved"),
    },
    "quotes": {
        "named": ("nomme", "nom", "named", "by name", "sous son nom", "nominatives"),
        "role": ("fonction", "role", "by role", "par sa fonction", "par fonction"),
        "anonymous": ("anonyme", "anonymes", "anonymous", "anonymously", "anonymement"),
        "none": ("aucune", "aucun", "non", "none", "no quotes", "pas de citation", "pas de citations"),
    },
    "yes_no": {
        True: ("oui", "yes", "o", "y", "vrai", "true", "ok", "d accord"),
        False: ("non", "no", "n", "faux", "false"),
    },
    "priority": {
        "high": ("haute", "high", "haut", "elevee", "forte", "fort", "prioritaire"),
        "medium": ("moyenne", "medium", "moyen", "normale", "normal"),
        "low": ("basse", "low", "bas", "faible"),
    },
    "type": {
        "ngo": ("ong",),
        "network": ("reseau",),
        "university": ("universite",),
        "local-authority": ("collectivite",),
        "incubator": ("incubateur",),
        "funder": ("financeur",),
        "other": ("autre",),
    },
    "role": {
        "partner": ("partenaire",),
        "coordinator": ("coordinateur",),
        "funder": ("financeur",),
        "observer": ("observateur",),
    },
}  # fmt: skip

# Every word of the table → the values it may stand for (a word can serve several fields: "non").
_VALUES_OF: dict[str, list[Any]] = {}
for _values in SYNONYMS.values():
    for _value, _words in _values.items():
        for _word in _words:
            _VALUES_OF.setdefault(_word, []).append(_value)


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so positions still match)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def suggest(word: object, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if one is close enough: a value the word is a
    synonym of, else the most similar spelling."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    lowered = word.strip().lower()
    for value in _VALUES_OF.get(fold(lowered), ()):
        if isinstance(value, str) and value in choices:
            return value
    match = difflib.get_close_matches(lowered, choices, n=1, cutoff=0.6)
    return match[0] if match else None
