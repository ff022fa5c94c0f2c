"""What the documents may print of people: the consent table of format.md, in one place.

| consent.quotes | a quote is printed as               | names in the document |
| named          | text — name, role, organisation     | yes                   |
| role           | text — role, organisation           | no                    |
| anonymous      | text — "a <type> (<country>)"…      | no                    |
| none           | never printed                       | no                    |

A person's own ``consent`` (on their ``interviewees`` entry) overrides ``consent.quotes`` for
their quotes and their name. An anonymous quote is printed only where it cannot be tied to one
actor (cross-cutting sections, never that actor's own profile). A ``sensitive`` actor is treated
as at most ``anonymous``. ``--anonymize`` prints no person's name at all (``named`` becomes
``role``), interviewers' included. ``notes`` are never printed: nothing here even reads them.

Anonymity that survives inference (format.md, "What the draft prints of people"): an anonymous
quote is printed under the most specific label among "a <type> (<country>)", "a partner
(<country>)" and "a partner" that at least ``privacy.min_group`` interviewed partners of the
build fit *and* whose interviews raised one of the quote's themes (in a statement or a quote).
When no label reaches that many, the quote is held back, unless a coordinator checked it and
wrote ``release: true`` on it: it is then printed as "a partner".
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel

from ess_coop.i18n import t
from ess_coop.models import Actor, Constraint, Interviewee, Quote, Statement, Transcript

Context = Literal["profile", "cross"]
Group = Literal["type", "country", "partner"]  # the labels of an anonymous quote, most specific first
Fate = Literal["printed", "held-back", "not-published"]
_LEVELS = ("none", "anonymous", "role", "named")
GROUPS: tuple[Group, ...] = ("type", "country", "partner")
DEFAULT_MIN_GROUP = 3


class PrintedQuote(BaseModel):
    """A quote as it may appear in a document."""

    text: str
    attribution: str
    actor: str  # actor id: for the profile sheet; never printed with an anonymous quote
    country: str
    level: str  # the effective consent level
    interview: str
    themes: list[str]
    # For an anonymous quote: the label it is printed under (see ``anonymity_group``).
    group: Group | None = None


def effective_level(transcript: Transcript, actor: Actor, *, anonymize: bool = False) -> str:
    """The consent level of the interview, after the sensitive and --anonymize caps."""
    return _capped(transcript.consent.quotes, actor, anonymize=anonymize)


def declared_level(person: Interviewee | None, transcript: Transcript) -> str:
    """What this person agreed to: their own ``consent``, else the interview's."""
    return person.consent if person is not None and person.consent else transcript.consent.quotes


def person_level(person: Interviewee | None, transcript: Transcript, actor: Actor, *, anonymize: bool = False) -> str:
    """The consent level that applies to this person's quotes and name, after the caps."""
    return _capped(declared_level(person, transcript), actor, anonymize=anonymize)


def speaker(quote: Quote, transcript: Transcript) -> Interviewee | None:
    """The interviewee who said ``quote``."""
    return next((p for p in transcript.interviewees if p.ref == quote.speaker), None)


def quote_level(quote: Quote, transcript: Transcript, actor: Actor, *, anonymize: bool = False) -> str:
    """The consent level that applies to ``quote`` (its speaker's)."""
    return person_level(speaker(quote, transcript), transcript, actor, anonymize=anonymize)


def _capped(level: str, actor: Actor, *, anonymize: bool) -> str:
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
    <country>" would name it; the attribution then says "a partner of <country>". The référentiel
    labels anonymous quotes by the group rule instead: see ``quote_fates``.
    """
    level = quote_level(quote, transcript, actor, anonymize=anonymize)
    if level == "none" or (level == "anonymous" and context == "profile"):
        return None
    person = speaker(quote, transcript)
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
    return [interviewee_label(p, transcript, actor, lang=lang, anonymize=anonymize) for p in transcript.interviewees]


def interviewee_label(
    person: Interviewee, transcript: Transcript, actor: Actor, *, lang: str, anonymize: bool = False
) -> str:
    """How ``person`` is shown in the actor's profile: name only if they allowed it."""
    level = person_level(person, transcript, actor, anonymize=anonymize)
    if level == "named" and person.name:
        return ", ".join(p for p in (person.name, person.role) if p)
    if level in ("named", "role") and person.role:
        return person.role
    return t("consent.person", lang, ref=person.ref)


# --- anonymity that survives inference ---------------------------------------------------------


