"""Reading a Word form's XML: what the document holds, by the identifiers ``writer`` put in it.

The form is read by its hidden identifiers (bookmarks or hidden-text markers), never by the
position or wording of its parts, so a form saved by Word or by LibreOffice, with rows added and
prompts corrected, reads the same. This module only finds things; ``values`` interprets
what was typed, and ``importer`` assembles the transcript.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ess_coop import safefile, safezip
from ess_coop.errors import UserError
from ess_coop.forms.values import without_invisible
from ess_coop.forms.writer import CONSENT_FIELDS, FORM_SUFFIX, MARKER_PATTERN, META_FIELDS, TABLES, bookmark_name
from ess_coop.i18n import LANGUAGES
from ess_coop.models import Guide

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = (f"{_W}{tag}" for tag in ("p", "tbl", "tr", "tc", "r"))
# Elements that wrap blocks, rows, cells or runs without meaning anything to us.
_WRAPPERS = {f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink")}
_DELETED = {f"{_W}del", f"{_W}moveFrom"}
_ROW_KINDS = ("meta", "consent", "answer", "notes", "table")


def _children(element: Any, tags: set[str]) -> Iterator[Any]:
    """Children of ``element`` with one of ``tags``, looking through wrapper elements."""
    for child in element:
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tags)


def _hidden(run: Any) -> bool:
    props = run.find(f"{_W}rPr")
    vanish = props.find(f"{_W}vanish") if props is not None else None
    return vanish is not None and vanish.get(f"{_W}val", "true") not in ("0", "false", "off")


def paragraph_text(paragraph: Any, *, hidden: bool = False, results: bool = True) -> str:
    """The text of a paragraph as typed: tabs and line breaks kept, deleted text left out (and
    the results of fields, such as page numbers, without ``results``)."""
    out: list[str] = []
    fields: list[str] = []  # the fields the run is in, innermost last: "code" or "result"
    for run in paragraph.iter(_R):
        if not results:
            for char in run.iter(f"{_W}fldChar"):
                kind = char.get(f"{_W}fldCharType")
                if kind == "begin":
                    fields.append("code")
                elif kind == "separate" and fields:
                    fields[-1] = "result"
                elif kind == "end" and fields:
                    fields.pop()
            if fields or any(a.tag == f"{_W}fldSimple" for a in run.iterancestors()):
                continue
        if run.getparent().tag in _DELETED or (not hidden and _hidden(run)):
            continue
        for child in run:
            tag = child.tag
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
    return "".join(out)


def clean_text(text: str) -> str:
    """Free text as kept: no marker, no character a transcript may not hold (``scan_body`` says
    where some were), no trailing spaces on lines, no blank lines around."""
    text = MARKER_PATTERN.sub("", without_invisible(text)[0]).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip(" ")


def cell_text(tc: Any) -> str:
    return clean_text("\n".join(paragraph_text(p) for p in tc.iter(_P)))


def _cells(tr: Any) -> list[tuple[int, Any]]:
    """The cells of a row with the grid column each starts at (merged cells span several)."""
    props = tr.find(f"{_W}trPr")
    column = _number(props.find(f"{_W}gridBefore") if props is not None else None, 0)
    found = []
    for tc in _children(tr, {_TC}):
        found.append((column, tc))
        column += _number(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1)
    return found


class Malformed(ValueError):
    """The document's XML says something Word never writes (``import`` says the form is unreadable)."""


def _number(element: Any, default: int) -> int:
    """The whole number of a ``w:gridBefore`` or ``w:gridSpan`` (``default`` without one)."""
    if element is None:
        return default
    value = element.get(f"{_W}val", str(default))
    if not value.isdigit() or len(value) > 5:  # Word allows at most 63 columns
        raise Malformed(f"{_tag_name(element)}={value[:20]!r}")
    return int(value)


def _tag_name(element: Any) -> str:
    """``w:gridSpan`` for an element of the WordprocessingML namespace."""
    return str(element.tag).replace(_W, "w:")


@dataclass
class Block:
    """Rows that follow an anchored header row: an answer box, the notes, or a list table."""

    kind: str
    key: str | None
    columns: dict[int, str] = field(default_factory=dict)
    rows: list[list[tuple[int, Any]]] = field(default_factory=list)


