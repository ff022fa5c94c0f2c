"""What the committee acts on, beyond the synthesis's counts: leads with their substance and
strength, needs nobody across the border meets, and possible leads the keywords suggest.

Pure data, computed from a :class:`~ess_coop.synthesis.Synthesis`. Definitions:

- **strength of a lead** (theme T, A expecting in one country, B offering in another), compared
  in this order: (1) both sides high priority — one of A's expectations on T and one of B's
  contributions on T are ``priority: high``; (2) the number of SDGs shared by A's expectations
  and B's contributions on T; (3) the number of statements behind the lead. Ties keep the
  vocabulary's order, then the registry's.
- **need unmet across the border**: an expectation of country C none of whose themes is offered
  by any partner of another country. It may still be offered at home (by a partner of C).
- **possible lead to confirm**: a lead that appears when the themes the keywords suggest
  (``keywords``) are added to the tagged ones, and that the tags alone do not establish.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from ess_coop.keywords import matcher_for
from ess_coop.models import Theme
from ess_coop.synthesis import Lead, LeadGroup, Statement, Synthesis

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class Strength(BaseModel):
    """How strong a lead is (see the module's definition)."""

    both_high: bool
    shared_sdgs: list[int]
    statements: int

    def key(self) -> tuple[int, int, int]:
        """Sorts the strongest first."""
        return (-int(self.both_high), -len(self.shared_sdgs), -self.statements)


class RankedLead(BaseModel):
    lead: Lead
    strength: Strength


class ThemeLeads(BaseModel):
    """The strongest leads of one theme in one direction, and how many the theme has in all."""

    theme: str
    expecting_country: str
    offering_country: str
    leads: list[RankedLead]
    total: int


class UnmetNeed(BaseModel):
    """An expectation no partner of another country meets on any of its themes."""

    statement: Statement
    offered_at_home: list[str]  # partners of its own country offering one of its themes


class ThemeAsymmetry(BaseModel):
    """One theme's asymmetries in one row: ``kinds`` among unmet, unasked, one-country."""

    theme: str
    kinds: list[str]
    countries: list[str]
    actors: list[str]


class PossibleLead(Lead):
    """A lead that rests on at least one theme suggested by keywords, not tagged."""

    words: list[str]  # the words of the texts that suggested the theme


class _Side:
    """What one actor says on one theme, on one side (expectation or contribution)."""

    __slots__ = ("high", "sdgs", "statements")

    def __init__(self) -> None:
        self.statements: list[Statement] = []
        self.high = False
        self.sdgs: set[int] = set()

    def add(self, statement: Statement) -> None:
        self.statements.append(statement)
        self.high = self.high or statement.priority == "high"
        self.sdgs.update(statement.sdgs)


def _sides(statements: Iterable[Statement]) -> dict[tuple[str, str, str], _Side]:
    sides: dict[tuple[str, str, str], _Side] = defaultdict(_Side)
    for s in statements:
        if s.kind != "constraint":
            for theme in s.themes:
                sides[(s.kind, s.actor, theme)].add(s)
    return sides


def strength(lead: Lead) -> Strength:
    """The strength of ``lead`` (see the module's definition)."""
    exp_sdgs = {n for s in lead.expectations for n in s.sdgs}
    off_sdgs = {n for s in lead.contributions for n in s.sdgs}
    return Strength(
        both_high=any(s.priority == "high" for s in lead.expectations)
        and any(s.priority == "high" for s in lead.contributions),
        shared_sdgs=sorted(exp_sdgs & off_sdgs),
        statements=len(lead.expectations) + len(lead.contributions),
    )


def ranked_leads(syn: Synthesis, expecting_country: str, offering_country: str, *, limit: int) -> list[ThemeLeads]:
    """The leads from ``offering_country`` to ``expecting_country``, theme by theme, each theme's
    ``limit`` strongest first; themes ordered by their strongest lead, then the vocabulary.

    Strength is computed per pair from each actor's statements on the theme, without building
    every pair (a large network has hundreds of thousands): only the ``limit`` kept are built.
    """
    return _ranked(syn, _sides(syn.statements), expecting_country, offering_country, limit=limit)


def ranked_directions(syn: Synthesis, *, limit: int) -> dict[tuple[str, str], list[ThemeLeads]]:
    """``ranked_leads`` of every direction, by (expecting country, offering country), with the
    statements indexed once: what the essentials page and part 4 print, computed once for both
    (the strongest lead of a theme is the first of its ``limit`` strongest)."""
    sides = _sides(syn.statements)
    return {
        (expecting, offering): _ranked(syn, sides, expecting, offering, limit=limit)
        for (expecting, offering) in syn.groups_by_direction()
    }


def _ranked(
    syn: Synthesis,
    sides: dict[tuple[str, str, str], _Side],
    expecting_country: str,
    offering_country: str,
    *,
    limit: int,
) -> list[ThemeLeads]:
    order = {row.theme: i for i, row in enumerate(syn.themes)}
    found: list[tuple[tuple[int, int, int], int, ThemeLeads]] = []
    for group in syn.lead_groups:
        if (group.expecting_country, group.offering_country) != (expecting_country, offering_country):
            continue
        leads = []
        for i, j in _strongest(group, sides, limit):
            a, b = group.expecting[i], group.offering[j]
            lead = Lead(
                theme=group.theme,
                expecting=a,
                expecting_country=expecting_country,
                offering=b,
                offering_country=offering_country,
                expectations=sides[("expectation", a, group.theme)].statements,
                contributions=sides[("contribution", b, group.theme)].statements,
            )
            leads.append(RankedLead(lead=lead, strength=strength(lead)))
        if leads:
            theme_leads = ThemeLeads(
                theme=group.theme,
                expecting_country=expecting_country,
                offering_country=offering_country,
                leads=leads,
                total=group.count,
            )
            found.append((leads[0].strength.key(), order.get(group.theme, len(order)), theme_leads))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found]


