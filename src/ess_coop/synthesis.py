"""The cross-country synthesis: who expects what, who offers what, and where they meet.

Pure data, no Word. Definitions (product.md), for a theme T and a country C:

- expects(T, C): actors of C with at least one expectation tagged T; offers(T, C) likewise.
- shared stake: T expected by actors of at least two countries.
- cooperation lead: (T, A, B) with A expecting T in one country and B offering T in another,
  in both directions, with the source statements.
- asymmetries: T expected but offered by nobody ("unmet"), offered but expected by nobody
  ("unasked"), raised (expected or offered) in one country only ("one-country").
- reciprocity: every interviewed actor should appear at least once as resource (contribution)
  and once as beneficiary (expectation).
- balance: interviews done against partners, statements and printable quotes, per country.
- SDG coverage per country.

Quotes follow ``consent``: ``fates`` says what becomes of each quote of the counted interviews
(printed, held back by the group rule, not published); ``quotes`` are those printed, the
attributed ones in interview order, then the anonymous ones in an order that carries nothing of
their interview.

Only ``complete`` and ``validated`` transcripts count, unless drafts are asked for. Transcripts
with errors are left out and named. Each interview gets a short reference (``E01``…) in date
order; every statement carries it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, PrivateAttr

from ess_coop.consent import DEFAULT_MIN_GROUP, PrintedQuote, QuoteFate, anonymous_order, quote_fates
from ess_coop.models import Actor, Transcript
from ess_coop.workspace import Workspace

Kind = Literal["expectation", "contribution", "constraint"]

# A country is "clearly under-represented" when it holds less than this share of the
# statements, or when its interview coverage trails the other's by more than this gap.
MIN_STATEMENT_SHARE = 1 / 3
MAX_COVERAGE_GAP = 0.25


class InterviewRef(BaseModel):
    """An interview that the synthesis uses, with its short reference."""

    ref: str
    id: str
    actor: str
    country: str
    date: dt.date
    mode: str | None
    interviewers: list[str]
    status: str
    path: str


class Statement(BaseModel):
    """One expectation, contribution or constraint, traced to its interview."""

    kind: Kind
    text: str
    themes: list[str]
    sdgs: list[int]
    priority: str | None
    actor: str
    country: str
    interview: str  # interview id
    ref: str  # the interview's short reference, e.g. E03
    draft: bool


class ThemeRow(BaseModel):
    """One theme: who expects and who offers it, per country (actor ids)."""

    theme: str
    expects: dict[str, list[str]]
    offers: dict[str, list[str]]

    def countries_expecting(self) -> list[str]:
        return [c for c, actors in self.expects.items() if actors]

    def countries_offering(self) -> list[str]:
        return [c for c, actors in self.offers.items() if actors]

    @property
    def mentioned(self) -> bool:
        return bool(self.countries_expecting() or self.countries_offering())


class Lead(BaseModel):
    """A cooperation lead: ``expecting`` (in one country) could be helped by ``offering`` (another)."""

    theme: str
    expecting: str
    expecting_country: str
    offering: str
    offering_country: str
    expectations: list[Statement]
    contributions: list[Statement]


class LeadGroup(BaseModel):
    """All the leads of one theme in one direction: every ``expecting`` actor (one country) with
    every ``offering`` actor (the other). Stored as two lists, not as their product, which for a
    network of 200 actors would be hundreds of thousands of pairs."""

    theme: str
    expecting_country: str
    offering_country: str
    expecting: list[str]
    offering: list[str]

    @property
    def count(self) -> int:
        return len(self.expecting) * len(self.offering)


class Asymmetry(BaseModel):
    kind: Literal["unmet", "unasked", "one-country"]
    theme: str
    countries: list[str]
    actors: list[str]


class Reciprocity(BaseModel):
    actor: str
    country: str
    expectations: int
    contributions: int

    @property
    def status(self) -> str:
        if self.expectations and self.contributions:
            return "both"
        if self.contributions:
            return "only-resource"
        if self.expectations:
            return "only-beneficiary"
        return "neither"


class CountryBalance(BaseModel):
    country: str
    partners: int
    interviewed: int
    interviews: int
    expectations: int
    contributions: int
    quotes: int

    @property
    def statements(self) -> int:
        return self.expectations + self.contributions

    @property
    def coverage(self) -> float:
        return self.interviewed / self.partners if self.partners else 0.0


class SdgRow(BaseModel):
    sdg: int
    statements: dict[str, int]
    actors: dict[str, list[str]]


class Excluded(BaseModel):
    path: str
    reason: Literal["invalid", "draft"]


class Synthesis(BaseModel):
    """Everything the référentiel prints, as data."""

    countries: list[str]
    include_drafts: bool
    interviews: list[InterviewRef]
    statements: list[Statement]
    themes: list[ThemeRow]
    shared_stakes: list[str]
    lead_groups: list[LeadGroup]
    asymmetries: list[Asymmetry]
    reciprocity: list[Reciprocity]
    balance: list[CountryBalance]
    balance_warning: str | None  # the under-represented country, if any
    sdgs: list[SdgRow]
    quotes: list[PrintedQuote]  # for cross-cutting sections, consent applied
    excluded: list[Excluded]
    not_interviewed: list[str]  # actor ids
    anonymize: bool = False
    min_group: int = DEFAULT_MIN_GROUP
    # Every quote of the counted interviews and what the référentiel does with it (printed,
    # held back by the group rule, not published), for the profile sheets and the summary.
    fates: list[QuoteFate] = []
    _by_actor: dict[tuple[str, str], list[Statement]] = PrivateAttr(default_factory=dict)

    def statements_of(self, actor: str, kind: Kind) -> list[Statement]:
        if not self._by_actor:
            for statement in self.statements:
                self._by_actor.setdefault((statement.actor, statement.kind), []).append(statement)
        return self._by_actor.get((actor, kind), [])

    @property
    def lead_count(self) -> int:
        return sum(group.count for group in self.lead_groups)

    def groups_by_direction(self) -> dict[tuple[str, str], list[LeadGroup]]:
        """Lead groups by (expecting country, offering country)."""
        grouped: dict[tuple[str, str], list[LeadGroup]] = defaultdict(list)
        for group in self.lead_groups:
            grouped[(group.expecting_country, group.offering_country)].append(group)
        return dict(grouped)

    def pairs(self, groups: list[LeadGroup] | None = None) -> Iterator[Lead]:
        """The leads as (theme, expecting actor, offering actor) pairs with their source statements."""
        index: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)  # (kind, actor, theme)
        for statement in self.statements:
            for theme in statement.themes:
                index[(statement.kind, statement.actor, theme)].append(statement)
        for group in self.lead_groups if groups is None else groups:
            for a in group.expecting:
                for b in group.offering:
                    yield Lead(
                        theme=group.theme,
                        expecting=a,
                        expecting_country=group.expecting_country,
                        offering=b,
                        offering_country=group.offering_country,
                        expectations=index[("expectation", a, group.theme)],
                        contributions=index[("contribution", b, group.theme)],
                    )

    @property
    def leads(self) -> list[Lead]:
        """Every lead as a pair (for small projects and tests; see ``pairs`` for large ones)."""
        return list(self.pairs())


def synthesise(ws: Workspace, *, include_drafts: bool = False, lang: str = "fr", anonymize: bool = False) -> Synthesis:
    """Aggregate the workspace's usable transcripts across countries."""
    countries = ws.countries
    actors = {a.id: a for a in ws.actors}
    excluded: list[Excluded] = []
    chosen: list[tuple[Transcript, Actor, str]] = []
    for entry in ws.transcripts:
        tr = entry.transcript
        if not entry.usable or tr is None or tr.actor not in actors:
            excluded.append(Excluded(path=entry.rel, reason="invalid"))
        elif tr.status == "draft" and not include_drafts:
            excluded.append(Excluded(path=entry.rel, reason="draft"))
        else:
            chosen.append((tr, actors[tr.actor], entry.rel))
    chosen.sort(key=lambda item: (item[0].date, item[0].id))

    interviews: list[InterviewRef] = []
    statements: list[Statement] = []
    for number, (tr, actor, rel) in enumerate(chosen, start=1):
        ref = f"E{number:02d}"
        interviews.append(
            InterviewRef(
                ref=ref,
                id=tr.id,
                actor=actor.id,
                country=actor.country,
                date=tr.date,
                mode=tr.mode,
                interviewers=list(tr.interviewers),
                status=tr.status,
                path=rel,
            )
        )
        lists: tuple[tuple[Kind, list[Any]], ...] = (
            ("expectation", tr.expectations),
            ("contribution", tr.contributions),
            ("constraint", tr.constraints),
        )
        for kind, items in lists:
            for item in items:
                statements.append(
                    Statement(
                        kind=kind,
                        text=item.text,
                        themes=list(item.themes),
                        sdgs=list(getattr(item, "sdgs", [])),
                        priority=getattr(item, "priority", None),
                        actor=actor.id,
                        country=actor.country,
                        interview=tr.id,
                        ref=ref,
                        draft=tr.status == "draft",
                    )
                )

    min_group = ws.project.privacy.min_group if ws.project else DEFAULT_MIN_GROUP
    fates = quote_fates(
        [(tr, actor) for tr, actor, _ in chosen], actors=ws.actors, min_group=min_group, lang=lang, anonymize=anonymize
    )
    quotes = _printed_quotes(fates, [th.id for th in ws.themes])
    interviewed = {i.actor for i in interviews}
    themes = _theme_rows(ws, countries, statements)
    return Synthesis(
        countries=countries,
        include_drafts=include_drafts,
        interviews=interviews,
        statements=statements,
        themes=themes,
        shared_stakes=[row.theme for row in themes if len(row.countries_expecting()) >= 2],
        lead_groups=_lead_groups(themes),
        asymmetries=_asymmetries(themes),
        reciprocity=_reciprocity([a for a in ws.actors if a.id in interviewed], statements),
        balance=(balance := _balance(ws, countries, interviews, statements, quotes)),
        balance_warning=_balance_warning(balance),
        sdgs=_sdgs(countries, statements),
        quotes=quotes,
        excluded=excluded,
        not_interviewed=[a.id for a in ws.actors if a.id not in interviewed],
        anonymize=anonymize,
        min_group=min_group,
        fates=fates,
    )


