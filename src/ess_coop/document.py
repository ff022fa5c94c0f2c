"""The one way ess-coop writes a Word document: a ``DocumentWriter`` over the ``docx_base`` blocks.

Every document (the référentiel, a partner's profile sheet, the printable guide, the Word form)
writes its paragraphs, headings, notes, tables, charts, statements and quotes through it, and
ends with one ``finish``: the footer with page numbers, an optional running header, the
properties (nothing personal) and reproducible bytes. What a document says is its own module's
business; how a paragraph, a table or a quote looks is decided here once.
"""

from __future__ import annotations

import datetime as dt
import struct
from typing import Any

from docx.document import Document
from docx.shared import RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ess_coop import docx_base
from ess_coop.i18n import t

TEXT_WIDTH_CM = 16.5  # A4 with the default template's 2.2 cm margins
MAX_CHART_HEIGHT_CM = 22.5  # a chart and its caption fit on one page
GREY = RGBColor(0x59, 0x59, 0x59)  # notes and a statement's details


class DocumentWriter:
    """Writes blocks at the end of ``doc``, in the edition's language ``lang``.

    Headings of level 1–3 become contents entries once ``contents_here`` has placed the
    contents; ``finish`` fills it.
    """

    def __init__(self, doc: Document, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.figures = 0  # charts numbered in their captions
        self.toc: list[tuple[int, str, str]] = []  # (level, text, bookmark)
        self.toc_anchor: Paragraph | None = None

    # --- paragraphs -------------------------------------------------------------------------

    def para(self, text: str = "", style: str | None = None, **properties: Any) -> Paragraph:
        """A paragraph; ``properties`` as ``docx_base.add_paragraph`` takes them."""
        return docx_base.add_paragraph(self.doc, text, style, **properties)

    def heading(self, text: str, level: int, *, new_page: bool = False, keep_with_next: bool = False) -> Paragraph:
        """A "Heading ``level``" paragraph, listed in the contents (levels 1–3) when there is one."""
        paragraph = self.para(text, f"Heading {level}", page_break_before=new_page, keep_with_next=keep_with_next)
        if level <= 3 and self.toc_anchor is not None:  # a contents entry, linked to its heading
            number = len(self.toc) + 1
            bookmark = f"_Toc_ess_{number}"
            docx_base.add_bookmark(paragraph, bookmark, 10_000 + number)
            self.toc.append((level, text, bookmark))
        return paragraph

    def subheading(self, text: str, level: int) -> None:
        """A heading when the template has one at ``level``, else a bold line kept with the next."""
        if level <= 3 or docx_base.has_style(self.doc, f"Heading {level}"):  # Heading 1–3 are guaranteed
            self.heading(text, level)
        else:
            self.label(text)

    def label(self, text: str) -> None:
        """A bold line kept with the next: a title that stays out of the navigation pane."""
        docx_base.add_run(self.para(keep_with_next=True, space_before_pt=10), text, bold=True)

    def note(self, text: str) -> Paragraph:
        """A discreet italic line (empty states, explanations)."""
        paragraph = self.para()
        docx_base.add_run(paragraph, text, italic=True, color=str(GREY))
        return paragraph

    def intro(self, text: str) -> Paragraph:
        """A paragraph that introduces what follows (a table): never left alone at a page's foot."""
        return self.para(text, keep_with_next=True)

    def bullets(self, items: list[str]) -> None:
        """One "List Bullet" paragraph per item."""
        docx_base.add_bullets(self.doc, items)

    def banner(self, text: str) -> Paragraph:
        """A bordered, shaded, bold line: a warning nobody misses."""
        return docx_base.add_banner(self.doc, text)

    def statement(self, text: str, details: list[str], ref: str) -> None:
        """A bullet: ``text``, its ``details`` (themes, priority) small and grey, then ``[ref]``."""
        paragraph = self.para("", "List Bullet")
        docx_base.add_run(paragraph, text)
        if details:
            docx_base.add_run(paragraph, " — " + " · ".join(details), size_pt=9, color=str(GREY))
        docx_base.add_run(paragraph, f" [{ref}]")

    def quote(self, text: str, attribution: str, ref: str | None) -> None:
        """The quote in the template's "Quote" style, then its attribution (and reference)."""
        self.para(t("doc.quoted", self.lang, text=text), "Quote", keep_with_next=True)
        by = self.para(space_after_pt=10, align="right")
        docx_base.add_run(by, f"— {attribution}" + (f" [{ref}]" if ref else ""), size_pt=9.5)

    # --- tables and charts ------------------------------------------------------------------

    def table(
        self, header: list[str], rows: list[list[str]], widths: list[float], *, font_pt: float | None = None
    ) -> None:
        """A table whose rows never split across pages; ``font_pt`` for dense, many-column ones."""
        docx_base.add_table(self.doc, header, rows, widths_cm=widths, cant_split=True, font_pt=font_pt)
        self.para()  # breathing space: Word glues consecutive tables together

    def grid(self, header: list[str], rows: list[list[str]], widths: list[float], **options: Any) -> Table:
        """A table to work on further (shading, anchors, row heights); ``options`` as
        ``docx_base.add_table`` takes them. Nothing is added after it."""
        return docx_base.add_table(self.doc, header, rows, widths_cm=widths, **options)

    def chart(self, png: bytes, title: str, alt: str | None = None) -> None:
        """``png`` as wide as the text, but never taller than a page, numbered in its caption;
        ``alt`` its alternative text (the caption when ``None``)."""
        self.figures += 1
        width_px, height_px = struct.unpack(">II", png[16:24])  # the PNG IHDR chunk
        width = min(TEXT_WIDTH_CM, MAX_CHART_HEIGHT_CM * width_px / height_px)
        caption = t("doc.figure", self.lang, number=self.figures, title=title)
        docx_base.add_picture(self.doc, png, width, caption, alt=alt)

    # --- contents and the end ----------------------------------------------------------------

    def contents_here(self) -> None:
        """Keep the place of the contents: every later heading of level 1–3 is listed there."""
        self.toc_anchor = self.para()

    def finish(self, *, title: str, subject: str, footer: str, when: dt.date, header: str | None = None) -> bytes:
        """The document as .docx bytes (identical bytes for identical documents).

        Fills the contents, puts ``footer`` (with ``{page}`` and ``{pages}``) at the foot of
        every page and ``header``, when given, at the top of every page; the properties say
        ``title``, ``subject``, the language and ``when``, and nothing personal.
        """
        if self.toc_anchor is not None:
            docx_base.fill_toc(self.doc, self.toc_anchor, self.toc)
        docx_base.add_page_number_footer(self.doc, footer)
        if header is not None:
            docx_base.set_running_header(self.doc, header)
        docx_base.set_properties(
            self.doc,
            title=title,
            subject=subject,
            language=self.lang,
            when=dt.datetime.combine(when, dt.time(), tzinfo=dt.UTC),
        )
        return docx_base.to_bytes(self.doc)
