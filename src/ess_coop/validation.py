"""Checking a workspace: every file, every rule of format.md, every finding located.

:func:`check_workspace` reads the whole workspace and returns the parsed :class:`Workspace`
with a :class:`Report`. It never raises on bad input and never writes. Other commands use the
same function, so that what ``validate`` accepts is exactly what they work from.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ess_coop import collector
from ess_coop import files as fs
from ess_coop.consent import declared_level, quote_level
from ess_coop.errors import UserError, folder_reason
from ess_coop.i18n import did_you_mean, t
from ess_coop.models import (
    COUNTRY_PATTERN,
    EMAIL_PATTERN,
    FORMAT_VERSION,
    GUIDE_REF_PATTERN,
    SLUG_PATTERN,
    Actor,
    ActorsFile,
    Guide,
    LocalText,
    ProjectFile,
    ThemesFile,
    Transcript,
)
from ess_coop.report import Issue, Report
from ess_coop.salvage import Salvaged, salvage, whole
from ess_coop.vocabulary import suggest
from ess_coop.workspace import (
    ACTORS_FILE,
    GUIDE_FILE,
    INTERVIEWS_DIR,
    PROJECT_FILE,
    TEMPLATES_DIR,
    THEMES_FILE,
    TranscriptFile,
    Workspace,
    relative,
)
from ess_coop.yamlio import YamlDocument, read_all, read_yaml

if TYPE_CHECKING:  # imported where used: keywords is a layer below (see architecture.md)
    from ess_coop.keywords import KeywordMatcher

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
    "bool_parsing": "boolean",
    "bool_type": "boolean",
    "int_type": "number",
    "int_parsing": "number",
    "int_from_float": "number",
}


@dataclass
class _Checker:
    """Collects findings for one run, in one language."""

    root: Path
    lang: str
    suggest: bool = True  # the themes the keywords suggest (information findings)
    issues: list[Issue] = field(default_factory=list)
    files_read: int = 0
    paths_read: list[str] = field(default_factory=list)
    # The last file that failed its schema: the first finding about each top-level key, by key.
    schema_findings: dict[str, int] = field(default_factory=dict)
    # What the registry and the vocabulary hold, even when their files fail their schema: the
    # entries that validate, and every id written (a typo in one entry's type must not make
    # its id "unknown" everywhere else).
    actors: dict[str, Actor] = field(default_factory=dict)  # by id (the first, when one is written twice)
    actor_ids: set[str] = field(default_factory=set)
    actor_keys: set[str] = field(default_factory=set)
    registry_read: bool = False  # its list of actors was read, even empty: an id not in it is unknown
    theme_ids: set[str] = field(default_factory=set)
    theme_names: dict[str, str] = field(default_factory=dict)  # folded id or label -> id
    # The guide as far as it validates, whether it validated whole, and every question id written
    # (folded: an id written "Mission", reported in the guide, still names the answers "mission").
    guide: Guide | None = None
    guide_whole: bool = False
    question_ids: set[str] = field(default_factory=set)
    # The keyword matcher and each theme's label in the report's language, once known.
    suggester: tuple[KeywordMatcher, dict[str, str]] | None = None

    def add(self, code: str, path: str, position: tuple[int, int] | None, **params: Any) -> None:
        self.issues.append(Issue.make(code, path, position, self.lang, **params))

    def did_you_mean(self, word: object, choices: Iterable[str]) -> str:
        return did_you_mean(suggest(word, choices), self.lang)

    def theme_suggestion(self, word: object) -> str:
        """The "did you mean" of a theme: a label typed for its id (``advocacy`` → ``plaidoyer``),
        as the Word import accepts them, else the closest id."""
        if isinstance(word, str) and _fold(word) in self.theme_names:
            return did_you_mean(self.theme_names[_fold(word)], self.lang)
        return self.did_you_mean(word, self.theme_ids)

    # -- reading one file ---------------------------------------------------------------------

    def read(self, path: Path, doc: YamlDocument | None = None, rel: str | None = None) -> YamlDocument:
        """``path`` read (``doc``, when it was read already), its problems reported."""
        self.files_read += 1
        if doc is None:
            doc = read_yaml(path, root=self.root)
        rel = rel or relative(self.root, path)
        self.paths_read.append(rel)
        for problem in doc.problems:
            position = (problem.line, problem.column or 1) if problem.line else None
            trouble = _not_a_file(path, self.lang) if problem.code == "file-unreadable" else None
            params = {**problem.params, "reason": trouble} if trouble else problem.params
            # The code's hint speaks of interviews, or of a file being synced: one that fits, if any.
            advice = "workspace_folders.advice.not-a-file" if trouble else _advice(problem.code, rel)
            issue = Issue.make(problem.code, rel, position, self.lang, **params)
            self.issues.append(issue.model_copy(update={"hint": t(advice, self.lang)}) if advice else issue)
        return doc

    def parse(
        self, path: Path, model: type[M], *, required: bool = True, read: YamlDocument | None = None, rel: str = ""
    ) -> tuple[YamlDocument | None, M | None]:
        """Read ``path`` (or take ``read``, what was read of it) and validate it against
        ``model``; findings go to the report (about ``rel``, the path as shown, when known)."""
        rel = rel or relative(self.root, path)
        self.schema_findings = {}
        if not os.path.lexists(path):  # a link that cannot be followed is there: read, it is refused
            trouble = _folder_trouble(path.parent, self.lang) if path.parent != self.root else None
            if trouble:  # templates/ a file, a broken link, unreadable: not "missing guide.yaml"
                self.add("folder-unusable", rel, None, folder=path.parent.name, reason=trouble)
            elif required:
                self.add("missing-file", rel, None)
            return None, None
        doc = self.read(path, read, rel)
        if not doc.ok:
            return doc, None
        if not isinstance(doc.data, dict):
            kind = "list" if isinstance(doc.data, list) else "text"
            self.add("not-a-mapping", rel, (1, 1), found=t(f"types.{kind}", self.lang))
            return doc, None
        fmt = doc.data.get("format")
        if "format" in model.model_fields and fmt is not None and str(fmt) != str(FORMAT_VERSION):
            self.add("unsupported-format", rel, doc.value_position(("format",)), value=fmt)
            return doc, None
        try:
            return doc, model.model_validate(doc.data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                key = str(error["loc"][0]) if error["loc"] else ""
                self.schema_findings.setdefault(key, len(self.issues))
                self._schema_issue(rel, doc, model, error)
            return doc, None

    def waiting(self, codes: dict[str, set[str]]) -> None:
        """Say, in the first finding about each broken top-level key, which checks wait for it."""
        for key, waiting in codes.items():
            index = self.schema_findings.get(key)
            if index is None or not waiting:
                continue
            issue = self.issues[index]
            note = t("validate_pass.waiting", self.lang, codes=", ".join(sorted(waiting)))
            # At the end of the line (after the hint), so that the finding itself reads as always.
            self.issues[index] = issue.model_copy(update={"hint": issue.hint + note if issue.hint else note.strip()})

    def _schema_issue(self, rel: str, doc: YamlDocument, model: type[BaseModel], error: Any) -> None:
        loc: tuple[Any, ...] = tuple(error["loc"])
        kind: str = error["type"]
        value = error.get("input")
        field_name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        shown = _show(value)
        if kind == "missing":
            self.add("missing-key", rel, doc.locate(loc, at="key"), key=loc[-1])
        elif kind == "extra_forbidden":
            self.add(
                "unknown-key",
                rel,
                doc.locate(loc, at="key"),
                key=loc[-1],
                suggestion=self.did_you_mean(loc[-1], _keys_at(model, loc)),
            )
        elif kind in ("literal_error", "enum"):
            allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
            self.add(
                "invalid-value",
                rel,
                doc.locate(loc),
                value=shown,
                key=field_name,
                allowed=", ".join(allowed),
                suggestion=self.did_you_mean(value, allowed),
            )
        elif kind == "string_pattern_mismatch":
            pattern = error.get("ctx", {}).get("pattern")
            code = {
                SLUG_PATTERN: "invalid-id",
                COUNTRY_PATTERN: "invalid-country",
                GUIDE_REF_PATTERN: "invalid-guide-ref",
                EMAIL_PATTERN: "invalid-email",
            }.get(pattern, "invalid-value")
            if code == "invalid-id" and "themes" in loc and (suggestion := self.theme_suggestion(value)):
                # A theme's label typed for its id ("Advocacy"): an unknown theme, with its id.
                self.add("unknown-theme", rel, doc.locate(loc), id=shown, suggestion=suggestion)
                return
            self.add(code, rel, doc.locate(loc), value=shown, key=field_name, allowed="", suggestion="")
        elif kind.startswith(("date_", "datetime_")):
            self.add("invalid-date", rel, doc.locate(loc), value=shown, key=field_name)
        elif field_name == "sdgs" and kind.startswith(("int_", "greater_than", "less_than")):
            self.add("invalid-sdg", rel, doc.locate(loc), value=shown)
        elif kind.startswith(("greater_than", "less_than")):
            self.add("invalid-number", rel, doc.locate(loc), value=shown, key=field_name)
        elif kind == "string_too_short":
            self.add("empty-text", rel, doc.locate(loc), key=field_name)
        elif kind == "too_short":
            minimum = error.get("ctx", {}).get("min_length", 1)
            self.add("too-few-items", rel, doc.locate(loc), key=field_name, min=minimum)
        else:
            expected = _EXPECTED.get(kind, "other")
            self.add(
                "wrong-type",
                rel,
                doc.locate(loc),
                key=field_name,
                value=shown,
                expected=t(f"types.{expected}", self.lang),
            )


def _fold(text: str) -> str:
    """A theme name as compared: no case, no accents, spaces and hyphens alike."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s_-]+", " ", plain.casefold()).strip()


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping that holds ``loc[-1]``, for "did you mean"."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return list(current.model_fields) if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


