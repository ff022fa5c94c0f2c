"""What the commands print: the renderers of the library's results, for people.

``cli`` parses, calls the library and hands the result here; nothing here decides anything. Rich
is imported inside the functions that print tables (``--help`` never imports it); plain lines go
through the ``say`` the CLI passes (Typer's coloured echo, imported by ``cli`` alone).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ess_coop.i18n import t

if TYPE_CHECKING:  # for types only: importing them at run time would slow --help
    from rich.console import Console
    from rich.text import Text

    from ess_coop.atomic import Written, WrittenFile
    from ess_coop.comments import CommentsReport
    from ess_coop.editions import Changes
    from ess_coop.export import CodebookExport, ProjectExport
    from ess_coop.forms.importer import ImportResult
    from ess_coop.kobo_import import ExportResult
    from ess_coop.privacy import Register
    from ess_coop.referential import BuildSummary
    from ess_coop.registry import ActorInfo
    from ess_coop.report import Issue, Report
    from ess_coop.review import SheetsSent
    from ess_coop.status import StatusReport
    from ess_coop.xlsform import FormFile


class Say(Protocol):
    """The CLI's one line of plain text: ``say(text, colour, bold=…)``."""

    def __call__(self, text: str, colour: str | None = None, *, bold: bool = False, err: bool = False) -> None: ...


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    # Never wrapped by Rich: a finding or an error is one line, whatever the width (a pipe's is 80).
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fit_table(title: str, headers: list[str], rows: list[list[Any]], *, lang: str, right: tuple[int, ...] = ()) -> Any:
    """A table that never cuts a word at the terminal's width: columns as wide as their content
    when that fits, else at least as wide as their longest word (text wraps at spaces), else one
    record per block ("label : value" lines)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    width = console().width
    cells = [[str(cell) for cell in row] for row in rows]
    columns = list(zip(headers, *cells, strict=True)) if cells else [(h,) for h in headers]
    longest_word = [max((len(w) for text in col for w in text.split()), default=1) for col in columns]
    longest_line = [max((len(line) for text in col for line in text.splitlines()), default=1) for col in columns]
    frame = 3 * len(headers) + 1  # a space each side of each cell, and the rules between them
    if sum(longest_word) + frame > width:
        blocks: list[Any] = [Text(title, style="italic")]
        for row in rows:
            blocks.append(Text(str(row[0]), style="bold"))
            for header, cell in zip(headers[1:], row[1:], strict=True):
                if not str(cell):
                    continue
                line = Text("  " + t("cli.field_line", lang, label=header, value=""))
                blocks.append(line.append_text(cell if isinstance(cell, Text) else Text(str(cell))))
        return Group(*blocks)
    sizes = list(longest_word)
    spare = width - frame - sum(sizes)
    wants = [max(line - word, 0) for line, word in zip(longest_line, longest_word, strict=True)]
    for index, want in enumerate(wants):  # the spare room, to the columns that want it, left first
        given = min(want, spare)
        sizes[index] += given
        spare -= given
    table = Table(title=title, title_justify="left")
    for index, (header, size) in enumerate(zip(headers, sizes, strict=True)):
        table.add_column(header, width=size, justify="right" if index in right else "left", overflow="fold")
    for row in rows:  # as Text: a name with [brackets] is not Rich markup
        table.add_row(*(cell if isinstance(cell, Text) else Text(str(cell)) for cell in row))
    return table


# Characters that would act on the terminal rather than show (a bell, an escape sequence in a file
# name, a bidi override): printed as escapes. Tab and line feed are kept.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def issue_line(issue: Issue, lang: str) -> Text:
    """``path:line:column: severity code: message — hint``, one finding a line."""
    from rich.text import Text

    colour = {"error": "red", "warning": "yellow"}.get(issue.severity, "cyan")
    line = Text()
    line.append(f"{printable(issue.location())}: ", style="bold")
    line.append(f"{t(f'severity.{issue.severity}', lang)} {issue.code}: ", style=colour)
    line.append(printable(issue.message))
    if issue.hint:
        line.append(f" — {printable(issue.hint)}", style="dim")
    return line


# Beyond this many files with findings, the summary table shows the first ones (--verbose: all).
_TABLE_ROWS = 20


def render_report(report: Report, lang: str, *, verbose: bool = False) -> None:
    """Findings one a line, a table of the files with findings, the totals. Without
    ``verbose``, a finding repeated in many files is printed for its first files and counted."""
    from rich.text import Text

    from ess_coop.report import condense

    out = console()
    condensed = condense(report.issues, over=len(report.issues) if verbose else 10)
    for issue in condensed.shown:
        out.print(issue_line(issue, lang))
    for code, files in condensed.more:
        out.print(Text(t("validate_pass.more_files", lang, code=code, files=files), style="dim"))
    per_file = list(report.by_file().items())
    if per_file:
        # Cut short, the table shows the files with the most errors first.
        worst = sorted(per_file, key=lambda row: (-row[1]["error"], -row[1]["warning"]))
        shown = per_file if verbose else sorted(worst[:_TABLE_ROWS])
        headers = [t(f"cli.{key}", lang) for key in ("col_file", "col_errors", "col_warnings")]
        rows = [
            [printable(path).replace("\n", "\\n"), str(counts["error"]), str(counts["warning"])]  # one line a file
            for path, counts in shown
        ]
        out.print()
        out.print(fit_table(t("cli.validate_table_title", lang), headers, rows, lang=lang, right=(1, 2)))
        if len(shown) < len(per_file):
            out.print(Text(t("validate_pass.more_rows", lang, files=len(per_file) - len(shown)), style="dim"))
    stats = report.stats.model_dump()
    key = "cli.validate_ok" if report.valid else "cli.validate_failed"
    out.print(Text(t(key, lang, **stats), style="green" if report.valid else "red"))
    if report.stats.infos:
        out.print(Text(t("validate_pass.infos", lang, infos=report.stats.infos), style="dim"))


def written_line(written: Written | WrittenFile, root: Path, lang: str) -> tuple[str, str]:
    """The line saying where a generated document went (and why there, if not where asked),
    and its colour."""
    from ess_coop.atomic import WrittenFile

    shown = (written if isinstance(written, WrittenFile) else WrittenFile.shown(written, root)).path
    key = f"cli.build_{written.status}" + (f"_{written.reason}" if written.reason else "")
    return t(key, lang, path=shown), "yellow" if written.status == "renamed" else "green"


def render_xlsform(form: FormFile, root: Path, lang: str, say: Say) -> None:
    if form.written.status != "written":  # unchanged, or beside a file someone has open or edited
        line, colour = written_line(form.written, root, lang)
        say(line, colour)
    rel = form.written.path.relative_to(root).as_posix()
    say(t("kobo.cli.xlsform_done", lang, path=rel, actors=form.actors, questions=form.questions,
           form_id=form.form_id, version=form.version))  # fmt: skip
    say(t("kobo.cli.xlsform_next", lang))


def render_status(report: StatusReport, lang: str) -> None:
    from rich.text import Text

    out = console()
    out.print(
        Text(
            t(
                "cli.status_title",
                lang,
                today=report.today.isoformat(),
                interviewed=report.interviewed,
                partners=report.partners,
            ),
            style="bold",
        )
    )
    for m in report.milestones:
        if m.days_left >= 0:
            line, style = t("cli.status_days_left", lang, label=m.label, due=m.due.isoformat(), days=m.days_left), ""
        else:
            line, style = t("cli.status_late", lang, label=m.label, due=m.due.isoformat(), days=-m.days_left), "red"
        out.print(Text("  " + line, style=style))
    for c in report.countries:
        country = t(f"country.{c.country}", lang, default=c.country)
        title = t(
            "cli.status_country",
            lang,
            country=country,
            interviewed=c.interviewed,
            partners=c.partners,
            validated=c.validated,
            drafts=c.drafts,
            invalid=c.invalid,
            missing=c.missing,
        )
        keys = ("col_id", "col_status", "col_interviews", "col_last_change", "col_interviewers")
        cells = []
        for a in (a for a in report.actors if a.country == c.country):
            state = t(f"status.{a.state}", lang) if a.state != "none" else t("cli.status_none", lang)
            style = {"none": "dim", "invalid": "red", "draft": "yellow"}.get(a.state, "green")
            changed = a.last_change.astimezone().strftime("%Y-%m-%d %H:%M") if a.last_change else "—"
            cells.append([a.id, Text(state, style=style), str(len(a.interviews)), changed, ", ".join(a.interviewers)])
        out.print()
        out.print(fit_table(title, [t(f"cli.{key}", lang) for key in keys], cells, lang=lang))
    if report.balance_warning:
        country = t(f"country.{report.balance_warning}", lang, default=report.balance_warning)
        out.print(
            Text(t("cli.build_warning", lang, text=t("cli.build_warn_balance", lang, country=country)), style="yellow")
        )
    for conflict in report.conflicts:
        out.print(
            Text(
                t("cli.status_conflict", lang, path=conflict.path, original=conflict.original, client=conflict.client),
                style="yellow",
            )
        )
    _render_reviews(report, lang, out)


def _render_reviews(report: StatusReport, lang: str, out: Console) -> None:
    """Sheets sent, awaited, late and answered; the late ones by name."""
    from rich.text import Text

    if not report.reviews:
        return
    counts = {state: sum(r.state == state for r in report.reviews) for state in ("awaited", "late", "answered")}
    out.print()
    out.print(Text(t("review.status.line", lang, sent=len(report.reviews), **counts), style="bold"))
    for r in report.reviews:
        if r.state == "late":
            line = t("review.status.late", lang, actor=r.label, reply_by=r.reply_by.isoformat() if r.reply_by else "?")
            out.print(Text("  " + line, style="red"))


def render_sheets(result: SheetsSent, lang: str, say: Say) -> None:

    def s(key: str, **params: Any) -> str:
        return t(f"review.sheets.{key}", lang, **params)

    rows = []
    for sheet in result.sheets:
        renamed = sheet.reason if sheet.status == "renamed" else None
        shown = sheet.file + (f" ({s('renamed_' + renamed)})" if renamed else "")
        rows.append([sheet.label, shown, sheet.reply_by.isoformat(), sheet.contact or s("no_contact")])
    title = s("title", count=len(result.sheets), date=result.reply_by.isoformat())
    headers = [s(key) for key in ("col_partner", "col_file", "col_reply_by", "col_contact")]
    console().print(fit_table(title, headers, rows, lang=lang), markup=False)
    if result.table:
        say(s("table_written", path=result.table), "green")
    say(s("next"))


def render_build(summary: BuildSummary, lang: str, say: Say) -> None:
    for doc in summary.documents:
        say(*written_line(doc, Path(), lang))
    for c in summary.countries:
        country = t(f"country.{c.country}", lang, default=c.country)
        say(
            "  "
            + t(
                "cli.build_country",
                lang,
                country=country,
                interviewed=c.interviewed,
                partners=c.partners,
                expectations=c.expectations,
                contributions=c.contributions,
                quotes=c.quotes,
            )
        )
    directions = []
    for direction, count in summary.leads.items():
        source, target = direction.split("->")
        directions.append(
            t(
                "cli.build_direction",
                lang,
                count=count,
                source=t(f"country_from.{source}", lang, default=source),
                target=t(f"country_to.{target}", lang, default=target),
            )
        )
    leads = t("cli.list_separator", lang).join(directions) or "0"
    say(t("cli.build_leads", lang, leads=leads, shared=summary.shared_stakes))
    if summary.texts:
        say(t("committee.cli.texts_used", lang, names=", ".join(summary.texts)))
    warnings = []
    if summary.balance_warning:
        country = t(f"country.{summary.balance_warning}", lang, default=summary.balance_warning)
        warnings.append(t("cli.build_warn_balance", lang, country=country))
    if summary.only_resource:
        warnings.append(t("cli.build_warn_only_resource", lang, actors=", ".join(summary.only_resource)))
    if summary.only_beneficiary:
        warnings.append(t("cli.build_warn_only_beneficiary", lang, actors=", ".join(summary.only_beneficiary)))
    for path, reason in summary.excluded:
        warnings.append(t(f"cli.build_warn_excluded_{reason}", lang, path=path))
    warnings += _held_back_lines(summary, lang)
    warnings += [t("committee.cli.placeholder_left_out", lang, key=key) for key in summary.placeholders]
    for warning in warnings:
        say(t("cli.build_warning", lang, text=warning), "yellow")
    if summary.edition:
        since = t("review.changes_cli.compared", lang, version=summary.changes_since) if summary.changes_since else ""
        say(t("review.changes_cli.recorded", lang, path=summary.edition, compared=since))


def _held_back_lines(summary: BuildSummary, lang: str) -> list[str]:
    """Quotes held back by the group rule, and quotes released: where they are, what to do."""
    min_group = summary.min_group
    lines = []
    for key, quotes in (("held_back", summary.held_back), ("released", summary.released)):
        for q in quotes:
            where = f"{q.path}:{q.line}" if q.line else q.path
            size = max(q.sizes.values(), default=0)
            lines.append(t(f"privacy.summary.{key}", lang, number=q.number, interview=q.interview, where=where,
                           min_group=min_group, size=size, label=t("consent.partner", lang)))  # fmt: skip
    return lines


def render_register(register: Register, lang: str) -> None:
    def r(key: str, **params: Any) -> str:
        return t(f"privacy.register.{key}", lang, **params)

    def shown(text: str | None) -> str:
        return text if text is not None else r("not_printed")

    def level(value: str) -> str:
        return r(f"consent.{value}")

    title = r("title", people=len(register.people), held=len(register.held_back), min_group=register.min_group)
    keys = ("col_person", "col_kind", "col_where", "col_consent", "col_referential", "col_profile", "col_workbook")
    rows = []
    for person in register.people:
        who = person.name or person.ref or ""
        if person.kind == "interviewee" and person.name:
            who = f"{person.name} ({person.ref})"
        consent = "—"
        if person.consent:
            consent = level(person.consent)
            if person.applies and person.applies != person.consent:  # set whenever consent is
                consent = f"{consent} → {level(person.applies)}"
        cells = []
        for document in ("referential", "profile", "workbook"):
            printed = next(p for p in person.printed if p.document == document)
            text = shown(printed.normal)
            if printed.anonymized != printed.normal:
                text = r("with_anonymize", normal=text, anonymized=shown(printed.anonymized))
            if person.counted != "yes" and printed.normal is not None:
                text = r("not_counted", text=text, reason=r(f"reason.{person.counted}"))
            cells.append(text)
        rows.append([who, r(f"kind.{person.kind}"), ", ".join(person.interviews), consent, *cells])
    table = fit_table(title, [r(key) for key in keys], rows, lang=lang)
    out = console()
    out.print(table, markup=False)
    if not register.held_back:
        out.print(r("no_held"), markup=False)
        return
    out.print(r("held_title"), markup=False)
    for q in register.held_back:
        sizes = ", ".join(str(q.sizes.get(k, 0)) for k in ("type", "country", "partner"))
        where = f"{q.path}:{q.line}" if q.line else q.path
        out.print(r("held_item", where=where, interview=q.interview, number=q.number, themes=", ".join(q.themes) or "—",
                    sizes=sizes), markup=False)  # fmt: skip


def render_changes(changes: Changes, lang: str, themes: dict[str, str], say: Say) -> None:
    def c(key: str, **params: Any) -> str:
        return t(f"review.changes_cli.{key}", lang, **params)

    def d(key: str, **params: Any) -> str:
        return t(f"review.changes.{key}", lang, **params)

    version = changes.version or c("now")
    say(c("title", since=changes.since, version=version), bold=True)
    if changes.empty:
        say("  " + d("nothing"))
        return
    for change in ("added", "withdrawn"):
        items = [i for i in changes.interviews if i.change == change]
        if items:
            say(d(f"interviews_{change}", count=len(items)))
            for i in items:
                ref = d("old_ref", ref=i.ref, version=changes.since) if i.old_ref else i.ref
                say(f"  {ref} — {i.date.isoformat()} {i.label} ({i.id})", "green" if change == "added" else "red")
    if changes.statements:
        say(d("statements", count=len(changes.statements)))
        colours = {"added": "green", "changed": "yellow", "removed": "red"}
        for s in changes.statements:
            kind = d(f"kind.{s.kind}")
            ref = d("old_ref", ref=s.ref, version=changes.since) if s.old_ref else s.ref
            if s.change == "changed" and s.before == s.after:
                before = " · ".join([*s.themes_before, *([s.priority_before] if s.priority_before else [])])
                after = " · ".join([*s.themes_after, *([s.priority_after] if s.priority_after else [])])
                text = d("changed_details", kind=kind, text=s.after, before=before, after=after, ref=ref)
            elif s.change == "changed":
                text = d("changed", kind=kind, before=s.before, after=s.after, ref=ref)
            else:
                text = d(s.change, kind=kind, text=s.after or s.before, ref=ref)
            say(f"  {s.label} — {text}", colours[s.change])
    for change in ("gained", "lost"):
        leads = [lead for lead in changes.leads if lead.change == change]
        if leads:
            say(d(f"leads_{change}", count=len(leads)))
            for lead in leads:
                theme = themes.get(lead.theme, lead.theme)
                say("  " + c("lead", theme=theme, expecting=lead.expecting_label, offering=lead.offering_label),
                     "green" if change == "gained" else "red")  # fmt: skip
    if changes.quotes_added or changes.quotes_removed:
        say(d("quotes", added=changes.quotes_added, removed=changes.quotes_removed))


def render_comments(report: CommentsReport, lang: str, say: Say) -> None:

    def c(key: str, **params: Any) -> str:
        return t(f"review.comments.{key}", lang, **params)

    if not report.remarks:
        say(c("none", files=len(report.files)))
        return
    keys = ("col_file", "col_kind", "col_author", "col_date", "col_partner", "col_section", "col_ref", "col_text")
    rows = [
        [
            r.file,
            c(f"kind.{r.kind}"),
            r.author,
            (r.date or "")[:10],
            r.partner_label or "—",
            r.section or "—",
            r.ref or "—",
            r.text,
        ]
        for r in report.remarks
    ]
    title = c("title", count=len(report.remarks), files=len(report.files))
    console().print(fit_table(title, [c(key) for key in keys], rows, lang=lang), markup=False)


def render_form_import(result: ImportResult, file: Path, root: Path, lang: str) -> None:
    """Where a Word form's transcript went, the import's findings one a line with their place in
    the form, then the validator's on the transcript."""
    from rich.text import Text

    out = console()
    rel = result.transcript_path.relative_to(root).as_posix()
    if result.renamed_from:
        out.print(
            Text(t("import.cli_renamed", lang, file=str(file), path=rel, old=result.renamed_from), style="yellow")
        )
    else:
        out.print(Text(t("import.cli_done", lang, file=str(file), path=rel), style="green"))
    if result.findings:
        out.print(t("import.cli_findings", lang, count=len(result.findings), file=str(file)))
        for finding in result.findings:
            out.print(Text(t("import.cli_finding", lang, place=finding.place, message=finding.message), style="yellow"))
    for issue in result.report.issues:
        out.print(issue_line(issue, lang))


