"""What the documents may print of people: the consent table of format.md, in one place.

| consent.quotes | a quote is printed as               | names in the document |
| named          | text — name, role, organisation     | yes                   |
| role           | text — role, organisation           | no                    |
| anonymous      | text — "a <type> of <country>"      | no                    |
| none           | never printed                       | no                    |

An anonymous quote is printed only where it cannot be tied to one actor (cross-cutting sections,
never that actor's own profile). A ``sensitive`` actor is treated as at most ``anonymous``.
``--anonymize`` prints no person's name at all (``named`` becomes ``role``). ``notes`` are never
printed: nothing here even reads them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ess_coop.i18n import t
from ess_coop.models import Actor, Quote, Transcript

Context = Literal["profile", "cross"]
_LEVELS = ("none", "anonymous", "role", "named")


class PrintedQuote(BaseModel):
    """A quote as it may appear in a document."""

    text: str
    attribution: str
    actor: str  # actor id: for the profile sheet; never printed with an anonymous quote
    country: str
    level: str  # the effective consent level
    interview: str
    themes: list[str]


def effective_level(transcript: Transcript, actor: Actor, *, anonymize: bool = False) -> str:
    """The consent level that applies, after the sensitive and --anonymize caps."""
    level = transcript.consent.quotes
    if actor.sensitive:
        level = min(level, "anonymous", key=_LEVELS.index)
    if anonymize:
        level = min(level, "role", key=_LEVELS.index)
    return level


def may_name(transcript: Transcript, actor: Actor, *, anonymize: bool = False) -> bool:
    """Whether interviewees' names may be printed at all."""
    return effective_level(transcript, actor, anonymize=anonymize) == "named"


def printed_quote(
    quote: Quote,
    transcript: Transcript,
    actor: Actor,
    *,
    context: Context,
    lang: str,
    anonymize: bool = False,
    type_is_unique: bool = False,
) -> PrintedQuote | None:
    """``quote`` as the document may print it in ``context``, or ``None`` if it may not.

    ``type_is_unique``: the actor is the only one of its type in its country, so "a <type> of
    <country>" would name it; the attribution then says "a partner of <country>".
    """
    level = effective_level(transcript, actor, anonymize=anonymize)
    if level == "none" or (level == "anonymous" and context == "profile"):
        return None
    person = next((p for p in transcript.interviewees if p.ref == quote.speaker), None)
    organisation = actor.label
    role = person.role if person and person.role else None
    if level == "named" and person and person.name:
        parts = [person.name, role, organisation]
    elif level in ("named", "role"):
        parts = [role or t("consent.someone", lang), organisation]
    else:
        kind = t("consent.partner", lang) if type_is_unique else t(f"actor_type.{actor.type}", lang)
        country = t(f"country.{actor.country}", lang, default=actor.country)
        parts = [t("consent.anonymous", lang, type=kind, country=country)]
    return PrintedQuote(
        text=quote.text,
        attribution=", ".join(p for p in parts if p),
        actor=actor.id,
        country=actor.country,
        level=level,
        interview=transcript.id,
        themes=list(quote.themes),
    )


def interviewee_labels(transcript: Transcript, actor: Actor, *, lang: str, anonymize: bool = False) -> list[str]:
    """How each interviewee is shown in the actor's profile: name only if allowed."""
    named = may_name(transcript, actor, anonymize=anonymize)
    level = effective_level(transcript, actor, anonymize=anonymize)
    labels = []
    for person in transcript.interviewees:
        if named and person.name:
            labels.append(", ".join(p for p in (person.name, person.role) if p))
        elif level in ("named", "role") and person.role:
            labels.append(person.role)
        else:
            labels.append(t("consent.person", lang, ref=person.ref))
    return labels


def may_keep_names(quotes: str, actor: Actor) -> bool:
    """Whether an import may write interviewees' names into a transcript at all: only when they
    agreed to be quoted by name, and never for a sensitive actor (its quotes are never
    attributed, so a name would only be a risk)."""
    return quotes == "named" and not actor.sensitive


def may_keep_quotes(quotes: str, *, participation: bool) -> bool:
    """Whether an import may write quotes into a transcript: the person took part and allows
    some form of quotation."""
    return participation and quotes != "none"
