"""Regenerate ``src/ess_coop/data/referentiel.docx``, the default reference document.

Run from anywhere: ``python tools/make_reference_docx.py``. The output is byte-identical from
run to run (same python-docx version).

It starts from python-docx's default template, which defines every built-in style (table
styles included), and gives it the ess-coop look: Arial (LibreOffice substitutes the metric-
compatible Liberation Sans; Calibri falls back badly), deep teal headings, A4 with 2.2 cm
margins, French as the proofing language. Theme colours and fonts are replaced by explicit
values, so that a style copied into an organisation's template looks the same there. The body
shows each style once, for people who want to derive their own charter from this file.
"""

from __future__ import annotations

import sys
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ess_coop.docx_base import (  # noqa: E402 (needs the path above when run from a checkout)
    REQUIRED_STYLES,
    TABLE_STYLE,
    add_bullets,
    add_table,
    set_properties,
    to_bytes,
)

OUTPUT = ROOT / "src" / "ess_coop" / "data" / "referentiel.docx"
FONT = "Arial"
TEAL = "1D6B66"
TEAL_DARK = "134A46"
GREY = "4D5857"
# (name, size pt, colour, space before pt, space after pt)
HEADINGS = (
    ("Heading 1", 16, TEAL, 18, 6),
    ("Heading 2", 13, TEAL, 12, 4),
    ("Heading 3", 11, TEAL_DARK, 10, 2),
)
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _mix(colour: str, tint: str | None, shade: str | None) -> str:
    """``colour`` with a theme tint/shade (hex 00–FF) applied, as Word approximately does."""
    channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    if tint:
        channels = [round(255 - (255 - c) * int(tint, 16) / 255) for c in channels]
    if shade:
        channels = [round(c * int(shade, 16) / 255) for c in channels]
    return "".join(f"{c:02X}" for c in channels)


def explicit_colours_and_fonts(styles: etree._Element) -> None:
    """Replace theme references by explicit values (accent 1 becomes the ess-coop teal)."""
    for element in styles.iter():
        # w:color holds its colour in w:val; borders and w:shd in w:color (and w:fill).
        colour_attr = "val" if element.tag == qn("w:color") else "color"
        for kind, value_attr in (("Color", colour_attr), ("Fill", "fill")):
            theme = element.get(qn(f"w:theme{kind}"))
            if theme is None:
                continue
            tint = element.attrib.pop(qn(f"w:theme{kind}Tint"), None)
            shade = element.attrib.pop(qn(f"w:theme{kind}Shade"), None)
            del element.attrib[qn(f"w:theme{kind}")]
            if theme == "accent1":
                element.set(qn(f"w:{value_attr}"), _mix(TEAL, tint, shade))
        if element.tag == qn("w:rFonts"):
            for attr in _THEME_ATTRS:
                element.attrib.pop(qn(f"w:{attr}"), None)
            if not element.attrib:
                element.getparent().remove(element)


def set_defaults(styles: etree._Element) -> None:
    """Arial 10.5 pt, French proofing, 6 pt after paragraphs, line spacing 1.1."""
    r_pr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    r_pr.insert(0, fonts)
    r_pr.find(qn("w:sz")).set(qn("w:val"), "21")
    r_pr.find(qn("w:szCs")).set(qn("w:val"), "21")
    r_pr.find(qn("w:lang")).set(qn("w:val"), "fr-FR")
    spacing = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")


def style_document(document: Document) -> None:
    styles = document.styles
    for name, size, colour, before, after in HEADINGS:
        style = styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)

    title = styles["Title"]
    title.font.size = Pt(26)
    title.font.color.rgb = RGBColor.from_string(TEAL_DARK)

    subtitle = styles["Subtitle"]
    subtitle.font.size = Pt(13)
    subtitle.font.color.rgb = RGBColor.from_string(GREY)
    num_pr = subtitle.element.pPr.find(qn("w:numPr"))  # a stray list level in the default
    subtitle.element.pPr.remove(num_pr)

    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.color.rgb = RGBColor.from_string(TEAL_DARK)
    caption.paragraph_format.space_before = Pt(3)
    caption.paragraph_format.space_after = Pt(6)
    caption.hidden = False  # show it in Word's style gallery

    quote = styles["Quote"]
    quote.font.color.rgb = RGBColor.from_string("3A3A3A")
    quote.paragraph_format.left_indent = Cm(0.75)
    quote.paragraph_format.right_indent = Cm(0.75)
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for attr, value in (("val", "single"), ("sz", "18"), ("space", "8"), ("color", TEAL)):
        left.set(qn(f"w:{attr}"), value)
    borders.append(left)
    quote.element.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"
    )

    # The built-in table styles have no vertical cell padding: text touches the row lines.
    margins = styles[TABLE_STYLE].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    for side in ("top", "bottom"):
        margins.find(qn(f"w:{side}")).set(qn("w:w"), "45")

    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = RGBColor.from_string(GREY)

    # A linked character style ("Heading 1 Char") must look like its paragraph style.
    for name in (*REQUIRED_STYLES, "Header", "Footer"):
        paragraph_style = styles[name].element
        link = paragraph_style.find(qn("w:link"))
        if link is None or paragraph_style.rPr is None:
            continue
        char_style = styles.element.get_by_id(link.get(qn("w:val")))
        if char_style is not None and char_style.rPr is not None:
            char_style.replace(char_style.rPr, deepcopy(paragraph_style.rPr))