def render_export(result: ExportResult, file: Path, root: Path, lang: str) -> None:
    """What became of each submission of an export, with its findings, then the counts."""
    from rich.text import Text

    out = console()
    for finding in result.findings:
        out.print(Text(t("kobo.cli.finding", lang, place=finding.place, message=finding.message), style="yellow"))
    for sub in result.submissions:
        path = sub.transcript_path.relative_to(root).as_posix() if sub.transcript_path else ""
        style = {"imported": "green", "already": "dim", "failed": "red"}[sub.outcome]
        key = {"imported": "done", "already": "already", "failed": "failed"}[sub.outcome]
        out.print(Text(t(f"kobo.cli.{key}", lang, place=sub.place, path=path), style=style))
        for finding in sub.findings:
            out.print(Text(t("kobo.cli.finding", lang, place=finding.place, message=finding.message), style="yellow"))
        for issue in sub.report.issues if sub.report else []:
            out.print(issue_line(issue, lang))
    counts = {o: sum(s.outcome == o for s in result.submissions) for o in ("imported", "already", "failed")}
    out.print(t("kobo.cli.summary", lang, file=str(file), total=len(result.submissions), **counts))


def render_import_end(
    results: list[ImportResult], exports: list[ExportResult], *, files: int, failed: int, lang: str
) -> None:
    """The forms imported and failed (when Word forms were given), and what to do next."""
    out = console()
    if len(exports) < files:  # Word forms were given
        out.print(t("import.cli_summary", lang, imported=len(results), failed=failed))
    if results or any(s.outcome == "imported" for e in exports for s in e.submissions):
        out.print(t("import.cli_next", lang))