def _printed_quotes(fates: list[QuoteFate], vocabulary: list[str]) -> list[PrintedQuote]:
    """The quotes printed in the cross-cutting sections: attributed ones in interview order, then
    the anonymous ones in an order that says nothing of their interview (``anonymous_order``)."""
    printed = [f for f in fates if f.fate == "printed"]
    anonymous = sorted((f for f in printed if f.group), key=lambda f: anonymous_order(f.themes, f.text, vocabulary))
    return [
        PrintedQuote(
            text=f.text,
            attribution=f.attribution or "",
            actor=f.actor,
            country=f.country,
            level=f.level,
            interview=f.interview,
            themes=f.themes,
            group=f.group,
        )
        for f in [*(f for f in printed if not f.group), *anonymous]
    ]


def _theme_rows(ws: Workspace, countries: list[str], statements: list[Statement]) -> list[ThemeRow]:
    known = [th.id for th in ws.themes]
    rows = {
        tid: ThemeRow(theme=tid, expects={c: [] for c in countries}, offers={c: [] for c in countries}) for tid in known
    }
    for s in statements:
        if s.kind == "constraint":
            continue
        for theme in s.themes:
            row = rows.get(theme)
            if row is None or s.country not in row.expects:
                continue
            bucket = (row.expects if s.kind == "expectation" else row.offers)[s.country]
            if s.actor not in bucket:
                bucket.append(s.actor)
    return [rows[tid] for tid in known]


