"""``ess-coop init``: a new workspace, fresh or copied from the bundled example."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ess_coop import atomic
from ess_coop.errors import UserError
from ess_coop.files import is_ignored_dir, is_ignored_file
from ess_coop.i18n import t
from ess_coop.models import slugify
from ess_coop.resources import data_file, example_workspace
from ess_coop.texts import NAMES, TEXTS_DIR
from ess_coop.workspace import (
    ACTORS_FILE,
    GUIDE_FILE,
    INTERVIEWS_DIR,
    OUTPUT_DIR,
    PROJECT_FILE,
    THEMES_FILE,
)
from ess_coop.yamlio import quoted


def create_workspace(target: Path, *, example: bool = False, lang: str = "fr") -> list[Path]:
    """Create a workspace in ``target`` and return the files written.

    Refuses (changing nothing) when ``target`` is already a workspace or would have any file
    overwritten. Other files in the folder (a shared folder often has some) are left alone.
    """
    if target.exists() and not target.is_dir():
        raise UserError("not-a-folder", path=target)
    if (target / PROJECT_FILE).exists():
        raise UserError("workspace-exists", path=target / PROJECT_FILE)
    planned = _example_files(target) if example else _fresh_files(target, lang)
    taken = [path for path in planned if os.path.lexists(path)]  # a link in the way too, even a broken one
    if taken:
        raise UserError("workspace-exists", path=taken[0])
    # A folder to write in that is a file, or a link that loops or leads nowhere: said before
    # anything is written, so that a failed init leaves no half-made workspace behind.
    for needed in sorted({path.parent for path in planned} | {target / INTERVIEWS_DIR, target / OUTPUT_DIR}):
        if needed.is_symlink() and not needed.exists():
            raise UserError("workspace_folders.broken-link", path=needed, name=needed.name)
        if needed.exists() and not needed.is_dir():
            raise UserError("file-in-the-way", path=needed, name=needed.name)
    for path, data in planned.items():
        atomic.write_bytes(path, data)
    for folder in (INTERVIEWS_DIR, OUTPUT_DIR):
        (target / folder).mkdir(parents=True, exist_ok=True)
    return list(planned)


def _fresh_files(target: Path, lang: str) -> dict[Path, bytes]:
    today = dt.date.today()
    name = target.resolve().name
    project = (
        data_file(f"init/ess-coop.{lang}.yaml")
        .read_text("utf-8")
        .format(
            # A folder with no name (the disk's root) gives the project a name in its language.
            project_id=slugify(name) or t("cli.init_default_id", lang),
            title=quoted(name or t("cli.init_default_title", lang)),
            start=today.isoformat(),
            end=dt.date(today.year + 1, 12, 31).isoformat(),
            interviews_due=(today + dt.timedelta(days=90)).isoformat(),
        )
    )
    example = example_workspace()
    return {
        target / PROJECT_FILE: project.encode("utf-8"),
        target / ACTORS_FILE: data_file(f"init/actors.{lang}.yaml").read_bytes(),
        target / GUIDE_FILE: (example / GUIDE_FILE).read_bytes(),
        target / THEMES_FILE: (example / THEMES_FILE).read_bytes(),
        **_texts_files(target, lang),
    }


def _texts_files(target: Path, lang: str) -> dict[Path, bytes]:
    """``texts/``: one file per place of the coordinators' own words, holding only a commented
    example (an HTML comment: invisible in the document)."""
    template = data_file(f"init/texts.{lang}.md").read_text("utf-8")
    return {
        target / TEXTS_DIR / f"{name}.md": template.replace("{where}", t(f"committee.init_where.{name}", lang)).encode(
            "utf-8"
        )
        for name in NAMES
    }


def _example_files(target: Path) -> dict[Path, bytes]:
    source = example_workspace()
    planned = {target / name: (source / name).read_bytes() for name in (PROJECT_FILE, ACTORS_FILE)}
    for folder in ("templates", INTERVIEWS_DIR):
        for path in sorted((source / folder).rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and not is_ignored_file(path.name) and not any(is_ignored_dir(p) for p in rel.parts[:-1]):
                planned[target / rel] = path.read_bytes()
    return planned
