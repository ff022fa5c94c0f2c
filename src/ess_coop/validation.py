"""Checking a workspace: every file, every rule of format.md, every finding located.

:func:`check_workspace` reads the whole workspace and returns the parsed :class:`Workspace`
with a :class:`Report`. It never raises on bad input and never writes. Other commands use the
same function, so that what ``validate`` accepts is exactly what they work from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from ess_coop import files as fs
from ess_coop.consent import declared_level, quote_level
from ess_coop.i18n import t
from ess_coop.models import (
    COUNTRY_PATTERN,
    FORMAT_VERSION,
    GUIDE_REF_PATTERN,
    SLUG_PATTERN,
    ActorsFile,
    Guide,
    LocalText,
    ProjectFile,
    ThemesFile,
    Transcript,
)
from ess_coop.report import Issue, Report
from ess_coop.workspace import (
    ACTORS_FILE,
    GUIDE_FILE,
    INTERVIEWS_DIR,
    PROJECT_FILE,
    THEMES_FILE,
    TranscriptFile,
    Workspace,
    relative,
)
from ess_coop.yamlio import YamlDocument, read_yaml

M = TypeVar("M", bound=BaseModel)

# French (and common English) words people type for our English values.
_SYNONYMS = {
    "brouillon": "draft",
    "complet": "complete",
    "complété": "complete",
    "terminé": "complete",
    "completed": "complete",
    "done": "complete",
    "validé": "validated",
    "valide": "validated",
    "approved": "validated",
    "visio": "video",
    "visioconférence": "video",
    "présentiel": "in-person",
    "presentiel": "in-person",
    "face-to-face": "in-person",
    "téléphone": "phone",
    "telephone": "phone",
    "écrit": "written",
    "ecrit": "written",
    "nommé": "named",
    "nom": "named",
    "fonction": "role",
    "anonyme": "anonymous",
    "aucun": "none",
    "non": "none",
    "haute": "high",
    "haut": "high",
    "élevée": "high",
    "moyenne": "medium",
    "moyen": "medium",
    "basse": "low",
    "faible": "low",
    "français": "fr",
    "francais": "fr",
    "anglais": "en",
    "french": "fr",
    "english": "en",
    "ong": "ngo",
    "réseau": "network",
    "reseau": "network",
    "université": "university",
    "collectivité": "local-authority",
    "incubateur": "incubator",
    "financeur": "funder",
    "partenaire": "partner",
    "coordinateur": "coordinator",
    "observateur": "observer",
    "autre": "other",
}

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


def suggest(word: object, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, if one is close enough."""
    if not isinstance(word, str):
        return None
    choices = list(choices)
    lowered = word.strip().lower()
    if _SYNONYMS.get(lowered) in choices:
        return _SYNONYMS[lowered]
    match = difflib.get_close_matches(lowered, choices, n=1, cutoff=0.6)
    return match[0] if match else None


