"""``ess-coop import``: a filled Word form (see ``writer``) read back into a transcript.

The form is read by its hidden identifiers (``scan``), never by the position or wording of
its parts, so a form saved by Word or by LibreOffice, with rows added and prompts corrected,
reads the same. Values are taken the way people write them (``values``): theme labels or
ids, SDG numbers or names, choices ticked (☒, X) or typed, in French or English.

Nothing is dropped silently: what cannot be mapped (an unknown theme, a second ticked box, text
typed outside the boxes) becomes a finding (a ``report.Issue`` whose ``place`` says where it
is in the document), and free text is always kept. The transcript is written as *text* by a
small emitter that quotes every free text, parsed back to check it says exactly what was read,
then written without ever replacing a file; the validator then checks it like any transcript.
The .docx is only read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field

from ess_coop import atomic
from ess_coop.errors import UserError
from ess_coop.forms.scan import (
    Block,
    Malformed,
    Scan,
    bookmarks,
    cell_text,
    clean_text,
    open_form,
    scan_body,
    scan_bytes,
)
from ess_coop.forms.values import Vocabulary, interviewer_names, normalize, parse_date, split_terms
from ess_coop.forms.writer import CHOICES, TABLES, build_form
from ess_coop.i18n import LANGUAGES, did_you_mean, t
from ess_coop.models import SLUG_PATTERN, Actor, Guide
from ess_coop.report import Issue, Report
from ess_coop.validation import check_workspace
from ess_coop.vocabulary import SYNONYMS, fold, suggest
from ess_coop.workspace import MAX_SUFFIX, Workspace, relative
from ess_coop.yamlio import render_transcript, round_trips

# Passages outside the boxes compared with the form's own text; a filled form has a few dozen.
_OUTSIDE_EXAMINED = 500
_BOX_ON = "☒☑✓✔✗✘■▣✅❎⊠"
_BOX_OFF = "☐□❏❑"


class ImportResult(Report):
    """What ``import_form`` did with one form: a report shaped as ``validate``'s (what the
    import could not take as written, then what the validator found in the transcript written),
    and the transcript written. ``--format json`` prints a list of these, one per file."""

    model_config = ConfigDict(frozen=True)

    source: Path
    transcript_path: Path
    interview_id: str
    actor: str
    renamed_from: str | None = None  # the form's id, when a transcript already had it
    # The same findings, apart, for the human output (left out of the JSON: they are ``issues``).
    findings: list[Issue] = Field(exclude=True)
    report: Report = Field(exclude=True)


# --- interpreting values ------------------------------------------------------------------------


@dataclass
class _Context:
    """The import of one form: the workspace, the language of messages, the findings so far."""

    ws: Workspace
    guide: Guide
    lang: str
    source: str  # the form, as findings show it (relative to the workspace when inside it)
    findings: list[Issue] = field(default_factory=list)

    def msg(self, key: str, **params: object) -> str:
        return t(f"import.{key}", self.lang, **params)

    def add(self, code: str, place: str, **params: object) -> None:
        self.findings.append(Issue.make(code, self.source, None, self.lang, place=place, **params))

    def did_you_mean(self, word: str | None) -> str:
        return did_you_mean(word, self.lang)

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
        if extra := _beside_boxes(text, [(start, end) for start, end, _ in hits]):
            ctx.add("import-outside", place, value=extra if len(extra) <= 100 else extra[:99] + "…")
        return "ok", chosen[0]
    labels = [t(label_key, ctx.lang) for _, label_key in options]
    if len(chosen) > 1:
        shown = [t(label_key, ctx.lang) for value, label_key in options if value in chosen]
        ctx.add("import-several-choices", place, values=", ".join(shown), outcome=outcome)
        return "bad", None
    rest = re.sub(rf"[{_BOX_ON}{_BOX_OFF}\s]", "", folded)
    if bare or (not hits and rest):
        guess = suggest(normalize(text), [fold(label) for label in labels])
        shown_guess = next((label for label in labels if fold(label) == guess), None)
        ctx.add(
            "import-unknown-choice",
            place,
            value=" ".join(text.split()),
            choices=", ".join(labels),
            suggestion=ctx.did_you_mean(shown_guess),
            outcome=outcome,
        )
        return "bad", None
    return "empty", None


def _beside_boxes(text: str, labels: list[tuple[int, int]]) -> str:
    """What was typed in a choice field besides its labels, boxes and tick marks (a comment),
    as typed; ``labels`` are the spans of the labels found (``fold`` keeps positions)."""
    rest = "".join(
        " " if c in _BOX_ON + _BOX_OFF or any(start <= i < end for start, end in labels) else c
        for i, c in enumerate(text)
    )
    words = [w for w in rest.split() if re.search(r"\w", w)]
    # A tick mark (X) or a word of two letters left by a label ("en visio", "by phone") is no comment.
    return " ".join(words) if any(len(re.sub(r"\W", "", w)) > 2 for w in words) else ""


def _sdg_numbers(ctx: _Context, vocab: Vocabulary, text: str, place: str) -> list[int]:
    text = re.sub(r"(\d)\s+(?:et|and|&|\+)\s+(?=(?:odd|sdg)?\s*\d)", r"\1, ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)\s+(?=\d)", ", ", text)  # "8 12"
    numbers: list[int] = []
    for term, value in split_terms(text, vocab.sdg):
        if isinstance(value, int):
            if value not in numbers:
                numbers.append(value)
            continue
        guess = suggest(normalize(term), list(vocab.sdgs))
        shown = f"{vocab.sdgs[guess]} — {t(f'sdg.{vocab.sdgs[guess]}', ctx.lang)}" if guess else None
        ctx.add("import-unknown-sdg", place, value=term, suggestion=ctx.did_you_mean(shown))
    return numbers


def _theme_ids(ctx: _Context, vocab: Vocabulary, text: str, place: str) -> list[str]:
    ids: list[str] = []
    for term, value in split_terms(text, vocab.theme):
        if value is not None:
            if value not in ids:
                ids.append(value)
            continue
        guess = suggest(normalize(term), list(vocab.themes))
        shown = None
        if guess:
            theme = ctx.ws.theme(vocab.themes[guess])
            shown = f"{theme.id} — {theme.label.get(ctx.lang)}" if theme else vocab.themes[guess]
        ctx.add("import-unknown-theme", place, value=term, suggestion=ctx.did_you_mean(shown))
    return ids


def _priority(ctx: _Context, text: str, place: str) -> str | None:
    key = normalize(text)
    if not key:
        return None
    for value, words in SYNONYMS["priority"].items():
        if key in words or key == normalize(t(f"priority.{value}", ctx.lang)):
            return str(value)
    guess = suggest(key, [w for words in SYNONYMS["priority"].values() for w in words])
    shown = next((t(f"priority.{v}", ctx.lang) for v, words in SYNONYMS["priority"].items() if guess in words), None)
    ctx.add("import-unknown-priority", place, value=text, suggestion=ctx.did_you_mean(shown))
    return None


# --- the transcript ------------------------------------------------------------------------------


def _rows(ctx: _Context, scan: Scan, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row number, {column: text})`` for each non-empty row of a list table."""
    block = scan.blocks.get(("table", table))
    if block is None:
        return
    for number, cells in enumerate(block.rows, start=1):
        values: dict[str, str] = {}
        for column, tc in cells:
            text = cell_text(tc)
            if not text:
                continue
            key = block.columns.get(column)
            if key is None:
                ctx.add("import-unknown-column", ctx.row_place(table, number), value=text)
                continue
            values[key] = f"{values[key]}\n{text}" if key in values else text
        if values:
            yield number, values


