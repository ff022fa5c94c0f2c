"""``ess-coop export``: the interviews for qualitative-analysis software (REFI-QDA).

``export_qdpx`` writes the whole project (codes, partners as cases, one coded text per counted
interview) as a ``.qdpx``; ``export_qdc`` the codes alone as a ``.qdc``. Both write through
``atomic.write_output`` (never over a file someone has open or edited) and return a summary for
the command line, which ``--format json`` prints as it is.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ess_coop import atomic
from ess_coop.atomic import WrittenFile
from ess_coop.errors import UserError
from ess_coop.files import windows_safe
from ess_coop.qda import build_project, codebook
from ess_coop.refi import codebook_xml, qdpx
from ess_coop.synthesis import synthesise
from ess_coop.workspace import OUTPUT_DIR, Workspace


class ProjectExport(BaseModel):
    """What ``export qdpx`` wrote."""

    document: WrittenFile
    interviews: int  # sources, one per counted interview
    cases: int  # partners of the registry
    codes: int  # every code, folders included
    selections: int  # coded passages: statements and quotes
    quotes: int  # quotes exported, anonymous ones included
    anonymous_quotes: int  # in their own source, tied to no interview
    users: int
    anonymized: bool
    excluded: list[tuple[str, str]]  # (path, reason): interviews left out, as build-referential says


class CodebookExport(BaseModel):
    """What ``export qdc`` wrote."""

    document: WrittenFile
    codes: int


def export_qdpx(
    ws: Workspace,
    *,
    output: Path | None = None,
    lang: str,
    include_drafts: bool = False,
    anonymize: bool = False,
) -> ProjectExport:
    """Write the workspace's counted interviews as a REFI-QDA project (``.qdpx``)."""
    target = _target(ws, output, ".qdpx")
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    project = build_project(ws, synthesis, lang=lang, anonymize=anonymize)
    written = atomic.write_output(target, qdpx(project))
    selections = [(source, s) for source in project.sources for s in source.selections]
    quotes = [(source, s) for source, s in selections if s.kind == "quote"]
    return ProjectExport(
        document=WrittenFile.shown(written, ws.root),
        interviews=sum(source.interview is not None for source in project.sources),
        cases=len(project.cases),
        codes=project.code_count(),
        selections=len(selections),
        quotes=len(quotes),
        anonymous_quotes=sum(source.interview is None for source, _ in quotes),
        users=len(project.users),
        anonymized=anonymize,
        excluded=[(e.path, e.reason) for e in synthesis.excluded],
    )


def export_qdc(ws: Workspace, *, output: Path | None = None, lang: str) -> CodebookExport:
    """Write the project's codes alone as a REFI-QDA codebook (``.qdc``)."""
    target = _target(ws, output, ".qdc")
    codes = codebook(ws, lang=lang)
    written = atomic.write_output(target, codebook_xml(codes))
    return CodebookExport(document=WrittenFile.shown(written, ws.root), codes=sum(len(code.walk()) for code in codes))


def _target(ws: Workspace, output: Path | None, suffix: str) -> Path:
    if ws.project is None:
        raise UserError("workspace-invalid", file="ess-coop.yaml")
    target = output or ws.root / OUTPUT_DIR / f"{ws.project.project.id}{suffix}"
    if target.suffix.lower() != suffix:
        raise UserError("export.errors.suffix", path=target, suffix=suffix)
    if not windows_safe(target.name):
        raise UserError("unsafe-name", path=target)
    return target
