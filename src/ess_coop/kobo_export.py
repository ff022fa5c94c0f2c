"""Reading exports of submissions from KoboToolbox and ODK: XLSX, CSV and the JSON of Kobo's API.

This module only *reads*: it turns an export into :class:`Submission` objects (each field by its
name in the XLSForm, with where it was found), whatever the layout, and leaves the meaning to
``kobo_import``. The layouts, as KoboToolbox and ODK Central write them:

- **XLSX** (Kobo's "XLS" export): the main sheet, one row per submission, then one sheet per
  repeat group, whose rows point to their submission with ``_parent_index`` (the main sheet's
  ``_index``) and ``_submission__uuid``. Headers are XML names, with or without their group path
  (``expectations/expectation_text`` or ``expectation_text``); labels are not read.
  A ``select_multiple`` is one column of space-separated choices, or one 0/1 column per choice.
- **CSV** (Kobo: ``;`` or ``,``; ODK Central: ``,`` with ``-`` between groups): one row per
  submission; repeat groups are not in a flat CSV, which the import says.
- **ZIP** (ODK Central's download of all data): one CSV of submissions and one per repeat group,
  whose rows point to their submission with ``PARENT_KEY`` (the submission's ``KEY``).
- **JSON** (Kobo's API, ``/api/v2/assets/<uid>/data/``): ``{"results": [...]}`` or a bare list;
  keys are group paths, a repeat group is a list of objects.

Every field the form defines has a name holding no ``/``, so a header is matched on its last
path part; the longest known name wins (``a-b`` before ``b`` after a ``-`` separator).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ess_coop import safefile, safezip
from ess_coop.errors import UserError
from ess_coop.i18n import t
from ess_coop.xlsform import KoboError
from ess_coop.xlsx_writer import column_letters

SUFFIXES: Final = (".xlsx", ".csv", ".json", ".zip")
# The metadata columns we read, by the names Kobo and ODK Central give them.
UUID_NAMES: Final = ("_uuid", "instanceID", "KEY", "_submission__uuid")
TIME_NAMES: Final = ("_submission_time", "SubmissionDate")
_INDEX, _PARENT, _PARENT_KEY = "_index", "_parent_index", "PARENT_KEY"
_SEPARATORS: Final = "/.:-"
# Columns KoboToolbox and ODK Central add about a submission (not answers): no need to say they are left.
_METADATA: Final = frozenset(
    {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
     "instanceName", "uuid", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
     "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"}
)  # fmt: skip


def metadata(header: str) -> bool:
    """Whether a column is one the export adds about submissions (``_id``, ``meta/…``, ``start``…)."""
    header = header.strip()
    last = header
    for separator in _SEPARATORS:
        last = last.rsplit(separator, 1)[-1]
    return not header or last.startswith("_") or last in _METADATA or header.startswith(("meta", "formhub", "#"))

# Caps on what an export may hold once unpacked (a .xlsx is a zip): a small file must not be
# able to fill the memory. A minimal check of our own; safezip.py (Word files) may replace it.
MAX_EXPORT_BYTES: Final = 200 * 1024 * 1024
MAX_ZIP_ENTRIES: Final = 2000
# Cells of a workbook read (a row without cells counts one): a 5 KB sheet may claim A1:XFD1048576,
# or hold one cell far away, and every cell before it would be made.
MAX_SHEET_CELLS: Final = 5_000_000
_NO_CELLS: Final[list[str]] = []  # shared by the rows missing from a sheet, never changed


@dataclass(frozen=True)
class Cell:
    """A value as found, with where: (sheet, row, column letter, header), or for JSON the key."""

    value: str
    header: str
    sheet: str = ""
    row: int = 0
    column: str = ""


@dataclass
class Submission:
    """One submission: its fields by XLSForm name, and the entries of each repeat group."""

    number: int  # its order in the export, from 1
    uuid: str | None
    submitted: str | None  # submission time, as the export writes it
    fields: dict[str, Cell] = field(default_factory=dict)
    repeats: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    sheet: str = ""  # where its row is (XLSX, CSV); empty for JSON
    row: int = 0


@dataclass
class Export:
    """What an export holds. ``orphans``: repeat rows whose submission is not in the file."""

    path: Path
    kind: str  # xlsx | csv | json | zip
    submissions: list[Submission]
    orphans: list[Cell] = field(default_factory=list)
    # Columns (or JSON keys) no field of the form has, holding a value: the first such cell of each,
    # and its submission for a JSON export (whose cells have no row).
    unknown: list[tuple[Submission | None, Cell]] = field(default_factory=list)


class Fields:
    """The names of a form's fields, to read headers (``group/name``, ``group-name``) by."""

    def __init__(self, names: Iterable[str], repeats: dict[str, set[str]], multiple: set[str]) -> None:
        self.names = set(names)
        self.repeats = repeats  # repeat group → the names of its fields
        self.multiple = multiple  # select_multiple fields (their 0/1 columns per choice are read too)
        self.known = self.names | set(UUID_NAMES) | set(TIME_NAMES) | {_INDEX, _PARENT, _PARENT_KEY}
        self._seen: dict[str, str | None] = {}  # JSON repeats each key in every submission

    def name(self, header: str) -> str | None:
        """The field a header is about, or ``None``."""
        if header not in self._seen:
            self._seen[header] = self._name(header.strip())
        return self._seen[header]

    def _name(self, header: str) -> str | None:
        if header in self.known:
            return header
        best = None
        for name in self.known:
            if (
                len(header) > len(name)
                and header.endswith(name)
                and header[-len(name) - 1] in _SEPARATORS
                and (best is None or len(name) > len(best))
            ):
                best = name
        return best

    def option(self, header: str) -> tuple[str, str] | None:
        """``(field, choice)`` for a 0/1 column of a select_multiple (``group/field/choice``)."""
        parts = header.strip().split("/")
        if len(parts) >= 2 and parts[-2] in self.multiple:
            return parts[-2], parts[-1]
        return None

    def repeat_of(self, names: Iterable[str]) -> str | None:
        """The repeat group most of ``names`` belong to."""
        counts = {repeat: len(fields & set(names)) for repeat, fields in self.repeats.items()}
        best = max(counts, key=lambda r: counts[r], default=None)
        return best if best is not None and counts[best] else None


