"""``ess-coop build-referential``: from the workspace to the Word draft (and the Excel workbook).

Reads and checks the workspace, synthesises, writes the documents through ``atomic.write_output``
(never over a draft open in Word or edited by hand), and returns a summary for the command line.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pydantic import BaseModel

from ess_coop import atomic
from ess_coop.consent import DEFAULT_MIN_GROUP
from ess_coop.errors import UserError
from ess_coop.files import windows_safe
from ess_coop.placeholders import placeholder_fields
from ess_coop.privacy import HeldBack, held_back
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.workspace import OUTPUT_DIR, Workspace

DEFAULT_NAME = "referentiel.docx"


class WrittenFile(BaseModel):
    path: str
    status: str  # written | unchanged | renamed
    reason: str | None = None


class CountrySummary(BaseModel):
    country: str
    partners: int
    interviewed: int
    expectations: int
    contributions: int
    quotes: int


class BuildSummary(BaseModel):
    """What the command reports after building."""

    documents: list[WrittenFile]
    countries: list[CountrySummary]
    leads: dict[str, int]  # "TG->FR": number of leads
    shared_stakes: int
    balance_warning: str | None
    only_resource: list[str]
    only_beneficiary: list[str]
    excluded: list[tuple[str, str]]  # (path, reason)
    not_interviewed: int
    # Anonymous quotes held back by the group rule (never printed), and those printed only
    # because they carry ``release: true``: for the coordinators, never in the document.
    held_back: list[HeldBack] = []
    released: list[HeldBack] = []
    min_group: int = DEFAULT_MIN_GROUP
    # ess-coop.yaml fields still holding the text init wrote: left out of the document.
    placeholders: list[str] = []
    # The coordinators' own words placed in the document (names of texts/).
    texts: list[str] = []


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def template_path(ws: Workspace, explicit: Path | None) -> Path | None:
    """The Word template to use: ``--template``, else ``referential.template``, else the default."""
    if explicit is not None:
        return explicit
    configured = ws.project.referential.template if ws.project else None
    return ws.root / configured if configured else None


def build(
    ws: Workspace,
    *,
    output: Path | None = None,
    lang: str,
    include_drafts: bool = False,
    template: Path | None = None,
    anonymize: bool = False,
    xlsx: bool = False,
    today: dt.date | None = None,
) -> tuple[Synthesis, BuildSummary]:
    """Build the référentiel of ``ws``; returns the synthesis and what was written."""
    from ess_coop.referential_docx import build_referential

    if ws.project is None:
        raise UserError("workspace-invalid", file="ess-coop.yaml")
    today = today or build_date()
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    target = output or ws.root / OUTPUT_DIR / DEFAULT_NAME
    if target.suffix.lower() != ".docx":
        raise UserError("output-not-docx", path=target)
    if not windows_safe(target.name):
        raise UserError("unsafe-name", path=target)
    from ess_coop.texts import read_texts

    texts = read_texts(ws.root)
    docx = build_referential(
        ws, synthesis, lang=lang, template=template_path(ws, template), anonymize=anonymize, today=today, texts=texts
    )
    written = [atomic.write_output(target, docx)]
    if xlsx:
        from ess_coop.referential_xlsx import build_workbook

        workbook = build_workbook(ws, synthesis, lang=lang, today=today)
        written.append(atomic.write_output(target.with_suffix(".xlsx"), workbook))
    summary = _summary(ws, synthesis, written)
    summary.placeholders = [f"project.{key}" for key in placeholder_fields(ws.project.project)]
    summary.texts = sorted(texts)
    return synthesis, summary


def _summary(ws: Workspace, s: Synthesis, written: list[atomic.Written]) -> BuildSummary:
    def shown(path: Path) -> str:
        try:
            return path.relative_to(ws.root).as_posix()
        except ValueError:
            return str(path)

    leads: dict[str, int] = {}
    for (expecting, offering), groups in s.groups_by_direction().items():
        leads[f"{offering}->{expecting}"] = sum(group.count for group in groups)
    return BuildSummary(
        documents=[WrittenFile(path=shown(w.path), status=w.status, reason=w.reason) for w in written],
        countries=[
            CountrySummary(
                country=b.country,
                partners=b.partners,
                interviewed=b.interviewed,
                expectations=b.expectations,
                contributions=b.contributions,
                quotes=b.quotes,
            )
            for b in s.balance
        ],
        leads=leads,
        shared_stakes=len(s.shared_stakes),
        balance_warning=s.balance_warning,
        only_resource=[r.actor for r in s.reciprocity if r.status == "only-resource"],
        only_beneficiary=[r.actor for r in s.reciprocity if r.status == "only-beneficiary"],
        excluded=[(e.path, e.reason) for e in s.excluded],
        not_interviewed=len(s.not_interviewed),
        held_back=held_back(ws, s),
        released=held_back(ws, s, released=True),
        min_group=s.min_group,
    )
