"""Building blocks for the data-driven Word documents ess-coop writes.

python-docx has no API for fields (TOC, page numbers), repeating table headers, paragraph
shading or reproducible output; this module fills those gaps and nothing more. It never writes
to disk: ``to_bytes`` returns the file content and the caller writes it atomically.

Every text that reaches the XML goes through ``clean_text`` (python-docx raises on control
characters). Styles are looked up by their English UI names ("Heading 1"), which
``open_document`` guarantees to exist, whatever template the organisation supplies.
"""

from __future__ import annotations

import io
import re
import weakref
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from docx.api import Document as _load_docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.oxml.table import CT_Row, CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.parts.numbering import NumberingPart
from docx.section import Section
from docx.shape import InlineShape
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles import BabelFish
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from ess_coop import safefile, safezip
from ess_coop.errors import UserError
from ess_coop.ooxml import XML_ILLEGAL, ZIP_EPOCH

if TYPE_CHECKING:  # python-docx's row and cell classes, named as private but with no public alias
    from docx.table import _Cell, _Row

TABLE_STYLE = "Medium Shading 1 Accent 1"  # header row shaded, banded rows: clean in LibreOffice too
REQUIRED_STYLES: tuple[str, ...] = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "Caption",
    "Quote",
    "Intense Quote",
    TABLE_STYLE,
    "toc 1",
    "toc 2",
    "toc 3",
)
TOC_STYLES = ("toc 1", "toc 2", "toc 3")  # Word's built-in names for the contents entries, levels 1–3
# The proofing language of an edition (Word's spell checker, hyphenation, screen readers).
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}
AUTHOR = "ess-coop"

# Exactly what lxml refuses in text: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_TEMPLATE_MAIN = b"wordprocessingml.template.main+xml"
_DOCUMENT_MAIN = b"wordprocessingml.document.main+xml"
# Parts a template carries that are dead weight or personal data once its body is gone:
# images, links and comments (with author names) of the removed content.
_BODY_RELS = {
    "image",
    "hyperlink",
    "comments",
    "commentsExtended",
    "commentsIds",
    "commentsExtensible",
    "people",
    "chart",
    "oleObject",
    "package",
}
# Package-level parts that may hold personal data (company, editing time, file paths, a picture
# of the template's first page); set_properties drops them.
_PERSONAL_PACKAGE_RELS = {"extended-properties", "custom-properties", "thumbnail"}
# Children of w:settings that must follow w:updateFields (ECMA-376 CT_Settings order).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
_W_PPR, _W_PSTYLE, _W_KEEP_NEXT, _W_PAGE_BREAK_BEFORE = (
    qn("w:pPr"),
    qn("w:pStyle"),
    qn("w:keepNext"),
    qn("w:pageBreakBefore"),
)
_W_SPACING, _W_BEFORE, _W_AFTER, _W_JC = qn("w:spacing"), qn("w:before"), qn("w:after"), qn("w:jc")
_W_R, _W_RPR, _W_B, _W_I, _W_COLOR, _W_SZ = qn("w:r"), qn("w:rPr"), qn("w:b"), qn("w:i"), qn("w:color"), qn("w:sz")
_W_T, _W_TAB, _W_BR, _W_VAL, _XML_SPACE = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:val"), qn("xml:space")
_W_P, _W_TC = qn("w:p"), qn("w:tc")
_BANNER_FILL = "FFF1D0"
_BANNER_BORDER = "C77700"
_BANNER_TEXT = RGBColor(0x6B, 0x3D, 0x00)
_LIGHT_FILL = "DCEBE9"  # a light tint of the teal, for header rows of documents printed to fill in
_DARK_TEXT = "12302E"


# --- the one seam to python-docx's internals ---------------------------------------------
# python-docx gives no public way to the XML element behind most of its objects (a paragraph, a
# table, a cell, a picture…: python-docx issue #1445), nor to Word's internal name of a built-in
# style. These two functions are the only places in ess-coop that read them; every other module
# asks ``xml_of``. They are why pyproject.toml pins python-docx below 2.