def read_export(path: Path, fields: Fields) -> Export:
    """Read the export at ``path`` (by its suffix: .xlsx, .csv, .json or .zip)."""
    if path.is_dir():
        raise UserError("import_faults.path-is-folder", path=path)
    if not path.is_file():
        raise UserError("path-missing", path=path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return _read_xlsx(path, fields)
        if suffix == ".zip":
            return _read_zip(path, fields)
        try:  # a regular file only, at most MAX_EXPORT_BYTES actually read
            raw = safefile.read_bytes(path, limit=MAX_EXPORT_BYTES)
        except safefile.FileRefused as refused:
            raise _refused(path, refused) from None
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = exc.object[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise KoboError("export-encoding", path=path, line=line, column=column) from exc
    except OSError as exc:
        raise KoboError("export-unreadable", path=path, reason=exc.strerror or str(exc)) from exc
    if suffix == ".csv":
        return _read_csv(path, text, fields)
    if suffix == ".json":
        return _read_json(path, text, fields)
    raise KoboError("import-unknown-type", path=path, suffix=suffix or "?")


def _too_large(path: Path, size: int) -> KoboError:
    mb = 1024 * 1024
    return KoboError("export-too-large", path=path, size=round(size / mb), limit=MAX_EXPORT_BYTES // mb)


def _refused(path: Path, refused: safefile.FileRefused) -> UserError:
    """A file refused before it was read, in an export's words when it is too large."""
    if refused.code == "file-too-large":
        return _too_large(path, MAX_EXPORT_BYTES + 1)
    return refused.as_user_error(path)


# An export is larger than a Word form: one sheet part holds every submission's answers.
EXPORT_LIMITS = safezip.Limits(
    file=MAX_EXPORT_BYTES,
    parts=MAX_ZIP_ENTRIES,
    part=MAX_EXPORT_BYTES,
    xml_part=MAX_EXPORT_BYTES,
    total=MAX_EXPORT_BYTES,
    ratio=200,
    ratio_from=4 * 1024 * 1024,
)


def checked_zip(path: Path) -> bytes:
    """The bytes of the zip (an .xlsx, ODK Central's .zip) at ``path``, once ``safezip`` has
    found them within ``EXPORT_LIMITS``: sizes checked from the zip directory before anything
    is unpacked, every part read through a bounded reader, no DTD in an XML part."""
    try:
        return safezip.read(path, limits=EXPORT_LIMITS)
    except safezip.ZipRefused as refused:
        if refused.code == "zip-unreadable":
            raise KoboError("export-unreadable", path=path, reason=refused.params["reason"]) from None
        if "size_mb" in refused.params:  # said in an export's words, not a Word document's
            mb = 1024 * 1024
            raise KoboError(
                "export-too-large", path=path, size=refused.params["size_mb"], limit=MAX_EXPORT_BYTES // mb
            ) from None
        raise refused.as_user_error(path) from None
    except safefile.FileRefused as refused:
        raise _refused(path, refused) from None


def _text(value: Any) -> str:
    """A cell as text: dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


@dataclass
class _Table:
    """One sheet (or a CSV): its headers, each header's field, and its rows of cells."""

    name: str
    headers: list[str]
    rows: list[list[str]]

    def cells(self, fields: Fields) -> list[tuple[int, dict[str, Cell]]]:
        """``(row number, {field: cell})`` for every non-empty row, 0/1 choice columns folded into
        their select_multiple when it has no column of its own."""
        out = []
        # A 0/1 column of a choice (``…/expectation_themes/compost``) before anything else: a
        # choice may share its name with a question.
        options = [fields.option(h) for h in self.headers]
        names = [None if o else fields.name(h) for h, o in zip(self.headers, options, strict=True)]
        for number, row in enumerate(self.rows, start=2):
            values: dict[str, Cell] = {}
            chosen: dict[str, list[str]] = {}
            for index, value in enumerate(row[: len(self.headers)]):
                header, name, option = self.headers[index], names[index], options[index]
                if option is not None and value.strip() in ("1", "True", "true"):
                    chosen.setdefault(option[0], []).append(option[1])
                if name is None or not value.strip():
                    continue
                if name not in values:  # the first column of a name wins (Kobo repeats none)
                    values[name] = Cell(value, header, self.name, number, column_letters(index))
            for name, picked in chosen.items():
                if name not in values:
                    header = next(h for h, o in zip(self.headers, options, strict=True) if o and o[0] == name)
                    values[name] = Cell(" ".join(picked), header.rsplit("/", 1)[0], self.name, number, "")
            if any(row) and not all(v.startswith("#") for v in row if v):  # not a row of HXL tags
                out.append((number, values))
        return out

    def unknown(self, fields: Fields) -> list[tuple[Submission | None, Cell]]:
        """The first filled cell of each column no field of the form has (metadata left aside)."""
        found: list[tuple[Submission | None, Cell]] = []
        for index, header in enumerate(self.headers):
            if fields.name(header) is not None or fields.option(header) is not None or metadata(header):
                continue
            for number, row in enumerate(self.rows, start=2):
                value = row[index].strip() if index < len(row) else ""
                if value and not value.startswith("#"):
                    found.append((None, Cell(value, header, self.name, number, column_letters(index))))
                    break
        return found


def _read_xlsx(path: Path, fields: Fields) -> Export:
    data = checked_zip(path)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise KoboError("export-unreadable", path=path, reason=str(exc).splitlines()[0] or "?") from exc
    from xml.etree.ElementTree import ParseError

    try:
        tables = []
        budget = MAX_SHEET_CELLS
        for sheet in workbook.worksheets:
            rows = []
            sheet.reset_dimensions()  # the cells found, not those the sheet claims: rows are not padded
            for row in sheet.iter_rows(values_only=True):
                budget -= max(len(row), 1)
                if budget < 0:
                    limit = MAX_SHEET_CELLS
                    raise UserError("import_faults.sheet-too-large", path=path, sheet=sheet.title, limit=limit)
                rows.append([_text(v) for v in row] if row else _NO_CELLS)  # a row missing: one list for all
            if rows:
                tables.append(_Table(sheet.title, rows[0], rows[1:]))
    except (ParseError, ValueError, KeyError, TypeError) as exc:  # a sheet's XML openpyxl cannot read
        raise KoboError("export-unreadable", path=path, reason=str(exc).splitlines()[0] if str(exc) else "?") from exc
    finally:
        workbook.close()
    if not tables:
        raise KoboError("export-not-submissions", path=path, field="_uuid")
    main, *others = tables
    return _joined(Export(path, "xlsx", _submissions(path, main, fields)), [main, *others], fields)


def _joined(export: Export, tables: list[_Table], fields: Fields) -> Export:
    """Give each submission the rows of the repeat tables that point to it: Kobo's
    ``_parent_index`` (the main table's ``_index``) or ``_submission__uuid``; ODK Central's
    ``PARENT_KEY`` (the submission's ``KEY``, ``uuid:…``). ``tables`` starts with the
    submissions' own; the columns of it and of the repeats that no field has are noted."""
    by_index = {s.fields[_INDEX].value: s for s in export.submissions if _INDEX in s.fields}
    by_uuid = {s.uuid: s for s in export.submissions if s.uuid}
    main, *tables = tables
    export.unknown += main.unknown(fields)
    for table in tables:
        entries = table.cells(fields)
        repeat = fields.repeat_of({name for _, cells in entries for name in cells})
        if repeat is None:
            continue
        export.unknown += table.unknown(fields)
        for _, cells in entries:
            parent = cells.get(_PARENT)
            owner = by_index.get(parent.value) if parent else None
            for link in ("_submission__uuid", _PARENT_KEY):
                if owner is None and link in cells:
                    owner = by_uuid.get(_uuid(cells[link].value.split("/", 1)[0]) or "")
            entry = {k: v for k, v in cells.items() if k in fields.repeats[repeat]}
            if owner is None:
                if entry:
                    export.orphans.append(next(iter(cells.values())))
                continue
            owner.repeats.setdefault(repeat, []).append(entry)
    return export


def _submissions(path: Path, table: _Table, fields: Fields) -> list[Submission]:
    names = {fields.name(h) for h in table.headers}
    if not names & fields.names:
        raise KoboError("export-not-submissions", path=path, field="actor_id")
    submissions = []
    for order, (number, cells) in enumerate(table.cells(fields), start=1):
        uuid = next((cells[n].value for n in UUID_NAMES if n in cells), None)
        time = next((cells[n].value for n in TIME_NAMES if n in cells), None)
        if _INDEX not in cells:
            cells[_INDEX] = Cell(str(order), _INDEX, table.name, number, "")
        submissions.append(Submission(order, _uuid(uuid), time, cells, {}, table.name, number))
    return submissions


def _uuid(value: str | None) -> str | None:
    """Kobo's ``_uuid`` as it is; ODK's ``uuid:…`` instance ids without their prefix."""
    if not value:
        return None
    value = value.strip()
    return value.removeprefix("uuid:") or None


def _csv_table(name: str, text: str) -> _Table:
    """A CSV as a table: ``;`` or ``,`` (whichever the header holds more of)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _Table(name, rows[0] if rows else [], [[v.strip() for v in row] for row in rows[1:]])


def _read_csv(path: Path, text: str, fields: Fields) -> Export:
    try:
        table = _csv_table(path.name, text)
    except csv.Error as exc:
        raise KoboError("export-unreadable", path=path, reason=str(exc)) from exc
    export = Export(path, "csv", _submissions(path, table, fields))
    export.unknown += table.unknown(fields)
    return export


def _read_zip(path: Path, fields: Fields) -> Export:
    """ODK Central's "all data" download: one CSV for the submissions, one per repeat group."""
    data = checked_zip(path)
    tables = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                if entry.filename.lower().endswith(".csv") and not entry.is_dir():
                    name = entry.filename.rsplit("/", 1)[-1]
                    tables.append(_csv_table(name, archive.read(entry).decode("utf-8-sig")))
    except (zipfile.BadZipFile, OSError, RuntimeError, csv.Error) as exc:
        raise KoboError("export-unreadable", path=path, reason=str(exc) or type(exc).__name__) from exc
    except UnicodeDecodeError as exc:
        raise KoboError("export-encoding", path=path) from exc
    parents = [t for t in tables if _PARENT_KEY not in t.headers]
    if not parents:
        raise KoboError("export-not-submissions", path=path, field="KEY")
    main = min(parents, key=lambda t: len(t.name))  # "form.csv" beside "form-expectations.csv"
    others = [t for t in tables if t is not main]
    return _joined(Export(path, "zip", _submissions(path, main, fields)), [main, *others], fields)


def _read_json(path: Path, text: str, fields: Fields) -> Export:
    try:
        data = json.loads(text)
    except RecursionError:  # brackets nested by the hundred thousand: Python's reader runs out of stack
        raise UserError("import_faults.export-too-deep", path=path) from None
    except json.JSONDecodeError as exc:
        raise KoboError("export-unreadable", path=path, line=exc.lineno, column=exc.colno, reason=exc.msg) from exc
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise KoboError("export-not-submissions", path=path, field="results")
    submissions = []
    unknown: dict[str, tuple[Submission | None, Cell]] = {}  # keys no field has: the first value of each
    for number, record in enumerate(results, start=1):
        if not isinstance(record, dict):
            continue
        submission = Submission(number, None, None)
        for key, value in record.items():
            if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                entries = [_json_cells(fields, entry) for entry in value]
                repeat = fields.repeat_of({n for entry in entries for n in entry})
                name = fields.name(key)
                repeat = repeat or (key.rsplit("/", 1)[-1] if key.rsplit("/", 1)[-1] in fields.repeats else name)
                if repeat in fields.repeats:
                    submission.repeats.setdefault(repeat, []).extend(
                        {k: c for k, c in entry.items() if k in fields.repeats[repeat]} for entry in entries
                    )
                continue
            name = fields.name(key)
            text_value = " ".join(map(_text, value)) if isinstance(value, list) else _text(value)
            if name is not None and text_value and name not in submission.fields:
                submission.fields[name] = Cell(text_value, key)
            elif name is None and text_value and key not in unknown and not metadata(key) and not fields.option(key):
                unknown[key] = (submission, Cell(text_value, key))
        submission.uuid = _uuid(next((submission.fields[n].value for n in UUID_NAMES if n in submission.fields), None))
        submission.submitted = next((submission.fields[n].value for n in TIME_NAMES if n in submission.fields), None)
        submissions.append(submission)
    if results and not any(set(s.fields) & fields.names for s in submissions):
        raise KoboError("export-not-submissions", path=path, field="actor_id")
    return Export(path, "json", submissions, unknown=list(unknown.values()))


def _json_cells(fields: Fields, entry: dict[str, Any]) -> dict[str, Cell]:
    cells = {}
    for key, value in entry.items():
        name = fields.name(key)
        text_value = " ".join(map(_text, value)) if isinstance(value, list) else _text(value)
        if name is not None and text_value:
            cells[name] = Cell(text_value, key)
    return cells


def place(export: Export, submission: Submission | None, cell: Cell | None, lang: str) -> str:
    """Where something is, for people: file, sheet, row and column; or file and submission."""
    file = export.path.name
    sheet = "" if export.kind == "csv" else None  # a CSV is one table: rows are lines of the file
    if cell is not None and cell.row:
        key = "kobo.place.line_cell" if sheet == "" else "kobo.place.cell"
        return t(key, lang, file=file, sheet=cell.sheet, row=cell.row, column=cell.column or "?", header=cell.header)
    if submission is not None and submission.row:
        key = "kobo.place.line" if sheet == "" else "kobo.place.row"
        return t(key, lang, file=file, sheet=submission.sheet, row=submission.row)
    if submission is not None:
        number, uuid = submission.number, submission.uuid or "—"
        if cell is not None:
            return t("kobo.place.json_field", lang, file=file, number=number, uuid=uuid, header=cell.header)
        return t("kobo.place.json", lang, file=file, number=number, uuid=uuid)
    return t("kobo.place.file", lang, file=file)
