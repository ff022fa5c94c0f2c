"""``ess-coop import EXPORT``: KoboToolbox / ODK submissions of our XLSForm as transcripts.

``kobo_export`` reads the file, ``kobo_values`` reads its values (choices, themes, SDGs; dates
and names with ``forms.values``, as the Word import does); here each submission becomes a
transcript, written the way the Word import writes them (``yamlio.render_transcript``, checked
by parsing it back, created under the next free interview id without ever replacing a file),
then validated.

- **Idempotent**: the submission's ``_uuid`` is recorded in the transcript (``source.kobo_uuid``);
  a submission whose uuid a transcript already holds is reported as already imported, and
  nothing is written.
- **Consent first**: a refused participation keeps only who and when (no answer, no name, no
  quote); names are kept only as ``consent.may_keep_names`` allows, quotes only as
  ``consent.may_keep_quotes`` does; a consent left empty takes the most cautious value.
- **Status**: ``complete`` when the person took part, the consent is filled in and every required
  question that applies to the actor is answered; ``draft`` otherwise.
- What cannot be taken as written (an actor not in the registry, an unknown theme, SDG or
  choice) is a finding located in the export: file, sheet, row and column, or submission number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ess_coop import consent, kobo_values, safefile
from ess_coop.errors import UserError
from ess_coop.forms.values import interviewer_names, parse_date, without_invisible
from ess_coop.i18n import LANGUAGES, did_you_mean, t
from ess_coop.kobo_export import Cell, Export, Fields, Submission, place, read_export
from ess_coop.kobo_values import Labels
from ess_coop.models import Actor, Guide
from ess_coop.report import Issue, Report
from ess_coop.validation import check_workspace
from ess_coop.vocabulary import suggest
from ess_coop.workspace import INTERVIEWS_DIR, Workspace, relative
from ess_coop.xlsform import (
    ACTOR,
    DATE,
    GUIDE_REF,
    INTERVIEWERS,
    LANGUAGE,
    MODE,
    NO,
    NOTES,
    PARTICIPATION,
    QUOTES,
    RECORDING,
    REPEATS,
    REVIEW,
    YES,
    actor_label,
    answer_fields,
    fixed_fields,
)
from ess_coop.yamlio import MAX_BYTES, parse_yaml, quoted, render_transcript, round_trips

Outcome = Literal["imported", "already", "failed"]
_UUID_IN_TEXT = re.compile(r"^\s+kobo_uuid:\s*\"?([^\"\s#]+)", re.MULTILINE)


class SubmissionResult(BaseModel):
    """What became of one submission."""

    model_config = ConfigDict(frozen=True)

    number: int
    uuid: str | None
    place: str
    outcome: Outcome
    transcript_path: Path | None = None
    interview_id: str | None = None
    actor: str | None = None
    # What the import and the validator found, for the human output; in the JSON they are the
    # export's ``issues``, in the order of the submissions.
    findings: list[Issue] = Field(exclude=True)
    report: Report | None = Field(default=None, exclude=True)


class ExportResult(Report):
    """What ``import_export`` did with one export file: a report shaped as ``validate``'s (the
    findings about the file, then each submission's findings and what the validator found in
    its transcript), and what became of each submission. A submission not imported is an error."""

    model_config = ConfigDict(frozen=True)

    source: Path
    kind: str
    findings: list[Issue] = Field(exclude=True)  # about the file as a whole
    submissions: list[SubmissionResult]


def form_fields(guide: Guide) -> Fields:
    """The names our XLSForm gives its fields, for reading exports."""
    repeats = {name: set(fields.values()) for name, fields in REPEATS.items()}
    multiple = {fields[key] for fields in REPEATS.values() for key in ("themes", "sdgs") if key in fields}
    return Fields(fixed_fields() | set(answer_fields(guide)), repeats, multiple)


def imported_uuids(ws: Workspace) -> dict[str, Path]:
    """The submissions already imported: uuid → transcript, read from the files' text too, so
    that a transcript someone broke while editing still counts."""
    found: dict[str, Path] = {}
    for tf in ws.transcripts:
        source = tf.transcript.source if tf.transcript else None
        if source and source.kobo_uuid:
            found[source.kobo_uuid] = tf.path
    folder = ws.root / INTERVIEWS_DIR
    if folder.is_dir():
        for path in folder.glob("*/*.yaml"):
            try:  # as validate reads them: a pipe or a link to a device is refused, never waited on
                text = safefile.read_bytes(path, limit=MAX_BYTES, root=ws.root).decode("utf-8", errors="replace")
            except safefile.FileRefused:
                continue
            for match in _UUID_IN_TEXT.finditer(text):
                found.setdefault(match[1], path)
    return found


def import_export(ws: Workspace, path: Path, *, lang: str) -> ExportResult:
    """Import every submission of the export at ``path``; validate the transcripts written."""
    guide = ws.require_guide()
    export = read_export(path, form_fields(guide))
    source = relative(ws.root, path)
    file_findings: list[Issue] = []
    if export.kind == "csv":
        file_findings.append(_finding("kobo-csv-no-repeats", source, place(export, None, None, lang), lang))
    for cell in export.orphans:
        file_findings.append(_finding("kobo-orphan-row", source, place(export, None, cell, lang), lang))
    for owner, cell in export.unknown:  # once per column: its first value shows what it held
        value = cell.value if len(cell.value) <= 60 else f"{cell.value[:60]}…"
        where = place(export, owner, cell, lang)
        file_findings.append(_finding("kobo-unknown-column", source, where, lang, header=cell.header, value=value))
    done = imported_uuids(ws)
    results: list[SubmissionResult] = []
    first: dict[str, Submission] = {}  # uuid → its first submission in this export
    for submission in export.submissions:
        result = _import_one(ws, guide, export, submission, done, lang)
        twin = first.setdefault(submission.uuid, submission) if submission.uuid else submission
        if twin is not submission and (changed := _differences(twin, submission)):
            where = place(export, submission, None, lang)
            finding = _finding("kobo-uuid-differs", source, where, lang, number=twin.number, fields=", ".join(changed))
            result = result.model_copy(update={"findings": [*result.findings, finding]})
        results.append(result)
    written = [r.transcript_path for r in results if r.outcome == "imported" and r.transcript_path]
    if written:
        _, report = check_workspace(ws.root, lang=lang, only=written)
        results = [_with_report(r, report, ws.root) for r in results]
    issues = [*file_findings]
    for result in results:
        issues += [*result.findings, *(result.report.issues if result.report else [])]
    imported = sum(r.outcome == "imported" for r in results)
    together = Report.build(issues, files=1, transcripts=imported, keep_order=True)
    return ExportResult(
        **dict(together),  # valid, issues, stats
        source=path,
        kind=export.kind,
        findings=file_findings,
        submissions=results,
    )


def _differences(first: Submission, again: Submission) -> list[str]:
    """The fields (and repeat groups) whose text differs between two submissions of one uuid;
    the export's own columns (``_id``, ``_index``…) left out."""

    def texts(cells: dict[str, Cell]) -> dict[str, str]:
        return {name: cell.value.strip() for name, cell in cells.items() if not name.startswith("_")}

    a, b = texts(first.fields), texts(again.fields)
    names = sorted(name for name in a.keys() | b.keys() if a.get(name, "") != b.get(name, ""))
    changed = [(again.fields.get(name) or first.fields[name]).header for name in names]  # as the export says
    for repeat in sorted(first.repeats.keys() | again.repeats.keys()):
        if [texts(e) for e in first.repeats.get(repeat, [])] != [texts(e) for e in again.repeats.get(repeat, [])]:
            changed.append(repeat)
    return changed


