"""One actor's profile sheet, as the référentiel prints it in its part 2 and the partner's review
copy (``profile_docx``) repeats it: identity, description, mission and activities, the people
interviewed as consent allows, expectations, contributions and constraints, and the quotes
allowed in the actor's own profile.

``SheetWriter`` is the ``DocumentWriter`` that knows the workspace and the synthesis; the
référentiel's writer extends it. What it prints of people asks ``consent``; transcripts'
``notes`` are never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from docx.document import Document

from ess_coop import docx_base
from ess_coop.consent import interviewee_labels, printed_quote
from ess_coop.document import DocumentWriter
from ess_coop.errors import UserError
from ess_coop.i18n import format_date, t
from ess_coop.models import Actor, Transcript, localized
from ess_coop.synthesis import InterviewRef, Kind, Statement, Synthesis
from ess_coop.workspace import Workspace

# Free-text answers shown in the profile sheet, by guide question id (skipped when absent).
PROFILE_ANSWERS = (("mission", "p_mission"), ("activites-principales", "p_activities"))


def build_profile(
    ws: Workspace,
    synthesis: Synthesis,
    actor_id: str,
    *,
    lang: str,
    anonymize: bool,
    document: Document | None = None,
    level: int = 3,
    new_page: bool = False,
    quotes: bool = True,
) -> Document:
    """Write the profile sheet of ``actor_id`` into ``document``, titled at heading ``level``.

    ``document`` defaults to a new document with the packaged styles; the document written
    into is returned. The sheet holds the identity, the registry's description, mission and
    activities (answers to the guide's ``mission`` and ``activites-principales`` questions),
    the interviewees as consent allows, expectations, contributions and constraints with
    their interview references, and the quotes allowed in the actor's own profile (named and
    role only). ``new_page`` starts the sheet on a new page. ``quotes=False`` leaves the quotes
    out (the partner's own sheet lists them all, with their fate: ``profile_docx``).
    """
    doc = document if document is not None else docx_base.open_document(None)
    writer = SheetWriter(ws, synthesis, lang, anonymize, doc)
    # The sheet sent to the partner for review: "not yet reviewed by the organisation" is for the
    # committee's draft, not for the organisation itself.
    writer.profile(actor_id, level=level, new_page=new_page, quotes=quotes, review_note=False)
    return doc


class SheetWriter(DocumentWriter):
    """A ``DocumentWriter`` that knows the workspace and its synthesis: the words of an edition
    (countries, actors, themes, dates, modes) and an actor's profile sheet."""

    def __init__(self, ws: Workspace, synthesis: Synthesis, lang: str, anonymize: bool, doc: Document) -> None:
        super().__init__(doc, lang)
        self.ws = ws
        self.syn = synthesis
        self.anonymize = anonymize
        # Looked up once per name: a document of 200 partners names them thousands of times.
        self._actor_labels: dict[str, str] = {}
        self._theme_labels: dict[str, str] = {}
        self._interviews: dict[str, list[InterviewRef]] | None = None  # by actor, in the synthesis's order
        self._transcripts: dict[str, Transcript | None] | None = None  # by file

    # --- words ------------------------------------------------------------------------------

    def g(self, key: str, **params: Any) -> str:
        return t(f"doc.{key}", self.lang, **params)

    def e(self, key: str, **params: Any) -> str:
        """Wording added for the finished edition (catalogue section ``edition``)."""
        return t(f"edition.{key}", self.lang, **params)

    def text(self, value: Any) -> str:
        """A project-level free text (plain or ``{fr, en}``) in the edition's language."""
        return localized(value, self.lang)

    def country(self, code: str) -> str:
        return t(f"country.{code}", self.lang, default=code)

    def actor_label(self, actor_id: str) -> str:
        label = self._actor_labels.get(actor_id)
        if label is None:
            actor = self.ws.actor(actor_id)
            label = self._actor_labels[actor_id] = actor.label if actor else actor_id
        return label

    def labels(self, actor_ids: Iterable[str], sep: str | None = None) -> str:
        return (sep or self.g("list_sep")).join(self.actor_label(a) for a in actor_ids)

    def theme_label(self, theme_id: str) -> str:
        label = self._theme_labels.get(theme_id)
        if label is None:
            theme = self.ws.theme(theme_id)
            label = self._theme_labels[theme_id] = theme.label.get(self.lang) if theme else theme_id
        return label

    def date(self, day: dt.date) -> str:
        return format_date(day, self.lang)

    def mode(self, mode: str | None) -> str:
        return self.g(f"mode.{mode}") if mode else ""

    # --- blocks -----------------------------------------------------------------------------

    def statement_details(self, statement: Statement) -> list[str]:
        """What a statement's bullet prints beside it, in grey: its themes, then its priority."""
        details = [self.theme_label(th) for th in statement.themes]
        if statement.priority:
            level = t(f"priority.{statement.priority}", self.lang, default=statement.priority)
            details.append(self.g("priority", level=level))
        return details

    # --- data lookups -----------------------------------------------------------------------

    def interviews_of(self, actor_id: str) -> list[InterviewRef]:
        if self._interviews is None:
            self._interviews = {}
            for i in self.syn.interviews:
                self._interviews.setdefault(i.actor, []).append(i)
        return list(self._interviews.get(actor_id, []))

    def transcript(self, interview: InterviewRef) -> Transcript | None:
        if self._transcripts is None:
            self._transcripts = {}
            for e in self.ws.transcripts:
                self._transcripts.setdefault(e.rel, e.transcript)
        return self._transcripts.get(interview.path)

    def interview_line(self, interview: InterviewRef) -> str:
        date = self.date(interview.date)
        if interview.mode:
            return self.g("interview_line", ref=interview.ref, date=date, mode=self.mode(interview.mode))
        return self.g("interview_line_no_mode", ref=interview.ref, date=date)

    def profile(
        self, actor_id: str, *, level: int, new_page: bool = False, quotes: bool = True, review_note: bool = True
    ) -> None:
        """One actor's profile sheet (see ``build_profile``)."""
        actor = self.ws.actor(actor_id)
        if actor is None:
            raise UserError("unknown-actor", value=actor_id, suggestion="")
        interviews = self.interviews_of(actor_id)
        transcripts = [(i, tr) for i in interviews if (tr := self.transcript(i)) is not None]
        self.heading(actor.label, level, new_page=new_page, keep_with_next=True)
        drafts = [i.ref for i in interviews if i.status == "draft"]
        if drafts:
            self.banner(self.g("draft_note", refs=", ".join(drafts)))
        if review_note and interviews and any(i.status != "validated" for i in interviews):
            self.note(t("review.doc.not_reviewed", self.lang))
        self.identity(actor, interviews)
        sub = level + 1
        if actor.description:
            self.subheading(self.g("p_description"), sub)
            self.para(self.text(actor.description))
        several = len(transcripts) > 1
        for question, key in PROFILE_ANSWERS:
            answers = [(i.ref, tr.answers.get(question)) for i, tr in transcripts]
            answers = [(ref, text.strip()) for ref, text in answers if text and text.strip()]
            if answers:
                self.subheading(self.g(key), sub)
                for ref, text in answers:
                    self.para(f"{text} [{ref}]")
        people = [
            label + (f" [{i.ref}]" if several else "")
            for i, tr in transcripts
            for label in interviewee_labels(tr, actor, lang=self.lang, anonymize=self.anonymize)
        ]
        if people:
            self.subheading(self.g("p_interviewees"), sub)
            self.bullets(people)
        lists: tuple[tuple[Kind, str, str], ...] = (
            ("expectation", "p_expectations", "no_expectations"),
            ("contribution", "p_contributions", "no_contributions"),
            ("constraint", "p_constraints", "no_constraints"),
        )
        for kind, title, empty in lists:
            self.subheading(self.g(title), sub)
            statements = self.syn.statements_of(actor_id, kind)
            if not statements:
                self.note(self.g(empty))
            for statement in statements:
                self.statement(statement.text, self.statement_details(statement), statement.ref)
        if quotes:
            self.profile_quotes(actor, transcripts, sub)

    def identity(self, actor: Actor, interviews: list[InterviewRef]) -> None:
        rows = [
            [self.g("country"), self.country(actor.country)],
            [self.g("type"), t(f"actor_type_label.{actor.type}", self.lang, default=actor.type)],
            [self.g("role"), t(f"role_label.{actor.role}", self.lang, default=actor.role)],
        ]
        if actor.territory:
            rows.append([self.g("territory"), actor.territory])
        if actor.website:
            rows.append([self.g("website"), actor.website])
        if interviews:
            rows.append([self.g("interviews"), "\n".join(self.interview_line(i) for i in interviews)])
        table = docx_base.add_table(self.doc, [self.g("name"), actor.name], rows, widths_cm=[4.5, 12], cant_split=True)
        docx_base.keep_together(table)  # the identity card stays whole, under its heading

    def profile_quotes(self, actor: Actor, transcripts: list[tuple[InterviewRef, Transcript]], level: int) -> None:
        # context="profile": the actor's anonymous quotes are never printed on its own sheet.
        quotes = []
        for interview, tr in transcripts:
            for quote in tr.quotes:
                printed = printed_quote(quote, tr, actor, context="profile", lang=self.lang, anonymize=self.anonymize)
                if printed is not None:
                    quotes.append((printed, interview.ref))
        if not quotes:
            return
        self.subheading(self.g("p_quotes"), level)
        for printed, ref in quotes:
            self.quote(printed.text, printed.attribution, ref)