def themes_raised(transcript: Transcript) -> set[str]:
    """The themes an interview raised: those of its statements and of its quotes."""
    lists: list[Sequence[Statement | Constraint | Quote]] = [
        transcript.expectations,
        transcript.contributions,
        transcript.constraints,
        transcript.quotes,
    ]
    return {theme for items in lists for item in items for theme in item.themes}


def group_sizes(
    themes: Iterable[str], actor: Actor, raised: Mapping[str, set[str]], actors: Iterable[Actor]
) -> dict[Group, int]:
    """How many interviewed partners fit each label of ``actor`` and raised one of ``themes``.

    ``raised`` maps each actor interviewed in this build to the themes its interviews raised.
    """
    wanted = set(themes)
    peers = [a for a in actors if raised.get(a.id, set()) & wanted]
    return {
        "type": sum(a.type == actor.type and a.country == actor.country for a in peers),
        "country": sum(a.country == actor.country for a in peers),
        "partner": len(peers),
    }


def anonymity_group(sizes: Mapping[Group, int], min_group: int) -> Group | None:
    """The most specific label that covers at least ``min_group`` partners, if one does."""
    return next((group for group in GROUPS if sizes.get(group, 0) >= min_group), None)


def anonymous_attribution(group: Group, actor: Actor, lang: str) -> str:
    """ "une association (Togo)", "un partenaire (Togo)" or "un partenaire"."""
    if group == "partner":
        return t("consent.partner", lang)
    kind = t(f"actor_type.{actor.type}", lang) if group == "type" else t("consent.partner", lang)
    return t("consent.anonymous", lang, type=kind, country=t(f"country.{actor.country}", lang, default=actor.country))


class QuoteFate(BaseModel):
    """What the référentiel does with one quote of one interview."""

    interview: str
    number: int  # its place in the transcript's ``quotes``, from 1
    actor: str
    country: str
    speaker: str
    text: str
    themes: list[str]
    level: str  # the consent level that applies (after the sensitive and --anonymize caps)
    fate: Fate
    attribution: str | None = None  # as printed in the cross-cutting sections, when printed
    group: Group | None = None  # the label of an anonymous quote printed
    sizes: dict[str, int] = {}  # for an anonymous quote: partners covered by each label
    released: bool = False  # printed only because a coordinator wrote ``release: true``


def quote_fates(
    interviews: Sequence[tuple[Transcript, Actor]],
    *,
    actors: Iterable[Actor],
    min_group: int = DEFAULT_MIN_GROUP,
    lang: str,
    anonymize: bool = False,
) -> list[QuoteFate]:
    """The fate of every quote of ``interviews`` (those counted in one build), in their order.

    Consent decides whether a quote is printed and how; for an anonymous one, the group rule
    decides its label, or holds it back (see the module's docstring).
    """
    raised: dict[str, set[str]] = {}
    for tr, actor in interviews:
        raised.setdefault(actor.id, set()).update(themes_raised(tr))
    registry = [a for a in actors if a.id in raised]
    # The sizes depend only on the quote's themes and the actor's type and country: each asked once.
    sizes_of: dict[tuple[frozenset[str], str, str], dict[Group, int]] = {}
    fates = []
    for tr, actor in interviews:
        for number, quote in enumerate(tr.quotes, start=1):
            level = quote_level(quote, tr, actor, anonymize=anonymize)
            fate = QuoteFate(
                interview=tr.id,
                number=number,
                actor=actor.id,
                country=actor.country,
                speaker=quote.speaker,
                text=quote.text,
                themes=list(quote.themes),
                level=level,
                fate="not-published",
            )
            if level == "anonymous":
                key = (frozenset(quote.themes), actor.type, actor.country)
                if key not in sizes_of:
                    sizes_of[key] = group_sizes(quote.themes, actor, raised, registry)
                sizes = sizes_of[key]
                group = anonymity_group(sizes, min_group)
                if group is None and quote.release:
                    group = "partner"
                    fate.released = True
                fate.sizes = {str(group): size for group, size in sizes.items()}
                if group is not None:
                    fate.fate, fate.group = "printed", group
                    fate.attribution = anonymous_attribution(group, actor, lang)
                else:
                    fate.fate = "held-back"
            elif level != "none":
                printed = printed_quote(quote, tr, actor, context="cross", lang=lang, anonymize=anonymize)
                if printed is not None:
                    fate.fate, fate.attribution = "printed", printed.attribution
            fates.append(fate)
    return fates