# --- the workspace ---------------------------------------------------------------------------


def check_workspace(
    root: Path,
    *,
    lang: str | None = None,
    strict: bool = False,
    only: list[Path] | None = None,
    suggest: bool = True,
) -> tuple[Workspace, Report]:
    """Read and check the workspace at ``root``.

    ``lang`` defaults to the workspace's language. ``only`` restricts the report to findings
    about these files or folders (the whole workspace is still read: cross-file rules need it).
    ``suggest=False`` leaves out the themes the keywords suggest (information only, which no
    command but ``validate`` prints: a third of the reading's time at 1,000 transcripts).
    """
    with collector.reading():  # the collector would walk what is read again and again
        return _check_workspace(root, lang=lang, strict=strict, only=only, suggest=suggest)


def _check_workspace(
    root: Path, *, lang: str | None, strict: bool, only: list[Path] | None, suggest: bool
) -> tuple[Workspace, Report]:
    ws = Workspace(root=root)
    checker = _Checker(root=root, lang=lang or "fr", suggest=suggest)
    project_doc, ws.project = checker.parse(root / PROJECT_FILE, ProjectFile)
    if lang is None and ws.project is not None:
        checker.lang = ws.project.language
        # Findings already made (none when the project file parsed) keep their language.
    actors_doc, actors = checker.parse(root / ACTORS_FILE, ActorsFile)
    themes_doc, themes = checker.parse(root / THEMES_FILE, ThemesFile)
    guide_doc, ws.guide = checker.parse(root / GUIDE_FILE, Guide)
    ws.actors = list(actors.actors) if actors else []
    ws.themes = list(themes.themes) if themes else []
    _know_registry(checker, actors_doc, actors)
    _know_vocabulary(checker, themes_doc, themes)
    _know_guide(checker, guide_doc, ws.guide)

    _check_project(checker, ws, project_doc)
    _check_registry(checker, ws, actors_doc)
    _check_themes(checker, ws, themes_doc)
    _check_guide(checker, ws, guide_doc)
    _check_transcripts(checker, ws)
    _check_texts(checker, ws)

    issues = checker.issues
    files, transcripts = checker.files_read, len(ws.transcripts)
    if only:
        wanted = [relative(root, p.resolve()) for p in only]

        def asked(path: str) -> bool:
            return any(w in (".", "") or path == w or path.startswith(w.rstrip("/") + "/") for w in wanted)

        # The report is about the files asked for: its findings and its counts.
        issues = [i for i in issues if asked(i.path)]
        files = sum(asked(rel) for rel in checker.paths_read)
        transcripts = sum(asked(entry.rel) for entry in ws.transcripts)
    report = Report.build(issues, files=files, transcripts=transcripts, strict=strict)
    return ws, report