@dataclass
class Scan:
    """What the document holds, by identifier."""

    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    blocks: dict[tuple[str, str | None], Block] = field(default_factory=dict)
    # Text not in any box: (text, the identifier of the box before it, if any).
    outside: list[tuple[str, tuple[str, str | None] | None]] = field(default_factory=list)
    # The printed part of anchored rows (question, field name, column titles), by identifier.
    labels: list[tuple[str, tuple[str, str | None]]] = field(default_factory=list)
    duplicates: list[tuple[str, str | None]] = field(default_factory=list)
    # A field copied with another value where only one is kept: (identifier, the value not kept).
    dropped: list[tuple[tuple[str, str], str]] = field(default_factory=list)
    # Text typed in the page headers and footers: ("header" or "footer", text).
    margins: list[tuple[str, str]] = field(default_factory=list)
    # Characters removed from what was typed: (identifier, row of its block or None, grid column
    # or None, the characters as "U+202E, …").
    invisible: list[tuple[tuple[str, str | None], int | None, int | None, str]] = field(default_factory=list)


def _invisible(tc: Any) -> str:
    """The characters ``clean_text`` will remove from the cell ``tc``, as "U+202E, …"."""
    return without_invisible("".join(paragraph_text(p) for p in tc.iter(_P)))[1]


def scan_body(body: Any, bookmarks: dict[str, tuple[str, str | None]]) -> Scan:
    scan = Scan()
    last: tuple[str, str | None] | None = None
    for block in _children(body, {_P, _TBL}):
        if block.tag == _P:
            text = clean_text(paragraph_text(block))
            if text:
                scan.outside.append((text, last))
            continue
        current: Block | None = None  # a new table starts afresh
        for tr in _children(block, {_TR}):
            cells = _cells(tr)
            anchor, position = _row_anchor(cells, bookmarks)
            if anchor is None:
                if current is not None:
                    current.rows.append(cells)
                    for column, tc in cells:
                        if chars := _invisible(tc):
                            scan.invisible.append(((current.kind, current.key), len(current.rows), column, chars))
                else:
                    text = " | ".join(filter(None, (cell_text(tc) for _, tc in cells)))
                    if text:
                        scan.outside.append((text, last))
                continue
            kind, key = anchor
            last = anchor
            value_row = kind in ("meta", "consent")
            label = " | ".join(filter(None, (cell_text(tc) for col, tc in cells if col <= position or not value_row)))
            scan.labels.append((label, anchor))
            if value_row and key is not None:
                current = None
                value = " ".join(filter(None, (cell_text(tc) for col, tc in cells if col > position)))
                typed = (_invisible(tc) for col, tc in cells if col > position)
                scan.invisible += [(anchor, None, None, chars) for chars in typed if chars]
                kept = scan.fields.get((kind, key), "")
                if anchor in scan.fields:
                    scan.duplicates.append(anchor)
                if not kept:  # a copy of a field: the first one filled wins…
                    scan.fields[(kind, key)] = value
                elif value and normalize_space(value) != normalize_space(kept):
                    if key in LIST_FIELDS:  # …but names are all kept
                        scan.fields[(kind, key)] = f"{kept}, {value}"
                    else:  # …and what the other copy says is not lost without a word
                        scan.dropped.append(((kind, key), value))
                continue
            if anchor in scan.blocks:  # copied box or table: its rows join the first
                scan.duplicates.append(anchor)
                current = scan.blocks[anchor]
            else:
                current = scan.blocks[anchor] = Block(kind, key)
            if kind == "table" and key is not None:
                current.columns = _columns(cells, TABLES[key])
    return scan


# Fields holding a list: copies of them are combined.
LIST_FIELDS = ("interviewers",)


def normalize_space(text: str) -> str:
    return " ".join(text.split()).casefold()


