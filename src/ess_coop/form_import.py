"""``ess-coop import``: a filled Word form (see ``form_docx``) read back into a transcript.

The form is read by its hidden identifiers (bookmarks or hidden-text markers), never by the
position or wording of its parts, so a form saved by Word or by LibreOffice, with rows added and
prompts corrected, reads the same. Values are taken the way people write them: theme labels or
ids, SDG numbers or names, choices ticked (☒, X) or typed, in French or English.

Nothing is dropped silently: what cannot be mapped (an unknown theme, a second ticked box, text
typed outside the boxes) becomes a :class:`Finding` that says where it is in the document, and
free text is always kept. The transcript is written as *text* by a small emitter that quotes
every free text, parsed back to check it says exactly what was read, then written without ever
replacing a file; the validator then checks it like any transcript. The .docx is only read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ess_coop import atomic, safefile, safezip
from ess_coop.errors import UserError
from ess_coop.form_docx import (
    CHOICES,
    CONSENT_FIELDS,
    FORM_SUFFIX,
    MARKER_PATTERN,
    META_FIELDS,
    TABLES,
    bookmark_name,
    build_form,
)
from ess_coop.i18n import LANGUAGES, t
from ess_coop.models import SLUG_PATTERN, Actor, Guide
from ess_coop.report import Report
from ess_coop.validation import check_workspace
from ess_coop.vocabulary import SYNONYMS, fold, suggest
from ess_coop.workspace import Workspace
from ess_coop.yamlio import render_transcript, round_trips

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = (f"{_W}{tag}" for tag in ("p", "tbl", "tr", "tc", "r"))
# Elements that wrap blocks, rows, cells or runs without meaning anything to us.
_WRAPPERS = {f"{_W}{tag}" for tag in ("sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink")}
_DELETED = {f"{_W}del", f"{_W}moveFrom"}
_ROW_KINDS = ("meta", "consent", "answer", "notes", "table")

# Passages outside the boxes compared with the form's own text; a filled form has a few dozen.
_OUTSIDE_EXAMINED = 500
_BOX_ON = "☒☑✓✔✗✘■▣✅❎⊠"
_BOX_OFF = "☐□❏❑"


class Finding(BaseModel):
    """Something the import could not take as written: what, and where in the document."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    place: str


class ImportResult(BaseModel):
    """What ``import_form`` did with one form."""

    model_config = ConfigDict(frozen=True)

    source: Path
    transcript_path: Path
    interview_id: str
    actor: str
    renamed_from: str | None = None  # the form's id, when a transcript already had it
    findings: list[Finding]
    report: Report


# --- reading the document -----------------------------------------------------------------------


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


def _paragraph_text(paragraph: Any, *, hidden: bool = False) -> str:
    """The text of a paragraph as typed: tabs and line breaks kept, deleted text left out."""
    out: list[str] = []
    for run in paragraph.iter(_R):
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


def _clean(text: str) -> str:
    """Free text as kept: no marker, no trailing spaces on lines, no blank lines around."""
    text = MARKER_PATTERN.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip(" ")


def _cell_text(tc: Any) -> str:
    return _clean("\n".join(_paragraph_text(p) for p in tc.iter(_P)))


def _cells(tr: Any) -> list[tuple[int, Any]]:
    """The cells of a row with the grid column each starts at (merged cells span several)."""
    props = tr.find(f"{_W}trPr")
    before = props.find(f"{_W}gridBefore") if props is not None else None
    column = int(before.get(f"{_W}val", "0")) if before is not None else 0
    found = []
    for tc in _children(tr, {_TC}):
        found.append((column, tc))
        span = tc.find(f"{_W}tcPr/{_W}gridSpan")
        column += int(span.get(f"{_W}val", "1")) if span is not None else 1
    return found


@dataclass
class _Block:
    """Rows that follow an anchored header row: an answer box, the notes, or a list table."""

    kind: str
    key: str | None
    columns: dict[int, str] = field(default_factory=dict)
    rows: list[list[tuple[int, Any]]] = field(default_factory=list)