# The workspace's own files, by the advice that fits them when they are empty or too large.
_OWN_FILES = {PROJECT_FILE: "project", ACTORS_FILE: "actors", GUIDE_FILE: "template", THEMES_FILE: "template"}


def _not_a_file(path: Path, lang: str) -> str | None:
    """Why ``path`` could not be read as a file, in ``lang``, when a folder or a link that
    loops or leads nowhere is in its place (the system says it in English); else ``None``."""
    if path.is_dir():
        return t("workspace_folders.reason.folder", lang)
    try:
        path.stat()
    except OSError as exc:
        return folder_reason(exc, lang) if path.is_symlink() else None
    return None


def _advice(code: str, rel: str) -> str | None:
    """The catalogue key of a hint fitting one of the workspace's own files, empty or too large,
    better than the code's own (which speaks of interviews), or ``None``."""
    if code in ("empty-file", "file-too-large") and rel in _OWN_FILES:
        return f"workspace_folders.advice.{_OWN_FILES[rel]}"
    return None


def _folder_trouble(folder: Path, lang: str) -> str | None:
    """Why the files of ``folder`` cannot be read (a file in its place, a link that loops or
    leads nowhere, no permission), in ``lang``; ``None`` when it is a folder we can read, or
    is simply missing."""
    try:
        with os.scandir(folder):
            return None
    except FileNotFoundError:
        return t("workspace_folders.reason.nowhere", lang) if folder.is_symlink() else None
    except NotADirectoryError:
        return t("workspace_folders.reason.file", lang)
    except OSError as exc:
        return folder_reason(exc, lang)


def paths_to_check(root: Path, paths: list[Path]) -> list[Path]:
    """The files or folders ``validate PATH…`` was given, resolved; one that does not exist or
    lies outside the workspace is refused (a ``UserError`` naming it)."""
    resolved = []
    for path in paths:
        full = path.resolve()
        if not full.exists():
            raise UserError("path-missing", path=path)
        if not full.is_relative_to(root):
            raise UserError("path-outside", path=path)
        resolved.append(full)
    return resolved