def _strongest(group: LeadGroup, sides: dict[tuple[str, str, str], _Side], limit: int) -> list[tuple[int, int]]:
    """The ``limit`` strongest pairs of ``group`` as (expecting, offering) positions, strongest
    first, ties in the group's order: ``Strength.key`` then the positions.

    A group holds every expecting actor with every offering one (10,000 pairs for 100 partners a
    side), so each pair's strength is one integer, ordered as the key: both high, then shared
    SDGs (a bit per SDG), then statements; and each row keeps only its ``limit`` best (the best
    overall are among them)."""
    expecting = [sides[("expectation", a, group.theme)] for a in group.expecting]
    offering = [sides[("contribution", b, group.theme)] for b in group.offering]
    if not expecting or not offering:
        return []
    sdgs = sorted({n for side in (*expecting, *offering) for n in side.sdgs})
    bit = {n: 1 << k for k, n in enumerate(sdgs)}
    statements = max(len(s.statements) for s in expecting) + max(len(s.statements) for s in offering) + 1
    shared = statements * (len(sdgs) + 1)  # a shared SDG outweighs any number of statements
    both_high = shared * (len(sdgs) + 1)  # both high outweighs any number of shared SDGs

    def side(s: _Side) -> tuple[bool, int, int]:
        return s.high, sum(bit[n] for n in s.sdgs), len(s.statements)

    offers = [side(s) for s in offering]
    columns = range(len(offers))
    best: list[tuple[int, int, int]] = []
    for i, exp in enumerate(expecting):
        high, mask, count = side(exp)
        row = [
            both_high * (high and o_high) + shared * (mask & o_mask).bit_count() + count + o_count
            for o_high, o_mask, o_count in offers
        ]
        best += [(-row[j], i, j) for j in heapq.nlargest(limit, columns, key=row.__getitem__)]
    return [(i, j) for _, i, j in heapq.nsmallest(limit, best)]


def unmet_needs(syn: Synthesis) -> list[UnmetNeed]:
    """Expectations that no partner of another country meets on any of their themes, by country
    (the project's order), then priority (high first), then interview reference."""
    rows = {row.theme: row for row in syn.themes}
    found = []
    for s in syn.statements:
        if s.kind != "expectation":
            continue
        known = [rows[th] for th in s.themes if th in rows]
        met_abroad = any(actors for row in known for c, actors in row.offers.items() if c != s.country)
        if met_abroad:
            continue
        home = [a for row in known for a in row.offers.get(s.country, []) if a != s.actor]
        found.append(UnmetNeed(statement=s, offered_at_home=list(dict.fromkeys(home))))
    countries = {c: i for i, c in enumerate(syn.countries)}
    found.sort(
        key=lambda u: (
            countries.get(u.statement.country, len(countries)),
            PRIORITY_ORDER.get(u.statement.priority or "", 3),
            u.statement.ref,
        )
    )
    return found


