"""``ess-coop profile ACTOR``: the partner's own sheet, to send it for review before the committee.

What the référentiel will print about this actor, written by the same code as the actor's
section of the référentiel (``profile_sheet``), with a request for corrections by a date.
"""

from __future__ import annotations

import datetime as dt

from ess_coop import atomic, docx_base
from ess_coop.document import DocumentWriter
from ess_coop.errors import UserError
from ess_coop.i18n import format_date, t
from ess_coop.models import localized
from ess_coop.profile_sheet import SheetWriter
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.workspace import OUTPUT_DIR, Workspace

REVIEW_DAYS = 14


def build_profile_document(
    ws: Workspace,
    actor_id: str,
    *,
    lang: str,
    anonymize: bool = False,
    include_drafts: bool = False,
    today: dt.date,
    reply_by: dt.date,
) -> bytes:
    """The review sheet of ``actor_id`` as .docx bytes."""
    actor = ws.require_actor(actor_id)
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    if not any(i.actor == actor.id for i in synthesis.interviews):
        raise _why_no_interview(ws, actor.id, include_drafts=include_drafts)
    w = SheetWriter(ws, synthesis, lang, anonymize, docx_base.open_document(None))

    def p(key: str, **params: object) -> str:
        return t(f"profile_doc.{key}", lang, **params)

    project = localized(ws.project.project.title, lang) if ws.project else ""
    sample = ws.project is not None and ws.project.sample
    w.para(p("title", actor=actor.label), "Title")
    w.para(project, "Subtitle")
    if sample:
        w.banner(t("doc.sample_banner", lang))
    w.banner(p("request", date=format_date(reply_by, lang)))
    w.para(p("intro"))
    spoken = {e.transcript.language for e in ws.transcripts if e.transcript and e.transcript.actor == actor.id}
    if spoken - {lang}:  # an interview in the other language: its words are printed as said
        w.para(t("edition.interview_language", lang))
    # Its quotes follow, each with its fate; "not yet reviewed by the organisation" is for the
    # committee's draft, not for the organisation itself.
    w.profile(actor.id, level=1, quotes=False, review_note=False)
    _own_quotes(w, synthesis, actor.id)
    w.heading(p("corrections_title"), 1)
    w.para(p("corrections_intro", date=format_date(reply_by, lang)))
    for _ in range(8):
        w.para("_" * 80)
    return w.finish(
        title=p("title", actor=actor.label),
        subject=project,
        footer=t("edition.footer_no_version", lang, title=p("title", actor=actor.label)),
        when=today,
        header=t("doc.sample_header", lang) if sample else None,
    )


def _own_quotes(w: DocumentWriter, synthesis: Synthesis, actor_id: str) -> None:
    """Every quote of the partner, each with what the référentiel does with it: the partner can
    withdraw any of them, anonymous ones included (these never appear in its profile)."""
    fates = [f for f in synthesis.fates if f.actor == actor_id]
    if not fates:
        return
    refs = {i.id: i.ref for i in synthesis.interviews}
    lang = w.lang

    def p(key: str, **params: object) -> str:
        return t(f"privacy.profile.{key}", lang, **params)

    w.heading(p("h_quotes"), 2, keep_with_next=True)
    w.para(p("intro"))
    for fate in fates:
        w.para(t("doc.quoted", lang, text=fate.text), "Quote", keep_with_next=True)
        if fate.fate == "printed":
            attribution = fate.attribution or ""
            if fate.group is None:  # attributed quotes keep their interview reference
                attribution += f" [{refs.get(fate.interview, '')}]"
            line = p("will_appear", quoted=t("doc.quoted", lang, text="…"), attribution=attribution)
        else:
            line = p("held_back" if fate.fate == "held-back" else "not_published")
        w.para(line, space_after_pt=10)


def write_profile(
    ws: Workspace,
    actor_id: str,
    *,
    lang: str,
    anonymize: bool = False,
    include_drafts: bool = False,
    today: dt.date,
    reply_by: dt.date | None = None,
) -> atomic.Written:
    """Write ``output/<fiche|profile>-<actor-id>.docx`` and say where it went."""
    actor = ws.require_actor(actor_id)
    reply_by = reply_by or today + dt.timedelta(days=REVIEW_DAYS)
    data = build_profile_document(ws, actor.id, lang=lang, anonymize=anonymize, include_drafts=include_drafts,
                                  today=today, reply_by=reply_by)  # fmt: skip
    name = f"{t('profile_doc.file_prefix', lang)}-{actor.id}.docx"
    return atomic.write_output(ws.root / OUTPUT_DIR / name, data)


def _why_no_interview(ws: Workspace, actor_id: str, *, include_drafts: bool) -> UserError:
    """Why ``actor_id`` has no interview to show: one with errors, none at all, or drafts only."""
    from ess_coop.files import name_key

    mine = [e for e in ws.transcripts if name_key(e.path.parent.name) == name_key(actor_id)]
    broken = next((e for e in mine if not e.usable), None)
    if broken is not None:
        return UserError("interview-has-errors", path=broken.rel, value=actor_id, file=broken.rel)
    if include_drafts or not mine:
        return UserError("no-interview", value=actor_id)
    return UserError("no-usable-interview", value=actor_id)