# The parts of a workspace a command may need to work from (see open_workspace).
Part = Literal["project", "actors", "guide", "themes"]


def open_workspace(
    root: Path, *, lang: str | None = None, need: tuple[Part, ...] = ("project", "actors")
) -> tuple[Workspace, Report]:
    """The workspace at ``root``, read and checked, for a command that works from it: refused
    with a ``UserError`` naming the file to fix when a part in ``need`` did not parse (the
    project, the registry, the guide, or the vocabulary of themes, without which the synthesis
    would be silently empty)."""
    # The report is for its errors: the suggestions, information only, are left out.
    ws, report = check_workspace(root, lang=lang, suggest=False)
    broken = {
        "project": (ws.project is None, PROJECT_FILE),
        "actors": (any(i.path == ACTORS_FILE and i.severity == "error" for i in report.issues), ACTORS_FILE),
        "guide": (ws.guide is None, GUIDE_FILE),
        "themes": (any(i.path == THEMES_FILE and i.severity == "error" for i in report.issues), THEMES_FILE),
    }
    for part in need:
        failed, file = broken[part]
        if failed:
            raise UserError("workspace-invalid", file=file)
    interviews = root / INTERVIEWS_DIR
    if interviews.exists() and not interviews.is_dir():
        # Every command would go on as if nobody had been interviewed (an empty draft, "0 of 16").
        raise UserError("file-in-the-way", path=interviews, name=INTERVIEWS_DIR)
    from ess_coop.safefile import outside

    target = outside(interviews, root) if interviews.is_symlink() else None
    if target is not None:  # not followed: every count would be empty
        raise UserError("link-outside-workspace", path=INTERVIEWS_DIR, target=target.as_posix())
    if ws.unreadable:  # its interviews would be missing from every count
        folder, exc = ws.unreadable[0]
        reason = folder_reason(exc, lang or ws.language)
        raise UserError("workspace_folders.folder-unreadable", path=relative(root, folder), reason=reason)
    return ws, report