@overload
def xml_of(proxy: Paragraph) -> CT_P: ...
@overload
def xml_of(proxy: Run) -> CT_R: ...
@overload
def xml_of(proxy: Table) -> CT_Tbl: ...
@overload
def xml_of(proxy: _Row) -> CT_Row: ...
@overload
def xml_of(proxy: _Cell) -> CT_Tc: ...
@overload
def xml_of(proxy: InlineShape) -> CT_Inline: ...
@overload
def xml_of(proxy: CoreProperties) -> CT_CoreProperties: ...
def xml_of(
    proxy: Paragraph | Run | Table | _Row | _Cell | InlineShape | CoreProperties,
) -> CT_P | CT_R | CT_Tbl | CT_Row | CT_Tc | CT_Inline | CT_CoreProperties:
    """The XML element (w:p, w:r, w:tbl, w:tr, w:tc, wp:inline, cp:coreProperties) behind a
    python-docx object: the same element, changed in place."""
    if isinstance(proxy, Run):
        return proxy.element  # the one object python-docx gives its element publicly
    if isinstance(proxy, InlineShape):
        return proxy._inline
    return proxy._element


def _internal_style_name(ui_name: str) -> str:
    """The name styles.xml gives a built-in style ("heading 1" for "Heading 1"), as python-docx
    itself translates it when a style is looked up by name."""
    return BabelFish.ui2internal(ui_name)


# --- text ---------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """``text`` without the characters XML refuses; line ends normalised to ``\\n``; the dots
    of inclusive writing printable (``printable``).

    (python-docx turns each of ``\\r`` and ``\\n`` into a line break, so ``\\r\\n`` would
    give two.)
    """
    return printable(XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


# Dots people type in inclusive French ("acteur⸱ice⸱s") that Arial, Liberation Sans and most
# fonts lack: a missing glyph is drawn from a fallback font, and LibreOffice then breaks the line
# beside it ("acteur  ice" / "s"). Each becomes the middle dot U+00B7, which every font has and
# next to which LibreOffice does not break a word (checked with LibreOffice 7.4.7.2: a word at every
# position of a line).
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("\u2e31\u2027\u22c5\u2219\u30fb\uff65", "\u00b7"))


# French typography: the space before ":" ";" "?" "!" "»" and after "«" never breaks a line
# (LibreOffice printed a lone "?" or "»)" at the start of a line). It becomes a no-break space,
# which every font has; English puts no space there, so English text is left as it is.
_PUNCTUATION_SPACE = re.compile(r" (?=[:;?!»])|(?<=«) ")


def printable(text: str) -> str:
    """``text`` with the dots of inclusive writing as U+00B7 (no missing glyph, no broken word)
    and the space of French punctuation unbreakable (U+00A0)."""
    return _PUNCTUATION_SPACE.sub("\u00a0", text.translate(_MIDDLE_DOTS))


# --- opening a template -----------------------------------------------------------------


def default_template() -> Path:
    """The reference document shipped with ess-coop (``ess_coop/data/referentiel.docx``)."""
    return Path(str(files("ess_coop").joinpath("data", "referentiel.docx")))


def open_document(template: Path | None = None) -> Document:
    """An empty document with the styles, page setup, headers and footers of ``template``.

    ``template`` defaults to ``default_template()``; a .dotx is accepted too. Its body is
    removed (the final section settings are kept) and every style of ``REQUIRED_STYLES`` is
    made available: a style whose name differs only by case is renamed, a missing one is
    copied from the default template.

    Raises ``UserError("template-unreadable", path=..., detail=...)`` when the file cannot be
    read as a Word document.
    """
    path = template if template is not None else default_template()
    if not path.is_file():  # say "no such file", not Python's FileNotFoundError text
        raise UserError("path-missing", path=path)
    try:  # within limits (a zip bomb is refused before it is read), a regular file, no DTD
        data = safezip.read(path)
    except (safezip.ZipRefused, safefile.FileRefused) as refused:
        if refused.code in ("zip-unreadable", "file-unreadable"):
            raise UserError("template-unreadable", path=path, detail=refused.params["reason"]) from None
        raise refused.as_user_error(path) from None
    try:
        document = _load_docx(io.BytesIO(_as_document_package(data)))
        _clear_body(document)
        _drop_attached_template(document)
        _ensure_styles(document)
    # python-docx, zipfile and lxml raise many unrelated types for a foreign file (BadZipFile,
    # KeyError, ValueError, XMLSyntaxError, OSError...): for the user, all mean "unreadable".
    except Exception as exc:
        raise UserError("template-unreadable", path=path, detail=f"{type(exc).__name__}: {exc}") from exc
    return document


def _as_document_package(data: bytes) -> bytes:
    """The package bytes, with a Word template's (.dotx) main part relabelled as a document."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _TEMPLATE_MAIN not in archive.read("[Content_Types].xml"):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as relabelled:
            for info in archive.infolist():
                blob = archive.read(info)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(_TEMPLATE_MAIN, _DOCUMENT_MAIN)
                relabelled.writestr(info, blob)
    return out.getvalue()