def _lead_groups(themes: list[ThemeRow]) -> list[LeadGroup]:
    groups = []
    for row in themes:
        for exp_country, expecting in row.expects.items():
            for off_country, offering in row.offers.items():
                if exp_country != off_country and expecting and offering:
                    group = LeadGroup(
                        theme=row.theme,
                        expecting_country=exp_country,
                        offering_country=off_country,
                        expecting=list(expecting),
                        offering=list(offering),
                    )
                    groups.append(group)
    return groups


def _asymmetries(themes: list[ThemeRow]) -> list[Asymmetry]:
    found = []
    for row in themes:
        expecting = row.countries_expecting()
        offering = row.countries_offering()
        exp_actors = sorted({a for actors in row.expects.values() for a in actors})
        off_actors = sorted({a for actors in row.offers.values() for a in actors})
        if expecting and not offering:
            found.append(Asymmetry(kind="unmet", theme=row.theme, countries=expecting, actors=exp_actors))
        if offering and not expecting:
            found.append(Asymmetry(kind="unasked", theme=row.theme, countries=offering, actors=off_actors))
        raised = sorted(set(expecting) | set(offering))
        if len(raised) == 1:
            found.append(
                Asymmetry(
                    kind="one-country",
                    theme=row.theme,
                    countries=raised,
                    actors=sorted(set(exp_actors) | set(off_actors)),
                )
            )
    return found


