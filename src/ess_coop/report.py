"""Findings as data: every problem ``validate`` finds is an :class:`Issue` in a :class:`Report`.

Each finding has a stable kebab-case code from :data:`CODES` (the one catalogue; the messages
and hints of each code are in ``locales/*.json`` under ``codes.<code>``, and the list is
documented in ``docs/codes.md``), a severity, and the file, line and column it is about.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ess_coop.errors import location
from ess_coop.i18n import t

Severity = Literal["error", "warning", "info"]

ERROR: Severity = "error"
WARNING: Severity = "warning"
# Information: a suggestion for a person to consider (a theme the keywords suggest). Never makes
# ``validate`` fail, even with ``--strict``.
INFO: Severity = "info"

# code -> severity. Stable: codes are part of the public interface (scripts grep them).
CODES: dict[str, Severity] = {
    # reading files
    "file-unreadable": ERROR,
    "file-too-large": ERROR,
    "encoding": ERROR,
    "control-character": ERROR,
    "empty-file": ERROR,
    "tab-character": ERROR,
    "unclosed-quote": ERROR,
    "colon-in-value": ERROR,
    "yaml-syntax": ERROR,
    "duplicate-key": ERROR,
    "complex-key": ERROR,
    "yaml-alias": ERROR,
    "too-deep": ERROR,
    "not-a-mapping": ERROR,
    "missing-file": ERROR,
    "not-a-folder": ERROR,
    # schema
    "unsupported-format": ERROR,
    "missing-key": ERROR,
    "unknown-key": ERROR,
    "wrong-type": ERROR,
    "invalid-value": ERROR,
    "invalid-id": ERROR,
    "invalid-country": ERROR,
    "invalid-date": ERROR,
    "invalid-number": ERROR,
    "invalid-sdg": ERROR,
    "invalid-guide-ref": ERROR,
    "empty-text": ERROR,
    "too-few-items": ERROR,
    # project and registry
    "date-order": ERROR,
    "duplicate-actor": ERROR,
    "country-not-in-project": ERROR,
    "unknown-coordinator": ERROR,
    "duplicate-milestone": ERROR,
    "validated-without-date": ERROR,
    "invalid-email": ERROR,
    # themes and guide
    "duplicate-theme": ERROR,
    "duplicate-section": ERROR,
    "duplicate-question": ERROR,
    "missing-translation": WARNING,
    "condition-country": ERROR,
    # transcripts
    "misplaced-file": ERROR,
    "id-mismatch": ERROR,
    "interview-id-format": ERROR,
    "duplicate-interview": ERROR,
    "wrong-folder": ERROR,
    "unknown-actor": ERROR,
    "unknown-theme": ERROR,
    "unknown-speaker": ERROR,
    "duplicate-interviewee": ERROR,
    "unknown-question": ERROR,
    "question-not-asked": WARNING,
    "other-guide": WARNING,
    "required-unanswered": ERROR,
    "no-expectation": WARNING,
    "no-contribution": WARNING,
    "quotes-without-consent": ERROR,
    "names-without-consent": WARNING,
    "sensitive-consent": WARNING,
    "sensitive-name": WARNING,
    "person-quotes-without-consent": ERROR,
    "release-without-effect": WARNING,
    "duplicate-submission": ERROR,
    # synced folders
    "conflict-copy": WARNING,
    "name-clash": ERROR,
    # files that must never be opened (safefile)
    "not-a-regular-file": ERROR,
    "link-outside-workspace": ERROR,
    # the workspace's own folders (issue 17)
    "folder-unreadable": ERROR,
    "folder-unusable": ERROR,
    # the committee's synthesis: suggestions, placeholders, the coordinators' texts/
    "theme-suggested": INFO,
    "placeholder-text": WARNING,
    "no-coordinators": WARNING,
    "texts-unknown-file": WARNING,
    "texts-duplicate": WARNING,
    "texts-unreadable": ERROR,
    # ``import`` of a Word form: what could not be taken as written (the transcript is written)
    "import-form-open": WARNING,
    "import-duplicate": WARNING,
    "import-duplicate-field": WARNING,
    "import-actor-guessed": WARNING,
    "import-bad-date": WARNING,
    "import-id-changed": WARNING,
    "import-id-taken": INFO,
    "import-several-choices": WARNING,
    "import-unknown-choice": WARNING,
    "import-consent-empty": WARNING,
    "import-ref-added": INFO,
    "import-row-without-text": WARNING,
    "import-unknown-column": WARNING,
    "import-unknown-theme": WARNING,
    "import-unknown-sdg": WARNING,
    "import-unknown-priority": WARNING,
    "import-speaker-assumed": WARNING,
    "import-speaker-missing": WARNING,
    "import-outside": WARNING,
    "import-outside-unexamined": WARNING,
    "import-other-folder": WARNING,
    # ``import`` of a KoboToolbox / ODK export (an error: the submission was not imported)
    "kobo-actor-missing": ERROR,
    "kobo-actor-unknown": ERROR,
    "kobo-date-missing": ERROR,
    "kobo-date-from-submission": WARNING,
    "kobo-consent-missing": WARNING,
    "kobo-consent-refused": INFO,
    "kobo-name-dropped": INFO,
    "kobo-quotes-dropped": INFO,
    "kobo-unknown-theme": WARNING,
    "kobo-unknown-sdg": WARNING,
    "kobo-unknown-choice": WARNING,
    "kobo-row-without-text": WARNING,
    "kobo-orphan-row": WARNING,
    "kobo-csv-no-repeats": WARNING,
    "kobo-required-unanswered": WARNING,
    "kobo-no-uuid": WARNING,
    "kobo-not-written": ERROR,
    "kobo-invisible-removed": WARNING,
    "import-invisible-removed": WARNING,
    "import-id-out-of-range": WARNING,
    "kobo-uuid-differs": WARNING,
    "kobo-unknown-column": WARNING,
}


class Issue(BaseModel):
    """One finding. ``path`` is relative to the workspace root, with ``/`` separators."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    path: str
    line: int | None = None
    column: int | None = None
    message: str
    hint: str = ""
    # Where in a document that has no lines: a Word form's field or table row, an export's
    # sheet, row and column (the imports' findings); ``None`` for a file we read as text.
    place: str | None = None

    @classmethod
    def make(
        cls,
        code: str,
        path: str,
        position: tuple[int, int] | None,
        lang: str,
        *,
        place: str | None = None,
        **params: Any,
    ) -> Issue:
        """A finding of ``code`` with its message and hint rendered in ``lang``."""
        line, column = position if position else (None, None)
        texts = _TEXTS.get((code, lang))
        if texts is None:  # the catalogue's two templates, looked up once per code and language
            texts = _TEXTS[code, lang] = (t(f"codes.{code}.message", lang), t(f"codes.{code}.hint", lang, default=""))
        message, hint = texts
        fields = {
            "code": code,
            "severity": CODES[code],
            "path": path,
            "line": line,
            "column": column,
            "message": message.format_map(params) if params else message,  # as ``t`` formats
            "hint": hint.format_map(params) if params else hint,
            "place": place,
        }
        # Built without validation, every value coming from our own code, typed: validating the
        # 26,000 findings of a workspace where every statement suggests a theme cost 0.3 s, and
        # ``model_construct``, which still walks the fields one by one, 0.14 s. This is what
        # ``model_construct`` ends with when every field is given (a test holds the two equal).
        issue = cls.__new__(cls)
        _set(issue, "__dict__", fields)
        _set(issue, "__pydantic_fields_set__", set(_ISSUE_FIELDS))
        _set(issue, "__pydantic_extra__", None)
        _set(issue, "__pydantic_private__", None)
        return issue

    def location(self) -> str:
        return location(self.path, self.line, self.column)