def _clear_body(document: Document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    part = document.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in _BODY_RELS:
            del part.rels[r_id]


def _drop_attached_template(document: Document) -> None:
    """Remove the link to the template Word records, a path that often holds a user name."""
    try:
        part: Any = document.part.part_related_by(RT.SETTINGS)
    except KeyError:
        return
    for attached in part.element.findall(qn("w:attachedTemplate")):
        r_id = attached.get(qn("r:id"))
        part.element.remove(attached)
        if r_id in part.rels:
            del part.rels[r_id]


def _ensure_styles(document: Document) -> None:
    target = document.styles.element
    source: Document | None = None
    for ui_name in REQUIRED_STYLES:
        name = _internal_style_name(ui_name)  # the name python-docx looks for in styles.xml
        if target.get_by_name(name) is not None:
            continue
        same_but_case = _style_by_name(target, name)
        if same_but_case is not None:
            same_but_case.name_val = name
            continue
        if source is None:
            source = _load_docx(str(default_template()))
        _copy_style(source, document, source.styles.element.get_by_name(name))


def _style_by_name(styles: Any, name: str) -> Any:
    """The w:style named ``name``, compared without case (exact match first)."""
    exact = styles.get_by_name(name)
    if exact is not None:
        return exact
    folded = name.casefold()
    return next((s for s in styles.style_lst if (s.name_val or "").casefold() == folded), None)


def _copy_style(source: Document, target: Document, style: Any) -> str:
    """Copy ``style`` (a w:style of ``source``) into ``target``; return its id there.

    The styles it refers to (basedOn, next, link) are looked up by name in ``target`` and
    copied too when missing; a numbering it uses (List Bullet) is copied along.
    """
    dst = target.styles.element
    clone = deepcopy(style)
    style_id = base_id = clone.styleId
    counter = 1
    while dst.get_by_id(style_id) is not None:
        style_id, counter = f"{base_id}{counter}", counter + 1
    clone.styleId = style_id
    if clone.get(qn("w:default")) and dst.default_for(clone.type) is not None:
        del clone.attrib[qn("w:default")]
    dst.append(clone)  # before following references, so that link cycles end here

    for tag in ("w:basedOn", "w:next", "w:link"):
        ref = clone.find(qn(tag))
        if ref is None:
            continue
        referred = source.styles.element.get_by_id(ref.get(qn("w:val")))
        if referred is None:
            clone.remove(ref)
            continue
        existing = _style_by_name(dst, referred.name_val or "")
        ref.set(qn("w:val"), existing.styleId if existing is not None else _copy_style(source, target, referred))

    num_id = clone.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is not None:
        num_id.set(qn("w:val"), _copy_numbering(source, target, num_id.get(qn("w:val"))))
    return str(style_id)


def _copy_numbering(source: Document, target: Document, num_id: str) -> str:
    """Copy numbering definition ``num_id`` of ``source`` into ``target``; return its new id."""
    src = source.part.numbering_part.element
    num = next(n for n in src.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in src.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)

    try:
        numbering: Any = target.part.part_related_by(RT.NUMBERING)
        dst = numbering.element
    except KeyError:  # python-docx cannot create a numbering part itself
        part = NumberingPart(
            PackURI("/word/numbering.xml"),
            CT.WML_NUMBERING,
            parse_xml(f"<w:numbering {nsdecls('w')}/>"),
            target.part.package,
        )
        target.part.relate_to(part, RT.NUMBERING)
        dst = part.element

    def next_id(tag: str, attr: str) -> str:
        return str(max((int(e.get(qn(attr))) for e in dst.findall(qn(tag))), default=0) + 1)

    new_abstract, new_num = deepcopy(abstract), deepcopy(num)
    new_abstract.set(qn("w:abstractNumId"), next_id("w:abstractNum", "w:abstractNumId"))
    for back_link in new_abstract.iter(qn("w:pStyle")):  # style ids may differ in target
        back_link.getparent().remove(back_link)
    new_num.set(qn("w:numId"), next_id("w:num", "w:numId"))
    new_num.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract.get(qn("w:abstractNumId")))
    # Schema order: w:abstractNum*, then w:num*, then w:numIdMacAtCleanup.
    dst.insert_element_before(new_abstract, "w:num", "w:numIdMacAtCleanup")
    dst.insert_element_before(new_num, "w:numIdMacAtCleanup")
    return str(new_num.get(qn("w:numId")))


