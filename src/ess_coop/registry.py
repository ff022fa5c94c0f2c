"""The partner registry: who the actors are, their interviews, and adding one to ``actors.yaml``.

Adding edits ``actors.yaml`` in round-trip mode (ruamel.yaml), so people's comments, order and
layout survive. The edit runs under the registry's lock (``atomic.locked``), from the file as it
is on disk then (not as it was when the command started): several additions at once all land.
The file is re-read just before writing, and the edit done again if someone changed it meanwhile
(a sync client), so nothing they wrote is lost.
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


def interview_info(entry: TranscriptFile) -> InterviewInfo:
    tr = entry.transcript
    modified = dt.datetime.fromtimestamp(entry.path.stat().st_mtime, tz=dt.UTC).replace(microsecond=0)
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
        by_actor.setdefault(_actor_of(entry), []).append(interview_info(entry))
    rows = []
    for actor in ws.actors:
        if (country and actor.country != country.upper()) or (type_ and actor.type != type_):
            continue
        interviews = sorted(by_actor.get(actor.id, []), key=lambda i: (i.date or dt.date.min, i.id))
        rows.append(ActorInfo(actor=actor, interviews=interviews))
    return rows


def show_actor(ws: Workspace, actor_id: str) -> ActorInfo:
    from ess_coop.skeleton import resolve_actor

    actor = resolve_actor(ws, actor_id)
    return next(row for row in list_actors(ws) if row.actor.id == actor.id)


_KEY_ORDER = ("id", "name", "short_name", "country", "type", "role", "territory", "website", "description", "sensitive")


def add_actor(ws: Workspace, fields: dict[str, Any]) -> Actor:
    """Append an actor to ``actors.yaml``, keeping its comments; return the new entry."""
    path = ws.root / ACTORS_FILE
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    if not fields.get("id"):
        fields["id"] = slugify(fields.get("short_name") or fields.get("name") or "")
    try:
        actor = Actor.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = str(error["loc"][0]) if error["loc"] else "?"
        raise UserError("invalid-actor-field", key=key, value=str(fields.get(key, "")), problem=error["msg"]) from None
    if ws.countries and actor.country not in ws.countries:
        raise UserError("invalid-actor-field", key="country", value=actor.country, problem=", ".join(ws.countries))
    if (ws.root / INTERVIEWS_DIR).is_dir():
        for folder in (ws.root / INTERVIEWS_DIR).iterdir():
            if folder.is_dir() and name_key(folder.name) == name_key(actor.id) and folder.name != actor.id:
                raise UserError("actor-exists", value=folder.name)

    with atomic.locked(path):
        for attempt in range(_ATTEMPTS):
            original = _registry_bytes(ws, path)
            text = original.decode("utf-8-sig")
            for existing in _registry_actors(text):
                if name_key(existing.id) == name_key(actor.id):
                    raise UserError("actor-exists", value=actor.id)
            text = _append(text, actor)
            check = parse_yaml(text)
            if not check.ok:  # our own edit must leave a valid file; never write one that is not
                raise RuntimeError(f"actors.yaml edit produced invalid YAML: {check.problems}")
            ActorsFile.model_validate(check.data)
            if _registry_bytes(ws, path) == original:
                atomic.write_text(path, text)
                return actor
            time.sleep(0.05 * (attempt + 1))  # a sync client is writing it: let it finish, then redo
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


def _append(text: str, actor: Actor) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()  # round-trip: keeps comments, order and quoting
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap people's long lines
    yaml.preserve_quotes = True
    data = yaml.load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
    if data.get("actors") is None:
        data["actors"] = CommentedSeq()
    dumped = actor.model_dump(exclude_defaults=True) | {"role": actor.role}
    entry = CommentedMap((key, dumped[key]) for key in _KEY_ORDER if key in dumped)
    data["actors"].append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