def margins(document: Any) -> list[tuple[str, str]]:
    """The text of the page headers and footers of ``document`` (a python-docx ``Document``):
    ``("header" or "footer", text)``, one per paragraph, each text once."""
    found: dict[tuple[str, str], None] = {}
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(("/header", "/footer")):
            continue
        where = "header" if rel.reltype.endswith("/header") else "footer"
        element = getattr(rel.target_part, "element", None)
        if element is None:
            continue
        for paragraph in element.iter(_P):
            if any(ancestor.tag == _P for ancestor in paragraph.iterancestors()):
                continue  # a text box's paragraph: already in the text of the one holding it
            # Without the fields' results: page numbers change each time the form is opened.
            if text := clean_text(paragraph_text(paragraph, results=False)):
                found[(where, text)] = None
    return sorted(found, key=lambda item: item[0] == "footer")  # as on the page: headers first


def _markers(tc: Any, bookmarks: dict[str, tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Identifiers in a cell: hidden markers, then bookmarks (either survives alone)."""
    text = "".join(paragraph_text(p, hidden=True) for p in tc.iter(_P))
    found: list[tuple[str, str | None]] = [(kind, key or None) for kind, key in MARKER_PATTERN.findall(text)]
    for start in tc.iter(f"{_W}bookmarkStart"):
        anchor = bookmarks.get(start.get(f"{_W}name", ""))
        if anchor is not None:
            found.append(anchor)
    return found


def _row_anchor(
    cells: list[tuple[int, Any]], bookmarks: dict[str, tuple[str, str | None]]
) -> tuple[tuple[str, str | None] | None, int]:
    for column, tc in cells:
        for kind, key in _markers(tc, bookmarks):
            if kind in _ROW_KINDS and (key is not None or kind == "notes"):
                return (kind, key), column
    return None, 0


def _columns(cells: list[tuple[int, Any]], expected: tuple[str, ...]) -> dict[int, str]:
    """Grid column → column key, from the ``col`` markers; by position where a marker is gone."""
    columns: dict[int, str] = {}
    for column, tc in cells:
        for kind, key in _markers(tc, {}):
            if kind == "col" and key in expected and key not in columns.values():
                columns[column] = key
                break
    for index, (column, _) in enumerate(cells):
        if column not in columns and index < len(expected) and expected[index] not in columns.values():
            columns[column] = expected[index]
    return columns


def open_form(path: Path, root: Path) -> tuple[Any, str | None, list[tuple[str, str]]]:
    """The document body of ``path``, the language the form was printed in (if recorded) and
    the text of its page headers and footers (``margins``).

    The file is read only if it is a regular file (inside the workspace ``root``, a link must not
    lead out of it) within the limits of ``safezip.DOCX``, with no DTD (text would vanish).
    """
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    if path.suffix.lower() != FORM_SUFFIX:
        raise UserError("form-not-docx", path=path)
    if path.is_dir():
        raise UserError("import_faults.path-is-folder", path=path)
    if not os.path.lexists(path):
        raise UserError("path-missing", path=path)
    data = safezip.read_or_refuse(path, "form-unreadable", root=safefile.root_for(path, root))
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise UserError("form-unreadable", path=path, reason=str(exc).splitlines()[0] if str(exc) else "?") from exc
    try:  # a document part whose root is not w:document, or a properties part python-docx cannot read
        body = document.element.body
        language = document.core_properties.language
        found = margins(document)
    except (AttributeError, TypeError, ValueError, etree.XMLSyntaxError) as exc:
        raise UserError("form-unreadable", path=path, reason=str(exc).splitlines()[0] if str(exc) else "?") from exc
    if body is None:
        raise UserError("form-unreadable", path=path, reason="no w:body")
    return body, language if language in LANGUAGES else None, found


def bookmarks(guide: Guide) -> dict[str, tuple[str, str | None]]:
    return {bookmark_name(kind, key): (kind, key) for kind, key in anchors(guide)}


def anchors(guide: Guide) -> list[tuple[str, str | None]]:
    """Every identifier a form may carry (bookmark names are computed from these)."""
    anchors: list[tuple[str, str | None]] = [("meta", key) for key in META_FIELDS]
    anchors += [("consent", key) for key in CONSENT_FIELDS]
    anchors += [("table", key) for key in TABLES]
    anchors += [("answer", q.id) for q in guide.questions()]
    anchors.append(("notes", None))
    return anchors


def scan_bytes(data: bytes, guide: Guide) -> Scan:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    scan = scan_body(document.element.body, bookmarks(guide))
    scan.margins = margins(document)
    return scan