# --- fields, headers, footers -------------------------------------------------------------


def add_field(paragraph: Paragraph, instr: str, placeholder: str) -> None:
    """Append a complex field (``instr``, e.g. ``PAGE``) showing ``placeholder`` until updated."""

    def fld_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        xml_of(paragraph.add_run()).append(char)

    fld_char("begin")
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = f" {clean_text(instr)} "
    xml_of(paragraph.add_run()).append(instr_text)
    fld_char("separate")
    paragraph.add_run(clean_text(placeholder))
    fld_char("end")


def add_toc(document: Document, placeholder: str) -> Paragraph:
    """Add a table of contents (headings 1–3) and ask Word to refresh fields on opening.

    Word fills it after the person accepts the update prompt; LibreOffice shows
    ``placeholder`` until Tools → Update. ``fill_toc`` writes a contents already filled.
    """
    paragraph = document.add_paragraph()
    add_field(paragraph, r'TOC \o "1-3" \h \z \u', placeholder)
    _ask_update_fields(document)
    return paragraph


def _ask_update_fields(document: Document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Put bookmark ``name`` (id ``number``, unique in the document) around ``paragraph``'s text."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    p = xml_of(paragraph)
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def fill_toc(document: Document, anchor: Paragraph, entries: list[tuple[int, str, str]]) -> None:
    """Replace ``anchor`` by a TOC field whose result is already written: one "toc N" paragraph
    per (level, text, bookmark) entry, each a link to its heading's bookmark, with a page
    reference field Word fills (it updates the fields on opening; ``pdf.convert`` makes
    LibreOffice do it). So LibreOffice, phone viewers and PDFs show the contents without an
    update. Entries above level 3 are left out, as ``\\o "1-3"`` does.
    """
    tab_pos = str(int(_text_width_of(document).twips))
    paragraphs = []
    shown = [entry for entry in entries if entry[0] <= len(TOC_STYLES)] or [(1, "", "")]
    for index, (level, text, bookmark) in enumerate(shown):
        p = OxmlElement("w:p")
        p_pr = etree.SubElement(p, _W_PPR)
        etree.SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id(document, TOC_STYLES[level - 1]))
        tabs = etree.SubElement(p_pr, qn("w:tabs"))
        tab = etree.SubElement(tabs, qn("w:tab"))
        tab.set(_W_VAL, "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), tab_pos)
        if index == 0:
            _field_runs(p, r'TOC \o "1-3" \h \z \u', begin=True)
        if bookmark:
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            _add_t(etree.SubElement(link, _W_R), clean_text(text))
            etree.SubElement(etree.SubElement(link, _W_R), _W_TAB)
            _field_runs(link, f"PAGEREF {bookmark} \\h", begin=True)
            _field_char(link, "end")
        paragraphs.append(p)
    closing = OxmlElement("w:p")
    _field_char(closing, "end")
    paragraphs.append(closing)
    replaced = xml_of(anchor)
    for p in paragraphs:
        replaced.addprevious(p)
    replaced.getparent().remove(replaced)
    _ask_update_fields(document)


def _field_char(parent: Any, kind: str) -> None:
    etree.SubElement(etree.SubElement(parent, _W_R), qn("w:fldChar")).set(qn("w:fldCharType"), kind)


def _field_runs(parent: Any, instr: str, *, begin: bool) -> None:
    """The begin, instruction and separate runs of a field (its result and end follow)."""
    if begin:
        _field_char(parent, "begin")
    instr_text = etree.SubElement(etree.SubElement(parent, _W_R), qn("w:instrText"))
    instr_text.set(_XML_SPACE, "preserve")
    instr_text.text = f" {instr} "
    _field_char(parent, "separate")


def add_page_number_footer(document: Document, template: str) -> None:
    """Centred footer on every page: ``template`` with ``{page}`` and ``{pages}`` as fields."""
    for paragraph in _fresh_paragraphs(document, "footer"):
        for piece in re.split(r"(\{page\}|\{pages\})", template):
            if piece == "{page}":
                add_field(paragraph, "PAGE", "1")
            elif piece == "{pages}":
                add_field(paragraph, "NUMPAGES", "1")
            elif piece:
                paragraph.add_run(clean_text(piece))


def set_running_header(document: Document, text: str) -> None:
    """Replace the header of every page with ``text``, centred and bold (a warning line)."""
    for paragraph in _fresh_paragraphs(document, "header"):
        run = paragraph.add_run(clean_text(text))
        run.bold = True
        run.font.color.rgb = _BANNER_TEXT


def _fresh_paragraphs(document: Document, kind: str) -> Iterator[Paragraph]:
    """Each header (or footer) in effect for a section emptied, and a centred paragraph in it."""
    for section in document.sections:
        for header_or_footer in _headers_or_footers(document, section, kind):
            paragraph = _fresh_paragraph(document, header_or_footer, kind.capitalize())
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            yield paragraph


def _headers_or_footers(document: Document, section: Section, kind: str) -> list[Any]:
    """The header (or footer) definitions in effect for ``section``."""
    found = [getattr(section, kind)]
    if section.different_first_page_header_footer:
        found.append(getattr(section, f"first_page_{kind}"))
    if document.settings.odd_and_even_pages_header_footer:
        found.append(getattr(section, f"even_page_{kind}"))
    return found


def _fresh_paragraph(document: Document, header_or_footer: Any, style: str) -> Paragraph:
    header_or_footer.is_linked_to_previous = False
    container = header_or_footer.part.element  # its own part, now that it is unlinked
    for child in list(container):
        container.remove(child)
    paragraph: Paragraph = header_or_footer.add_paragraph()
    # Optional style, not in REQUIRED_STYLES: use it under whatever case the template spells it.
    found = _style_by_name(document.styles.element, _internal_style_name(style))
    if found is not None and found.type == WD_STYLE_TYPE.PARAGRAPH:
        xml_of(paragraph).style = found.styleId
    return paragraph


# --- body blocks ----------------------------------------------------------------------------


def add_banner(document: Document, text: str) -> Paragraph:
    """A bordered, shaded, bold centred paragraph (e.g. "example data" on the cover)."""
    paragraph = document.add_paragraph()
    p_pr = xml_of(paragraph).get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", _BANNER_BORDER)):
            border.set(qn(f"w:{attr}"), value)
        borders.append(border)
    shading = OxmlElement("w:shd")
    for attr, value in (("val", "clear"), ("color", "auto"), ("fill", _BANNER_FILL)):
        shading.set(qn(f"w:{attr}"), value)
    p_pr.append(borders)  # pBdr then shd: their schema order; python-docx places the rest
    p_pr.append(shading)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(12)
    run = paragraph.add_run(clean_text(text))
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = _BANNER_TEXT
    return paragraph


_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def style_id(document: Document, name: str) -> str:
    """The id of the style called ``name`` (looked up once per document: python-docx scans
    every style on each assignment by name, which dominated the time of large documents)."""
    ids = _STYLE_IDS.setdefault(document.part, {})
    if name not in ids:
        ids[name] = document.styles[name].style_id
    return ids[name]


def add_paragraph(
    document: Document,
    text: str = "",
    style: str | None = None,
    *,
    keep_with_next: bool = False,
    page_break_before: bool = False,
    space_before_pt: float | None = None,
    space_after_pt: float | None = None,
    align: str | None = None,
) -> Paragraph:
    """A new paragraph at the end of the body, its text cleaned, in the style called ``style``.

    ``keep_with_next``, ``page_break_before``, the spacing (points) and ``align`` ("left",
    "center", "right", "both") are its paragraph properties. Built as XML directly, in the
    schema's order: python-docx's ``add_paragraph`` searches the whole body for the section
    properties each time (quadratic), and its property setters search the children of each
    paragraph for where to insert.
    """
    p = OxmlElement("w:p")
    spacing = space_before_pt is not None or space_after_pt is not None
    if style is not None or keep_with_next or page_break_before or spacing or align is not None:
        p_pr = etree.SubElement(p, _W_PPR)
        if style is not None:
            etree.SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id(document, style))
        if keep_with_next:
            etree.SubElement(p_pr, _W_KEEP_NEXT)
        if page_break_before:
            etree.SubElement(p_pr, _W_PAGE_BREAK_BEFORE)
        if spacing:
            element = etree.SubElement(p_pr, _W_SPACING)
            for attr, points in ((_W_BEFORE, space_before_pt), (_W_AFTER, space_after_pt)):
                if points is not None:
                    element.set(attr, str(round(points * 20)))  # twentieths of a point
        if align is not None:
            etree.SubElement(p_pr, _W_JC).set(_W_VAL, align)
    _append_block(document, p)
    new = Paragraph(p, document)  # its parent serves for its part: the document's
    if text:
        add_run(new, text)
    return new