def _with_report(result: SubmissionResult, report: Report, root: Path) -> SubmissionResult:
    if result.transcript_path is None or result.outcome != "imported":
        return result
    rel = relative(root, result.transcript_path)
    issues = [i for i in report.issues if i.path == rel]
    own = Report.build(issues, files=1, transcripts=1)
    return result.model_copy(update={"report": own})


def _finding(code: str, source: str, where: str, lang: str, **params: object) -> Issue:
    """A finding about the export ``source`` (as shown to people), at ``where`` in it."""
    return Issue.make(code, source, None, lang, place=where, **params)


class _Reader:
    """One submission being read: its values, where they are, and the findings so far."""

    def __init__(self, ws: Workspace, export: Export, submission: Submission, lang: str) -> None:
        self.ws, self.export, self.submission, self.lang = ws, export, submission, lang
        self.source = relative(ws.root, export.path)
        self.findings: list[Issue] = []
        self.cleaned: set[int] = set()  # the cells whose invisible characters were reported

    def value(self, name: str, cells: dict[str, Cell] | None = None) -> str:
        """A cell's text, without the characters a transcript may not hold (said once per cell)."""
        cell = (cells if cells is not None else self.submission.fields).get(name)
        if cell is None:
            return ""
        text, removed = without_invisible(cell.value)
        if removed and id(cell) not in self.cleaned:
            self.cleaned.add(id(cell))
            self.add("kobo-invisible-removed", name, cells, chars=removed)
        return text.strip()

    def place(self, name: str | None = None, cells: dict[str, Cell] | None = None) -> str:
        cell = (cells if cells is not None else self.submission.fields).get(name) if name else None
        if cell is None and cells:
            cell = next(iter(cells.values()))  # a repeat entry: its row
        return place(self.export, self.submission, cell, self.lang)

    def add(self, code: str, name: str | None = None, cells: dict[str, Cell] | None = None, **params: object) -> None:
        self.findings.append(_finding(code, self.source, self.place(name, cells), self.lang, **params))

    def did_you_mean(self, word: str | None) -> str:
        return did_you_mean(word, self.lang)

    def choice(
        self, name: str, labels: Labels, default: str | None, cells: dict[str, Cell] | None = None
    ) -> str | None:
        """A select_one's value (its name, or a label in either language); anything else is a
        finding, and ``default`` is kept."""
        raw = self.value(name, cells)
        if not raw:
            return None
        value = kobo_values.choice(raw, labels)
        if value is not None:
            return value
        key, params = ("kobo.outcome.default", {"value": default}) if default else ("kobo.outcome.left_out", {})
        outcome = t(key, self.lang, **params)
        self.add("kobo-unknown-choice", name, cells, value=raw, choices=", ".join(labels), outcome=outcome)
        return default


