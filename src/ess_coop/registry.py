"""The partner registry: who the actors are, their interviews, and adding, editing or removing
one in ``actors.yaml``.

Every change goes through ``_rewrite``: people's comments, order and layout survive (an entry is
inserted or removed as lines of text, an edit is made in ruamel.yaml's round-trip mode). It runs
under the registry's lock (``atomic.locked``), from the file as it is on disk then (not as it was
when the command started), so several changes at once all land; the file is re-read just before
writing, and the change made again if someone changed it meanwhile (a sync client), so nothing
they wrote is lost.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ess_coop import atomic, safefile
from ess_coop.errors import UserError
from ess_coop.files import name_key
from ess_coop.models import Actor, ActorsFile, slugify
from ess_coop.workspace import ACTORS_FILE, INTERVIEWS_DIR, TranscriptFile, Workspace
from ess_coop.yamlio import MAX_BYTES, parse_yaml


class InterviewInfo(BaseModel):
    """One interview as the registry and status commands show it."""

    id: str
    path: str
    date: dt.date | None
    status: str  # draft | complete | validated | invalid
    interviewers: list[str]
    modified: dt.datetime


class ActorInfo(BaseModel):
    """An actor of the registry with its interviews."""

    actor: Actor
    interviews: list[InterviewInfo]

    @property
    def latest_status(self) -> str | None:
        return self.interviews[-1].status if self.interviews else None


def interview_info(entry: TranscriptFile) -> InterviewInfo | None:
    """The interview of ``entry``; ``None`` when its file is gone since the workspace was read."""
    tr = entry.transcript
    try:  # the file's time, or, for a link that cannot be followed (to itself, or in a loop), the link's
        status = entry.path.stat()
    except OSError:
        try:
            status = entry.path.lstat()
        except OSError:
            return None
    modified = dt.datetime.fromtimestamp(status.st_mtime, tz=dt.UTC).replace(microsecond=0)
    return InterviewInfo(
        id=tr.id if tr else entry.path.stem,
        path=entry.rel,
        date=tr.date if tr else None,
        status="invalid" if entry.has_errors or tr is None else tr.status,
        interviewers=list(tr.interviewers) if tr else [],
        modified=modified,
    )


def _actor_of(entry: TranscriptFile) -> str:
    return entry.transcript.actor if entry.transcript else entry.path.parent.name


def list_actors(ws: Workspace, *, country: str | None = None, type_: str | None = None) -> list[ActorInfo]:
    """The registry, filtered, each actor with its interviews in date order."""
    by_actor: dict[str, list[InterviewInfo]] = {}
    for entry in ws.transcripts:
        info = interview_info(entry)
        if info is not None:
            by_actor.setdefault(_actor_of(entry), []).append(info)
    rows = []
    for actor in ws.actors:
        if (country and actor.country != country.upper()) or (type_ and actor.type != type_):
            continue
        interviews = sorted(by_actor.get(actor.id, []), key=lambda i: (i.date or dt.date.min, i.id))
        rows.append(ActorInfo(actor=actor, interviews=interviews))
    return rows


def show_actor(ws: Workspace, actor_id: str) -> ActorInfo:

    actor = ws.require_actor(actor_id)
    return next(row for row in list_actors(ws) if row.actor.id == actor.id)


_KEY_ORDER = ("id", "name", "short_name", "country", "type", "role", "territory", "website", "description", "sensitive")


def add_actor(ws: Workspace, fields: dict[str, Any]) -> Actor:
    """Add an actor to ``actors.yaml`` after the last one, keeping its comments; return the new entry."""
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    if not fields.get("id"):
        fields["id"] = slugify(fields.get("short_name") or fields.get("name") or "")
    actor = _checked(ws, fields)
    if (ws.root / INTERVIEWS_DIR).is_dir():
        for folder in (ws.root / INTERVIEWS_DIR).iterdir():
            if folder.is_dir() and name_key(folder.name) == name_key(actor.id) and folder.name != actor.id:
                raise UserError("actor-exists", value=folder.name)

    def append(text: str) -> str:  # checked against the file as it is now, under the lock
        for existing in _registry_actors(text):
            if name_key(existing.id) == name_key(actor.id):
                raise UserError("actor-exists", value=actor.id)
        return _append(text, actor)

    _rewrite(ws, append)
    return actor


def edit_actor(ws: Workspace, actor_id: str, changes: dict[str, Any]) -> tuple[Actor, list[str]]:
    """Change keys of one actor of ``actors.yaml`` (``None`` leaves a key alone), keeping comments
    and order; return the actor as changed and the keys whose value changed. An id never
    changes: it names the folder of the actor's interviews and its references in documents."""

    actor = ws.require_actor(actor_id)
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes.get("id", actor.id) != actor.id:
        raise UserError("help.errors.id-change", id=actor.id, value=changes["id"])
    current = actor.model_dump()
    changed = [k for k in _KEY_ORDER if k in changes and k != "id" and changes[k] != current.get(k)]
    if not changed:
        raise UserError("help.errors.nothing-to-edit", id=actor.id)
    edited = _checked(ws, current | {k: changes[k] for k in changed})
    _rewrite(ws, lambda text: _edit(text, actor.id, {k: changes[k] for k in changed}))
    return edited, changed