@dataclass
class _Scan:
    """What the document holds, by identifier."""

    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    blocks: dict[tuple[str, str | None], _Block] = field(default_factory=dict)
    # Text not in any box: (text, the identifier of the box before it, if any).
    outside: list[tuple[str, tuple[str, str | None] | None]] = field(default_factory=list)
    # The printed part of anchored rows (question, field name, column titles), by identifier.
    labels: list[tuple[str, tuple[str, str | None]]] = field(default_factory=list)
    duplicates: list[tuple[str, str | None]] = field(default_factory=list)


def _scan(body: Any, bookmarks: dict[str, tuple[str, str | None]]) -> _Scan:
    scan = _Scan()
    last: tuple[str, str | None] | None = None
    for block in _children(body, {_P, _TBL}):
        if block.tag == _P:
            text = _clean(_paragraph_text(block))
            if text:
                scan.outside.append((text, last))
            continue
        current: _Block | None = None  # a new table starts afresh
        for tr in _children(block, {_TR}):
            cells = _cells(tr)
            anchor, position = _row_anchor(cells, bookmarks)
            if anchor is None:
                if current is not None:
                    current.rows.append(cells)
                else:
                    text = " | ".join(filter(None, (_cell_text(tc) for _, tc in cells)))
                    if text:
                        scan.outside.append((text, last))
                continue
            kind, key = anchor
            last = anchor
            value_row = kind in ("meta", "consent")
            label = " | ".join(filter(None, (_cell_text(tc) for col, tc in cells if col <= position or not value_row)))
            scan.labels.append((label, anchor))
            if value_row and key is not None:
                current = None
                value = " ".join(filter(None, (_cell_text(tc) for col, tc in cells if col > position)))
                if anchor in scan.fields:
                    scan.duplicates.append(anchor)
                if not scan.fields.get((kind, key)):  # a copy of a field: the first one filled wins
                    scan.fields[(kind, key)] = value
                continue
            if anchor in scan.blocks:  # copied box or table: its rows join the first
                scan.duplicates.append(anchor)
                current = scan.blocks[anchor]
            else:
                current = scan.blocks[anchor] = _Block(kind, key)
            if kind == "table" and key is not None:
                current.columns = _columns(cells, TABLES[key])
    return scan