def render_actors(rows: list[ActorInfo], lang: str) -> None:
    """The registry, one partner a row, with its interviews and the state of the latest."""
    keys = ("col_id", "col_short_name", "col_country", "col_type", "col_role", "col_interviews", "col_latest")
    cells = []
    for row in rows:
        latest = t(f"status.{row.latest_status}", lang) if row.latest_status else "—"
        cells.append([row.actor.id, row.actor.label, row.actor.country, row.actor.type, row.actor.role,
                      str(len(row.interviews)), latest])  # fmt: skip
    title = t("cli.actors_title", lang, count=len(rows))
    console().print(fit_table(title, [t(f"cli.{key}", lang) for key in keys], cells, lang=lang))


def render_actor(info: ActorInfo, lang: str) -> None:
    """One partner: its fields, then its interviews."""
    from ess_coop.models import localized

    out = console()
    a = info.actor
    out.print(f"[bold]{a.name}[/bold] ({a.id})")
    for key, value in (
        ("col_short_name", a.short_name),
        ("col_country", a.country),
        ("col_type", a.type),
        ("col_role", a.role),
        ("col_territory", a.territory),
        ("col_website", a.website),
        ("col_description", localized(a.description, lang)),
    ):
        if value:
            line = "  " + t("cli.field_line", lang, label=t(f"cli.{key}", lang), value=value)
            out.print(line, markup=False, soft_wrap=False)  # long descriptions wrap at spaces
    if a.sensitive:
        out.print(f"  {t('cli.sensitive_note', lang)}")
    if not info.interviews:
        out.print(t("cli.no_interview", lang, id=a.id))
        return
    keys = ("col_id", "col_date", "col_status", "col_interviewers", "col_file")
    cells = [
        [
            item.id,
            item.date.isoformat() if item.date else "—",
            t(f"status.{item.status}", lang),
            ", ".join(item.interviewers),
            item.path,
        ]
        for item in info.interviews
    ]
    headers = [t(f"cli.{key}", lang) for key in keys]
    out.print(fit_table(t("cli.interviews_title", lang), headers, cells, lang=lang))


def render_project_export(summary: ProjectExport, lang: str, say: Say) -> None:
    """``export qdpx``: where the project went, what it holds, what was left out."""
    say(*written_line(summary.document, Path(), lang))
    say(t("export.qdpx_counts", lang, interviews=summary.interviews, cases=summary.cases, codes=summary.codes,
          selections=summary.selections, quotes=summary.quotes, anonymous=summary.anonymous_quotes))  # fmt: skip
    if summary.anonymized:
        say(t("export.qdpx_anonymized", lang))
    for path, reason in summary.excluded:
        say(t("cli.build_warning", lang, text=t(f"cli.build_warn_excluded_{reason}", lang, path=path)), "yellow")
    say(t("export.qdpx_next", lang))


def render_codebook_export(summary: CodebookExport, lang: str, say: Say) -> None:
    """``export qdc``: where the codebook went and how many codes it holds."""
    say(*written_line(summary.document, Path(), lang))
    say(t("export.qdc_counts", lang, codes=summary.codes))
    say(t("export.qdc_next", lang))
