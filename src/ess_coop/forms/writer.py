"""The Word interview form: the tailored guide as a document to fill in, read back by ``import``.

The form holds what a transcript holds (format.md): the interview's metadata, the consent
choices, one answer box per question that applies to this actor, and tables for expectations,
contributions, constraints and quotes, with the theme vocabulary and the 17 SDGs printed at the end.

Every place the import reads is tied to a hidden, stable identifier, never to its position or
its printed wording: the first cell of the row that opens a field, an answer box or a table
carries a bookmark (``ess_answer_mission``) *and* a hidden-text marker (``[ess:answer:mission]``);
the header cells of a table carry ``[ess:col:themes]``. Either one is enough. We checked what a
save by LibreOffice 7.4 keeps: content-control tags (``w:tag``) and table captions/descriptions
are dropped; bookmarks and hidden text survive, as they do in Word. People can type freely,
add rows to tables, correct the printed questions, even delete the paragraph between two tables
(Word then merges them: rows still belong to the anchor above them).

Choices (mode, status, consent…) are check boxes: Word content controls showing ☐, which Word
toggles to ☒ on a click. The import reads the *glyphs*, not the control, so a box ticked in
LibreOffice, replaced by an X, or a word typed instead ("visio", "anonymous") reads the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.table import Table

from ess_coop import docx_base
from ess_coop.document import DocumentWriter
from ess_coop.guide_docx import add_vocabulary, guide_text, interview_subtitle
from ess_coop.i18n import t
from ess_coop.models import MODES, QUOTE_CONSENTS, STATUSES, Actor, localized
from ess_coop.workspace import Workspace

FORM_SUFFIX: Final = ".docx"

# --- the identifiers the import relies on (keep them stable: filled forms carry them) ----------

MARKER_PATTERN: Final = re.compile(r"\[ess:([a-z]+)(?::([a-z0-9-]+))?\]")
META_FIELDS: Final = ("id", "actor", "date", "mode", "language", "interviewers", "status")
CONSENT_FIELDS: Final = ("recording", "quotes", "review")
TABLES: Final[dict[str, tuple[str, ...]]] = {
    "interviewees": ("ref", "name", "role", "consent"),  # consent: the person's own, when it differs
    "expectations": ("text", "themes", "sdgs", "priority"),
    "contributions": ("text", "themes", "sdgs"),
    "constraints": ("text", "themes"),
    "quotes": ("text", "speaker", "themes"),
}
# Choice fields: (stored value, catalogue key of its label), in the order printed.
CHOICES: Final[dict[str, tuple[tuple[Any, str], ...]]] = {
    "mode": tuple((m, f"form.choice.mode.{m}") for m in MODES),
    "language": (("fr", "form.choice.language.fr"), ("en", "form.choice.language.en")),
    "status": tuple((s, f"form.choice.status.{s}") for s in STATUSES),
    "recording": ((True, "form.choice.yes"), (False, "form.choice.no")),
    "quotes": tuple((q, f"form.choice.quotes.{q}") for q in QUOTE_CONSENTS),
    "review": ((True, "form.choice.yes"), (False, "form.choice.no")),
}
CHECKED: Final = "☒"
UNCHECKED: Final = "☐"
_BOOKMARK_MAX = 40  # Word's limit on bookmark names

_EMPTY_ROWS = 4
_GREY = "808080"


def marker(kind: str, key: str | None = None) -> str:
    """The hidden text that ties a row to a field: ``[ess:answer:mission]``."""
    return f"[ess:{kind}:{key}]" if key else f"[ess:{kind}]"


def bookmark_name(kind: str, key: str | None = None) -> str:
    """The bookmark that ties a row to a field: ``ess_answer_mission`` (letters, digits, ``_``;
    at most 40 characters, so long ids end with a short digest)."""
    name = f"ess_{kind}" + (f"_{key.replace('-', '_')}" if key else "")
    if len(name) > _BOOKMARK_MAX:
        digest = hashlib.sha1(name.encode("ascii")).hexdigest()[:8]
        name = f"{name[: _BOOKMARK_MAX - 9]}_{digest}"
    return name


# --- writing ------------------------------------------------------------------------------------


def write_form(ws: Workspace, actor_id: str, *, date: dt.date, interviewers: list[str], mode: str, lang: str) -> Path:
    """Write ``interviews/<actor>/<interview-id>.docx``, a new form, and return where it went.

    The interview id follows the transcript rule (``<date>-<actor>``, then ``-2``…) and is free
    both as a transcript (``.yaml``) and as a form (``.docx``); nothing is ever overwritten.
    """
    actor = ws.require_actor(actor_id)
    ws.require_guide()

    def render(interview_id: str) -> bytes:
        return build_form(
            ws, actor, interview_id=interview_id, date=date, interviewers=interviewers, mode=mode, lang=lang
        )

    return ws.allocate_interview(actor, date, render, suffix=FORM_SUFFIX)


@dataclass
class _Ids:
    """Bookmark and content-control ids must be unique in a document."""

    next: int = 1

    def take(self) -> int:
        self.next += 1
        return self.next


def build_form(
    ws: Workspace,
    actor: Actor,
    *,
    interview_id: str,
    date: dt.date,
    interviewers: list[str],
    mode: str,
    lang: str,
) -> bytes:
    """The form for ``actor`` as .docx bytes (identical bytes for identical input)."""
    guide = ws.require_guide()

    def f(key: str, **params: object) -> str:
        return t(f"form.{key}", lang, **params)

    def g(key: str, **params: object) -> str:  # wording shared with the printable guide
        return t(f"guide_doc.{key}", lang, **params)

    ids = _Ids()
    w = DocumentWriter(docx_base.open_document(None), lang)
    w.para(f("title"), "Title")
    w.para(interview_subtitle(actor, lang), "Subtitle")
    minutes = g("duration", minutes=guide.duration_minutes) if guide.duration_minutes else ""
    project = f"{localized(ws.project.project.title, lang)} — " if ws.project is not None else ""
    w.para(f"{project}{guide.title.get(lang)}{minutes}")
    if actor.sensitive:
        w.banner(g("sensitive"))

    w.heading(f("how_title"), 2)
    w.bullets([f(f"how_{n}") for n in range(1, 6)])
    w.para(t("edition.form_return", lang)).runs[0].italic = True

    # The interview: one row per field, the value typed in the right-hand cell.
    w.heading(f("meta_title"), 1)
    values = {
        "id": interview_id,
        "actor": f"{actor.name} ({actor.id})",
        "date": date.isoformat(),
        "interviewers": ", ".join(interviewers),
    }
    meta = w.grid(
        [f("field"), f("value")],
        [[f(f"meta.{key}"), values.get(key, "")] for key in META_FIELDS],
        [5.5, 10.5],
    )
    chosen = {"mode": mode, "language": lang, "status": "draft"}
    docx_base.lighten_header(meta)
    _keep_together(meta)
    for row, key in zip(meta.rows[1:], META_FIELDS, strict=True):
        _anchor(docx_base.xml_of(row.cells[0]), "meta", key, ids)
        if key in CHOICES:
            _checkboxes(docx_base.xml_of(row.cells[1]), key, chosen[key], lang, ids)
    _note(w, f("status_help"))

    interviewees = w.grid(
        [f("col.ref"), f("col.name"), f("col.role"), t("privacy.form.col_consent", lang)],
        [["P1", "", "", ""]] + [["", "", "", ""]] * 2,
        [2.4, 5, 4.6, 4],
        caption=f("interviewees"),
    )
    _anchor_table(interviewees, "interviewees", ids)

    # Consent, before the questions: it is collected first.
    w.heading(g("consent_title"), 1)
    w.intro(g("consent_intro"))  # with its table
    consent = w.grid([f("question"), f("value")], [[f(f"consent.{key}"), ""] for key in CONSENT_FIELDS], [5.5, 10.5])
    docx_base.lighten_header(consent)
    _keep_together(consent)
    for row, key in zip(consent.rows[1:], CONSENT_FIELDS, strict=True):
        _anchor(docx_base.xml_of(row.cells[0]), "consent", key, ids)
        _checkboxes(docx_base.xml_of(row.cells[1]), key, None, lang, ids)
    _note(w, f("consent_help"))

    for number, section, questions in guide.sections_for(actor):
        w.heading(f"{number}. {section.title.get(lang)}", 1)
        for question in questions:
            help_text = guide_text(question.help.get(lang), ws, lang) if question.help is not None else None
            mark = g("required") if question.required else None
            prompt = guide_text(question.text.get(lang), ws, lang)
            _answer_table(w, prompt, mark, help_text, marker_key=("answer", question.id), ids=ids)
            w.para()  # keeps the boxes apart (and gives room to breathe)

    w.heading(g("lists_title"), 1)
    w.para(f("lists_intro"))
    headers = {
        "text": g("text"),
        "themes": g("themes"),
        "sdgs": g("sdgs"),
        "priority": g("priority"),
        "speaker": f("col.speaker"),
    }
    widths = {
        "expectations": [7, 4.2, 2.6, 2.2],
        "contributions": [9.2, 4.2, 2.6],
        "constraints": [11.8, 4.2],
        "quotes": [9, 2.6, 4.4],
    }
    for name, width in widths.items():
        columns = TABLES[name]
        blank = [""] * len(columns)
        table = w.grid(
            [headers[c] for c in columns],
            [blank] * (_EMPTY_ROWS if name in ("expectations", "contributions") else 2),
            width,
            caption=g(name),
        )
        _anchor_table(table, name, ids)
        w.para()

    w.heading(f("notes_title"), 1)
    _answer_table(w, f("notes_prompt"), None, None, marker_key=("notes", None), ids=ids)

    add_vocabulary(w, ws)

    footer = f("footer", actor=actor.label, id=interview_id)
    return w.finish(title=f("title"), subject=actor.label, footer=footer, when=date)


# --- building blocks ------------------------------------------------------------------------------


def _anchor(tc: Any, kind: str, key: str | None, ids: _Ids) -> None:
    """Put the bookmark and the hidden marker of (``kind``, ``key``) at the start of cell ``tc``."""
    paragraph = tc.p_lst[0]
    number = str(ids.take())
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), bookmark_name(kind, key))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), number)
    _insert_at_start(paragraph, [start, end, _hidden_run(marker(kind, key))])


def _anchor_table(table: Table, name: str, ids: _Ids) -> None:
    """Mark a list table: the table itself (first header cell) and each of its columns.

    Rows to fill get a minimum height, to write by hand on a printed copy too.
    """
    for row in table.rows[1:]:
        _min_height(docx_base.xml_of(row), 1.2)  # room to write by hand
    docx_base.lighten_header(table)
    header = table.rows[0].cells
    _anchor(docx_base.xml_of(header[0]), "table", name, ids)
    for cell, column in zip(header, TABLES[name], strict=True):
        paragraph = docx_base.xml_of(cell).p_lst[0]
        paragraph.append(_hidden_run(marker("col", column)))


def _hidden_run(text: str) -> Any:
    """A run Word and LibreOffice do not show (and print only with "hidden text" turned on)."""
    return parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vanish/><w:color w:val="{_GREY}"/><w:sz w:val="12"/></w:rPr>'
        f"<w:t>{text}</w:t></w:r>"
    )


def _insert_at_start(paragraph: Any, elements: list[Any]) -> None:
    index = 1 if paragraph.pPr is not None else 0
    for offset, element in enumerate(elements):
        paragraph.insert(index + offset, element)


def _checkboxes(tc: Any, field: str, selected: object, lang: str, ids: _Ids) -> None:
    """Fill cell ``tc`` with one check box per choice of ``field``, ``selected`` ticked."""
    paragraph = tc.p_lst[0]
    for index, (value, label_key) in enumerate(CHOICES[field]):
        checked = value == selected and selected is not None
        glyph = CHECKED if checked else UNCHECKED
        paragraph.append(
            parse_xml(
                f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w:id w:val="{ids.take()}"/>'
                f'<w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
                '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
                '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" '
                f'w:hAnsi="MS Gothic"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>'
            )
        )
        gap = "   " if index < len(CHOICES[field]) - 1 else ""
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = f"\u00a0{docx_base.clean_text(t(label_key, lang))}{gap}"  # box and label stay together
        run.append(text)
        paragraph.append(run)


def _answer_table(
    w: DocumentWriter,
    prompt: str,
    mark: str | None,
    help_text: str | None,
    *,
    marker_key: tuple[str, str | None],
    ids: _Ids,
) -> None:
    """A two-row box: the question (shaded header), then room to answer; neither row splits, and
    the question keeps with its box, so a box is never cut across two pages."""
    table = w.grid([""], [[""]], [16], cant_split=True)
    header_tc = docx_base.xml_of(table.rows[0].cells[0])
    paragraph = table.rows[0].cells[0].paragraphs[0]
    paragraph.paragraph_format.keep_with_next = True
    docx_base.add_run(paragraph, prompt, bold=True)
    if mark:
        docx_base.add_run(paragraph, f" ({mark})", italic=True)
    if help_text:
        prompt_paragraph = table.rows[0].cells[0].add_paragraph()
        prompt_paragraph.paragraph_format.keep_with_next = True
        docx_base.add_run(prompt_paragraph, "→ " + help_text, italic=True, size_pt=9.5).bold = False
    kind, key = marker_key
    _anchor(header_tc, kind, key, ids)
    docx_base.lighten_header(table)  # dark text on a light tint: readable, and light on ink
    _min_height(docx_base.xml_of(table.rows[1]), 3.0)


def _min_height(tr: Any, cm: float) -> None:
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(Cm(cm).twips)))
    height.set(qn("w:hRule"), "atLeast")
    tr.get_or_add_trPr().append(height)  # rows here have no w:tblHeader, which would come after


def _keep_together(table: Table) -> None:
    """Keep a short table on one page, with the line under it."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _note(w: DocumentWriter, text: str) -> None:
    """A small grey line under a table, saying how to fill it."""
    paragraph = w.para(space_before_pt=3)
    docx_base.add_run(paragraph, text, italic=True, size_pt=9, color=_GREY)