def _raw_ids(data: Any, key: str) -> set[str]:
    """Every ``id`` written in the list ``key`` of a file, valid or not."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return set()
    return {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _know_registry(c: _Checker, doc: YamlDocument | None, parsed: ActorsFile | None) -> None:
    if parsed is None and doc is not None and isinstance(doc.data, dict):
        rescued = salvage(ActorsFile, doc.data, {})
        parsed = rescued.model if rescued else None
    for actor in parsed.actors if parsed else []:
        c.actors.setdefault(actor.id, actor)
    c.actor_ids = set(c.actors) | (_raw_ids(doc.data, "actors") if doc else set())
    # An id written "Xylm" (invalid, reported) still names xylm for the files that refer to it.
    c.actor_keys = {fs.name_key(i) for i in c.actor_ids}
    c.registry_read = doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("actors"), list)


def _know_vocabulary(c: _Checker, doc: YamlDocument | None, parsed: ThemesFile | None) -> None:
    if parsed is None and doc is not None and isinstance(doc.data, dict):
        rescued = salvage(ThemesFile, doc.data, {})
        parsed = rescued.model if rescued else None
    themes = list(parsed.themes) if parsed else []
    c.theme_ids = {th.id for th in themes} | (_raw_ids(doc.data, "themes") if doc else set())
    for theme in themes:
        for name in (theme.label.fr, theme.label.en):
            if name:
                c.theme_names.setdefault(_fold(name), theme.id)
    for theme_id in c.theme_ids:
        c.theme_names[_fold(theme_id)] = theme_id


_GUIDE_PLACEHOLDERS = {"id": "x", "version": "1", "title": {"fr": "x"}}


def _know_guide(c: _Checker, doc: YamlDocument | None, parsed: Guide | None) -> None:
    c.guide, c.guide_whole = parsed, parsed is not None
    if parsed is None and doc is not None and isinstance(doc.data, dict):
        rescued = salvage(Guide, doc.data, _GUIDE_PLACEHOLDERS)
        # Without its own id and version, the guide cannot be compared with the one a transcript names.
        c.guide = rescued.model if rescued and rescued.intact(("id",), ("version",)) else None
    sections = doc.data.get("sections") if doc is not None and isinstance(doc.data, dict) else None
    for section in sections if isinstance(sections, list) else []:
        if isinstance(section, dict):
            c.question_ids |= {fs.name_key(i) for i in _raw_ids(section, "questions")}


def _check_project(c: _Checker, ws: Workspace, doc: YamlDocument | None) -> None:
    if ws.project is None or doc is None:
        return
    project = ws.project.project
    if project.start and project.end and project.start > project.end:
        c.add(
            "date-order",
            PROJECT_FILE,
            doc.value_position(("project", "end")),
            start=project.start.isoformat(),
            end=project.end.isoformat(),
        )
    for index in _duplicates([m.id for m in project.milestones]):
        c.add(
            "duplicate-milestone",
            PROJECT_FILE,
            doc.value_position(("project", "milestones", index, "id")),
            id=project.milestones[index].id,
        )
    referential = ws.project.referential
    if referential.status == "validated" and referential.validated_on is None:
        c.add("validated-without-date", PROJECT_FILE, doc.value_position(("referential", "status")))
    _check_placeholders(c, ws, doc)
    actor_ids = c.actor_ids
    # A registry that could not be read at all (a YAML error) says nothing about who is in it.
    if actor_ids or (
        (ws.root / ACTORS_FILE).is_file() and not any(i.path == ACTORS_FILE and i.code in _UNREADABLE for i in c.issues)
    ):
        for index, coordinator in enumerate(project.coordinators):
            if fs.name_key(coordinator) not in c.actor_keys:
                c.add(
                    "unknown-coordinator",
                    PROJECT_FILE,
                    doc.value_position(("project", "coordinators", index)),
                    id=coordinator,
                    suggestion=c.did_you_mean(coordinator, actor_ids),
                )


# Findings after which nothing of a file could be read.
_UNREADABLE = frozenset(
    {"file-unreadable", "file-too-large", "encoding", "control-character", "empty-file", "tab-character",
     "unclosed-quote", "colon-in-value", "yaml-syntax", "complex-key", "yaml-alias", "too-deep", "not-a-mapping"}
)  # fmt: skip


def _check_registry(c: _Checker, ws: Workspace, doc: YamlDocument | None) -> None:
    if doc is None:
        return
    for index in _duplicates([fs.name_key(a.id) for a in ws.actors]):
        c.add("duplicate-actor", ACTORS_FILE, doc.value_position(("actors", index, "id")), id=ws.actors[index].id)
    countries = ws.countries
    if not countries:
        return
    for index, actor in enumerate(ws.actors):
        if actor.country not in countries:
            c.add(
                "country-not-in-project",
                ACTORS_FILE,
                doc.value_position(("actors", index, "country")),
                value=actor.country,
                countries=", ".join(countries),
            )


def _check_themes(c: _Checker, ws: Workspace, doc: YamlDocument | None) -> None:
    if doc is None:
        return
    for index in _duplicates([th.id for th in ws.themes]):
        c.add("duplicate-theme", THEMES_FILE, doc.value_position(("themes", index, "id")), id=ws.themes[index].id)
    for index, theme in enumerate(ws.themes):
        _check_translation(c, THEMES_FILE, doc, ("themes", index, "label"), theme.label)


def _check_guide(c: _Checker, ws: Workspace, doc: YamlDocument | None) -> None:
    guide = ws.guide
    if guide is None or doc is None:
        return
    _check_translation(c, GUIDE_FILE, doc, ("title",), guide.title)
    for index in _duplicates([s.id for s in guide.sections]):
        c.add(
            "duplicate-section", GUIDE_FILE, doc.value_position(("sections", index, "id")), id=guide.sections[index].id
        )
    seen: set[str] = set()
    for s_index, section in enumerate(guide.sections):
        _check_translation(c, GUIDE_FILE, doc, ("sections", s_index, "title"), section.title)
        for q_index, question in enumerate(section.questions):
            where = ("sections", s_index, "questions", q_index)
            if question.id in seen:
                c.add("duplicate-question", GUIDE_FILE, doc.value_position((*where, "id")), id=question.id)
            seen.add(question.id)
            _check_translation(c, GUIDE_FILE, doc, (*where, "text"), question.text)
            if question.help is not None:
                _check_translation(c, GUIDE_FILE, doc, (*where, "help"), question.help)
            if question.when and ws.countries:
                for k, country in enumerate(question.when.country):
                    if country not in ws.countries:
                        c.add(
                            "condition-country",
                            GUIDE_FILE,
                            doc.value_position((*where, "when", "country", k)),
                            value=country,
                            countries=", ".join(ws.countries),
                        )


def _check_translation(c: _Checker, rel: str, doc: YamlDocument, path: tuple[Any, ...], text: LocalText) -> None:
    for lang in ("fr", "en"):
        if not getattr(text, lang):
            c.add("missing-translation", rel, doc.key_position(path), language=lang)


def _duplicates(values: list[str]) -> list[int]:
    """Indexes of values already seen earlier in the list."""
    seen: set[str] = set()
    repeated = []
    for index, value in enumerate(values):
        if value in seen:
            repeated.append(index)
        seen.add(value)
    return repeated


# --- transcripts -----------------------------------------------------------------------------


def _check_transcripts(c: _Checker, ws: Workspace) -> None:
    interviews = ws.root / INTERVIEWS_DIR
    if interviews.exists() and not interviews.is_dir():
        c.add("not-a-folder", INTERVIEWS_DIR, None)
    found = fs.discover_transcripts(interviews)
    # The workspace's own files have conflict copies too (actors.yaml edited on two computers).
    found.conflicts[:0] = fs.discover_conflicts(ws.root) + fs.discover_conflicts(ws.root / TEMPLATES_DIR)
    ws.conflicts = found.conflicts
    ws.unreadable = found.unreadable
    for path in found.misplaced:
        c.add("misplaced-file", relative(ws.root, path), None)
    for path, other in found.clashes:
        c.add("name-clash", relative(ws.root, path), None, other=relative(ws.root, other))
    for path in found.outside:
        c.add("link-outside-workspace", relative(ws.root, path), None, target=os.path.realpath(path))
    for path, exc in found.unreadable:
        c.add("folder-unreadable", relative(ws.root, path), None, reason=folder_reason(exc, c.lang))
    for copy, original, client in found.conflicts:
        differences, position = _conflict_differences(copy, original, c.lang, ws.root)
        c.add(
            "conflict-copy",
            relative(ws.root, copy),
            position,
            original=relative(ws.root, original),
            client=client,
            differences=differences,
        )

    first_seen: dict[str, str] = {}
    submissions: dict[str, str] = {}  # KoboToolbox / ODK submission uuid → the transcript that holds it
    # Read in order; a long list by a forked child, which parses the next files meanwhile.
    for path, read in zip(found.transcripts, read_all(found.transcripts, root=ws.root), strict=True):
        rel = relative(ws.root, path)
        before = len(c.issues)
        doc, transcript = c.parse(path, Transcript, read=read, rel=rel)
        entry = TranscriptFile(path=path, rel=rel, doc=doc or YamlDocument(), transcript=transcript)
        ws.transcripts.append(entry)
        checked: Salvaged[Transcript] | None = None
        if transcript is not None:
            checked = whole(transcript)
        elif doc is not None and isinstance(doc.data, dict) and c.schema_findings:
            # The schema failed: check what is sound anyway, so that every independent
            # mistake is found in this run rather than the next.
            checked = salvage(Transcript, doc.data, _PLACEHOLDERS)
        if checked is not None and doc is not None:
            waiting = _check_transcript(c, ws, entry, _Located(doc, checked), checked)
            if checked.intact(("id",)):
                tr_id = checked.model.id
                if tr_id in first_seen:
                    c.add("duplicate-interview", rel, doc.value_position(("id",)), id=tr_id, other=first_seen[tr_id])
                first_seen.setdefault(tr_id, rel)
            source = checked.model.source if checked.intact(("source",)) else None
            uuid = source.kobo_uuid if source else None
            if uuid and uuid in submissions:  # imported twice, e.g. on two computers before a sync
                position = doc.value_position(("source", "kobo_uuid"))
                c.add("duplicate-submission", rel, position, uuid=uuid, other=submissions[uuid])
            if uuid:
                submissions.setdefault(uuid, rel)
            if transcript is None:
                c.waiting(waiting)
        entry.has_errors = any(i.severity == "error" for i in c.issues[before:])


def _conflict_differences(copy: Path, original: Path, lang: str, root: Path) -> tuple[str, tuple[int, int] | None]:
    """What differs between a conflict copy and its original: the keys whose values differ."""
    if not original.is_file():
        return t("common.original_missing", lang), None
    mine, theirs = read_yaml(copy, root=root), read_yaml(original, root=root)
    if not (isinstance(mine.data, dict) and isinstance(theirs.data, dict)):
        return "", None
    keys = _differing_keys(mine.data, theirs.data, ())
    if not keys:
        return t("common.identical", lang), None
    shown = ", ".join(".".join(map(str, k)) for k in keys[:8]) + ("…" if len(keys) > 8 else "")
    return t("common.differences", lang, keys=shown), mine.key_position(keys[0])


def _differing_keys(a: dict[str, Any], b: dict[str, Any], path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Keys (two levels deep: ``answers.mission``) whose values differ between ``a`` and ``b``."""
    found = []
    for key in list(a) + [k for k in b if k not in a]:
        left, right = a.get(key), b.get(key)
        if left == right:
            continue
        if isinstance(left, dict) and isinstance(right, dict) and not path:
            found += _differing_keys(left, right, (key,))
        else:
            found.append((*path, key))
    return found


