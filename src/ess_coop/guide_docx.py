"""The printable interview guide: the same tailored guide as the skeleton, as a Word document.

For interviewers who take notes on paper or offline: a cover with the actor and the date, the
consent reminder, every question that applies to this actor with its prompt and room to write,
and tables for expectations, contributions, constraints and quotes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ess_coop import atomic, docx_base
from ess_coop.i18n import t
from ess_coop.models import Actor
from ess_coop.skeleton import resolve_actor
from ess_coop.workspace import OUTPUT_DIR, Workspace

_EMPTY_ROWS = 5


def write_guide(ws: Workspace, actor_id: str, *, interview_id: str, date: dt.date, lang: str) -> Path:
    """Write ``output/guide-<interview-id>.docx`` and return where it went."""
    actor = resolve_actor(ws, actor_id)
    data = build_guide(ws, actor, interview_id=interview_id, date=date, lang=lang)
    return atomic.write_output(ws.root / OUTPUT_DIR / f"guide-{interview_id}.docx", data).path


def build_guide(ws: Workspace, actor: Actor, *, interview_id: str, date: dt.date, lang: str) -> bytes:
    """The guide for ``actor`` as .docx bytes."""
    guide = ws.guide
    assert guide is not None  # the caller refuses a workspace whose guide did not parse

    def g(key: str, **params: object) -> str:
        return t(f"guide_doc.{key}", lang, **params)

    doc = docx_base.open_document(None)
    docx_base.add_paragraph(doc, guide.title.get(lang), "Title")
    docx_base.add_paragraph(doc, g("subtitle", actor=actor.name, short=actor.label, country=actor.country), "Subtitle")
    if ws.project is not None:
        doc.add_paragraph(ws.project.project.title)
    minutes = g("duration", minutes=guide.duration_minutes) if guide.duration_minutes else ""
    docx_base.add_table(
        doc,
        [g("field"), g("value")],
        [
            [g("interview_id"), interview_id],
            [g("date"), date.isoformat()],
            [g("guide_ref"), f"{guide.ref}{minutes}"],
            [g("mode"), g("mode_choices")],
            [g("interviewers"), ""],
            [g("interviewees"), ""],
        ],
        widths_cm=[5, 11],
    )
    if actor.sensitive:
        docx_base.add_banner(doc, g("sensitive"))

    docx_base.add_paragraph(doc, g("consent_title"), "Heading 1")
    doc.add_paragraph(g("consent_intro"))
    docx_base.add_bullets(doc, [g("consent_recording"), g("consent_quotes"), g("consent_review")])

    for number, section, questions in guide.sections_for(actor):
        docx_base.add_paragraph(doc, f"{number}. {section.title.get(lang)}", "Heading 1")
        for question in questions:
            heading = docx_base.add_paragraph(doc, "", "Heading 3")
            heading.paragraph_format.keep_with_next = True  # question, prompt and box on one page
            heading.add_run(docx_base.clean_text(question.text.get(lang)))
            if question.required:
                heading.add_run(f" ({g('required')})").italic = True
            if question.help is not None:
                prompt = doc.add_paragraph()
                prompt.paragraph_format.keep_with_next = True
                run = prompt.add_run("→ " + docx_base.clean_text(question.help.get(lang)))
                run.italic = True
                run.font.size = Pt(9.5)
            _answer_box(doc)

    docx_base.add_paragraph(doc, g("lists_title"), "Heading 1")
    doc.add_paragraph(g("lists_intro"))
    blank = [""] * 4
    docx_base.add_table(
        doc,
        [g("text"), g("themes"), g("sdgs"), g("priority")],
        [blank] * _EMPTY_ROWS,
        widths_cm=[8, 4, 2, 2],
        caption=g("expectations"),
    )
    docx_base.add_table(
        doc,
        [g("text"), g("themes"), g("sdgs")],
        [blank[:3]] * _EMPTY_ROWS,
        widths_cm=[10, 4, 2],
        caption=g("contributions"),
    )
    docx_base.add_table(doc, [g("text"), g("themes")], [blank[:2]] * 3, widths_cm=[12, 4], caption=g("constraints"))
    docx_base.add_table(
        doc, [g("text"), g("speaker"), g("themes")], [blank[:3]] * 3, widths_cm=[10, 2, 4], caption=g("quotes")
    )

    add_vocabulary(doc, ws, lang)

    docx_base.add_page_number_footer(doc, g("footer", actor=actor.label))
    docx_base.set_properties(
        doc,
        title=guide.title.get(lang),
        subject=actor.label,
        language=lang,
        when=dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC),
    )
    return docx_base.to_bytes(doc)


def add_vocabulary(doc: Document, ws: Workspace, lang: str) -> None:
    """The theme ids and labels and the 17 SDGs, for people who fill a guide or a form by hand."""

    def g(key: str) -> str:
        return t(f"guide_doc.{key}", lang)

    docx_base.add_paragraph(doc, g("themes_title"), "Heading 1")
    rows = [[th.id, th.label.get(lang)] for th in ws.themes]
    docx_base.add_table(doc, [g("theme_id"), g("theme_label")], rows, widths_cm=[5, 11])
    docx_base.add_paragraph(doc, g("sdgs_title"), "Heading 1")
    rows = [[str(n), t(f"sdg.{n}", lang)] for n in range(1, 18)]
    docx_base.add_table(doc, [g("sdg_number"), g("sdg_name")], rows, widths_cm=[2, 14])


def _answer_box(doc: Document, lines: int = 4) -> None:
    """A bordered empty paragraph, tall enough to write an answer by hand."""
    paragraph = doc.add_paragraph()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", "A6A6A6")):
            border.set(qn(f"w:{attr}"), value)
        borders.append(border)
    paragraph._p.get_or_add_pPr().append(borders)
    run = paragraph.add_run()
    for _ in range(lines - 1):
        run.add_break(WD_BREAK.LINE)