def _reciprocity(actors: list[Actor], statements: list[Statement]) -> list[Reciprocity]:
    counts: dict[tuple[str, str], int] = defaultdict(int)  # (actor, kind): statements, counted in one pass
    for s in statements:
        counts[(s.actor, s.kind)] += 1
    return [
        Reciprocity(
            actor=actor.id,
            country=actor.country,
            expectations=counts[(actor.id, "expectation")],
            contributions=counts[(actor.id, "contribution")],
        )
        for actor in actors
    ]


def _balance(
    ws: Workspace,
    countries: list[str],
    interviews: list[InterviewRef],
    statements: list[Statement],
    quotes: list[PrintedQuote],
) -> list[CountryBalance]:
    return [
        CountryBalance(
            country=c,
            partners=sum(a.country == c for a in ws.actors),
            interviewed=len({i.actor for i in interviews if i.country == c}),
            interviews=sum(i.country == c for i in interviews),
            expectations=sum(s.country == c and s.kind == "expectation" for s in statements),
            contributions=sum(s.country == c and s.kind == "contribution" for s in statements),
            # An anonymous quote printed as "a partner" counted by country would give its country away.
            quotes=sum(q.country == c and q.group != "partner" for q in quotes),
        )
        for c in countries
    ]


def _balance_warning(balance: list[CountryBalance]) -> str | None:
    """The clearly under-represented country, if one is."""
    total = sum(b.statements for b in balance)
    if total == 0 or len(balance) < 2:
        return None
    best_coverage = max(b.coverage for b in balance)
    for b in sorted(balance, key=lambda b: (b.statements / total, b.coverage)):
        if b.statements / total < MIN_STATEMENT_SHARE or best_coverage - b.coverage > MAX_COVERAGE_GAP:
            return b.country
    return None


def _sdgs(countries: list[str], statements: list[Statement]) -> list[SdgRow]:
    sdgs = range(1, 18)
    counts = {sdg: dict.fromkeys(countries, 0) for sdg in sdgs}  # statements tagged, in one pass
    actors: dict[int, dict[str, set[str]]] = {sdg: {c: set() for c in countries} for sdg in sdgs}
    for s in statements:
        for sdg in set(s.sdgs):
            if sdg in counts and s.country in counts[sdg]:
                counts[sdg][s.country] += 1
                actors[sdg][s.country].add(s.actor)
    return [
        SdgRow(sdg=sdg, statements=counts[sdg], actors={c: sorted(actors[sdg][c]) for c in countries}) for sdg in sdgs
    ]