def remove_actor(ws: Workspace, actor_id: str) -> Actor:
    """Take an actor out of ``actors.yaml`` (its lines only: comments and the others stay);
    refused while it has interviews, which refer to it."""

    actor = ws.require_actor(actor_id)
    files = {entry.path.resolve() for entry in ws.transcripts if _actor_of(entry) == actor.id}
    folder = ws.root / INTERVIEWS_DIR / actor.id
    if folder.is_dir():
        files |= {f.resolve() for f in folder.iterdir() if f.suffix.lower() in (".yaml", ".yml", ".docx")}
    if files:
        raise UserError("help.errors.actor-has-interviews", id=actor.id, count=len(files))
    if ws.project is not None and actor.id in ws.project.project.coordinators:
        raise UserError("help.errors.actor-is-coordinator", id=actor.id)
    _rewrite(ws, lambda text: _remove(text, actor.id))
    return actor


def _checked(ws: Workspace, fields: dict[str, Any]) -> Actor:
    """The actor these fields make, or a plain-words error naming the option to fix."""
    try:
        actor = Actor.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = str(error["loc"][0]) if error["loc"] else "?"
        value, option = str(fields.get(key, "")), "--" + key.replace("_", "-")
        if key in ("country", "id") and error["type"] == "string_pattern_mismatch":
            raise UserError(f"help.errors.bad-{key}", value=value, param=option) from None
        if error["type"] in ("string_too_short", "missing"):
            raise UserError("help.errors.empty-field", value=value, param=option) from None
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "")  # the allowed values
        raise UserError("invalid-actor-field", key=key, value=value, problem=expected) from None
    if ws.countries and actor.country not in ws.countries:
        raise UserError("invalid-actor-field", key="country", value=actor.country, problem=", ".join(ws.countries))
    return actor


def _rewrite(ws: Workspace, change: Any) -> None:
    """The one write path of the registry: under the registry's lock, re-read the file, change
    its text, check the result is a valid registry, write atomically unless the file changed
    meanwhile (a sync client is writing it: let it finish, then change it again)."""
    path = ws.root / ACTORS_FILE
    with atomic.locked(path):
        for attempt in range(_ATTEMPTS):
            original = _registry_bytes(ws, path)
            text = change(original.decode("utf-8-sig"))
            check = parse_yaml(text)
            if not check.ok:  # our own edit must leave a valid file; never write one that is not
                raise RuntimeError(f"actors.yaml edit produced invalid YAML: {check.problems}")
            ActorsFile.model_validate(check.data)
            if _registry_bytes(ws, path) == original:
                atomic.write_text(path, text)
                return
            time.sleep(0.05 * (attempt + 1))
    raise UserError("registry-changed", path=Path(ACTORS_FILE))


_ATTEMPTS = 5


def _registry_bytes(ws: Workspace, path: Path) -> bytes:
    """``actors.yaml`` as it is on disk now (empty when missing), read as ``validate`` reads it."""
    if not os.path.lexists(path):
        return b""
    try:
        return safefile.read_bytes(path, limit=MAX_BYTES, root=ws.root)
    except safefile.FileRefused as refused:
        raise refused.as_user_error(Path(ACTORS_FILE)) from None