def add_toc_styles(document: Document) -> None:
    """The contents entries, levels 1–3 (python-docx's default template has none): Word's
    built-in "toc N" names, so Word and LibreOffice recognise them; a dotted tab to the page
    number at the right margin."""
    text_width = Cm(21 - 2 * 2.2)
    for level in (1, 2, 3):
        style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.attrib.pop(qn("w:customStyle"), None)  # a built-in style, with Word's id
        style.element.styleId = f"TOC{level}"
        style.base_style = document.styles["Normal"]
        style.next_paragraph_style = document.styles["Normal"]
        style.priority = 39
        style.unhide_when_used = True
        fmt = style.paragraph_format
        fmt.left_indent = Cm(0.6 * (level - 1))
        fmt.space_before = Pt(5 if level == 1 else 0)
        fmt.space_after = Pt(1)
        fmt.line_spacing = 1.0  # a compact contents: one page for some 45 headings
        style.font.size = Pt(10.5 if level == 1 else 10)
        fmt.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if level == 1:
            style.font.bold = True
            style.font.color.rgb = RGBColor.from_string(TEAL_DARK)


def set_theme(document: Document) -> None:
    """Teal accent and Arial in the theme too, for Word's colour and font pickers."""
    part = document.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.find(f".//{_A}accent1/{_A}srgbClr").set("val", TEAL)
    for font in ("majorFont", "minorFont"):
        theme.find(f".//{_A}{font}/{_A}latin").set("typeface", FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_page_and_settings(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    settings = document.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "fr-FR")
    settings.remove(settings.find(qn("w:rsids")))
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    # Word 2010 duplicate of styles.xml: we no longer keep it in step, so drop it.
    for r_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[r_id]


def add_samples(document: Document) -> None:
    """One paragraph per style, to see (and restyle) them in Word."""
    document.add_paragraph("Référentiel commun", style="Title")
    document.add_paragraph("Modèle de styles ess-coop", style="Subtitle")
    document.add_paragraph("Titre 1 — Présentation du projet", style="Heading 1")
    document.add_paragraph(
        "Texte courant : les structures de l’économie sociale et solidaire (ESS) du Togo et "
        "de France présentent leurs attentes et leurs contributions."
    )
    document.add_paragraph("Titre 2 — Les acteurs", style="Heading 2")
    add_bullets(document, ["Attentes", "Contributions", "Contraintes"])
    document.add_paragraph("Titre 3 — Voix des acteurs", style="Heading 3")
    document.add_paragraph("« Une citation d’un acteur, avec son consentement. »", style="Quote")
    document.add_paragraph("Un point à retenir.", style="Intense Quote")
    add_table(
        document,
        ["Thème", "France", "Togo"],
        [["Finances solidaires", "2", "3"], ["Formation", "1", "4"]],
        caption="Tableau 1 — Exemple de tableau",
    )


def main() -> None:
    document = docx.Document()
    styles = document.styles.element
    explicit_colours_and_fonts(styles)
    set_defaults(styles)
    add_toc_styles(document)
    style_document(document)
    set_theme(document)
    set_page_and_settings(document)
    add_samples(document)
    set_properties(
        document,
        title="Référentiel commun — modèle de styles",
        subject="Document de référence ess-coop",
        language="fr-FR",
        when=datetime(2024, 1, 1, tzinfo=UTC),
    )
    OUTPUT.write_bytes(to_bytes(document))
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
