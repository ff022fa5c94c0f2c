"""The printable interview guide: the same tailored guide as the skeleton, as a Word document.

For interviewers who take notes on paper or offline: a cover with the actor and the date, the
consent reminder, every question that applies to this actor with its prompt and room to write,
and tables for expectations, contributions, constraints and quotes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ess_coop import atomic, docx_base
from ess_coop.document import DocumentWriter
from ess_coop.i18n import format_date, t, with_project_dates
from ess_coop.models import Actor, localized
from ess_coop.workspace import OUTPUT_DIR, Workspace

_EMPTY_ROWS = 5


def write_guide(ws: Workspace, actor_id: str, *, interview_id: str, date: dt.date, lang: str) -> Path:
    """Write ``output/guide-<interview-id>.docx`` and return where it went."""
    actor = ws.require_actor(actor_id)
    data = build_guide(ws, actor, interview_id=interview_id, date=date, lang=lang)
    return atomic.write_output(ws.root / OUTPUT_DIR / f"guide-{interview_id}.docx", data).path


def build_guide(ws: Workspace, actor: Actor, *, interview_id: str, date: dt.date, lang: str) -> bytes:
    """The guide for ``actor`` as .docx bytes."""
    guide = ws.guide
    assert guide is not None  # the caller refuses a workspace whose guide did not parse

    def g(key: str, **params: object) -> str:
        return t(f"guide_doc.{key}", lang, **params)

    def text(value: str) -> str:
        return guide_text(value, ws, lang)

    w = DocumentWriter(docx_base.open_document(None), lang)
    w.para(guide.title.get(lang), "Title")
    w.para(interview_subtitle(actor, lang), "Subtitle")
    if ws.project is not None:
        w.para(localized(ws.project.project.title, lang))
    minutes = g("duration", minutes=guide.duration_minutes) if guide.duration_minutes else ""
    facts = w.grid(
        [g("field"), g("value")],
        [
            [g("date"), format_date(date, lang)],
            [g("guide_ref"), f"{guide.title.get(lang)}{minutes}"],
            [g("mode"), g("mode_choices")],
            [g("interviewers"), ""],
            [g("interviewees"), ""],
        ],
        [5, 11],
        cant_split=True,
    )
    docx_base.lighten_header(facts)
    for row in facts.rows[4:]:
        docx_base.min_row_height(row, 1.6)  # names written by hand
    if actor.sensitive:
        w.banner(g("sensitive"))

    w.heading(g("consent_title"), 1)
    w.para(g("consent_intro"))
    w.bullets([g("consent_recording"), g("consent_quotes"), g("consent_review")])

    for number, section, questions in guide.sections_for(actor):
        w.heading(f"{number}. {section.title.get(lang)}", 1)
        for question in questions:
            # question, prompt and box on one page
            heading = w.heading(text(question.text.get(lang)), 3, keep_with_next=True)
            if question.required:
                docx_base.add_run(heading, f" ({g('required')})", italic=True)
            if question.help is not None:
                prompt = w.para(keep_with_next=True)
                docx_base.add_run(prompt, "→ " + text(question.help.get(lang)), italic=True, size_pt=9.5)
            _answer_box(w)

    w.heading(g("lists_title"), 1)
    w.para(g("lists_intro"))
    blank = [""] * 4
    for header, rows, widths, caption in (
        ([g("text"), g("themes"), g("sdgs"), g("priority")], _EMPTY_ROWS, [8.0, 4, 2, 2], "expectations"),
        ([g("text"), g("themes"), g("sdgs")], _EMPTY_ROWS, [10.0, 4, 2], "contributions"),
        ([g("text"), g("themes")], 3, [12.0, 4], "constraints"),
        ([g("text"), g("speaker"), g("themes")], 3, [9.5, 2.5, 4], "quotes"),  # "Personne" unbroken
    ):
        table = w.grid(header, [blank[: len(header)]] * rows, widths, caption=g(caption), cant_split=True)
        docx_base.lighten_header(table)
        for row in table.rows[1:]:
            docx_base.min_row_height(row, 1.5)  # room to write by hand

    add_vocabulary(w, ws)
    return w.finish(title=guide.title.get(lang), subject=actor.label, footer=g("footer", actor=actor.label), when=date)


def add_vocabulary(w: DocumentWriter, ws: Workspace) -> None:
    """The theme ids and labels and the 17 SDGs, for people who fill a guide or a form by hand."""
    lang = w.lang

    def g(key: str) -> str:
        return t(f"guide_doc.{key}", lang)

    w.heading(g("themes_title"), 1)
    rows = [[th.label.get(lang)] for th in ws.themes]
    docx_base.lighten_header(w.grid([g("theme_label")], rows, [16]))
    w.heading(g("sdgs_title"), 1)
    rows = [[str(n), t(f"sdg.{n}", lang)] for n in range(1, 18)]
    docx_base.lighten_header(w.grid([g("sdg_number"), g("sdg_name")], rows, [2, 14]))


def interview_subtitle(actor: Actor, lang: str) -> str:
    """The subtitle, "Entretien avec Pôle ESS du pays de Fougères (Pôle ESS Fougères) — France": the short
    name only when it differs, the country by its name."""
    who = f"{actor.name} ({actor.short_name})" if actor.short_name and actor.short_name != actor.name else actor.name
    country = t(f"country.{actor.country}", lang, default=actor.country)
    return t("edition.interview_with", lang, actor=who, country=country)


def guide_text(text: str, ws: Workspace, lang: str) -> str:
    """A question or prompt of the guide, with the project's own dates in it."""
    project = ws.project.project if ws.project is not None else None
    return with_project_dates(text, project.start, project.end, lang) if project is not None else text


def _answer_box(w: DocumentWriter, height_cm: float = 4.0) -> None:
    """A bordered box, tall enough to write an answer by hand, never split across two pages:
    a one-cell table whose only row cannot break."""
    table = w.grid([""], [], [16.4], cant_split=True)
    tr_pr = docx_base.xml_of(table.rows[0]).get_or_add_trPr()
    header = tr_pr.find(qn("w:tblHeader"))
    if header is not None:
        tr_pr.remove(header)  # an answer, not a header row
    cell = docx_base.xml_of(table.rows[0].cells[0])
    cell_pr = cell.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    for attr, value in (("val", "clear"), ("color", "auto"), ("fill", "FFFFFF")):
        shading.set(qn(f"w:{attr}"), value)
    cell_pr.append(shading)
    docx_base.min_row_height(table.rows[0], height_cm)
    w.para(space_after_pt=4)