@dataclass
class _Checker:
    """Collects findings for one run, in one language."""

    root: Path
    lang: str
    issues: list[Issue] = field(default_factory=list)
    files_read: int = 0

    def add(self, code: str, path: str, position: tuple[int, int] | None, **params: Any) -> None:
        self.issues.append(Issue.make(code, path, position, self.lang, **params))

    def did_you_mean(self, word: object, choices: Iterable[str]) -> str:
        match = suggest(word, choices)
        return t("common.did_you_mean", self.lang, word=match) if match else ""

    # -- reading one file ---------------------------------------------------------------------

    def read(self, path: Path) -> YamlDocument:
        self.files_read += 1
        doc = read_yaml(path)
        rel = relative(self.root, path)
        for problem in doc.problems:
            position = (problem.line, problem.column or 1) if problem.line else None
            self.add(problem.code, rel, position, **problem.params)
        return doc

    def parse(self, path: Path, model: type[M], *, required: bool = True) -> tuple[YamlDocument | None, M | None]:
        """Read ``path`` and validate it against ``model``; findings go to the report."""
        rel = relative(self.root, path)
        if not path.exists():
            if required:
                self.add("missing-file", rel, None)
            return None, None
        doc = self.read(path)
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
                self._schema_issue(rel, doc, model, error)
            return doc, None

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
            }.get(pattern, "invalid-value")
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
    root: Path, *, lang: str | None = None, strict: bool = False, only: list[Path] | None = None
) -> tuple[Workspace, Report]:
    """Read and check the workspace at ``root``.

    ``lang`` defaults to the workspace's language. ``only`` restricts the report to findings
    about these files or folders (the whole workspace is still read: cross-file rules need it).
    """
    ws = Workspace(root=root)
    checker = _Checker(root=root, lang=lang or "fr")
    project_doc, ws.project = checker.parse(root / PROJECT_FILE, ProjectFile)
    if lang is None and ws.project is not None:
        checker.lang = ws.project.language
        # Findings already made (none when the project file parsed) keep their language.
    actors_doc, actors = checker.parse(root / ACTORS_FILE, ActorsFile)
    themes_doc, themes = checker.parse(root / THEMES_FILE, ThemesFile)
    guide_doc, ws.guide = checker.parse(root / GUIDE_FILE, Guide)
    ws.actors = list(actors.actors) if actors else []
    ws.themes = list(themes.themes) if themes else []

    _check_project(checker, ws, project_doc)
    _check_registry(checker, ws, actors_doc)
    _check_themes(checker, ws, themes_doc)
    _check_guide(checker, ws, guide_doc)
    _check_transcripts(checker, ws)
    _check_texts(checker, ws)

    issues = checker.issues
    if only:
        wanted = [relative(root, p.resolve()) for p in only]
        issues = [i for i in issues if any(i.path == w or i.path.startswith(w.rstrip("/") + "/") for w in wanted)]
    report = Report.build(issues, files=checker.files_read, transcripts=len(ws.transcripts), strict=strict)
    return ws, report


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
    _check_placeholders(c, ws, doc)
    actor_ids = {a.id for a in ws.actors}
    if actor_ids or (ws.root / ACTORS_FILE).is_file():
        for index, coordinator in enumerate(project.coordinators):
            if coordinator not in actor_ids:
                c.add(
                    "unknown-coordinator",
                    PROJECT_FILE,
                    doc.value_position(("project", "coordinators", index)),
                    id=coordinator,
                    suggestion=c.did_you_mean(coordinator, actor_ids),
                )


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
    found = fs.discover_transcripts(interviews)
    ws.conflicts = found.conflicts
    for path in found.misplaced:
        c.add("misplaced-file", relative(ws.root, path), None)
    for path, other in found.clashes:
        c.add("name-clash", relative(ws.root, path), None, other=relative(ws.root, other))
    for copy, original, client in found.conflicts:
        differences, position = _conflict_differences(copy, original, c.lang)
        c.add(
            "conflict-copy",
            relative(ws.root, copy),
            position,
            original=relative(ws.root, original),
            client=client,
            differences=differences,
        )

    first_seen: dict[str, str] = {}
    for path in found.transcripts:
        rel = relative(ws.root, path)
        before = len(c.issues)
        doc, transcript = c.parse(path, Transcript)
        entry = TranscriptFile(path=path, rel=rel, doc=doc or YamlDocument(), transcript=transcript)
        ws.transcripts.append(entry)
        if transcript is not None and doc is not None:
            _check_transcript(c, ws, entry, doc, transcript)
            if transcript.id in first_seen:
                c.add(
                    "duplicate-interview",
                    rel,
                    doc.value_position(("id",)),
                    id=transcript.id,
                    other=first_seen[transcript.id],
                )
            first_seen.setdefault(transcript.id, rel)
        entry.has_errors = any(i.severity == "error" for i in c.issues[before:])


def _conflict_differences(copy: Path, original: Path, lang: str) -> tuple[str, tuple[int, int] | None]:
    """What differs between a conflict copy and its original: the keys whose values differ."""
    if not original.is_file():
        return t("common.original_missing", lang), None
    mine, theirs = read_yaml(copy), read_yaml(original)
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


