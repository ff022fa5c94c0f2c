"""The référentiel commun as a Word draft: what the steering committee reads, and edits in Word.

Built from the synthesis (pure data) with the ``docx_base`` building blocks, in the outline of
product.md: cover, contents, 1 the project, 2 the actors (one profile sheet each, by country),
3 expectations and contributions by theme, 4 shared stakes, cooperation leads, asymmetries,
reciprocity and balance, 5 SDGs, 6 voices of the actors, then the annexes (method and list of
interviews, partners not yet interviewed, the guide, acronyms, sources).

What it prints of people follows ``consent``: interviewees' names only with ``named`` consent
(never with ``anonymize``); an actor's own profile prints its named and role quotes only; the
cross-cutting quotes come from the synthesis, and an anonymous one never carries its interview
reference (the list of interviews would tie "E06" to its actor). Transcripts' ``notes`` are
never read here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.document import Document
from docx.shared import Pt

from ess_coop import committee_docx, docx_base
from ess_coop.changes_docx import write_changes
from ess_coop.charts import butterfly_png, grouped_bar_png
from ess_coop.consent import interviewer_labels
from ess_coop.document import TEXT_WIDTH_CM
from ess_coop.editions import Changes
from ess_coop.errors import UserError
from ess_coop.i18n import t, with_project_dates
from ess_coop.leads import ranked_directions, unmet_needs
from ess_coop.models import localized
from ess_coop.placeholders import placeholder_fields
from ess_coop.profile_sheet import SheetWriter
from ess_coop.synthesis import Synthesis
from ess_coop.texts import Block
from ess_coop.workspace import PROJECT_FILE, Workspace

clean = docx_base.clean_text


def build_referential(
    ws: Workspace,
    synthesis: Synthesis,
    *,
    lang: str,
    template: Path | None,
    anonymize: bool,
    today: dt.date,
    changes: Changes | None = None,
    texts: dict[str, list[Block]] | None = None,
) -> bytes:
    """The référentiel commun of ``ws`` as .docx bytes (identical bytes for identical inputs).

    ``template`` is the Word file whose styles are used (the packaged default when ``None``);
    ``today`` is the date printed on the cover and stored in the properties; ``changes``, what
    changed since the previous version, becomes the last annex; ``texts`` are the coordinators'
    own words (``texts.read_texts``), placed at their parts.
    """
    if ws.project is None:
        raise UserError("workspace-invalid", file=PROJECT_FILE)
    w = _Writer(ws, synthesis, lang, anonymize, docx_base.open_document(template), texts=texts)
    title = localized(ws.project.referential.title, lang) or w.g("default_title")
    w.cover(title, today)
    w.contents()
    committee_docx.essentials(w)
    w.project_part()
    w.actors_part()
    w.themes_part()
    w.stakes_part()
    w.sdgs_part()
    w.voices_part()
    w.changes = changes
    committee_docx.conclusion(w)
    w.annexes()
    version = ws.project.referential.version
    footer = w.e("footer", title=title, version=version) if version else w.e("footer_no_version", title=title)
    return w.finish(
        title=title,
        subject=localized(ws.project.project.title, lang),
        footer=footer,
        when=today,
        header=w.g("sample_header") if ws.project.sample else None,
    )


class _Writer(SheetWriter):
    """Writes the parts of the référentiel into ``doc``; holds what every part needs."""

    def __init__(
        self,
        ws: Workspace,
        synthesis: Synthesis,
        lang: str,
        anonymize: bool,
        doc: Document,
        *,
        texts: dict[str, list[Block]] | None = None,
    ) -> None:
        super().__init__(ws, synthesis, lang, anonymize, doc)
        self.changes: Changes | None = None
        self.texts = texts or {}  # the coordinators' own words
        # Read by the essentials page and again by part 4: computed once for both.
        self.ranked = ranked_directions(synthesis, limit=committee_docx.LEADS_PER_THEME)
        self.needs = unmet_needs(synthesis)

    def per_country(self, counts: dict[str, int]) -> str:
        return self.g("list_sep").join(
            self.g("partners_detail", count=counts.get(c, 0), country=self.country(c)) for c in self.syn.countries
        )

    # --- cover and contents -----------------------------------------------------------------

    def cover(self, title: str, today: dt.date) -> None:
        assert self.ws.project is not None
        project = self.ws.project
        self.para(title, "Title").paragraph_format.space_before = Pt(150)
        self.para(self.text(project.project.title), "Subtitle")
        version = project.referential.version
        lines = [self.g("version", version=version)] if version else []
        lines.append(self.date(today))
        line = self.para(" — ".join(lines))
        line.runs[0].font.size = Pt(13)
        draft = self.para()
        referential = project.referential
        state = self.g("working_draft")
        if referential.status == "validated" and referential.validated_on:
            state = t("review.doc.validated_on", self.lang, date=self.date(referential.validated_on))
        run = docx_base.add_run(draft, state)
        run.bold = True
        run.font.size = Pt(13)
        self.para()
        partners = sum(b.partners for b in self.syn.balance)
        interviewed = sum(b.interviewed for b in self.syn.balance)
        self.note(
            self.g("cover_facts", interviews=len(self.syn.interviews), interviewed=interviewed, partners=partners)
        )
        if self.syn.include_drafts and any(i.status == "draft" for i in self.syn.interviews):
            self.note(self.g("cover_drafts"))
        if self.anonymize:
            self.note(self.g("cover_anonymized"))
        if project.sample:
            self.banner(self.g("sample_banner"))

    def contents(self) -> None:
        # "Title", not a heading: the contents must not list itself. Filled at the end, when
        # every heading is known (``fill_toc``); part 1 starts on the next page by itself.
        self.para(self.g("contents"), "Title", page_break_before=True)
        self.contents_here()

    # --- 1 the project ----------------------------------------------------------------------

    def project_part(self) -> None:
        assert self.ws.project is not None
        project = self.ws.project.project
        self.heading(self.g("h_project"), 1, new_page=True)
        placeholders = placeholder_fields(project)  # left as init wrote them: never printed
        summary = bool(project.summary) and "summary" not in placeholders
        committee_docx.own_words(self, "introduction", resume=summary)  # else a heading comes next
        if summary:
            self.para(self.text(project.summary))
        if project.objective and "objective" not in placeholders:
            self.heading(self.g("h_objective"), 2)
            self.para(self.text(project.objective), "Intense Quote")
        self.heading(self.g("h_frame"), 2)
        rows = []
        if project.start and project.end:
            period = self.g("period_value", start=self.date(project.start), end=self.date(project.end))
            rows.append([self.g("period"), period])
        rows.append([self.g("countries"), self.g("list_sep").join(self.country(c) for c in project.countries)])
        if project.coordinators:
            coordinators = [
                f"{self.actor_label(a)} ({self.country(actor.country)})" if (actor := self.ws.actor(a)) else a
                for a in project.coordinators
            ]
            rows.append([self.g("coordinators"), self.g("list_sep").join(coordinators)])
        if project.funders:
            rows.append([self.g("funders"), self.g("list_sep").join(map(self.text, project.funders))])
        partners = {b.country: b.partners for b in self.syn.balance}
        rows.append(
            [self.g("partners"), self.g("partners_value", total=len(self.ws.actors), detail=self.per_country(partners))]
        )
        self.table([self.g("field"), self.g("value")], rows, [4.5, 12])
        self.heading(self.g("h_milestones"), 2)
        if project.milestones:
            milestones = sorted(project.milestones, key=lambda m: m.due)
            rows = [[self.text(m.label), self.date(m.due)] for m in milestones]
            self.table([self.g("milestone"), self.g("due")], rows, [11.5, 5])
        else:
            self.note(self.e("no_milestones"))
        self.heading(self.g("h_about"), 2)
        validated = self.ws.project is not None and self.ws.project.referential.status == "validated"
        self.para(t("review.doc.about_validated", self.lang) if validated else self.g("about"))
        self.para(self.e("interview_language"))

    # --- 2 the actors -----------------------------------------------------------------------

    def actors_part(self) -> None:
        self.heading(self.g("h_actors"), 1, new_page=True)
        committee_docx.own_words(self, "actors")
        balance = {b.country: b for b in self.syn.balance}
        interviewed = {c: b.interviewed for c, b in balance.items()}
        detail = self.g("list_sep").join(
            self.g("actors_detail", count=interviewed.get(c, 0), country=self.country(c)) for c in self.syn.countries
        )
        self.para(
            self.g(
                "actors_intro",
                partners=len(self.ws.actors),
                interviewed=sum(interviewed.values()),
                detail=detail,
            )
        )
        done = {i.actor for i in self.syn.interviews}
        for country in self.syn.countries:
            self.heading(self.country(country), 2)
            actors = [a for a in self.ws.actors if a.country == country and a.id in done]
            if not actors:
                self.note(self.g("no_interviewed_in_country"))
            for actor in actors:
                self.profile(actor.id, level=3)
        self.heading(self.e("h_pending"), 2)
        self.pending_list()

    def in_progress(self) -> set[str]:
        """The actors with a draft interview left out of this edition: their interview is under way."""
        drafts = {e.path for e in self.syn.excluded if e.reason == "draft"}
        return {e.transcript.actor for e in self.ws.transcripts if e.rel in drafts and e.transcript is not None}

    def pending_status(self, actor_id: str, in_progress: set[str]) -> str:
        return self.e("pending.in_progress" if actor_id in in_progress else "pending.to_interview")

    def pending_list(self) -> None:
        """One paragraph: who has no profile yet, interview under way or still to hold (the
        details are in annex B)."""
        if not self.syn.not_interviewed:
            self.note(self.g("all_interviewed"))
            return
        in_progress = self.in_progress()
        groups = []
        for key, chosen in (("in_progress", True), ("to_interview", False)):
            names = [self.actor_label(a) for a in self.syn.not_interviewed if (a in in_progress) == chosen]
            if names:
                groups.append(self.e(f"pending_group.{key}", names=self.g("list_sep").join(names)))
        self.para(
            self.e("pending_summary", count=len(self.syn.not_interviewed), groups=self.e("group_sep").join(groups))
        )

    # --- 3 themes ---------------------------------------------------------------------------

    def themes_part(self) -> None:
        self.heading(self.g("h_themes"), 1, new_page=True)
        committee_docx.own_words(self, "themes")
        self.intro(self.g("themes_intro"))
        countries = self.syn.countries
        rows = [row for row in self.syn.themes if row.mentioned]
        if not rows:
            self.note(self.g("no_themes"))
            return
        header = [self.g("theme")]
        header += [self.g("expects_in", country=self.country(c)) for c in countries]
        header += [self.g("offers_in", country=self.country(c)) for c in countries]
        side = (TEXT_WIDTH_CM - 4.3) / (2 * len(countries))
        body = [
            [self.theme_label(row.theme)]
            + [self.labels(row.expects.get(c, []), "\n") for c in countries]
            + [self.labels(row.offers.get(c, []), "\n") for c in countries]
            for row in rows
        ]
        self.table(header, body, [4.3] + [side] * (2 * len(countries)))
        categories = [self.theme_label(row.theme) for row in rows]
        for title, attr in (("chart_expects", "expects"), ("chart_offers", "offers")):
            series = {self.country(c): [len(getattr(row, attr).get(c, [])) for row in rows] for c in countries}
            self.country_chart(categories, series, self.g(title), self.g("chart_actors"))

    def country_chart(self, categories: list[str], series: dict[str, list[int]], title: str, value_label: str) -> None:
        """Counts per category and country: a butterfly for two countries (each row unmistakable),
        grouped bars otherwise; with its caption and its alternative text."""
        if len(series) == 2:
            (left, left_values), (right, right_values) = series.items()
            png = butterfly_png(
                categories,
                (left, left_values),
                (right, right_values),
                title="",  # the caption under it says it
                value_label=value_label,
                empty_text=self.g("chart_empty"),
            )
        else:
            png = grouped_bar_png(categories, series, title=title, xlabel=value_label, empty_text=self.g("chart_empty"))
        self.chart(png, title, self.chart_alt(title, categories, series))

    def chart_alt(self, title: str, categories: list[str], series: dict[str, list[int]]) -> str:
        """A chart's alternative text: its title, then every category's counts in words."""
        sep = self.g("list_sep")
        rows = [
            self.e("alt_row", category=category, counts=sep.join(f"{n} {v[i]}" for n, v in series.items()))
            for i, category in enumerate(categories)
        ]
        return f"{title}. " + self.e("alt_sep").join(rows)

    # --- 4 stakes, leads, asymmetries, reciprocity, balance --------------------------------

    def stakes_part(self) -> None:
        self.heading(self.g("h_stakes"), 1, new_page=True)
        committee_docx.own_words(self, "stakes", resume=False)  # the part goes on with a heading
        self.shared_stakes()
        self.leads()
        self.asymmetries()
        self.reciprocity()
        self.balance()

    def shared_stakes(self) -> None:
        countries = self.syn.countries
        self.heading(self.g("h_shared"), 2)
        self.intro(self.g("shared_intro"))
        rows = [row for row in self.syn.themes if row.theme in self.syn.shared_stakes]
        if not rows:
            self.note(self.g("no_shared"))
            return
        side = (TEXT_WIDTH_CM - 4.5) / len(countries)
        self.table(
            [self.g("theme")] + [self.g("actors_in", country=self.country(c)) for c in countries],
            [[self.theme_label(row.theme)] + [self.labels(row.expects.get(c, [])) for c in countries] for row in rows],
            [4.5] + [side] * len(countries),
        )

    def leads(self) -> None:
        committee_docx.leads(self)  # each lead with both statements, strongest first

    def direction(self, offering: str, expecting: str) -> str:
        def subject(code: str) -> str:
            return t(f"doc.country_subject.{code}", self.lang, default=self.country(code))

        text = self.g("direction", offering=subject(offering), expecting=subject(expecting))
        return text[:1].upper() + text[1:]

    def asymmetries(self) -> None:
        committee_docx.asymmetries(self)  # needs unmet across the border, then themes: one table

    def reciprocity(self) -> None:
        self.heading(self.g("h_reciprocity"), 2)
        self.intro(self.g("reciprocity_intro"))
        if not self.syn.reciprocity:
            return
        flagged = [r for r in self.syn.reciprocity if r.status != "both"]
        if flagged:
            self.banner(self.g("reciprocity_flagged", count=len(flagged)))
        else:
            docx_base.add_run(self.intro(""), self.g("reciprocity_all")).bold = True
        self.table(
            [
                self.g("actor"),
                self.g("country"),
                self.g("expectations"),
                self.g("contributions"),
                self.g("reciprocity_status"),
            ],
            [
                [
                    self.actor_label(r.actor),
                    self.country(r.country),
                    str(r.expectations),
                    str(r.contributions),
                    self.g(f"reciprocity.{r.status}"),
                ]
                for r in self.syn.reciprocity
            ],
            [4.0, 2.2, 2.9, 2.9, 4.5],
        )

    def balance(self) -> None:
        self.heading(self.g("h_balance"), 2)
        self.intro(self.g("balance_intro"))
        header = [
            self.g("country"),
            self.g("partners_short"),
            self.g("interviewed"),
            self.g("interview_count"),
            self.g("expectations"),
            self.g("contributions"),
            self.g("quotes"),
        ]
        rows = [
            [
                self.country(b.country),
                str(b.partners),
                str(b.interviewed),
                str(b.interviews),
                str(b.expectations),
                str(b.contributions),
                str(b.quotes),
            ]
            for b in self.syn.balance
        ]
        self.table(header, rows, [2.1, 2.5, 2.4, 2.2, 2.3, 2.6, 2.4], font_pt=9.5)
        if self.syn.balance_warning:
            self.banner(self.g("balance_warning", country=self.country(self.syn.balance_warning)))

    # --- 5 SDGs -----------------------------------------------------------------------------

    def sdg_label(self, number: int) -> str:
        return self.g("sdg_label", number=number, name=t(f"sdg.{number}", self.lang))

    def sdgs_part(self) -> None:
        self.heading(self.g("h_sdgs"), 1, new_page=True)
        committee_docx.own_words(self, "sdgs")
        self.intro(self.g("sdgs_intro"))
        countries = self.syn.countries
        rows = [row for row in self.syn.sdgs if any(row.statements.values())]
        if not rows:
            self.note(self.g("no_sdgs"))
            return
        side = (TEXT_WIDTH_CM - 5.5) / len(countries)

        def cell(count: int, actors: list[str]) -> str:
            return self.g("sdg_cell", count=count, actors=self.labels(actors)) if count else "0"

        self.table(
            [self.g("sdg")] + [self.country(c) for c in countries],
            [
                [self.sdg_label(row.sdg)] + [cell(row.statements.get(c, 0), row.actors.get(c, [])) for c in countries]
                for row in rows
            ],
            [5.5] + [side] * len(countries),
        )
        categories = [self.sdg_label(row.sdg) for row in rows]
        series = {self.country(c): [row.statements.get(c, 0) for row in rows] for c in countries}
        self.country_chart(categories, series, self.g("chart_sdgs"), self.g("chart_statements"))

    # --- 6 voices ---------------------------------------------------------------------------

    def voices_part(self) -> None:
        self.heading(self.g("h_voices"), 1, new_page=True)
        committee_docx.own_words(self, "voices")
        self.para(self.g("voices_intro"))
        if not self.syn.quotes:
            self.note(self.g("no_voices"))
            return
        refs = {i.id: i.ref for i in self.syn.interviews}
        anonymous = [q for q in self.syn.quotes if q.group is not None or q.level == "anonymous"]
        for country in self.syn.countries:
            quotes = [q for q in self.syn.quotes if q.country == country and q.group is None and q.level != "anonymous"]
            if not quotes:
                continue
            self.heading(self.country(country), 2)
            for q in quotes:
                self.quote(q.text, q.attribution, refs.get(q.interview))
        if anonymous:
            # Apart from the attributed quotes, with no reference (annex A would name the actor)
            # and in the synthesis's order, which carries nothing of the interview.
            self.heading(t("privacy.doc.h_anonymous", self.lang), 2)
            self.note(t("privacy.doc.anonymous_intro", self.lang))
            for q in anonymous:
                self.quote(q.text, q.attribution, None)

    # --- annexes ----------------------------------------------------------------------------

    def annexes(self) -> None:
        self.heading(self.g("h_annexes"), 1, new_page=True)
        self.method()
        self.heading(self.e("h_annex_pending"), 2)
        self.intro(self.e("annex_pending_intro"))
        self.pending_table()
        self.guide()
        self.glossary()
        self.sources()
        if self.changes is not None:
            write_changes(self, self.changes)

    def method(self) -> None:
        self.heading(self.g("h_method"), 2)
        drafts = self.g("method_drafts") if self.syn.include_drafts else ""
        self.para(self.g("method", drafts=drafts))
        if self.anonymize:
            self.para(self.g("method_anonymized"))
        if self.syn.interviews:
            rows = [
                [
                    i.ref,
                    self.date(i.date),
                    self.actor_label(i.actor),
                    self.mode(i.mode) or self.g("none"),
                    self.g("list_sep").join(
                        interviewer_labels(i.interviewers, self.ws.actors, lang=self.lang, anonymize=self.anonymize)
                    )
                    or self.g("none"),
                    self.g("draft_status") if i.status == "draft" else t(f"status.{i.status}", self.lang),
                ]
                for i in self.syn.interviews
            ]
            self.table(
                [
                    self.g("ref"),
                    self.g("date_col"),
                    self.g("actor"),
                    self.g("mode_col"),
                    self.g("interviewers"),
                    self.g("status"),
                ],
                rows,
                [1.4, 3.0, 3.6, 3.2, 3.0, 2.3],
            )
        else:
            self.note(self.g("no_interviews"))
        if self.syn.excluded:
            self.subheading(self.g("excluded_title"), 3)
            self.para(self.e("excluded_intro"))
            self.bullets([self.excluded_line(e.path, e.reason) for e in self.syn.excluded])
        committee_docx.method_additions(self)

    def excluded_line(self, path: str, reason: str) -> str:
        """An interview left out, in words: whose, of when, and why (never its file)."""
        entry = next((e for e in self.ws.transcripts if e.rel == path), None)
        transcript = entry.transcript if entry is not None else None
        parts = Path(path).parts
        actor_id = transcript.actor if transcript is not None else (parts[1] if len(parts) > 2 else "")
        actor = self.actor_label(actor_id) if actor_id else self.e("unknown_actor")
        if transcript is not None:
            return self.e(f"excluded.{reason}", actor=actor, date=self.date(transcript.date))
        return self.e(f"excluded_undated.{reason}", actor=actor)

    def pending_table(self) -> None:
        if not self.syn.not_interviewed:
            self.note(self.g("all_interviewed"))
            return
        in_progress = self.in_progress()
        rows = []
        for actor_id in self.syn.not_interviewed:
            actor = self.ws.actor(actor_id)
            if actor is not None:
                kind = t(f"actor_type_label.{actor.type}", self.lang, default=actor.type)
                status = self.pending_status(actor_id, in_progress)
                rows.append([actor.label, actor.name, self.country(actor.country), kind, status])
        self.table(
            [self.g("actor"), self.g("full_name"), self.g("country"), self.g("type"), self.e("situation")],
            rows,
            [2.6, 5.2, 1.7, 3.3, 3.7],
            font_pt=9.5,
        )

    def guide(self) -> None:
        self.heading(self.g("h_guide"), 2)
        guide = self.ws.guide
        if guide is None:
            self.note(self.g("no_guide"))
            return
        duration = self.g("guide_duration", minutes=guide.duration_minutes) if guide.duration_minutes else ""
        self.para(guide.title.get(self.lang), "Subtitle")
        self.para(self.e("guide_intro", duration=duration))
        for number, section in enumerate(guide.sections, start=1):
            self.label(f"{number}. {section.title.get(self.lang)}")
            items = []
            for question in section.questions:
                text = question.text.get(self.lang)
                if question.when is not None and (question.when.country or question.when.type):
                    who = [self.country(c) for c in question.when.country]
                    who += [t(f"actor_type_label.{kind}", self.lang, default=kind) for kind in question.when.type]
                    text += " " + self.g("asked_only", who=self.g("list_sep").join(who))
                items.append(guide_text(text, self.ws, self.lang))
            self.bullets(items)

    def glossary(self) -> None:
        """The partners' acronyms (a short name with a word of capitals: "CRESS Bretagne", not
        "Département 35") and the project's own ``glossary`` entries."""
        self.heading(self.e("h_glossary"), 2)
        assert self.ws.project is not None
        found = {
            (a.short_name, a.name)
            for a in self.ws.actors
            if a.short_name and a.short_name != a.name and _has_acronym(a.short_name)
        }
        found |= {(self.text(g.term), self.text(g.definition)) for g in self.ws.project.project.glossary}
        entries = sorted(found, key=lambda entry: (entry[0].casefold(), entry[0]))
        if not entries:
            self.note(self.g("no_glossary"))
            return
        self.table([self.e("term"), self.e("meaning")], [list(e) for e in entries], [4.5, 12])

    def sources(self) -> None:
        self.heading(self.g("h_sources"), 2)
        interviews = self.syn.interviews
        items = []
        if interviews:
            first, last = min(i.date for i in interviews), max(i.date for i in interviews)
            items.append(
                self.g("source_interviews", count=len(interviews), first=self.date(first), last=self.date(last))
            )
        else:
            items.append(self.g("source_no_interviews"))
        items.append(self.e("source_registry"))
        if self.ws.guide is not None:
            items.append(self.e("source_guide", title=self.ws.guide.title.get(self.lang)))
        assert self.ws.project is not None
        for source in self.ws.project.project.sources:
            parts = [self.text(source.title)]
            if source.author:
                parts.append(source.author)
            if source.date:
                parts.append(self.source_date(source.date))
            if source.link:
                parts.append(source.link)
            items.append(self.g("list_sep").join(parts) + ".")
        self.bullets(items)

    def source_date(self, text: str) -> str:
        """A source's date as written, or in words when it is a full date (2024-03-15)."""
        try:
            return self.date(dt.date.fromisoformat(text))
        except ValueError:
            return text


def _has_acronym(short_name: str) -> bool:
    """Whether a short name holds an acronym: a word of two capitals or more ("RBS", "TAg35")."""
    return any(sum(ch.isupper() for ch in word) >= 2 for word in short_name.split())


def guide_text(text: str, ws: Workspace, lang: str) -> str:
    """A guide's text with the project's own dates in it (see ``i18n.with_project_dates``)."""
    project = ws.project.project if ws.project is not None else None
    if project is None:
        return text
    return with_project_dates(text, project.start, project.end, lang)
