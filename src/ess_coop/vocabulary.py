"""Words people type for our values: the synonyms people use, and the closest known choice.

``validate`` says "did you mean" with :func:`suggest`; the imports (Word forms, KoboToolbox)
use it to read what a person typed in a form or a phone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# French (and common English) words people type for our English values.
SYNONYMS = {
    "brouillon": "draft",
    "complet": "complete",
    "complété": "complete",
    "terminé": "complete",
    "completed": "complete",
    "done": "complete",
    "validé": "validated",
    "valide": "validated",
    "approved": "validated",
    "visio": "video",
    "visioconférence": "video",
    "présentiel": "in-person",
    "presentiel": "in-person",
    "face-to-face": "in-person",
    "téléphone": "phone",
    "telephone": "phone",
    "écrit": "written",
    "ecrit": "written",
    "nommé": "named",
    "nom": "named",
    "fonction": "role",
    "anonyme": "anonymous",
    "aucun": "none",
    "non": "none",
    "haute": "high",
    "haut": "high",
    "élevée": "high",
    "moyenne": "medium",
    "moyen": "medium",
    "basse": "low",
    "faible": "low",
    "français": "fr",
    "francais": "fr",
    "anglais": "en",
    "french": "fr",
    "english": "en",
    "ong": "ngo",
    "réseau": "network",
    "reseau": "network",
    "université": "university",
    "collectivité": "local-authority",
    "incubateur": "incubator",
    "financeur": "funder",
    "partenaire": "partner",
    "coordinateur": "coordinator",
    "observateur": "observer",
    "autre": "other",
}


def suggest(word: object, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if one is close enough."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    lowered = word.strip().lower()
    if SYNONYMS.get(lowered) in choices:
        return SYNONYMS[lowered]
    match = difflib.get_close_matches(lowered, choices, n=1, cutoff=0.6)
    return match[0] if match else None