def _check_transcript(c: _Checker, ws: Workspace, entry: TranscriptFile, doc: YamlDocument, tr: Transcript) -> None:
    rel = entry.rel
    pos = doc.value_position
    stem = entry.path.name[: -len(".yaml")]
    if tr.id != stem:
        c.add("id-mismatch", rel, pos(("id",)), id=tr.id, file=entry.path.name)
    expected = f"{tr.date.isoformat()}-{tr.actor}"
    if not (tr.id == expected or re.fullmatch(re.escape(expected) + r"-([2-9]|[1-9][0-9]+)", tr.id)):
        c.add("interview-id-format", rel, pos(("id",)), id=tr.id, expected=expected)
    folder = entry.path.parent.name
    if fs.name_key(folder) != fs.name_key(tr.actor):
        c.add("wrong-folder", rel, pos(("actor",)), actor=tr.actor, folder=folder)

    actor = ws.actor(tr.actor)
    if actor is None and ws.actors:
        c.add(
            "unknown-actor",
            rel,
            pos(("actor",)),
            id=tr.actor,
            suggestion=c.did_you_mean(tr.actor, [a.id for a in ws.actors]),
        )

    theme_ids = {th.id for th in ws.themes}
    if theme_ids:
        for list_name in ("expectations", "contributions", "constraints", "quotes"):
            for i, item in enumerate(getattr(tr, list_name)):
                for k, theme in enumerate(item.themes):
                    if theme not in theme_ids:
                        c.add(
                            "unknown-theme",
                            rel,
                            pos((list_name, i, "themes", k)),
                            id=theme,
                            suggestion=c.did_you_mean(theme, theme_ids),
                        )

    refs: set[str] = set()
    for i, person in enumerate(tr.interviewees):
        if person.ref in refs:
            c.add("duplicate-interviewee", rel, pos(("interviewees", i, "ref")), ref=person.ref)
        refs.add(person.ref)
    for i, quote in enumerate(tr.quotes):
        if quote.speaker not in refs:
            c.add(
                "unknown-speaker",
                rel,
                pos(("quotes", i, "speaker")),
                ref=quote.speaker,
                refs=", ".join(sorted(refs)) or "—",
            )

    guide = ws.guide
    if guide is not None:
        if tr.guide is not None and tr.guide != guide.ref:
            c.add("other-guide", rel, pos(("guide",)), used=tr.guide, current=guide.ref)
        else:
            _check_answers(c, rel, doc, tr, guide, actor)

    if tr.status in ("complete", "validated"):
        if not tr.expectations:
            c.add("no-expectation", rel, doc.key_position(("status",)))
        if not tr.contributions:
            c.add("no-contribution", rel, doc.key_position(("status",)))

    _check_consent(c, rel, doc, tr, actor)
    _suggest_themes(c, ws, rel, doc, tr)


def _check_consent(c: _Checker, rel: str, doc: YamlDocument, tr: Transcript, actor: Any) -> None:
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
    from ess_coop.keywords import matcher_for

    matcher = matcher_for(ws.themes)
    if not matcher:
        return
    labels = {th.id: th.label.get(c.lang) for th in ws.themes}
    for list_name in ("expectations", "contributions", "constraints"):
        items = getattr(tr, list_name)
        positions: list[tuple[int, int]] | None = None
        for i, item in enumerate(items):
            for found in matcher.suggest(item.text, item.themes):
                if positions is None:
                    positions = _text_positions(doc, list_name, len(items))
                c.add(
                    "theme-suggested",
                    rel,
                    positions[i] if positions else doc.value_position((list_name, i, "text")),
                    theme=found.theme,
                    label=labels.get(found.theme, found.theme),
                    words=", ".join(f"« {w} »" if c.lang == "fr" else f'"{w}"' for w in found.words),
                )


_TOP_KEY = re.compile(r"^[^\s#-][^:\n]*:", re.MULTILINE)
_TEXT_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?text:[ \t]*", re.MULTILINE)


def _text_positions(doc: YamlDocument, list_name: str, count: int) -> list[tuple[int, int]] | None:
    """Where the ``text`` of each item of the top-level block list ``list_name`` is, read from
    the file's lines: recording every position of a transcript (``value_position``) costs ~3 ms,
    and suggestions can concern most transcripts. ``None`` (use ``value_position``) unless
    exactly ``count`` ``text:`` keys are found in that block, one per item."""
    text = doc.text
    start = re.search(rf"^{list_name}:[ \t]*(?:#.*)?$", text, re.MULTILINE) if text else None
    if text is None or start is None:
        return None
    following = _TOP_KEY.search(text, start.end())
    end = following.start() if following else len(text)
    positions = []
    for match in _TEXT_KEY.finditer(text, start.end(), end):
        line_start = text.rfind("\n", 0, match.end()) + 1
        positions.append((text.count("\n", 0, match.end()) + 1, match.end() - line_start + 1))
    return positions if len(positions) == count else None


def _check_texts(c: _Checker, ws: Workspace) -> None:
    """``texts/``: unknown names, a .md and a .docx of the same name, unreadable texts."""
    from ess_coop.texts import check_texts

    for problem in check_texts(ws.root, c.lang):
        c.add(problem.code, problem.path, None, **problem.params)


def _check_answers(c: _Checker, rel: str, doc: YamlDocument, tr: Transcript, guide: Guide, actor: Any) -> None:
    questions = {q.id: q for q in guide.questions()}
    for key in tr.answers:
        question = questions.get(key)
        if question is None:
            c.add(
                "unknown-question",
                rel,
                doc.key_position(("answers", key)),
                id=key,
                suggestion=c.did_you_mean(key, questions),
            )
        elif actor is not None and not question.applies_to(actor) and tr.answered(key):
            c.add("question-not-asked", rel, doc.key_position(("answers", key)), id=key)
    if tr.status == "draft" or actor is None:
        return
    for question in guide.questions_for(actor):
        if question.required and not tr.answered(question.id):
            where = ("answers", question.id) if question.id in tr.answers else ("status",)
            c.add("required-unanswered", rel, doc.key_position(where), id=question.id, status=tr.status)