def _markers(tc: Any, bookmarks: dict[str, tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Identifiers in a cell: hidden markers, then bookmarks (either survives alone)."""
    text = "".join(_paragraph_text(p, hidden=True) for p in tc.iter(_P))
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


def _open(path: Path, root: Path) -> tuple[Any, str | None]:
    """The document body of ``path`` and the language the form was printed in (if recorded).

    The file is read only if it is a regular file (inside the workspace ``root``, a link must not
    lead out of it) within the limits of ``safezip.DOCX``, with no DTD (text would vanish).
    """
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    if path.suffix.lower() != FORM_SUFFIX:
        raise UserError("form-not-docx", path=path)
    if not os.path.lexists(path) or path.is_dir():
        raise UserError("path-missing", path=path)
    try:
        data = safezip.read(path, root=safefile.root_for(path, root))
    except safezip.ZipRefused as refused:
        if refused.code == "zip-unreadable":
            raise UserError("form-unreadable", path=path, reason=refused.params["reason"]) from None
        raise refused.as_user_error(path) from None
    except safefile.FileRefused as refused:
        raise refused.as_user_error(path) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise UserError("form-unreadable", path=path, reason=str(exc).splitlines()[0] if str(exc) else "?") from exc
    language = document.core_properties.language
    return document.element.body, language if language in LANGUAGES else None


# --- interpreting values ------------------------------------------------------------------------


def _norm(text: str) -> str:
    """For comparing words: no case, accents, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


@dataclass
class _Context:
    """The import of one form: the workspace, the language of messages, the findings so far."""

    ws: Workspace
    guide: Guide
    lang: str
    findings: list[Finding] = field(default_factory=list)

    def msg(self, key: str, **params: object) -> str:
        return t(f"import.{key}", self.lang, **params)

    def add(self, code: str, place: str, **params: object) -> None:
        self.findings.append(Finding(code=code, message=self.msg(f"finding.{code}", **params), place=place))

    def did_you_mean(self, word: str | None) -> str:
        return t("common.did_you_mean", self.lang, word=word) if word else ""

    # places in the document

    def field_place(self, kind: str, key: str) -> str:
        return self.msg("place.field", field=t(f"form.{kind}.{key}", self.lang))

    def cell_place(self, table: str, row: int, column: str) -> str:
        label = t(f"import.column.{column}", self.lang, default="") or t(f"privacy.form.column_{column}", self.lang)
        return self.msg("place.cell", table=self.msg(f"table.{table}"), row=row, column=label)

    def row_place(self, table: str, row: int) -> str:
        return self.msg("place.row", table=self.msg(f"table.{table}"), row=row)

    def block_place(self, anchor: tuple[str, str | None] | None) -> str:
        if anchor is None:
            return self.msg("place.start")
        kind, key = anchor
        if kind == "answer":
            question = next((q for q in self.guide.questions() if q.id == key), None)
            return self.msg("place.answer", question=question.text.get(self.lang) if question else key)
        if kind == "notes":
            return self.msg("place.notes")
        if kind == "table" and key is not None:
            return self.msg("place.table", table=self.msg(f"table.{key}"))
        return self.field_place(kind, key or "")


def _choice(ctx: _Context, field_name: str, text: str, place: str, outcome: str) -> tuple[str, Any]:
    """``("ok", value)``, ``("empty", None)`` or ``("bad", None)`` for a choice field.

    Each label is looked up in the text; the characters just before it say whether its box is
    ticked (☒, ✓, X…) or not (☐); a label standing alone (the other boxes deleted, or a word
    typed) is the choice. Several ticked, or a word that is no choice, is a finding, which says
    what was kept instead (``outcome``).
    """
    options = CHOICES[field_name]
    synonyms = SYNONYMS["yes_no" if field_name in ("recording", "review") else field_name]
    words: list[tuple[str, Any]] = []
    for value, label_key in options:
        names = {fold(t(label_key, lang)) for lang in LANGUAGES} | set(synonyms.get(value, ()))
        words += [(name, value) for name in names]
    words.sort(key=lambda item: -len(item[0]))  # "en presentiel" before "en"
    folded = fold(text)
    hits: list[tuple[int, int, Any]] = []
    for label, value in words:
        for match in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", folded):
            if not any(start < match.end() and match.start() < end for start, end, _ in hits):
                hits.append((match.start(), match.end(), value))
    hits.sort(key=lambda hit: hit[0])
    ticked, unticked, bare = [], [], []
    previous = 0
    for start, end, value in hits:
        before = folded[previous:start]
        previous = end
        if any(c in _BOX_ON for c in before) or re.search(rf"(?:^|[\s{_BOX_OFF}])x(?:\s|$)", before):
            ticked.append(value)
        elif any(c in _BOX_OFF for c in before):
            unticked.append(value)
        else:
            bare.append(value)
    chosen = list(dict.fromkeys(ticked or (bare if len(bare) == 1 and not unticked else [])))
    if len(chosen) == 1:
        return "ok", chosen[0]
    labels = [t(label_key, ctx.lang) for _, label_key in options]
    if len(chosen) > 1:
        shown = [t(label_key, ctx.lang) for value, label_key in options if value in chosen]
        ctx.add("several-choices", place, values=", ".join(shown), outcome=outcome)
        return "bad", None
    rest = re.sub(rf"[{_BOX_ON}{_BOX_OFF}\s]", "", folded)
    if bare or (not hits and rest):
        guess = suggest(_norm(text), [fold(label) for label in labels])
        shown_guess = next((label for label in labels if fold(label) == guess), None)
        ctx.add(
            "unknown-choice",
            place,
            value=" ".join(text.split()),
            choices=", ".join(labels),
            suggestion=ctx.did_you_mean(shown_guess),
            outcome=outcome,
        )
        return "bad", None
    return "empty", None


def _date(text: str) -> dt.date | None:
    """ISO dates, and the day-first dates of France and Togo (03/07/2024, 3.7.2024)."""
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def _terms(text: str, resolve: Callable[[str], Any]) -> list[tuple[str, Any]]:
    """Split a cell into terms and resolve each: ``(term, value or None)``.

    Lines and semicolons always separate; commas separate unless the text between them is one
    name (SDG 9 is "Industry, innovation and infrastructure"), so the longest run of pieces that
    resolves wins.
    """
    found: list[tuple[str, Any]] = []
    for chunk in re.split(r"[;\n\t•·]+", text):
        pieces = [p.strip(" -–—*.") for p in chunk.split(",")]
        pieces = [p for p in pieces if p]
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                candidate = ", ".join(pieces[i:j])
                value = resolve(candidate)
                if value is not None:
                    found.append((candidate, value))
                    i = j
                    break
            else:
                found.append((pieces[i], None))
                i += 1
    return found


class _Vocabulary:
    """Themes and SDGs as people write them: ids, numbers, labels and names in both languages."""

    def __init__(self, ws: Workspace) -> None:
        self.themes: dict[str, str] = {}
        for theme in ws.themes:
            for name in (theme.id, theme.label.fr, theme.label.en):
                if name:
                    self.themes.setdefault(_norm(name), theme.id)
        self.sdgs: dict[str, int] = {}
        for number in range(1, 18):
            for lang in LANGUAGES:
                self.sdgs.setdefault(_norm(t(f"sdg.{number}", lang)), number)

    def theme(self, text: str) -> str | None:
        key = _norm(text)
        if key in self.themes:
            return self.themes[key]
        inner = re.split(r"\s[—–-]\s|\(|:", text)[0]  # "compost — Compostage", "compost (…)"
        return self.themes.get(_norm(inner)) if inner != text else None

    def sdg(self, text: str) -> int | str | None:
        """An SDG number; the text itself when it names a number out of range; None if unknown."""
        key = _norm(text)
        if key in self.sdgs:
            return self.sdgs[key]
        match = re.fullmatch(r"(?:odd|sdg|objectif|objective|goal|o d d|s d g|n|no)?\s*(\d{1,3})(?:\s\D*)?", key)
        if match:
            number = int(match[1])
            return number if 1 <= number <= 17 else text
        return None


def _sdg_numbers(ctx: _Context, vocab: _Vocabulary, text: str, place: str) -> list[int]:
    text = re.sub(r"(\d)\s+(?:et|and|&|\+)\s+(?=(?:odd|sdg)?\s*\d)", r"\1, ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)\s+(?=\d)", ", ", text)  # "8 12"
    numbers: list[int] = []
    for term, value in _terms(text, vocab.sdg):
        if isinstance(value, int):
            if value not in numbers:
                numbers.append(value)
            continue
        guess = suggest(_norm(term), list(vocab.sdgs))
        shown = f"{vocab.sdgs[guess]} — {t(f'sdg.{vocab.sdgs[guess]}', ctx.lang)}" if guess else None
        ctx.add("unknown-sdg", place, value=term, suggestion=ctx.did_you_mean(shown))
    return numbers


def _theme_ids(ctx: _Context, vocab: _Vocabulary, text: str, place: str) -> list[str]:
    ids: list[str] = []
    for term, value in _terms(text, vocab.theme):
        if value is not None:
            if value not in ids:
                ids.append(value)
            continue
        guess = suggest(_norm(term), list(vocab.themes))
        shown = None
        if guess:
            theme = ctx.ws.theme(vocab.themes[guess])
            shown = f"{theme.id} — {theme.label.get(ctx.lang)}" if theme else vocab.themes[guess]
        ctx.add("unknown-theme", place, value=term, suggestion=ctx.did_you_mean(shown))
    return ids


def _priority(ctx: _Context, text: str, place: str) -> str | None:
    key = _norm(text)
    if not key:
        return None
    for value, words in SYNONYMS["priority"].items():
        if key in words or key == _norm(t(f"priority.{value}", ctx.lang)):
            return str(value)
    guess = suggest(key, [w for words in SYNONYMS["priority"].values() for w in words])
    shown = next((t(f"priority.{v}", ctx.lang) for v, words in SYNONYMS["priority"].items() if guess in words), None)
    ctx.add("unknown-priority", place, value=text, suggestion=ctx.did_you_mean(shown))
    return None


# --- the transcript ------------------------------------------------------------------------------


def _rows(ctx: _Context, scan: _Scan, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row number, {column: text})`` for each non-empty row of a list table."""
    block = scan.blocks.get(("table", table))
    if block is None:
        return
    for number, cells in enumerate(block.rows, start=1):
        values: dict[str, str] = {}
        for column, tc in cells:
            text = _cell_text(tc)
            if not text:
                continue
            key = block.columns.get(column)
            if key is None:
                ctx.add("unknown-column", ctx.row_place(table, number), value=text)
                continue
            values[key] = f"{values[key]}\n{text}" if key in values else text
        if values:
            yield number, values


def _interviewees(ctx: _Context, scan: _Scan) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    pending: list[tuple[int, dict[str, Any]]] = []
    for number, values in _rows(ctx, scan, "interviewees"):
        person = {"ref": values.get("ref", "").replace("\n", " ")}
        person.update({k: values[k].replace("\n", " ") for k in ("name", "role") if values.get(k)})
        if values.get("consent"):  # the person's own consent; left out, the interview's applies
            place = ctx.cell_place("interviewees", number, "consent")
            state, level = _choice(ctx, "quotes", values["consent"], place, ctx.msg("outcome.left_out"))
            if state == "ok":
                person["consent"] = level
        people.append(person)
        if not person["ref"]:
            pending.append((number, person))
    refs = {p["ref"] for p in people}
    counter = 1
    for number, person in pending:
        while f"P{counter}" in refs:
            counter += 1
        person["ref"] = f"P{counter}"
        refs.add(person["ref"])
        ctx.add("ref-added", ctx.row_place("interviewees", number), ref=person["ref"])
    return people


def _statements(ctx: _Context, vocab: _Vocabulary, scan: _Scan, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number, values in _rows(ctx, scan, table):
        text = values.get("text", "")
        if not text:
            shown = " | ".join(values.values()).replace("\n", " ")
            ctx.add("row-without-text", ctx.row_place(table, number), value=shown)
            continue
        item: dict[str, Any] = {"text": text}
        themes = _theme_ids(ctx, vocab, values.get("themes", ""), ctx.cell_place(table, number, "themes"))
        if themes or table in ("expectations", "contributions"):
            item["themes"] = themes  # required there: an empty list is left for validate to report
        if "sdgs" in TABLES[table]:
            sdgs = _sdg_numbers(ctx, vocab, values.get("sdgs", ""), ctx.cell_place(table, number, "sdgs"))
            if sdgs:
                item["sdgs"] = sdgs
        if "priority" in TABLES[table]:
            priority = _priority(ctx, values.get("priority", ""), ctx.cell_place(table, number, "priority"))
            if priority:
                item["priority"] = priority
        items.append(item)
    return items


def _quotes(ctx: _Context, vocab: _Vocabulary, scan: _Scan, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number, values in _rows(ctx, scan, "quotes"):
        text = values.get("text", "")
        if not text:
            ctx.add("row-without-text", ctx.row_place("quotes", number), value=" | ".join(values.values()))
            continue
        speaker = values.get("speaker", "").replace("\n", " ").strip()
        place = ctx.cell_place("quotes", number, "speaker")
        by_ref = {_norm(p["ref"]): p["ref"] for p in people}
        by_name = {_norm(p["name"]): p["ref"] for p in people if p.get("name")}
        if _norm(speaker) in by_ref:
            speaker = by_ref[_norm(speaker)]
        elif _norm(speaker) in by_name:
            speaker = by_name[_norm(speaker)]
        elif not speaker and len(people) == 1:
            speaker = people[0]["ref"]
            ctx.add("speaker-assumed", place, ref=speaker)
        elif not speaker:
            ctx.add("speaker-missing", place)
        item: dict[str, Any] = {"text": text, "speaker": speaker}
        themes = _theme_ids(ctx, vocab, values.get("themes", ""), ctx.cell_place("quotes", number, "themes"))
        if themes:
            item["themes"] = themes
        items.append(item)
    return items


def _block_text(block: _Block | None) -> str | None:
    if block is None:
        return None
    rows = ["\n".join(filter(None, (_cell_text(tc) for _, tc in cells))) for cells in block.rows]
    text = _clean("\n".join(rows))
    return text or None


def _resolve_actor(ctx: _Context, text: str, form_id: str, source: Path) -> tuple[Actor, bool]:
    """The actor named in the form (``Name (id)``, the id, or the name); else from the interview
    id or the folder the form is in. The flag says whether the actor field itself named it."""
    ws = ctx.ws
    candidates = []
    if match := re.search(r"\(([a-z0-9-]+)\)\s*$", text):
        candidates.append(match[1])
    candidates.append(text.strip())
    for candidate in candidates:
        if actor := ws.actor(candidate):
            return actor, True
    for actor in ws.actors:
        if _norm(text) in {_norm(actor.name), _norm(actor.short_name or actor.name)}:
            return actor, True
    if match := re.fullmatch(r"\d{4}-\d{2}-\d{2}-([a-z0-9-]+?)(?:-\d+)?", form_id):
        for candidate in (form_id[11:], match[1]):
            if actor := ws.actor(candidate):
                return actor, False
    if actor := ws.actor(source.parent.name):
        return actor, False
    guess = suggest(text, [a.id for a in ws.actors])
    raise UserError("form-unknown-actor", path=source, value=text, suggestion=ctx.did_you_mean(guess))


def import_form(ws: Workspace, path: Path, *, lang: str) -> ImportResult:
    """Read the filled form at ``path`` into ``interviews/<actor>/<id>.yaml`` and validate it.

    Never overwrites: when ``<id>.yaml`` exists the transcript goes to the next free id
    (``<id>-2``…) and a finding says so. The .docx is only read. Findings and the validator's
    report are in ``lang``.
    """
    guide = ws.guide
    if guide is None:
        raise UserError("workspace-invalid", file="templates/guide.yaml")
    ctx = _Context(ws=ws, guide=guide, lang=lang)
    body, printed_lang = _open(path, ws.root)
    scan = _scan(body, _bookmarks(guide))
    if not scan.fields and not scan.blocks:
        raise UserError("not-a-form", path=path)
    if atomic.lock_files(path):
        ctx.add("form-open", ctx.msg("place.document"))
    for anchor in dict.fromkeys(scan.duplicates):
        ctx.add("duplicate", ctx.block_place(anchor))
    form_id = scan.fields.get(("meta", "id"), "").replace(" ", "")
    actor, date = _identity(ctx, scan, form_id, path)
    data = _transcript(ctx, scan, actor, date, printed_lang or lang)
    _report_outside(ctx, scan, _printed_for(ctx, actor, form_id, path), form_id, date)
    target, wanted = _write(ctx, data, actor, date, form_id, path)
    if target.stem != wanted:
        ctx.add("id-taken", ctx.msg("place.document"), old=wanted, new=target.stem)
    _, report = check_workspace(ws.root, lang=lang, only=[target])
    return ImportResult(
        source=path,
        transcript_path=target,
        interview_id=target.stem,
        actor=actor.id,
        renamed_from=wanted if target.stem != wanted else None,
        findings=ctx.findings,
        report=report,
    )


def _identity(ctx: _Context, scan: _Scan, form_id: str, path: Path) -> tuple[Actor, dt.date]:
    """Who was interviewed, and when: from the fields, else from the interview id."""
    typed = scan.fields.get(("meta", "actor"), "")
    actor, named = _resolve_actor(ctx, typed, form_id, path)
    if not named:
        ctx.add("actor-guessed", ctx.field_place("meta", "actor"), value=typed, actor=actor.id)
    folder = ctx.ws.actor(path.parent.name)
    if folder is not None and folder.id != actor.id:
        # An oadel form saved in interviews/pasyd/: the field decides, and the person is told.
        ctx.add("other-folder", ctx.field_place("meta", "actor"), folder=folder.id, actor=actor.id)
    typed = scan.fields.get(("meta", "date"), "")
    date = _date(typed)
    if date is None:
        date = _date(form_id[:10])
        if date is None:
            raise UserError("form-bad-date", path=path, value=typed)
        ctx.add("bad-date", ctx.field_place("meta", "date"), value=typed, date=date.isoformat())
    return actor, date


def _transcript(ctx: _Context, scan: _Scan, actor: Actor, date: dt.date, printed_lang: str) -> dict[str, Any]:
    """The transcript's data, keys in the order of format.md (``id`` is set when written)."""
    lang, guide = ctx.lang, ctx.guide

    def choice(kind: str, key: str, outcome: str) -> tuple[str, Any]:
        text = scan.fields.get((kind, key), "")
        return _choice(ctx, key, text, ctx.field_place(kind, key), outcome)

    state, status = choice("meta", "status", ctx.msg("outcome.default", value=t("form.choice.status.draft", lang)))
    _, mode = choice("meta", "mode", ctx.msg("outcome.left_out"))
    found, language = choice("meta", "language", ctx.msg("outcome.form_language"))
    interviewers = scan.fields.get(("meta", "interviewers"), "")
    consent: dict[str, Any] = {}
    for key, default in (("recording", False), ("quotes", "none"), ("review", True)):
        label = t(next(label for v, label in CHOICES[key] if v == default), lang)
        consent_state, chosen = choice("consent", key, ctx.msg("outcome.default", value=label))
        if consent_state == "empty":
            ctx.add("consent-empty", ctx.field_place("consent", key), value=label)
        consent["review_before_publication" if key == "review" else key] = chosen if consent_state == "ok" else default
    people = _interviewees(ctx, scan)
    answers = {q.id: _block_text(scan.blocks.get(("answer", q.id))) for q in guide.questions_for(actor)}
    for (kind, qid), block in scan.blocks.items():
        if kind == "answer" and qid is not None and qid not in answers:
            answers[qid] = _block_text(block)  # a question since removed from the guide: kept, validate says so
    vocab = _Vocabulary(ctx.ws)
    data: dict[str, Any] = {
        "format": 1,
        "id": None,
        "actor": actor.id,
        "date": date,
        "status": status if state == "ok" else "draft",
        "guide": guide.ref,
        "mode": mode,
        "language": language if found == "ok" else printed_lang,
        "interviewers": [name.strip() for name in re.split(r"[,;\n]", interviewers) if name.strip()],
        "interviewees": people,
        "consent": consent,
        "answers": answers,
        "expectations": _statements(ctx, vocab, scan, "expectations"),
        "contributions": _statements(ctx, vocab, scan, "contributions"),
        "constraints": _statements(ctx, vocab, scan, "constraints"),
        "quotes": _quotes(ctx, vocab, scan, people),
        "notes": _block_text(scan.blocks.get(("notes", None))),
    }
    if mode is None:
        del data["mode"]
    return data


def _write(
    ctx: _Context, data: dict[str, Any], actor: Actor, date: dt.date, form_id: str, path: Path
) -> tuple[Path, str]:
    """Write the transcript under the form's id, or the next free one; return (path, form's id)."""
    base = f"{date.isoformat()}-{actor.id}"
    match = re.fullmatch(re.escape(base) + r"(?:-([2-9]|[1-9][0-9]+))?", form_id)
    start = int(match[1] or 1) if match else 1
    if form_id and not match:  # the date was corrected, or the id mistyped
        ctx.add("id-changed", ctx.field_place("meta", "id"), old=form_id, new=base)
    wanted = base if start == 1 else f"{base}-{start}"

    def render(interview_id: str) -> bytes:
        text = render_transcript({**data, "id": interview_id}, header=header)
        if not round_trips(text, {**data, "id": interview_id}):
            raise UserError("form-yaml-failed", path=path)
        return text.encode("utf-8")

    header = ctx.msg("yaml_header", file=_comment_safe(path.name))
    # Past the form's own id, an id held by another form waiting to be imported is not free either.
    target = ctx.ws.allocate_interview(actor, date, render, suffix=".yaml", start=start, own_form=wanted)
    return target, wanted


def _bookmarks(guide: Guide) -> dict[str, tuple[str, str | None]]:
    return {bookmark_name(kind, key): (kind, key) for kind, key in _anchors(guide)}


def _anchors(guide: Guide) -> list[tuple[str, str | None]]:
    """Every identifier a form may carry (bookmark names are computed from these)."""
    anchors: list[tuple[str, str | None]] = [("meta", key) for key in META_FIELDS]
    anchors += [("consent", key) for key in CONSENT_FIELDS]
    anchors += [("table", key) for key in TABLES]
    anchors += [("answer", q.id) for q in guide.questions()]
    anchors.append(("notes", None))
    return anchors


def _printed_for(ctx: _Context, actor: Actor, form_id: str, path: Path) -> list[Actor]:
    """The actors the form may have been printed for: the one it is imported to, the one its id
    names and the one whose folder it is in (its "Structure" field may have been changed)."""
    actors = [actor]
    match = re.fullmatch(r"\d{4}-\d{2}-\d{2}-([a-z0-9-]+?)(?:-\d+)?", form_id)
    for candidate in (form_id[11:], match[1] if match else "", path.parent.name):
        other = ctx.ws.actor(candidate)
        if other is not None and other not in actors:
            actors.append(other)
    return actors


def _report_outside(ctx: _Context, scan: _Scan, printed_for: list[Actor], form_id: str, date: dt.date) -> None:
    """Text typed outside the boxes (or into a question's own box) is not imported: say so.

    The form's own text is known by building the blank form again, in both languages, for each
    actor it may have been printed for; a text close to one of those is a corrected heading or
    question, not an answer. In a question's own cell, what is reported is what was typed
    beyond the printed question, not the question.
    """
    known: set[str] = set()
    printed: dict[tuple[str, str | None], list[str]] = {}
    for actor in printed_for:
        slug = form_id if re.fullmatch(SLUG_PATTERN, form_id) else f"{date.isoformat()}-{actor.id}"
        for lang in LANGUAGES:
            form = build_form(ctx.ws, actor, interview_id=slug, date=date, interviewers=[], mode="in-person", lang=lang)
            blank = _scan_bytes(form, ctx.guide)
            known |= {_norm(text) for text, _ in blank.outside} | {_norm(text) for text, _ in blank.labels}
            for text, anchor in blank.labels:
                printed.setdefault(anchor, []).append(text)
    matcher = difflib.SequenceMatcher(autojunk=False)

    def typed(text: str) -> bool:
        """Whether ``text`` holds words of its own: not the form's text, give or take a typo."""
        key = _norm(text)
        if not key or key in known:
            return False
        matcher.set_seq2(key)
        for other in known:
            matcher.set_seq1(other)
            close = matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8
            if close and len(set(key.split()) - set(other.split())) <= 1:  # a corrected word, not an answer
                return False
        return True

    def shown(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 100 else text[:99] + "…"

    # Comparing each passage costs milliseconds: a hostile form has thousands, so at most
    # _OUTSIDE_EXAMINED are examined and the rest counted.
    outside = scan.outside[:_OUTSIDE_EXAMINED]
    for text, after in outside:
        if typed(text):
            ctx.add("outside", ctx.msg("place.after", where=ctx.block_place(after)), value=shown(text))
    labels = scan.labels[: _OUTSIDE_EXAMINED - len(outside)]
    for text, anchor in labels:
        if anchor in printed:
            added = _added_words(text, printed[anchor])
            if added:
                ctx.add("outside", ctx.block_place(anchor), value=shown(added))
        elif typed(text):
            ctx.add("outside", ctx.block_place(anchor), value=shown(text))
    unexamined = len(scan.outside) + len(scan.labels) - len(outside) - len(labels)
    if unexamined > 0:
        ctx.add("outside-unexamined", ctx.msg("place.document"), count=unexamined)


def _added_words(text: str, printed: list[str]) -> str:
    """What was typed into a printed label (text added anywhere in it, a paragraph added), as
    typed; a word corrected in the printed text is not an addition. Compared with the closest
    of the ``printed`` versions of that label."""
    words = text.split()
    best: list[str] | None = None
    for version in printed:
        old = version.split()
        matcher = difflib.SequenceMatcher(a=[_norm(w) for w in old], b=[_norm(w) for w in words], autojunk=False)
        added: list[str] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            new = " ".join(words[j1:j2])
            if op == "insert" or (
                op == "replace"
                and difflib.SequenceMatcher(a=_norm(" ".join(old[i1:i2])), b=_norm(new), autojunk=False).ratio() < 0.8
            ):
                added.append(new)
        if best is None or len(" ".join(added)) < len(" ".join(best)):
            best = added
    return " … ".join(part for part in best or [] if _norm(part))


def _scan_bytes(data: bytes, guide: Guide) -> _Scan:
    import io

    import docx

    return _scan(docx.Document(io.BytesIO(data)).element.body, _bookmarks(guide))


def _comment_safe(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", text)