_TEXTS: dict[tuple[str, str], tuple[str, str]] = {}  # (code, language) -> message and hint templates
_set = object.__setattr__  # an Issue is frozen: its own __setattr__ refuses
_ISSUE_FIELDS = frozenset(Issue.model_fields)


class Stats(BaseModel):
    files: int = 0
    transcripts: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0


class Report(BaseModel):
    """What ``validate`` returns; ``--format json`` prints exactly this."""

    valid: bool
    issues: list[Issue]
    stats: Stats

    @classmethod
    def build(
        cls, issues: list[Issue], *, files: int, transcripts: int, strict: bool = False, keep_order: bool = False
    ) -> Report:
        """The report of ``issues``, sorted by place unless ``keep_order`` (an import's findings
        follow the document, then the validator's)."""
        ordered = issues if keep_order else sorted(issues, key=lambda i: (i.path, i.line or 0, i.column or 0, i.code))
        counts = Counter(i.severity for i in ordered)
        failing = counts[ERROR] + (counts[WARNING] if strict else 0)
        stats = Stats(
            files=files, transcripts=transcripts, errors=counts[ERROR], warnings=counts[WARNING], infos=counts[INFO]
        )
        return cls(valid=failing == 0, issues=ordered, stats=stats)

    def by_file(self) -> dict[str, Counter[str]]:
        """Errors and warnings counted per file, for the summary table (information left out)."""
        per_file: dict[str, Counter[str]] = {}
        for issue in self.issues:
            if issue.severity == INFO:
                continue
            per_file.setdefault(issue.path, Counter())[issue.severity] += 1
        return per_file


class Condensed(BaseModel):
    """What the human output shows of a report: a finding repeated in many files is printed
    for its first files only, and counted for the others (``--verbose`` prints everything)."""

    shown: list[Issue]
    # (code, number of further files where it was found), in the order of the report
    more: list[tuple[str, int]]


def condense(issues: list[Issue], *, over: int = 10, first: int = 3) -> Condensed:
    """Keep every finding of a code found in at most ``over`` files; of a code found in more,
    keep those of its ``first`` files and count the rest."""
    files: dict[str, dict[str, None]] = {}  # code -> the files it was found in, in order
    for issue in issues:
        files.setdefault(issue.code, {})[issue.path] = None
    kept = {code: set(list(paths)[:first]) for code, paths in files.items() if len(paths) > over}
    shown = [i for i in issues if i.code not in kept or i.path in kept[i.code]]
    more = [(code, len(files[code]) - len(kept[code])) for code in kept]
    return Condensed(shown=shown, more=more)
