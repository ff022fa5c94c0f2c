"""``ess-coop build-referential``: from the workspace to the Word draft (and the Excel workbook).

Reads and checks the workspace, synthesises, writes the documents through ``atomic.write_output``
(never over a draft open in Word or edited by hand), and returns a summary for the command line.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pydantic import BaseModel

from ess_coop import atomic, collector, safefile
from ess_coop.atomic import WrittenFile
from ess_coop.consent import DEFAULT_MIN_GROUP
from ess_coop.errors import UserError
from ess_coop.files import windows_safe
from ess_coop.i18n import t
from ess_coop.placeholders import placeholder_fields
from ess_coop.privacy import HeldBack, held_back
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.workspace import OUTPUT_DIR, Workspace

DEFAULT_NAME = "referentiel.docx"  # the French edition's; see default_name


def default_name(lang: str) -> str:
    """The draft's file name in ``lang`` (referentiel.docx, referential.docx): each edition its own."""
    return t("edition.file_name", lang)


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
    # The edition record written (``output/editions/…``) and the version it was compared with.
    edition: str | None = None
    changes_since: str | None = None
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
    pdf: bool = False,
    today: dt.date | None = None,
) -> tuple[Synthesis, BuildSummary]:
    """Build the référentiel of ``ws``; returns the synthesis and what was written.

    ``pdf`` also writes the PDF beside the draft, made by LibreOffice with the contents' page
    numbers filled (``UserError("libreoffice-missing")`` before anything is written when
    LibreOffice is not installed).
    """
    if ws.project is None:
        raise UserError("workspace-invalid", file="ess-coop.yaml")
    if pdf:
        from ess_coop import pdf as pdf_module

        pdf_module.check_available()
    with collector.kept():  # the workspace, then the synthesis, live to the end of the build
        return _build(
            ws,
            output=output,
            lang=lang,
            include_drafts=include_drafts,
            template=template,
            anonymize=anonymize,
            xlsx=xlsx,
            pdf=pdf,
            today=today,
        )


def _build(
    ws: Workspace,
    *,
    output: Path | None,
    lang: str,
    include_drafts: bool,
    template: Path | None,
    anonymize: bool,
    xlsx: bool,
    pdf: bool,
    today: dt.date | None,
) -> tuple[Synthesis, BuildSummary]:
    from ess_coop.referential_docx import build_referential

    assert ws.project is not None
    today = today or build_date()
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    collector.keep()  # the synthesis too
    target = output or ws.root / OUTPUT_DIR / default_name(lang)
    if target.suffix.lower() != ".docx":
        raise UserError("output-not-docx", path=target)
    if not windows_safe(target.name):
        raise UserError("unsafe-name", path=target)
    check_validated(ws, synthesis)
    version = ws.project.referential.version
    edition = changes = None
    if version:
        from ess_coop import editions

        edition = editions.edition_of(ws, synthesis, version=version, built_on=today)
        changes = editions.changes_for_build(ws, edition)
    template = template_path(ws, template)
    if template is not None and os.path.lexists(template) and (root := safefile.root_for(template, ws.root)):
        try:  # a template inside the workspace: a link from there must not lead out of it
            safefile.check(template, root=root)
        except safefile.FileRefused as refused:
            raise refused.as_user_error(template) from None
    from ess_coop.texts import read_texts

    texts = read_texts(ws.root)
    docx = build_referential(
        ws, synthesis, lang=lang, template=template, anonymize=anonymize, today=today, changes=changes,
        texts=texts,
    )
    written = [atomic.write_output(target, docx)]
    if pdf:
        from ess_coop import pdf as pdf_module

        document = written[0]
        pdf_target = document.path.with_suffix(".pdf")
        if document.status == "unchanged" and pdf_target.exists():
            written.append(atomic.Written(pdf_target, "unchanged"))
        else:
            written.append(atomic.write_output(pdf_target, pdf_module.to_pdf(document.path)))
    if xlsx:
        from ess_coop.referential_xlsx import build_workbook

        workbook = build_workbook(ws, synthesis, lang=lang, today=today)
        written.append(atomic.write_output(target.with_suffix(".xlsx"), workbook))
    summary = _summary(ws, synthesis, written)
    if edition is not None:
        record = editions.save(ws, edition)
        summary.edition = record.path.relative_to(ws.root).as_posix()
        summary.changes_since = changes.since if changes else None
    summary.placeholders = [f"project.{key}" for key in placeholder_fields(ws.project.project)]
    summary.texts = sorted(texts)
    return synthesis, summary


def check_validated(ws: Workspace, synthesis: Synthesis) -> None:
    """A validated edition prints only interviews their partners validated: refuse otherwise,
    naming every counted interview that is not ``validated``."""
    referential = ws.project.referential if ws.project else None
    if referential is None or referential.status != "validated":
        return
    if referential.validated_on is None:
        raise UserError("edition-validated-no-date", path="ess-coop.yaml")
    pending = [f"{i.path} ({i.status})" for i in synthesis.interviews if i.status != "validated"]
    if pending:
        listed = ", ".join(pending)
        raise UserError("edition-not-validated", path="ess-coop.yaml", count=len(pending), interviews=listed)


def _summary(ws: Workspace, s: Synthesis, written: list[atomic.Written]) -> BuildSummary:
    leads: dict[str, int] = {}
    for (expecting, offering), groups in s.groups_by_direction().items():
        leads[f"{offering}->{expecting}"] = sum(group.count for group in groups)
    return BuildSummary(
        documents=[WrittenFile.shown(w, ws.root) for w in written],
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