_INTERVIEW_ID = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<rest>[a-z0-9-]+)$")

# Stand-ins for required keys whose value failed, so the rest of a transcript can be checked;
# the checks that need those values wait (``needs`` in _check_transcript).
_PLACEHOLDERS = {"format": "1", "id": "x", "actor": "x", "date": "2000-01-01", "status": "draft"}


class _Located:
    """Positions in the file of paths in a (possibly salvaged) transcript."""

    def __init__(self, doc: YamlDocument, checked: Salvaged[Any]) -> None:
        self.doc, self.checked = doc, checked

    def value_position(self, path: tuple[Any, ...]) -> tuple[int, int]:
        return self.doc.value_position(self.checked.raw(path))

    def key_position(self, path: tuple[Any, ...]) -> tuple[int, int]:
        return self.doc.key_position(self.checked.raw(path))


def _check_transcript(
    c: _Checker, ws: Workspace, entry: TranscriptFile, doc: _Located, checked: Salvaged[Transcript]
) -> dict[str, set[str]]:
    """Check one transcript; returns, for each broken top-level key, the checks that waited for it."""
    rel = entry.rel
    pos = doc.value_position
    tr = checked.model
    waiting: dict[str, set[str]] = {}

    def needs(code: str, *keys: str) -> bool:
        """Whether the check ``code`` can run: all the values it reads are sound."""
        missing = [k for k in keys if not checked.intact((k,))]
        for key in missing:
            waiting.setdefault(key, set()).add(code)
        return not missing

    stem = entry.path.name[: -len(".yaml")]
    if needs("id-mismatch", "id") and tr.id != stem:
        c.add("id-mismatch", rel, pos(("id",)), id=tr.id, file=entry.path.name)
    expected = f"{tr.date.isoformat()}-{tr.actor}"
    if needs("interview-id-format", "id", "date", "actor") and not (
        tr.id == expected or re.fullmatch(re.escape(expected) + r"-([2-9]|[1-9][0-9]+)", tr.id)
    ):
        c.add("interview-id-format", rel, pos(("id",)), id=tr.id, expected=expected)
    folder = entry.path.parent.name
    if needs("wrong-folder", "actor") and fs.name_key(folder) != fs.name_key(tr.actor):
        c.add("wrong-folder", rel, pos(("actor",)), actor=tr.actor, folder=folder)

    actor = c.actors.get(tr.actor) if checked.intact(("actor",)) else None
    if needs("unknown-actor", "actor") and fs.name_key(tr.actor) not in c.actor_keys and c.registry_read:
        c.add("unknown-actor", rel, pos(("actor",)), id=tr.actor, suggestion=c.did_you_mean(tr.actor, c.actor_ids))

    if c.theme_ids:
        for list_name in ("expectations", "contributions", "constraints", "quotes"):
            for i, item in enumerate(getattr(tr, list_name)):
                for k, theme in enumerate(item.themes):
                    if theme not in c.theme_ids:
                        c.add(
                            "unknown-theme",
                            rel,
                            pos((list_name, i, "themes", k)),
                            id=theme,
                            suggestion=c.theme_suggestion(theme),
                        )

    refs: set[str] = set()
    for i, person in enumerate(tr.interviewees):
        if person.ref in refs:
            c.add("duplicate-interviewee", rel, pos(("interviewees", i, "ref")), ref=person.ref)
        refs.add(person.ref)
    if needs("unknown-speaker", "interviewees"):
        for i, quote in enumerate(tr.quotes):
            if quote.speaker not in refs:
                c.add(
                    "unknown-speaker",
                    rel,
                    pos(("quotes", i, "speaker")),
                    ref=quote.speaker,
                    refs=", ".join(sorted(refs)) or "—",
                )

    guide = c.guide  # as far as it validates: a broken question does not stop the others' checks
    if guide is not None and needs("other-guide", "guide"):
        if tr.guide is not None and tr.guide != guide.ref:
            c.add("other-guide", rel, pos(("guide",)), used=tr.guide, current=guide.ref)
        else:
            answers_ok = needs("required-unanswered", "status", "actor", "answers")
            _check_answers(c, rel, doc, tr, guide, actor if c.guide_whole else None, required=answers_ok)

    if tr.status in ("complete", "validated") or not checked.intact(("status",)):
        if needs("no-expectation", "status", "expectations") and not tr.expectations:
            c.add("no-expectation", rel, doc.key_position(("status",)))
        if needs("no-contribution", "status", "contributions") and not tr.contributions:
            c.add("no-contribution", rel, doc.key_position(("status",)))

    consent_sound = needs("quotes-without-consent", "consent")
    if needs("names-without-consent", "consent") and consent_sound:
        _check_consent(c, rel, doc, tr, actor)
    lists = ("expectations", "contributions", "constraints")
    if c.suggest and all(checked.intact((name,)) for name in lists):  # positions: the file's own items
        _suggest_themes(c, ws, rel, doc.doc, tr)
    return waiting