def _interviewees(ctx: _Context, scan: Scan) -> list[dict[str, Any]]:
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
        ctx.add("import-ref-added", ctx.row_place("interviewees", number), ref=person["ref"])
    return people


def _statements(ctx: _Context, vocab: Vocabulary, scan: Scan, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number, values in _rows(ctx, scan, table):
        text = values.get("text", "")
        if not text:
            shown = " | ".join(values.values()).replace("\n", " ")
            ctx.add("import-row-without-text", ctx.row_place(table, number), value=shown)
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


def _quotes(ctx: _Context, vocab: Vocabulary, scan: Scan, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number, values in _rows(ctx, scan, "quotes"):
        text = values.get("text", "")
        if not text:
            ctx.add("import-row-without-text", ctx.row_place("quotes", number), value=" | ".join(values.values()))
            continue
        speaker = values.get("speaker", "").replace("\n", " ").strip()
        place = ctx.cell_place("quotes", number, "speaker")
        by_ref = {normalize(p["ref"]): p["ref"] for p in people}
        by_name = {normalize(p["name"]): p["ref"] for p in people if p.get("name")}
        if normalize(speaker) in by_ref:
            speaker = by_ref[normalize(speaker)]
        elif normalize(speaker) in by_name:
            speaker = by_name[normalize(speaker)]
        elif not speaker and len(people) == 1:
            speaker = people[0]["ref"]
            ctx.add("import-speaker-assumed", place, ref=speaker)
        elif not speaker:
            ctx.add("import-speaker-missing", place)
        item: dict[str, Any] = {"text": text, "speaker": speaker}
        themes = _theme_ids(ctx, vocab, values.get("themes", ""), ctx.cell_place("quotes", number, "themes"))
        if themes:
            item["themes"] = themes
        items.append(item)
    return items


def _block_text(block: Block | None) -> str | None:
    if block is None:
        return None
    rows = ["\n".join(filter(None, (cell_text(tc) for _, tc in cells))) for cells in block.rows]
    text = clean_text("\n".join(rows))
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
        if normalize(text) in {normalize(actor.name), normalize(actor.short_name or actor.name)}:
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
    guide = ws.require_guide()
    ctx = _Context(ws=ws, guide=guide, lang=lang, source=relative(ws.root, path))
    body, printed_lang, margins = open_form(path, ws.root)
    try:
        scan = scan_body(body, bookmarks(guide))
    except Malformed as exc:
        raise UserError("form-unreadable", path=path, reason=str(exc)) from exc
    scan.margins = margins
    if not scan.fields and not scan.blocks:
        raise UserError("not-a-form", path=path)
    if atomic.lock_files(path):
        ctx.add("import-form-open", ctx.msg("place.document"))
    dropped = {anchor for anchor, _ in scan.dropped}
    for anchor in dict.fromkeys(scan.duplicates):
        if anchor not in dropped:  # copies whose contents were combined (or were the same)
            ctx.add("import-duplicate", ctx.block_place(anchor))
    for (kind, key), value in scan.dropped:
        kept = " ".join(scan.fields.get((kind, key), "").split())
        value = _added_words(value, [kept]) or " ".join(value.split())  # a comment added: the comment
        ctx.add("import-duplicate-field", ctx.field_place(kind, key), kept=kept, value=value)
    _report_invisible(ctx, scan)
    form_id = scan.fields.get(("meta", "id"), "").replace(" ", "")
    actor, date = _identity(ctx, scan, form_id, path)
    data = _transcript(ctx, scan, actor, date, printed_lang or lang)
    _report_outside(ctx, scan, _printed_for(ctx, actor, form_id, path), form_id, date)
    target, wanted = _write(ctx, data, actor, date, form_id, path)
    if target.stem != wanted:
        ctx.add("import-id-taken", ctx.msg("place.document"), old=wanted, new=target.stem)
    _, report = check_workspace(ws.root, lang=lang, only=[target])
    together = Report.build([*ctx.findings, *report.issues], files=1, transcripts=1, keep_order=True)
    return ImportResult(
        **dict(together),  # valid, issues, stats
        source=path,
        transcript_path=target,
        interview_id=target.stem,
        actor=actor.id,
        renamed_from=wanted if target.stem != wanted else None,
        findings=ctx.findings,
        report=report,
    )


def _report_invisible(ctx: _Context, scan: Scan) -> None:
    """Once per field, box or table cell: the characters removed from what was typed there."""
    removed: dict[str, dict[str, None]] = {}
    for anchor, row, column, chars in scan.invisible:
        kind, key = anchor
        block = scan.blocks.get(anchor)
        name = block.columns.get(column) if block is not None and column is not None else None
        if kind in ("meta", "consent") and key is not None:
            place = ctx.field_place(kind, key)
        elif kind == "table" and key is not None and row is not None:
            place = ctx.cell_place(key, row, name) if name else ctx.row_place(key, row)
        else:
            place = ctx.block_place(anchor)
        removed.setdefault(place, {}).update(dict.fromkeys(chars.split(", ")))
    for place, found in removed.items():
        ctx.add("import-invisible-removed", place, chars=", ".join(found))


def _identity(ctx: _Context, scan: Scan, form_id: str, path: Path) -> tuple[Actor, dt.date]:
    """Who was interviewed, and when: from the fields, else from the interview id."""
    typed = scan.fields.get(("meta", "actor"), "")
    actor, named = _resolve_actor(ctx, typed, form_id, path)
    if not named:
        ctx.add("import-actor-guessed", ctx.field_place("meta", "actor"), value=typed, actor=actor.id)
    folder = ctx.ws.actor(path.parent.name)
    if folder is not None and folder.id != actor.id:
        # An oadel form saved in interviews/pasyd/: the field decides, and the person is told.
        ctx.add("import-other-folder", ctx.field_place("meta", "actor"), folder=folder.id, actor=actor.id)
    typed = scan.fields.get(("meta", "date"), "")
    date = parse_date(typed)
    if date is None:
        date = parse_date(form_id[:10])
        if date is None:
            raise UserError("form-bad-date", path=path, value=typed)
        ctx.add("import-bad-date", ctx.field_place("meta", "date"), value=typed, date=date.isoformat())
    return actor, date


def _transcript(ctx: _Context, scan: Scan, actor: Actor, date: dt.date, printed_lang: str) -> dict[str, Any]:
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
            ctx.add("import-consent-empty", ctx.field_place("consent", key), value=label)
        consent["review_before_publication" if key == "review" else key] = chosen if consent_state == "ok" else default
    people = _interviewees(ctx, scan)
    answers = {q.id: _block_text(scan.blocks.get(("answer", q.id))) for q in guide.questions_for(actor)}
    for (kind, qid), block in scan.blocks.items():
        if kind == "answer" and qid is not None and qid not in answers:
            answers[qid] = _block_text(block)  # a question since removed from the guide: kept, validate says so
    vocab = Vocabulary(ctx.ws)
    data: dict[str, Any] = {
        "format": 1,
        "id": None,
        "actor": actor.id,
        "date": date,
        "status": status if state == "ok" else "draft",
        "guide": guide.ref,
        "mode": mode,
        "language": language if found == "ok" else printed_lang,
        "interviewers": interviewer_names(interviewers),
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
    if start > MAX_SUFFIX:  # no form is printed with it: ids of one actor on one day stop at -99
        ctx.add("import-id-out-of-range", ctx.field_place("meta", "id"), old=form_id, last=MAX_SUFFIX)
        start = 1
    elif form_id and not match:  # the date was corrected, or the id mistyped
        ctx.add("import-id-changed", ctx.field_place("meta", "id"), old=form_id, new=base)
    wanted = base if start == 1 else f"{base}-{start}"

    def render(interview_id: str) -> bytes:
        text = render_transcript({**data, "id": interview_id}, header=header)
        if not round_trips(text, {**data, "id": interview_id}):
            raise UserError("form-yaml-failed", path=path)
        return text.encode("utf-8")

    header = ctx.msg("yaml_header", file=path.name)
    # Past the form's own id, an id held by another form waiting to be imported is not free either.
    target = ctx.ws.allocate_interview(actor, date, render, suffix=".yaml", start=start, own_form=wanted)
    return target, wanted


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


def _report_outside(ctx: _Context, scan: Scan, printed_for: list[Actor], form_id: str, date: dt.date) -> None:
    """Text typed outside the boxes (or into a question's own box) is not imported: say so.

    The form's own text is known by building the blank form again, in both languages, for each
    actor it may have been printed for; a text close to one of those is a corrected heading or
    question, not an answer. In a question's own cell, what is reported is what was typed
    beyond the printed question, not the question.
    """
    known: set[str] = set()
    printed: dict[tuple[str, str | None], list[str]] = {}
    printed_margins: dict[str, list[str]] = {}
    for actor in printed_for:
        slug = form_id if re.fullmatch(SLUG_PATTERN, form_id) else f"{date.isoformat()}-{actor.id}"
        for lang in LANGUAGES:
            form = build_form(ctx.ws, actor, interview_id=slug, date=date, interviewers=[], mode="in-person", lang=lang)
            blank = scan_bytes(form, ctx.guide)
            known |= {normalize(text) for text, _ in blank.outside} | {normalize(text) for text, _ in blank.labels}
            known |= {normalize(text) for _, text in blank.margins}
            for where, text in blank.margins:
                printed_margins.setdefault(where, []).append(text)
            for text, anchor in blank.labels:
                printed.setdefault(anchor, []).append(text)
    matcher = difflib.SequenceMatcher(autojunk=False)

    def typed(text: str) -> str:
        """The words of its own ``text`` holds: all of it, or the words added to the form's
        text it is close to (a corrected word is not one: ``_added_words``); "" for none."""
        key = normalize(text)
        if not key or key in known:
            return ""
        matcher.set_seq2(key)
        best: str | None = None
        for other in known:
            matcher.set_seq1(other)
            close = matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8
            if close:  # the form's text, edited: what was added to it, if anything
                added = _added_words(text, [other])
                if not added:  # a corrected word, not an answer
                    return ""
                best = added if best is None or len(added) < len(best) else best
        return text if best is None else best

    def shown(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 100 else text[:99] + "…"

    # Comparing each passage costs milliseconds: a hostile form has thousands, so at most
    # _OUTSIDE_EXAMINED are examined and the rest counted.
    outside = scan.outside[:_OUTSIDE_EXAMINED]
    margins = scan.margins[: _OUTSIDE_EXAMINED - len(outside)]
    for text, after in outside:
        if added := typed(text):
            ctx.add("import-outside", ctx.msg("place.after", where=ctx.block_place(after)), value=shown(added))
    for where, text in margins:  # the page header or footer: never read, so always reported
        if added := _added_words(text, printed_margins[where]) if where in printed_margins else typed(text):
            ctx.add("import-outside", t(f"form_text.place.{where}", ctx.lang), value=shown(added))
    labels = scan.labels[: _OUTSIDE_EXAMINED - len(outside) - len(margins)]
    for text, anchor in labels:
        if anchor in printed:
            added = _added_words(text, printed[anchor])
            if added:
                ctx.add("import-outside", ctx.block_place(anchor), value=shown(added))
        elif added := typed(text):
            ctx.add("import-outside", ctx.block_place(anchor), value=shown(added))
    unexamined = len(scan.outside) + len(scan.margins) + len(scan.labels) - len(outside) - len(margins) - len(labels)
    if unexamined > 0:
        ctx.add("import-outside-unexamined", ctx.msg("place.document"), count=unexamined)


def _added_words(text: str, printed: list[str]) -> str:
    """What was typed into a printed label (text added anywhere in it, a paragraph added), as
    typed; a word corrected in the printed text is not an addition. Compared with the closest
    of the ``printed`` versions of that label."""
    words = text.split()
    best: list[str] | None = None
    for version in printed:
        old = version.split()
        matcher = difflib.SequenceMatcher(
            a=[normalize(w) for w in old], b=[normalize(w) for w in words], autojunk=False
        )
        added: list[str] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            new = " ".join(words[j1:j2])
            if op == "insert" or (
                op == "replace"
                and difflib.SequenceMatcher(a=normalize(" ".join(old[i1:i2])), b=normalize(new), autojunk=False).ratio()
                < 0.8
            ):
                added.append(new)
        if best is None or len(" ".join(added)) < len(" ".join(best)):
            best = added
    return " … ".join(part for part in best or [] if normalize(part))
