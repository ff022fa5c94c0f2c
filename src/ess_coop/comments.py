"""``ess-coop comments``: what people wrote on a returned référentiel or profile sheet.

Reads a .docx as Word and LibreOffice save it: comments (``word/comments.xml``, anchored in
``word/document.xml`` by ``w:commentRangeStart`` or ``w:commentReference``) and tracked changes
(``w:ins`` and ``w:del`` with ``w:author`` and ``w:date``). Each is placed by the paragraph it
touches: the partner (the heading, or the sheet's title, that names an actor of the registry),
the section (the nearest heading) and the interview reference (``[E04]``) of that paragraph.

Commenters' names are personal data: they appear in this working list (and its workbook) only,
never in a generated document.

The file is read through ``safezip`` (``_bounded_zip``): sizes are checked from the zip directory
before anything is decompressed, every part is read through a bounded reader, and XML with a
DOCTYPE is refused (no entity expansion).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree as ET

from pydantic import BaseModel

from ess_coop import atomic, safezip
from ess_coop.errors import UserError
from ess_coop.models import Actor
from ess_coop.workspace import OUTPUT_DIR, Workspace

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_LIMITS = safezip.DOCX  # the limits of every Word file read (docs/format.md)
_REF = re.compile(r"\[(E\d{2,})\]")
_HEADING = re.compile(r"^(?:heading|titre|überschrift)\s*(\d)$", re.IGNORECASE)
EXCERPT = 120  # characters of the paragraph shown with each remark
# Tracked changes that carry text: a move is a deletion at its origin and an insertion where it lands.
_CHANGES = {f"{W}ins": "insertion", f"{W}moveTo": "insertion", f"{W}del": "deletion", f"{W}moveFrom": "deletion"}


class Remark(BaseModel):
    """One comment or tracked change, where it is, and who wrote it."""

    file: str
    kind: Literal["comment", "insertion", "deletion"]
    author: str
    date: str | None  # as the file gives it (ISO 8601), or None
    text: str  # the comment, or the inserted or deleted text
    partner: str | None  # actor id
    partner_label: str | None
    section: str | None
    ref: str | None  # "E04"
    paragraph: str  # the start of the paragraph it touches


class CommentsReport(BaseModel):
    """What ``comments`` lists; ``--format json`` prints this."""

    files: list[str]
    remarks: list[Remark]


def _bounded_zip(path: Path, names: Sequence[str]) -> dict[str, bytes]:
    """The parts ``names`` of the .docx at ``path`` (absent ones are left out), once ``safezip``
    has found the whole package within the limits of every Word file read (docs/format.md):
    a regular file, sizes checked from the zip directory before anything is unpacked, every
    part read through a bounded reader, no DTD."""
    data = safezip.read_or_refuse(path, "comments-unreadable", limits=DOCX_LIMITS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        present = set(archive.namelist())
        parts = {name: archive.read(name) for name in names if name in present}
    if "word/document.xml" not in parts:
        raise UserError("comments-not-docx", path=path)
    return parts


def _xml(data: bytes, path: Path) -> ET.Element:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise UserError("comments-unreadable", path=path, reason="DOCTYPE")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise UserError("comments-unreadable", path=path, reason=str(exc)) from None


def _text(element: ET.Element, tag: str = "t") -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}{tag}"))


def _heading_levels(styles: ET.Element | None) -> dict[str, int]:
    """Style id → heading level (0 for the title), from the styles' names, as Word and
    LibreOffice name them ("heading 1", "Heading 1", "Title")."""
    levels: dict[str, int] = {}
    if styles is None:
        return levels
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId") or ""
        name_el = style.find(f"{W}name")
        name = (name_el.get(f"{W}val") if name_el is not None else None) or style_id
        match = _HEADING.match(name.strip())
        if match:
            levels[style_id] = int(match.group(1))
        elif name.strip().lower() in ("title", "titre"):
            levels[style_id] = 0
    return levels


def _partner(text: str, actors: Iterable[Actor]) -> Actor | None:
    """The actor a heading or title names: its label or full name, alone or after a dash."""
    wanted = text.strip().casefold()
    tail = re.split(r"\s[—–-]\s", text)[-1].strip().casefold()
    for actor in actors:
        names = {actor.label.casefold(), actor.name.casefold()}
        if wanted in names or tail in names:
            return actor
    return None


def read_remarks(path: Path, actors: Sequence[Actor], *, shown: str | None = None) -> list[Remark]:
    """Every comment and tracked change of the .docx at ``path``, in document order."""
    parts = _bounded_zip(path, ("word/document.xml", "word/comments.xml", "word/styles.xml"))
    document = _xml(parts["word/document.xml"], path)
    styles = _xml(parts["word/styles.xml"], path) if "word/styles.xml" in parts else None
    comments: dict[str, tuple[str, str | None, str]] = {}
    if "word/comments.xml" in parts:
        for comment in _xml(parts["word/comments.xml"], path).iter(f"{W}comment"):
            text = "\n".join(_text(p) for p in comment.iter(f"{W}p")).strip()
            comments[comment.get(f"{W}id") or ""] = (comment.get(f"{W}author") or "", comment.get(f"{W}date"), text)
    levels = _heading_levels(styles)
    name = shown or path.name
    remarks: list[Remark] = []
    seen_comments: set[str] = set()
    partner: Actor | None = None
    partner_level = 99
    section: str | None = None
    body = document.find(f"{W}body")
    for paragraph in body.iter(f"{W}p") if body is not None else ():
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        level = levels.get(style.get(f"{W}val") or "") if style is not None else None
        text = _text(paragraph)
        if level is not None and text.strip():
            named = _partner(text, actors)
            if named is not None:
                partner, partner_level = named, level
            elif level <= partner_level:
                partner, partner_level = None, 99
            if level > 0:
                section = text.strip()
        # The paragraph as it was, deleted text included: a deletion may take its reference away.
        whole = "".join(n.text or "" for n in paragraph.iter() if n.tag in (f"{W}t", f"{W}delText"))
        found = _REF.findall(whole)
        excerpt = whole.strip()[:EXCERPT]

        where = {
            "file": name,
            "partner": partner.id if partner else None,
            "partner_label": partner.label if partner else None,
            "section": section,
            "ref": found[-1] if found else None,
            "paragraph": excerpt,
        }
        for node in paragraph.iter():
            if node.tag in (f"{W}commentRangeStart", f"{W}commentReference"):
                cid = node.get(f"{W}id") or ""
                if cid in comments and cid not in seen_comments:
                    seen_comments.add(cid)
                    author, date, said = comments[cid]
                    remarks.append(Remark.model_validate(where | {"kind": "comment", "author": author, "date": date,
                                                                  "text": said}))  # fmt: skip
            elif node.tag in _CHANGES:
                kind = _CHANGES[node.tag]
                said = _text(node, "t") if kind == "insertion" else _text(node, "delText") or _text(node, "t")
                if said:
                    remarks.append(Remark.model_validate(where | {"kind": kind, "text": said,
                        "author": node.get(f"{W}author") or "", "date": node.get(f"{W}date")}))  # fmt: skip
    for cid, (author, date, said) in comments.items():  # anchored nowhere we read (a header, a text box…)
        if cid not in seen_comments:
            remarks.append(Remark(file=name, kind="comment", author=author, date=date, text=said, partner=None,
                                  partner_label=None, section=None, ref=None, paragraph=""))  # fmt: skip
    return remarks


def gather(paths: Sequence[Path], actors: Sequence[Actor], *, root: Path | None = None) -> CommentsReport:
    """The remarks of every file of ``paths``."""
    remarks: list[Remark] = []
    shown = []
    for path in paths:
        if not path.is_file():
            raise UserError("comments-missing", path=path)
        if path.suffix.lower() != ".docx":
            raise UserError("comments-not-docx", path=path)
        try:
            name = path.resolve().relative_to(root.resolve()).as_posix() if root else path.name
        except ValueError:
            name = path.name
        shown.append(name)
        remarks += read_remarks(path, actors, shown=name)
    return CommentsReport(files=shown, remarks=remarks)


def workbook(report: CommentsReport, *, lang: str, when: dt.date) -> bytes:
    """The remarks as a one-sheet workbook for the coordinators."""
    from ess_coop.i18n import t
    from ess_coop.xlsx_writer import xlsx

    keys = ("file", "kind", "author", "date", "partner", "section", "ref", "text", "paragraph")
    header = [t(f"review.comments.col_{key}", lang) for key in keys]
    rows = [
        [
            r.file,
            t(f"review.comments.kind.{r.kind}", lang),
            r.author,
            (r.date or "")[:10],
            r.partner_label or "",
            r.section or "",
            r.ref or "",
            r.text,
            r.paragraph,
        ]
        for r in report.remarks
    ]
    return xlsx(
        [(t("review.comments.sheet", lang), header, rows, [22, 12, 18, 11, 18, 28, 7, 50, 50])],
        title=t("review.comments.sheet", lang),
        when=when,
    )


def write_workbook(ws: Workspace, report: CommentsReport, *, lang: str, today: dt.date) -> atomic.Written:
    """Write the remarks to ``output/<commentaires|comments>.xlsx`` (never over an edited one)."""
    from ess_coop.i18n import t

    name = t("review.comments.xlsx_file", lang)
    return atomic.write_output(ws.root / OUTPUT_DIR / name, workbook(report, lang=lang, when=today))
