"""Where a workspace is, and what it holds once read.

A workspace is the folder holding ``ess-coop.yaml``; commands look for it upward from the
current folder, or take ``--workspace DIR``. :class:`Workspace` is the parsed content that
commands work from; ``validation.check_workspace`` builds it and says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ess_coop.errors import UserError
from ess_coop.models import Actor, Guide, ProjectFile, Theme, Transcript
from ess_coop.yamlio import YamlDocument

PROJECT_FILE = "ess-coop.yaml"
ACTORS_FILE = "actors.yaml"
TEMPLATES_DIR = "templates"
GUIDE_FILE = f"{TEMPLATES_DIR}/guide.yaml"
THEMES_FILE = f"{TEMPLATES_DIR}/themes.yaml"
INTERVIEWS_DIR = "interviews"
OUTPUT_DIR = "output"


def find_root(explicit: Path | None = None, *, start: Path | None = None) -> Path:
    """The workspace root: ``explicit`` if given, else the nearest ``ess-coop.yaml`` upward."""
    if explicit is not None:
        if not (explicit / PROJECT_FILE).is_file():
            raise UserError("not-a-workspace", path=explicit)
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise UserError("no-workspace", path=here)


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