def anonymous_order(themes: Sequence[str], text: str, vocabulary: Sequence[str]) -> tuple[int, str]:
    """Where an anonymous quote goes among the others: by theme (the vocabulary's order), then by
    a digest of its text. Nothing about its interview (date, order, actor) enters the key."""
    places = [vocabulary.index(th) for th in themes if th in vocabulary]
    return (min(places) if places else len(vocabulary), hashlib.sha256(text.encode("utf-8")).hexdigest())


# --- interviewers --------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class _Names:
    """The registry's names (id, short name, name) folded once, as positions in the registry:
    the interviewer rules are asked once per interview, and folding every name of a registry of
    200 for each of 2,000 entries cost a second."""

    def __init__(self, names: Sequence[tuple[str, str | None, str]]) -> None:
        self.ids = [actor_id for actor_id, _, _ in names]
        self.named: dict[str, int] = {}  # folded name -> the first actor bearing it
        self.words: list[tuple[int, re.Pattern[str]]] = []  # each name as a whole word
        for index, (actor_id, short_name, name) in enumerate(names):
            for each in (actor_id, short_name or actor_id, name):
                self.named.setdefault(_key(each), index)
            for each in {actor_id, short_name or actor_id, name}:
                self.words.append((index, re.compile(rf"(?<!\w){re.escape(_key(each))}(?!\w)")))
        self.mentions: dict[str, int | None] = {}  # folded entry -> the one actor it mentions

    def mentioned(self, key: str) -> int | None:
        """The position of the one actor whose name ``key`` holds as a whole word, if exactly one."""
        if key not in self.mentions:
            found = {self.ids[index]: index for index, pattern in self.words if pattern.search(key)}
            self.mentions[key] = next(iter(found.values())) if len(found) == 1 else None
        return self.mentions[key]


_NAME_FIELDS = operator.attrgetter("id", "short_name", "name")


@functools.lru_cache(maxsize=8)
def _names_of(names: tuple[tuple[str, str | None, str], ...]) -> _Names:
    return _Names(names)


def _registry(actors: Iterable[Actor]) -> tuple[list[Actor], _Names]:
    """The actors as a list, and their names folded (once per registry, whatever list holds it:
    positions, not the actors themselves, are kept between calls)."""
    listed = list(actors)
    return listed, _names_of(tuple(map(_NAME_FIELDS, listed)))


def interviewer_organisation(entry: str, actors: Iterable[Actor]) -> Actor | None:
    """The registry's organisation that ``entry`` names (its id, short name or name, any case)."""
    listed, names = _registry(actors)
    index = names.named.get(_key(entry))
    return listed[index] if index is not None else None


def _mentioned_organisation(entry: str, actors: Iterable[Actor]) -> Actor | None:
    """The organisation a person's entry mentions ("Awa K. (STADD)"), if exactly one."""
    listed, names = _registry(actors)
    index = names.mentioned(_key(entry))
    return listed[index] if index is not None else None


def interviewer_is_person(entry: str, actors: Iterable[Actor]) -> bool:
    """Whether an ``interviewers`` entry is a person (anything that names no organisation)."""
    return interviewer_organisation(entry, actors) is None


def interviewer_label(entry: str, actors: Sequence[Actor], *, lang: str, anonymize: bool = False) -> str:
    """How an interviewer is printed: an organisation as its label; a person as written, or
    with ``anonymize`` as the organisation their entry mentions, else "the project team"."""
    organisation = interviewer_organisation(entry, actors)
    if organisation is not None:
        return organisation.label
    if not anonymize:
        return entry
    mentioned = _mentioned_organisation(entry, actors)
    return mentioned.label if mentioned is not None else t("privacy.project_team", lang)


def interviewer_labels(
    entries: Iterable[str], actors: Sequence[Actor], *, lang: str, anonymize: bool = False
) -> list[str]:
    """The interviewers of one interview as printed, each label once."""
    return list(dict.fromkeys(interviewer_label(e, actors, lang=lang, anonymize=anonymize) for e in entries))


# --- imports: what may be written into a transcript ------------------------------------------------


def may_keep_names(quotes: str, actor: Actor) -> bool:
    """Whether an import may write interviewees' names into a transcript at all: only when they
    agreed to be quoted by name, and never for a sensitive actor (its quotes are never
    attributed, so a name would only be a risk)."""
    return quotes == "named" and not actor.sensitive


def may_keep_quotes(quotes: str, *, participation: bool) -> bool:
    """Whether an import may write quotes into a transcript: the person took part and allows
    some form of quotation."""
    return participation and quotes != "none"
