"""Where a workspace is, and what it holds once read.

A workspace is the folder holding ``ess-coop.yaml``; commands look for it upward from the
current folder, or take ``--workspace DIR``. :class:`Workspace` is the parsed content that
commands work from; ``validation.check_workspace`` builds it and says what is wrong.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ess_coop import atomic
from ess_coop.errors import UserError
from ess_coop.files import name_key
from ess_coop.i18n import did_you_mean
from ess_coop.models import SLUG_PATTERN, Actor, Guide, ProjectFile, Theme, Transcript
from ess_coop.vocabulary import suggest
from ess_coop.yamlio import YamlDocument

PROJECT_FILE = "ess-coop.yaml"
ACTORS_FILE = "actors.yaml"
TEMPLATES_DIR = "templates"
GUIDE_FILE = f"{TEMPLATES_DIR}/guide.yaml"
THEMES_FILE = f"{TEMPLATES_DIR}/themes.yaml"
INTERVIEWS_DIR = "interviews"
OUTPUT_DIR = "output"
MAX_SUFFIX = 99  # interviews of one actor on one day


def find_root(explicit: Path | None = None, *, start: Path | None = None) -> Path:
    """The workspace root: ``explicit`` if given, else the nearest ``ess-coop.yaml`` upward."""
    if explicit is not None:
        if not _holds_project(explicit):
            _refuse_project_folder(explicit)
            raise UserError("not-a-workspace", path=explicit)
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _holds_project(folder):
            return folder
        _refuse_project_folder(folder)
    raise UserError("no-workspace", path=here)


def _refuse_project_folder(folder: Path) -> None:
    """A folder named ``ess-coop.yaml`` in ``folder``: said so (not "no workspace here")."""
    path = folder / PROJECT_FILE
    if path.is_dir():
        raise UserError("workspace_folders.project-is-folder", path=path)


def _holds_project(folder: Path) -> bool:
    """Whether ``folder`` has an ``ess-coop.yaml``: a pipe or a device by that name counts too,
    so that ``validate`` says what it is instead of "no workspace" (it is never opened)."""
    path = folder / PROJECT_FILE
    return os.path.lexists(path) and not path.is_dir()


def relative(root: Path, path: Path) -> str:
    """``path`` as shown to people: relative to the workspace, with ``/`` separators."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class TranscriptFile:
    """One transcript file: where it is, what it says, and whether it can be used."""

    path: Path
    rel: str
    doc: YamlDocument
    transcript: Transcript | None = None
    has_errors: bool = False

    @property
    def usable(self) -> bool:
        return self.transcript is not None and not self.has_errors


@dataclass
class Workspace:
    """A workspace as read: parts that failed to parse are ``None`` or missing."""

    root: Path
    project: ProjectFile | None = None
    actors: list[Actor] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    guide: Guide | None = None
    transcripts: list[TranscriptFile] = field(default_factory=list)
    # Sync clients' conflict copies: (copy, the file it conflicts with, client). Never read as interviews.
    conflicts: list[tuple[Path, Path, str]] = field(default_factory=list)
    # Folders of interviews that could not be read: (folder, why). Their interviews are missing.
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.project.language if self.project else "fr"

    @property
    def countries(self) -> list[str]:
        return list(self.project.project.countries) if self.project else []

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((th for th in self.themes if th.id == theme_id), None)

    def require_guide(self) -> Guide:
        """The interview guide; refused (``workspace-invalid``, naming its file) when it did not parse."""
        if self.guide is None:
            raise UserError("workspace-invalid", file=GUIDE_FILE)
        return self.guide

    def require_actor(self, actor_id: str) -> Actor:
        """The registry entry for ``actor_id``; anything that is not a known id is refused,
        with the closest id when there is one."""
        ids = [a.id for a in self.actors]
        if not re.fullmatch(SLUG_PATTERN, actor_id):
            match = suggest(actor_id, ids)  # capitals ignored: ABSI → absi
            if match is None:
                raise UserError("invalid-actor-id", value=actor_id)
            raise UserError("unknown-actor", value=actor_id, suggestion=did_you_mean(match, self.language))
        actor = self.actor(actor_id)
        if actor is None:
            suggestion = did_you_mean(suggest(actor_id, ids), self.language)
            raise UserError("unknown-actor", value=actor_id, suggestion=suggestion)
        return actor

    def allocate_interview(
        self,
        actor: Actor,
        date: dt.date,
        render: Callable[[str], bytes],
        *,
        suffix: str,
        start: int = 1,
        own_form: str | None = None,
    ) -> Path:
        """Create ``interviews/<actor>/<id><suffix>`` for the first free interview id of ``actor``
        on ``date``, and return its path: the one allocator of interview ids, used by
        ``new-interview`` (a skeleton or a Word form) and by both imports.

        Ids are ``<date>-<actor>``, then ``-2``, ``-3``… from ``start``; an id is taken when a
        transcript of the workspace has it, or a transcript or a Word form waiting to be
        imported in the actor's folder has it (but ``own_form``, the form being imported).
        See :func:`create_free_interview` for how processes running at once share ids.
        """
        folder = self.root / INTERVIEWS_DIR / actor.id
        if not re.match(SLUG_PATTERN, actor.id):  # belt and braces: ids are slugs already
            raise UserError("invalid-actor-id", value=actor.id)
        root = os.path.realpath(self.root)
        for part in (folder.parent, folder):
            # interviews/ or the actor's folder as a link: one that loops or leads nowhere, or
            # out of the workspace (the other computers of the shared folder would not see it).
            if part.is_symlink() and not part.exists():
                raise UserError("workspace_folders.broken-link", path=relative(self.root, part), name=part.name)
            real = os.path.realpath(part)
            if not Path(real).is_relative_to(root):
                raise UserError("link-outside-workspace", path=relative(self.root, part), target=Path(real).as_posix())
        taken = {tf.transcript.id for tf in self.transcripts if tf.transcript}
        base = f"{date.isoformat()}-{actor.id}"
        return create_free_interview(folder, base, render, suffix=suffix, taken=taken, start=start, own_form=own_form)


def create_free_interview(
    folder: Path,
    base: str,
    render: Callable[[str], bytes],
    *,
    suffix: str,
    taken: Iterable[str] = (),
    start: int = 1,
    own_form: str | None = None,
) -> Path:
    """Create ``folder/<id><suffix>`` for the first free interview id, and return its path.

    Ids are ``base`` (``<date>-<actor>``), then ``base-2``, ``base-3``… from ``start``. An id is
    free when no transcript (``.yaml``) and no form (``.docx``) of the folder has it (but the
    form ``own_form``, being imported) and it is not in ``taken`` (ids used elsewhere). The file
    is created exclusively with ``render(id)``: when another process took the id a moment ago,
    the next one is tried, so that processes running at once never share an id and "too many
    interviews" is said only when every id up to ``MAX_SUFFIX`` is used.
    """
    used = {name_key(i) for i in taken}
    try:
        present = {name_key(p.name) for p in folder.iterdir()} if folder.is_dir() else set()
    except OSError:
        present = set()
    own = name_key(f"{own_form}.docx") if own_form else None
    for n in range(start, MAX_SUFFIX + 1):
        candidate = base if n == 1 else f"{base}-{n}"
        names = {name_key(f"{candidate}.yaml"), name_key(f"{candidate}.docx")} - {own}
        if name_key(candidate) in used or names & present:
            continue
        path = folder / f"{candidate}{suffix}"
        if atomic.create_new(path, render(candidate)):
            return path
    raise UserError("too-many-interviews", value=base)
