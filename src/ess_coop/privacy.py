"""The privacy register: who is named in the workspace, what they agreed to, where they are printed.

The record a coordinator keeps under the GDPR and Togo's law n° 2019-014: every person written
in a transcript (interviewees, and interviewers who are people rather than organisations), their
consent, and how each document would print them, in a normal build and with ``--anonymize``;
then the quotes held back by the group rule (``consent.quote_fates``). Pure data: what may be
printed is decided by ``consent``, this module only asks it for each person and each document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ess_coop.consent import (
    declared_level,
    interviewee_label,
    interviewer_is_person,
    interviewer_label,
    person_level,
)
from ess_coop.models import Actor, Interviewee, Transcript
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.workspace import Workspace

Document = Literal["referential", "profile", "workbook"]
Counted = Literal["yes", "draft", "invalid"]


class Printed(BaseModel):
    """How one document prints a person: the text a reader sees, or ``None`` (not printed)."""

    document: Document
    normal: str | None
    anonymized: str | None  # with --anonymize


class Person(BaseModel):
    """One person of the register.

    An interviewee is one entry of one transcript (consent is given per interview); an
    interviewer is one name, with every interview it appears in.
    """

    kind: Literal["interviewee", "interviewer"]
    name: str | None  # as written; None for an interviewee recorded by reference only
    ref: str | None = None  # the interviewee's reference (P1…)
    role: str | None = None
    actor: str | None = None  # the interviewee's organisation (id)
    interviews: list[str]
    files: list[str]
    counted: Counted = "yes"  # whether the référentiel counts the interview (drafts only on request)
    consent: str | None = None  # what the person agreed to (their own, else the interview's)
    applies: str | None = None  # the level that applies after the registry's ``sensitive`` mark
    printed: list[Printed]


class HeldBack(BaseModel):
    """An anonymous quote that no label covers with enough partners: never printed."""

    interview: str
    number: int  # its place in the transcript's quotes, from 1
    actor: str
    path: str
    line: int | None
    themes: list[str]
    sizes: dict[str, int]  # partners covered by "a <type> (<country>)", "a partner (<country>)", "a partner"


class Register(BaseModel):
    """What ``ess-coop privacy`` returns; ``--format json`` prints exactly this."""

    min_group: int
    include_drafts: bool
    people: list[Person]
    held_back: list[HeldBack]


def held_back(ws: Workspace, synthesis: Synthesis, *, released: bool = False) -> list[HeldBack]:
    """The quotes the build holds back, each located in its transcript (``released``: those it
    prints only because a coordinator wrote ``release: true`` on them)."""
    files = {i.id: i.path for i in synthesis.interviews}
    docs = {e.rel: e.doc for e in ws.transcripts}
    found = []
    for fate in synthesis.fates:
        if not (fate.released if released else fate.fate == "held-back"):
            continue
        path = files.get(fate.interview, "")
        doc = docs.get(path)
        position = doc.key_position(("quotes", fate.number - 1, "text")) if doc is not None else None
        found.append(
            HeldBack(
                interview=fate.interview,
                number=fate.number,
                actor=fate.actor,
                path=path,
                line=position[0] if position else None,
                themes=fate.themes,
                sizes=fate.sizes,
            )
        )
    return found


def privacy_register(ws: Workspace, *, lang: str, include_drafts: bool = False) -> Register:
    """The register of ``ws``: people as each document would print them, and the quotes held back."""
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang)
    actors = {a.id: a for a in ws.actors}
    people: list[Person] = []
    interviewers: dict[str, Person] = {}
    for entry in ws.transcripts:
        tr = entry.transcript
        if tr is None:
            continue
        counted: Counted = "invalid" if not entry.usable or tr.actor not in actors else "yes"
        if counted == "yes" and tr.status == "draft" and not include_drafts:
            counted = "draft"
        actor = actors.get(tr.actor)
        if actor is not None:
            for person in tr.interviewees:
                people.append(_interviewee(person, tr, actor, entry.rel, counted, lang))
        for name in tr.interviewers:
            if not interviewer_is_person(name, ws.actors):
                continue
            key = " ".join(name.casefold().split())
            if key not in interviewers:
                interviewers[key] = Person(
                    kind="interviewer",
                    name=name,
                    interviews=[],
                    files=[],
                    counted=counted,
                    printed=[
                        Printed(
                            document=document,
                            normal=interviewer_label(name, ws.actors, lang=lang),
                            anonymized=interviewer_label(name, ws.actors, lang=lang, anonymize=True),
                        )
                        for document in ("referential", "workbook")  # annex A; the interviews sheet
                    ]
                    + [Printed(document="profile", normal=None, anonymized=None)],
                )
            known = interviewers[key]
            known.interviews.append(tr.id)
            known.files.append(entry.rel)
            if counted == "yes" or (counted == "draft" and known.counted == "invalid"):
                known.counted = counted
    people += sorted(interviewers.values(), key=lambda p: (p.name or "").casefold())
    return Register(
        min_group=synthesis.min_group,
        include_drafts=include_drafts,
        people=people,
        held_back=held_back(ws, synthesis),
    )


def _interviewee(person: Interviewee, tr: Transcript, actor: Actor, rel: str, counted: Counted, lang: str) -> Person:
    """An interviewee as their organisation's profile prints them (in the référentiel and on the
    partner's own sheet); their quotes carry the same name or role, or neither."""

    def shown(anonymize: bool) -> str:
        return interviewee_label(person, tr, actor, lang=lang, anonymize=anonymize)

    placements = [
        Printed(document=document, normal=shown(False), anonymized=shown(True))
        for document in ("referential", "profile")
    ]
    placements.append(Printed(document="workbook", normal=None, anonymized=None))
    return Person(
        kind="interviewee",
        name=person.name,
        ref=person.ref,
        role=person.role,
        actor=actor.id,
        interviews=[tr.id],
        files=[rel],
        counted=counted,
        consent=declared_level(person, tr),
        applies=person_level(person, tr, actor),
        printed=placements,
    )