def has_style(document: Document, name: str) -> bool:
    """Whether the document defines a style called ``name`` (looked up once per document)."""
    ids = _STYLE_IDS.setdefault(document.part, {})
    key = "\0has " + name
    if key not in ids:
        ids[key] = "1" if name in document.styles else ""
    return bool(ids[key])


def _append_block(document: Document, element: Any) -> None:
    """Add a paragraph or table at the end of the body, before its final section properties."""
    body = document.element.body
    try:
        last = body[-1]  # lxml reaches the last child directly; len(body) would count them all
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)


def _text_width_of(document: Document) -> Length:
    """The width of the text block, computed once per document (python-docx searches the whole
    body for the section properties on every table it adds)."""
    ids = _STYLE_IDS.setdefault(document.part, {})
    if "\0width" not in ids:
        ids["\0width"] = str(int(_text_width(document.sections[-1])))
    return Length(int(ids["\0width"]))


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    size_pt: float | None = None,
    color: str | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    """A run with ``text`` (cleaned), optionally sized (points), coloured ("595959"), bold, italic.

    Tabs and line breaks become Word's tab and break elements. Built as XML directly:
    python-docx's run and font setters cost about a millisecond per run, which large
    documents (thousands of statements) feel.
    """
    text = clean_text(text)
    r = etree.SubElement(xml_of(paragraph), _W_R)
    if bold or italic or size_pt is not None or color is not None:
        r_pr = etree.SubElement(r, _W_RPR)  # children in the schema's order
        if bold:
            etree.SubElement(r_pr, _W_B)
        if italic:
            etree.SubElement(r_pr, _W_I)
        if color is not None:
            etree.SubElement(r_pr, _W_COLOR).set(_W_VAL, color)
        if size_pt is not None:
            etree.SubElement(r_pr, _W_SZ).set(_W_VAL, str(round(size_pt * 2)))
    if "\t" in text or "\n" in text:
        for line_number, line in enumerate(text.split("\n")):
            if line_number:
                etree.SubElement(r, _W_BR)
            for part_number, part in enumerate(line.split("\t")):
                if part_number:
                    etree.SubElement(r, _W_TAB)
                if part:
                    _add_t(r, part)
    else:
        _add_t(r, text)
    return Run(r, paragraph)