def _registry_actors(text: str) -> list[Actor]:
    """The actors of the registry's ``text``; a registry someone broke meanwhile is refused."""
    if not text.strip():
        return []
    doc = parse_yaml(text)
    if doc.data is None and [p.code for p in doc.problems] == ["empty-file"]:  # only comments
        return []
    try:
        return list(ActorsFile.model_validate(doc.data).actors) if doc.ok else _broken()
    except ValidationError:
        return _broken()


def _broken() -> list[Actor]:
    raise UserError("workspace-invalid", file=ACTORS_FILE)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps comments, order and quoting
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap people's long lines
    yaml.preserve_quotes = True
    return yaml


def _entry_lines(text: str, actor_id: str | None) -> tuple[list[str], int, int, int] | None:
    """The file's lines, and the first and last content line (0-based, inclusive) and dash column
    of the entry ``actor_id`` (the last entry when ``None``) of a block-style ``actors`` list;
    ``None`` when there is no such entry. Comment and blank lines after an entry's last key
    belong to what follows (a "# --- Togo ---" heading, a commented example), never to it."""
    data: Any = _yaml().load(text) if text.strip() else None
    seq = data.get("actors") if isinstance(data, dict) else None
    if not seq or not hasattr(seq, "lc"):
        return None
    ids = [item.get("id") if hasattr(item, "get") else None for item in seq]
    index = len(seq) - 1 if actor_id is None else (ids.index(actor_id) if actor_id in ids else -1)
    if index < 0:
        return None
    lines = text.splitlines(keepends=True)
    first, start = seq.lc.item(index)  # where the entry's first key is, after its "- "
    before = lines[first][:start].rstrip()
    if not before.endswith("-") or before[:-1].strip():
        return None  # a flow-style list ([..., ...]) or an unusual layout: not edited as lines
    column = len(before) - 1
    stop = seq.lc.item(index + 1)[0] if index + 1 < len(seq) else len(lines)
    last = first
    for number in range(first + 1, stop):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[number]) - len(lines[number].lstrip(" ")) <= column:
            break
        last = number
    return lines, first, last, column


def _append(text: str, actor: Actor) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = _yaml()
    dumped = actor.model_dump(exclude_defaults=True) | {"role": actor.role}
    entry = CommentedMap((key, dumped[key]) for key in _KEY_ORDER if key in dumped)
    found = _entry_lines(text, None)
    if found is not None:  # right after the last entry: never inside a comment block below it
        lines, _, last, column = found
        out = io.StringIO()
        yaml.dump([entry], out)
        newline = "\r\n" if lines[last].endswith("\r\n") else "\n"  # a file saved on Windows stays CRLF
        block = "".join(" " * column + line[2:] + newline for line in out.getvalue().splitlines())
        if not lines[last].endswith("\n"):
            lines[last] += newline
        return "".join([*lines[: last + 1], block, *lines[last + 1 :]])
    data = yaml.load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
    if data.get("actors") is None:
        data["actors"] = CommentedSeq()
    data["actors"].append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _edit(text: str, actor_id: str, changes: dict[str, Any]) -> str:
    yaml = _yaml()
    data = yaml.load(text)
    entry = next(item for item in data["actors"] if item and item.get("id") == actor_id)
    for key, value in changes.items():
        if key in entry:
            entry[key] = value
        else:  # a new key goes where format.md puts it
            before = [k for k in _KEY_ORDER[: _KEY_ORDER.index(key)] if k in entry]
            position = list(entry).index(before[-1]) + 1 if before else 0
            entry.insert(position, key, value)
    out = io.StringIO()
    yaml.dump(data, out)
    dumped = str(out.getvalue())
    return dumped.replace("\n", "\r\n") if "\r\n" in text else dumped  # a file saved on Windows stays CRLF


def _remove(text: str, actor_id: str) -> str:
    found = _entry_lines(text, actor_id)
    if found is None:
        raise UserError("help.errors.not-in-file", id=actor_id, path=Path(ACTORS_FILE))
    lines, first, last, _ = found
    return "".join(lines[:first] + lines[last + 1 :])