def theme_asymmetries(syn: Synthesis) -> list[ThemeAsymmetry]:
    """The synthesis's asymmetries, one row per theme (a theme expected in one country and
    offered by nobody is both "unmet" and "one-country": one row, two findings)."""
    merged: dict[str, ThemeAsymmetry] = {}
    for a in syn.asymmetries:
        row = merged.setdefault(a.theme, ThemeAsymmetry(theme=a.theme, kinds=[], countries=[], actors=[]))
        row.kinds.append(a.kind)
        row.countries = sorted(set(row.countries) | set(a.countries), key=syn.countries.index)
        row.actors = list(dict.fromkeys([*row.actors, *a.actors]))
    return list(merged.values())


def possible_leads(syn: Synthesis, themes: list[Theme], *, limit: int | None = None) -> tuple[list[PossibleLead], int]:
    """Leads that the keywords' suggested themes add to the tagged ones (see the module): the
    first ``limit`` (all when ``None``), in vocabulary then interview order, and how many in all
    (a large network has hundreds of thousands: only those kept are built, the others counted)."""
    matcher = matcher_for(themes)
    if not matcher:
        return [], 0
    tagged = _sides(syn.statements)
    suggested: dict[tuple[str, str, str], _Side] = defaultdict(_Side)
    words: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    country: dict[str, str] = {}
    statements = [s for s in syn.statements if s.kind != "constraint"]
    # Scanned together, and without a model per suggestion (tens of thousands in a large network).
    for s, matches in zip(statements, matcher.matches_all([s.text for s in statements]), strict=True):
        country[s.actor] = s.country
        for theme, matched in matches.items():
            if theme in s.themes:
                continue
            key = (s.kind, s.actor, theme)
            suggested[key].add(s)
            words[key] += [w for w in matched if w not in words[key]]
    if not suggested:
        return [], 0
    # Actors with a statement of a kind on a theme, tagged or suggested, in first-seen order.
    actors: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for kind, actor, theme in [*tagged, *suggested]:
        actors[(kind, theme)].setdefault(actor)
    total = sum(_count_possible(th.id, actors, tagged, country) for th in themes)
    pairs = _possible_pairs(themes, actors, tagged, country)
    found = []
    for theme, a, b in pairs if limit is None else itertools.islice(pairs, limit):
        exp_key, off_key = ("expectation", a, theme), ("contribution", b, theme)
        found.append(
            PossibleLead(
                theme=theme,
                expecting=a,
                expecting_country=country[a],
                offering=b,
                offering_country=country[b],
                expectations=_merged(tagged.get(exp_key), suggested.get(exp_key)),
                contributions=_merged(tagged.get(off_key), suggested.get(off_key)),
                words=list(dict.fromkeys([*words.get(exp_key, []), *words.get(off_key, [])])),
            )
        )
    return found, total


def _possible_pairs(
    themes: list[Theme],
    actors: dict[tuple[str, str], dict[str, None]],
    tagged: dict[tuple[str, str, str], _Side],
    country: dict[str, str],
) -> Iterator[tuple[str, str, str]]:
    """The possible leads as (theme, expecting, offering), in vocabulary then first-seen order."""
    for theme in (th.id for th in themes):
        offering = list(actors.get(("contribution", theme), ()))
        for a in actors.get(("expectation", theme), ()):
            a_tagged = ("expectation", a, theme) in tagged
            for b in offering:
                # the tags alone establish a lead already: not a possible one
                if country[a] != country[b] and not (a_tagged and ("contribution", b, theme) in tagged):
                    yield theme, a, b


def _count_possible(
    theme: str,
    actors: dict[tuple[str, str], dict[str, None]],
    tagged: dict[tuple[str, str, str], _Side],
    country: dict[str, str],
) -> int:
    """How many pairs ``_possible_pairs`` yields for ``theme``, without going through them:
    for each expecting actor, the offering actors of other countries, less (when its own side is
    tagged) those whose side is tagged too."""
    expecting, offering = actors.get(("expectation", theme), {}), actors.get(("contribution", theme), {})
    offers = Counter(country[b] for b in offering)
    tagged_offers = Counter(country[b] for b in offering if ("contribution", b, theme) in tagged)
    count = 0
    for a in expecting:
        home = country[a]
        count += len(offering) - offers[home]
        if ("expectation", a, theme) in tagged:
            count -= tagged_offers.total() - tagged_offers[home]
    return count


def _merged(tagged: _Side | None, suggested: _Side | None) -> list[Statement]:
    statements = [*(tagged.statements if tagged else []), *(suggested.statements if suggested else [])]
    return list({id(s): s for s in statements}.values())