def _import_one(
    ws: Workspace, guide: Guide, export: Export, submission: Submission, done: dict[str, Path], lang: str
) -> SubmissionResult:
    reader = _Reader(ws, export, submission, lang)
    uuid = submission.uuid
    where = place(export, submission, None, lang)

    def result(outcome: Outcome, **fields: Any) -> SubmissionResult:
        return SubmissionResult(
            number=submission.number, uuid=uuid, place=where, outcome=outcome, findings=reader.findings, **fields
        )

    if uuid and uuid in done:
        return result("already", transcript_path=done[uuid], interview_id=done[uuid].stem)
    actor = _actor(reader)
    if actor is None:
        return result("failed")
    date = _date(reader)
    if date is None:
        return result("failed", actor=actor.id)
    if not uuid:
        reader.add("kobo-no-uuid")
    data = _transcript(reader, guide, actor, date)
    try:
        target = _write(ws, data, actor, date, export.path, lang, uuid=uuid, submitted=submission.submitted)
    except UserError as exc:  # this submission only: the others are imported, and counted
        reader.add("kobo-not-written", reason=exc.render(lang))
        return result("failed", actor=actor.id)
    if uuid:
        done[uuid] = target
    return result("imported", transcript_path=target, interview_id=target.stem, actor=actor.id)


def _actor(reader: _Reader) -> Actor | None:
    raw = reader.value(ACTOR)
    if not raw:
        reader.add("kobo-actor-missing", ACTOR)
        return None
    ws = reader.ws
    actor = ws.actor(raw)
    if actor is None:  # an export "with labels": the form's label, or the organisation's name
        fold = kobo_values.fold
        labels = {fold(actor_label(a, lang)): a for a in ws.actors for lang in LANGUAGES}
        labels.update({fold(n): a for a in ws.actors for n in (a.name, a.short_name) if n and fold(n) not in labels})
        actor = labels.get(fold(raw))
    if actor is None:
        guess = suggest(raw, [a.id for a in ws.actors])
        reader.add("kobo-actor-unknown", ACTOR, value=raw, suggestion=reader.did_you_mean(guess))
    return actor


def _date(reader: _Reader) -> dt.date | None:
    raw = reader.value(DATE)
    date = parse_date(raw, time_after=True)
    if date is not None:
        return date
    submitted = parse_date(reader.submission.submitted or "", time_after=True)
    if submitted is None:
        reader.add("kobo-date-missing", DATE, value=raw)
        return None
    reader.add("kobo-date-from-submission", DATE, value=raw, date=submitted.isoformat())
    return submitted