def _add_t(r: Any, text: str) -> None:
    t = etree.SubElement(r, _W_T)
    t.text = text
    if text != text.strip():
        t.set(_XML_SPACE, "preserve")


def add_table(
    document: Document,
    header: list[str],
    rows: list[list[str]],
    *,
    widths_cm: list[float] | None = None,
    caption: str | None = None,
    cant_split: bool = False,
    font_pt: float | None = None,
) -> Table:
    """A TABLE_STYLE table whose header row repeats on each page; ``caption`` goes above.

    ``cant_split`` keeps each row on one page; ``font_pt`` sets the size of every cell's text.
    Rows after the first are copies of the first row's XML with new text: python-docx's
    ``add_row`` and ``cell.text`` walk the whole table each time, which is quadratic.
    """
    if caption:
        add_paragraph(document, caption, "Caption", keep_with_next=True)
    tbl = CT_Tbl.new_tbl(1, len(header), _text_width_of(document))
    _append_block(document, tbl)
    table = Table(tbl, document)  # its parent serves for its part: the document's
    tbl.tblStyle_val = style_id(document, TABLE_STYLE)
    look = xml_of(table).tblPr.find(qn("w:tblLook"))
    if look is not None:  # header row and row banding on, first-column emphasis off
        for attr, value in (
            ("firstColumn", "0"),
            ("firstRow", "1"),
            ("noHBand", "0"),
            ("noVBand", "1"),
            ("val", "0420"),
        ):
            look.set(qn(f"w:{attr}"), value)
    if widths_cm:
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)  # the grid, read by LibreOffice
    # The first row, before any text, is the model of every row: widths and "keep on one page"
    # are set once and copied with it.
    model = xml_of(table.rows[0])
    if cant_split:
        model.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if widths_cm:
        for tc, width in zip(model.tc_lst, widths_cm, strict=True):
            tc.width = Cm(width)  # the cells, read by Word
    empty_row = deepcopy(model)
    model.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # after cantSplit, as the schema wants
    _fill_row(model, header, font_pt)
    for values in rows:
        if len(values) != len(header):
            raise ValueError(f"a row has {len(values)} cells, the header {len(header)}")
        tr = deepcopy(empty_row)
        xml_of(table).append(tr)
        _fill_row(tr, values, font_pt)
    return table