def _check_consent(c: _Checker, rel: str, doc: _Located, tr: Transcript, actor: Any) -> None:
    """Quotes and names against what each person agreed to (their own ``consent``, else the
    interview's), and against the registry's ``sensitive`` mark, which no consent lifts."""
    pos = doc.value_position
    people = {p.ref: p for p in tr.interviewees}  # a duplicate ref is reported elsewhere
    unconsented = [q for q in tr.quotes if declared_level(people.get(q.speaker), tr) == "none"]
    by_interview = [q for q in unconsented if not (q.speaker in people and people[q.speaker].consent)]
    if by_interview:
        c.add("quotes-without-consent", rel, doc.key_position(("quotes",)), count=len(by_interview))
    for i, person in enumerate(tr.interviewees):
        own = [q for q in unconsented if q.speaker == person.ref and person.consent]
        if own:
            c.add("person-quotes-without-consent", rel, pos(("interviewees", i, "consent")), ref=person.ref,
                  count=len(own))  # fmt: skip
    if actor is not None:
        for i, quote in enumerate(tr.quotes):
            level = quote_level(quote, tr, actor)
            if quote.release and level != "anonymous":
                c.add("release-without-effect", rel, pos(("quotes", i, "release")), level=level)
    sensitive = actor is not None and actor.sensitive
    if sensitive:
        levels: list[tuple[tuple[Any, ...], str, str | None]] = [
            (("consent", "quotes"), "consent.quotes", tr.consent.quotes)
        ]
        for i, person in enumerate(tr.interviewees):
            levels.append((("interviewees", i, "consent"), f"consent ({person.ref})", person.consent))
        for where, key, value in levels:
            if value in ("named", "role"):
                c.add("sensitive-consent", rel, pos(where), key=key, value=value, actor=actor.id)
    for i, person in enumerate(tr.interviewees):
        if not person.name:
            continue
        if sensitive:
            c.add("sensitive-name", rel, pos(("interviewees", i, "name")), ref=person.ref, actor=actor.id)
        elif declared_level(person, tr) != "named":
            c.add("names-without-consent", rel, pos(("interviewees", i, "name")), ref=person.ref)