def _transcript(reader: _Reader, guide: Guide, actor: Actor, date: dt.date) -> dict[str, Any]:
    """The transcript's data, keys in the order of format.md (``id`` is set when written)."""
    participation = reader.choice(PARTICIPATION, kobo_values.YES_NO, None)
    took_part = participation != NO
    mode = reader.choice(MODE, kobo_values.MODE_LABELS, None)
    language = reader.choice(LANGUAGE, kobo_values.LANGUAGE_LABELS, None)
    interviewers = interviewer_names(reader.value(INTERVIEWERS))
    data: dict[str, Any] = {
        "format": 1,
        "id": None,
        "actor": actor.id,
        "date": date,
        "status": "draft",
        "guide": _guide_ref(reader, guide),
        "mode": mode,
        "language": language or reader.ws.language,
        "interviewers": interviewers,
        "interviewees": [],
        "consent": {"recording": False, "quotes": "none", "review_before_publication": True},
        "answers": {},
        "expectations": [],
        "contributions": [],
        "constraints": [],
        "quotes": [],
        "notes": None,
    }
    if mode is None:
        del data["mode"]
    if not took_part:
        reader.add("kobo-consent-refused", PARTICIPATION)
        data["notes"] = t("kobo.refused_notes", data["language"])
        return data
    consent_given = _consent(reader, data["consent"])
    quotes_level = data["consent"]["quotes"]
    data["interviewees"] = _interviewees(reader, actor, quotes_level)
    fields = {question_id: name for name, question_id in answer_fields(guide).items()}
    answers: dict[str, str | None] = {}
    for question in guide.questions():
        text = reader.value(fields[question.id])
        if text or question.applies_to(actor):
            answers[question.id] = _answer(reader, fields[question.id]) or None
    data["answers"] = answers
    for repeat in ("expectations", "contributions", "constraints"):
        data[repeat] = _statements(reader, repeat)
    quotes = _quotes(reader, data["interviewees"])
    if consent.may_keep_quotes(quotes_level, participation=took_part):
        data["quotes"] = quotes
    elif quotes:
        reader.add("kobo-quotes-dropped", QUOTES, count=len(quotes))
    data["notes"] = _answer(reader, NOTES) or None
    missing = [q.id for q in guide.questions_for(actor) if q.required and not (answers.get(q.id) or "").strip()]
    if missing:
        reader.add("kobo-required-unanswered", count=len(missing), questions=", ".join(missing))
    if consent_given and not missing:
        data["status"] = "complete"
    return data


def _answer(reader: _Reader, name: str) -> str:
    return kobo_values.free_text(reader.value(name))


def _guide_ref(reader: _Reader, guide: Guide) -> str:
    ref = reader.value(GUIDE_REF)
    return ref if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}@[0-9]+", ref) else guide.ref


def _consent(reader: _Reader, into: dict[str, Any]) -> bool:
    """Fill ``into`` from the consent fields; ``False`` if one was left empty (the cautious
    default is kept, and said)."""
    complete = True
    consents: tuple[tuple[str, str, Labels, str], ...] = (
        (RECORDING, "recording", kobo_values.YES_NO, NO),
        (QUOTES, "quotes", kobo_values.QUOTE_LEVELS, "none"),
        (REVIEW, "review_before_publication", kobo_values.YES_NO, YES),
    )
    for name, key, labels, cautious in consents:
        value = reader.choice(name, labels, cautious)
        if value is None:
            complete = False
            reader.add("kobo-consent-missing", name, value=t(labels[cautious][0], reader.lang))
            value = cautious
        into[key] = value == YES if labels is kobo_values.YES_NO else value
    return complete


def _interviewees(reader: _Reader, actor: Actor, quotes_level: str) -> list[dict[str, Any]]:
    fields = REPEATS["interviewees"]
    keep_names = consent.may_keep_names(quotes_level, actor)
    people: list[dict[str, Any]] = []
    for number, entry in enumerate(reader.submission.repeats.get("interviewees", []), start=1):
        ref = reader.value(fields["ref"], entry) or f"P{number}"
        person: dict[str, Any] = {"ref": ref}
        name = " ".join(reader.value(fields["name"], entry).split())
        if name and keep_names:
            person["name"] = name
        elif name:
            reader.add("kobo-name-dropped", fields["name"], entry, ref=ref, consent=quotes_level)
        role = " ".join(reader.value(fields["role"], entry).split())
        if role:
            person["role"] = role
        people.append(person)
    return people