def _fill_row(tr: Any, values: list[str], font_pt: float | None) -> None:
    for tc, text in zip(tr.iterchildren(_W_TC), values, strict=True):
        add_run(Paragraph(tc.find(_W_P), None), text, size_pt=font_pt)  # type: ignore[arg-type]  # parent unused


def keep_together(table: Table) -> None:
    """Keep a short table on one page: every row but the last keeps with the next."""
    rows = list(xml_of(table).iterchildren(qn("w:tr")))
    for tr in rows[:-1]:
        for p in tr.iter(_W_P):
            p_pr = _first_child(p, _W_PPR)
            if p_pr.find(_W_KEEP_NEXT) is None:
                style = p_pr.find(_W_PSTYLE)  # w:keepNext follows w:pStyle in CT_PPr
                if style is not None:
                    style.addnext(etree.Element(_W_KEEP_NEXT))
                else:
                    p_pr.insert(0, etree.Element(_W_KEEP_NEXT))


def lighten_header(table: Table) -> None:
    """Ready ``table`` to be printed and written on: dark text on a light shading in its header
    row (the table style's header is white on deep teal: ink-heavy, and poor contrast once
    printed), and white rows below, without the style's banding."""
    look = xml_of(table).tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:noHBand"), "1")
        look.set(qn("w:val"), "0620")
    for tc in xml_of(table.rows[0]).iterchildren(_W_TC):
        tc_pr = tc.get_or_add_tcPr()
        shading = OxmlElement("w:shd")
        for attr, value in (("val", "clear"), ("color", "auto"), ("fill", _LIGHT_FILL)):
            shading.set(qn(f"w:{attr}"), value)
        tc_pr.append(shading)
        for r in tc.iter(_W_R):
            r_pr = _first_child(r, _W_RPR)
            colour = r_pr.find(_W_COLOR)
            if colour is None:
                colour = etree.Element(_W_COLOR)
                _place_before(r_pr, colour, _W_SZ)  # after b, i and the like, before w:sz (CT_RPr)
            colour.set(_W_VAL, _DARK_TEXT)