def _check_placeholders(c: _Checker, ws: Workspace, doc: YamlDocument) -> None:
    """The texts ``init`` wrote, left as written, and a project without coordinators."""
    from ess_coop.placeholders import placeholder_fields

    assert ws.project is not None
    project = ws.project.project
    for key in placeholder_fields(project):
        c.add("placeholder-text", PROJECT_FILE, doc.value_position(("project", key)), key=f"project.{key}")
    if not project.coordinators:
        c.add("no-coordinators", PROJECT_FILE, doc.value_position(("project", "coordinators")))


def _suggest_themes(c: _Checker, ws: Workspace, rel: str, doc: YamlDocument, tr: Transcript) -> None:
    """Themes the keywords suggest for a statement not tagged with them: information only."""
    if c.suggester is None:  # once per reading: the vocabulary's matcher, and the labels
        from ess_coop.keywords import matcher_for

        c.suggester = matcher_for(ws.themes), {th.id: th.label.get(c.lang) for th in ws.themes}
    matcher, labels = c.suggester
    if not matcher:
        return
    quoted = "« {} »" if c.lang == "fr" else '"{}"'
    items = [(name, i, item) for name in ("expectations", "contributions", "constraints")
             for i, item in enumerate(getattr(tr, name))]  # fmt: skip
    for (list_name, i, item), found in zip(items, matcher.matches_all([item.text for *_, item in items]), strict=True):
        suggested = [theme for theme in found if theme not in item.themes]
        if not suggested:
            continue
        position = doc.value_position((list_name, i, "text"))  # recorded in the one parse
        for theme in suggested:
            c.add(
                "theme-suggested",
                rel,
                position,
                theme=theme,
                label=labels.get(theme, theme),
                words=", ".join(quoted.format(w) for w in found[theme]),
            )


def _check_texts(c: _Checker, ws: Workspace) -> None:
    """``texts/``: unknown names, a .md and a .docx of the same name, unreadable texts."""
    from ess_coop.texts import check_texts

    for problem in check_texts(ws.root, c.lang):
        c.add(problem.code, problem.path, None, **problem.params)


def _check_answers(
    c: _Checker, rel: str, doc: _Located, tr: Transcript, guide: Guide, actor: Any, *, required: bool = True
) -> None:
    questions = {q.id: q for q in guide.questions()}
    for key in tr.answers:
        question = questions.get(key)
        if question is None and fs.name_key(key) not in c.question_ids:
            c.add(
                "unknown-question",
                rel,
                doc.key_position(("answers", key)),
                id=key,
                suggestion=c.did_you_mean(key, questions),
            )
        elif question is not None and actor is not None and not question.applies_to(actor) and tr.answered(key):
            c.add("question-not-asked", rel, doc.key_position(("answers", key)), id=key)
    if tr.status == "draft" or actor is None or not required:
        return
    for question in guide.questions_for(actor):
        if question.required and not tr.answered(question.id):
            where = ("answers", question.id) if question.id in tr.answers else ("status",)
            c.add("required-unanswered", rel, doc.key_position(where), id=question.id, status=tr.status)