def _themes(reader: _Reader, entry: dict[str, Cell], name: str) -> list[str]:
    ids, unknown = kobo_values.theme_ids(reader.value(name, entry), reader.ws.themes)
    for word in unknown:
        guess = reader.did_you_mean(suggest(word, [th.id for th in reader.ws.themes]))
        reader.add("kobo-unknown-theme", name, entry, value=word, suggestion=guess)
    return ids


def _sdgs(reader: _Reader, entry: dict[str, Cell], name: str) -> list[int]:
    numbers, unknown = kobo_values.sdg_numbers(reader.value(name, entry))
    for word in unknown:
        reader.add("kobo-unknown-sdg", name, entry, value=word)
    return numbers


def _rows(reader: _Reader, repeat: str) -> Iterator[tuple[dict[str, Cell], str]]:
    """The entries of a repeat that hold a text, with that text; an entry without one is reported."""
    for entry in reader.submission.repeats.get(repeat, []):
        text = kobo_values.free_text(reader.value(REPEATS[repeat]["text"], entry))
        if text:
            yield entry, text
        elif entry:
            reader.add("kobo-row-without-text", None, entry)


def _statements(reader: _Reader, repeat: str) -> list[dict[str, Any]]:
    fields = REPEATS[repeat]
    items: list[dict[str, Any]] = []
    for entry, text in _rows(reader, repeat):
        item: dict[str, Any] = {"text": text}
        themes = _themes(reader, entry, fields["themes"])
        if themes or repeat != "constraints":
            item["themes"] = themes  # required there: an empty list is left for validate to report
        if "sdgs" in fields and (sdgs := _sdgs(reader, entry, fields["sdgs"])):
            item["sdgs"] = sdgs
        if "priority" in fields and (priority := reader.choice(fields["priority"], kobo_values.PRIORITY_LABELS,
                                                               None, entry)):  # fmt: skip
            item["priority"] = priority
        items.append(item)
    return items


def _quotes(reader: _Reader, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = REPEATS["quotes"]
    refs = {p["ref"].casefold(): p["ref"] for p in people}
    names = {kobo_values.fold(p["name"]): p["ref"] for p in people if p.get("name")}
    items: list[dict[str, Any]] = []
    for entry, text in _rows(reader, "quotes"):
        speaker = " ".join(reader.value(fields["speaker"], entry).split()) or "P1"
        speaker = refs.get(speaker.casefold()) or names.get(kobo_values.fold(speaker)) or speaker
        if not people and speaker == "P1":  # the form's first person, none described
            people.append({"ref": "P1"})
            refs["p1"] = "P1"
        item: dict[str, Any] = {"text": text, "speaker": speaker}
        themes = _themes(reader, entry, fields["themes"])
        if themes:
            item["themes"] = themes
        items.append(item)
    return items


def _write(
    ws: Workspace,
    data: dict[str, Any],
    actor: Actor,
    date: dt.date,
    source: Path,
    lang: str,
    *,
    uuid: str | None,
    submitted: str | None,
) -> Path:
    """Write the transcript under the next free id; never over an existing file."""
    header = t("kobo.yaml_header", lang, file=source.name)

    def render(interview_id: str) -> bytes:
        data["id"] = interview_id
        text = render_transcript(data, header=header)
        if not round_trips(text, data):
            raise UserError("form-yaml-failed", path=source)
        return _with_source(text, uuid, submitted, source).encode("utf-8")

    # the one allocator of interview ids: a form waiting to be imported holds its id too, and
    # another import taking the same id at the same moment makes this one take the next
    return ws.allocate_interview(actor, date, render, suffix=".yaml")


def _with_source(text: str, uuid: str | None, submitted: str | None, path: Path) -> str:
    """``text`` with the ``source`` mapping appended, checked by parsing it back."""
    if not uuid and not submitted:
        return text
    lines = ["source:"]
    if uuid:
        lines.append(f"  kobo_uuid: {quoted(uuid)}")
    if submitted:
        lines.append(f"  submitted: {quoted(submitted)}")
    full = text + "\n".join(lines) + "\n"
    parsed = parse_yaml(full)
    expected = {k: v for k, v in {"kobo_uuid": uuid, "submitted": submitted}.items() if v}
    if not parsed.ok or not isinstance(parsed.data, dict) or parsed.data.get("source") != expected:
        raise UserError("form-yaml-failed", path=path)
    return full