def min_row_height(row: _Row, cm: float) -> None:
    """Give ``row`` at least ``cm`` of height (room to write by hand on a printed copy)."""
    tr = xml_of(row)
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(Cm(cm).twips)))
    height.set(qn("w:hRule"), "atLeast")
    _place_before(tr.get_or_add_trPr(), height, qn("w:tblHeader"))  # CT_TrPr: cantSplit, trHeight, tblHeader


def _first_child(parent: Any, tag: str) -> Any:
    """``parent``'s ``tag`` child, made its first child when it has none (a w:pPr, a w:rPr)."""
    child = parent.find(tag)
    if child is None:
        child = etree.Element(tag)
        parent.insert(0, child)
    return child


def _place_before(parent: Any, element: Any, following: str) -> None:
    """``element`` put in ``parent`` before its ``following`` child (the schema's order), else last."""
    after = parent.find(following)
    if after is not None:
        after.addprevious(element)
    else:
        parent.append(element)


def add_bullets(document: Document, items: list[str]) -> None:
    """One "List Bullet" paragraph per item."""
    for item in items:
        add_paragraph(document, item, "List Bullet")


def add_picture(
    document: Document, png: bytes, width_cm: float, caption: str | None = None, *, alt: str | None = None
) -> None:
    """A centred picture, at most as wide as the text; ``caption`` goes below; ``alt`` is its
    alternative text (the caption when not given)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = min(Cm(width_cm), _text_width(document.sections[-1]))
    picture = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
    if alt or caption:
        xml_of(picture).docPr.set("descr", clean_text(alt or caption or ""))
    if caption:
        # The caption in the picture's own paragraph, after a line break, the paragraph kept in
        # one piece: LibreOffice let "keep with next" go and printed a caption alone at the top
        # of a page, away from its chart. Formatted as the "Caption" style's runs would be.
        paragraph.paragraph_format.keep_together = True
        paragraph.add_run().add_break()
        caption_style = document.styles["Caption"] if has_style(document, "Caption") else None
        font = caption_style.font if caption_style is not None else None
        add_run(
            paragraph,
            caption,
            italic=bool(font.italic) if font is not None and font.italic is not None else True,
            size_pt=font.size.pt if font is not None and font.size is not None else 9,
            color=str(font.color.rgb) if font is not None and font.color is not None and font.color.rgb else None,
        )


def _text_width(section: Section) -> Length:
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return Cm(16)
    return Length(section.page_width - section.left_margin - section.right_margin)


# --- metadata and output --------------------------------------------------------------------


def set_properties(document: Document, *, title: str, subject: str, language: str, when: datetime) -> None:
    """Set the core properties, and nothing personal: the author is "ess-coop".

    Every other core property is emptied, and the extended/custom properties and thumbnail a
    template may carry (company, editing time, first-page picture) are removed. A naive
    ``when`` is taken as UTC.
    """
    properties = document.core_properties
    core = xml_of(properties)
    for child in list(core):
        core.remove(child)
    stamp = when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    properties.title = clean_text(title)
    properties.subject = clean_text(subject)
    properties.language = LANGUAGE_TAGS.get(language, language)
    set_language(document, LANGUAGE_TAGS.get(language, language))
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.created = stamp
    properties.modified = stamp
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""
    package_rels = document.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in _PERSONAL_PACKAGE_RELS:
            del package_rels[r_id]


def set_language(document: Document, tag: str) -> None:
    """Make ``tag`` ("en-GB") the language of the document's text, in the style defaults and
    in every style that names a language of its own."""
    styles = document.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None and defaults.find(qn("w:lang")) is None:
        defaults.append(OxmlElement("w:lang"))  # last: w:lang closes CT_RPr's sequence but for a few
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), tag)


def to_bytes(document: Document) -> bytes:
    """The .docx file content, identical for identical documents (fixed zip entry dates).

    ``Document.save`` stamps every zip entry with the current time: its entries are written
    again, in the same order, with a fixed date and a constant "made on" system.
    """
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # ZipInfo defaults to the running OS: make it constant
            target.writestr(entry, source.read(info))
    return out.getvalue()
