"""``ess-coop status``: where the interviews stand, per country and per actor, against deadlines."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ess_coop.models import localized
from ess_coop.registry import InterviewInfo, list_actors
from ess_coop.review import PartnerReview, partner_reviews
from ess_coop.synthesis import synthesise
from ess_coop.workspace import Workspace, relative

# The best state wins when an actor has several interviews.
_RANK = {"none": 0, "invalid": 1, "draft": 2, "complete": 3, "validated": 4}


class ActorProgress(BaseModel):
    id: str
    label: str
    country: str
    state: str  # none | invalid | draft | complete | validated
    interviews: list[InterviewInfo]
    last_change: dt.datetime | None
    interviewers: list[str]


class CountryProgress(BaseModel):
    country: str
    partners: int
    interviewed: int  # at least one complete or validated interview
    validated: int
    drafts: int
    invalid: int
    missing: int  # no interview file at all


class MilestoneProgress(BaseModel):
    id: str
    label: str
    due: dt.date
    days_left: int  # negative: late


class ConflictCopy(BaseModel):
    path: str
    original: str
    client: str


class StatusReport(BaseModel):
    """What ``status`` shows; ``--format json`` prints exactly this."""

    today: dt.date
    countries: list[CountryProgress]
    actors: list[ActorProgress]
    milestones: list[MilestoneProgress]
    interviewed: int
    partners: int
    balance_warning: str | None
    conflicts: list[ConflictCopy]
    # Partners sent their sheet: awaited, late or answered (``review``).
    reviews: list[PartnerReview] = []


def project_status(ws: Workspace, *, today: dt.date | None = None, lang: str | None = None) -> StatusReport:
    """The state of every partner's interviews, per country, with milestones and conflicts."""
    today = today or dt.date.today()
    actors = []
    for row in list_actors(ws):
        states = [i.status for i in row.interviews] or ["none"]
        people = sorted({name for i in row.interviews for name in i.interviewers})
        actors.append(
            ActorProgress(
                id=row.actor.id,
                label=row.actor.label,
                country=row.actor.country,
                state=max(states, key=_RANK.__getitem__),
                interviews=row.interviews,
                last_change=max((i.modified for i in row.interviews), default=None),
                interviewers=people,
            )
        )
    countries = [
        CountryProgress(
            country=c,
            partners=sum(a.country == c for a in actors),
            interviewed=sum(a.country == c and a.state in ("complete", "validated") for a in actors),
            validated=sum(a.country == c and a.state == "validated" for a in actors),
            drafts=sum(a.country == c and a.state == "draft" for a in actors),
            invalid=sum(a.country == c and a.state == "invalid" for a in actors),
            missing=sum(a.country == c and a.state == "none" for a in actors),
        )
        for c in ws.countries
    ]
    milestones = []
    if ws.project is not None:
        milestones = [
            MilestoneProgress(
                id=m.id, label=localized(m.label, lang or ws.language), due=m.due, days_left=(m.due - today).days
            )
            for m in ws.project.project.milestones
        ]
    conflicts = [
        ConflictCopy(path=relative(ws.root, copy), original=relative(ws.root, original), client=client)
        for copy, original, client in ws.conflicts
    ]
    return StatusReport(
        today=today,
        countries=countries,
        actors=actors,
        milestones=milestones,
        interviewed=sum(c.interviewed for c in countries),
        partners=len(actors),
        balance_warning=synthesise(ws).balance_warning,
        conflicts=conflicts,
        reviews=partner_reviews(ws, today=today),
    )
