"""The command line: parse options, call one library function, render its result, exit.

This is the only module that imports Typer and Rich. Library errors (``UserError``) become one
red line on stderr and exit code 1; tracebacks appear only with ``--debug``. Heavy libraries
(python-docx, Pillow) are imported inside the commands that need them, so that
``--help`` stays fast.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

try:  # Typer ≥ 0.29 vendors Click; older versions depend on it.
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from ess_coop import __version__
from ess_coop.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError
from ess_coop.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

F = TypeVar("F", bound=Callable[..., Any])


def _help_language(argv: list[str]) -> str:
    """Help texts are built at import: take --lang from the command line, else the environment."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    env = os.environ.get("ESS_COOP_LANG", "")
    return env if env in LANGUAGES else DEFAULT_LANGUAGE


HELP_LANG = _help_language(sys.argv[1:])


def _h(key: str) -> str:
    return t(f"cli.{key}", HELP_LANG)


class _HelpInOurLanguage:
    """Click writes "Show this message and exit." in English: say it in the help's language."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _h("help_help")
        return option


class _Group(_HelpInOurLanguage, TyperGroup):
    def main(  # type: ignore[override]  # same parameters as Click's, typed loosely
        self,
        args: Any = None,
        prog_name: Any = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors in our language, as one line, exit code 2 (Click prints them in English)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click_exceptions.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
                typer.echo(exc.ctx.get_help())  # plain "ess-coop": show the help, as asked
                sys.exit(EXIT_OK)
            _fail(_usage_message(exc))
            sys.exit(EXIT_USAGE)
        except typer.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _usage_message(exc: Any) -> str:
    lang = _Session.root_lang or HELP_LANG
    command = exc.ctx.command_path if exc.ctx is not None else "ess-coop"
    if isinstance(exc, click_exceptions.NoSuchOption):
        match = difflib.get_close_matches(exc.option_name, exc.possibilities or [], n=1)
        suggestion = t("common.did_you_mean", lang, word=match[0]) if match else ""
        text = t("usage.no_such_option", lang, option=exc.option_name, suggestion=suggestion)
    elif isinstance(exc, click_exceptions.MissingParameter) and exc.param is not None:
        text = t("usage.missing", lang, param=_param_name(exc.param))
    elif isinstance(exc, click_exceptions.BadParameter) and exc.param is not None:
        # Typer's message is English ("'xml' is not one of 'text', 'json'."): keep only the choices.
        listed = exc.message.split("is not one of", 1)[1] if "is not one of" in exc.message else ""
        choices = re.findall(r"'([^']*)'", listed)
        allowed = t("usage.allowed", lang, choices=", ".join(map(str, choices))) if choices else ""
        text = t("usage.bad_value", lang, param=_param_name(exc.param), allowed=allowed)
    elif exc.message.startswith("No such command"):
        text = t("usage.no_such_command", lang, name=exc.message.split("'")[1] if "'" in exc.message else "")
    else:
        text = t("usage.other", lang, message=exc.format_message())
    return f"{text} — {t('usage.hint', lang, command=command)}"


def _param_name(param: Any) -> str:
    """An option by its longest flag, an argument by its metavar (ACTEUR) or its name."""
    if getattr(param, "param_type_name", "") == "option" and getattr(param, "opts", None):
        return str(max(param.opts, key=len))
    return str(getattr(param, "metavar", None) or (param.name or "").upper())


class _Command(_HelpInOurLanguage, TyperCommand):
    pass


class Lang(StrEnum):
    fr = "fr"
    en = "en"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help=_h("workspace_help"), file_okay=False, show_default=False),
]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=_h("lang_help"), show_default=False)]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help=_h("format_help"))]


class _Session:
    """What the error handler needs to know about the current invocation."""

    debug = False
    lang = DEFAULT_LANGUAGE
    root_lang: str | None = None  # ``ess-coop --lang en COMMAND``


app = typer.Typer(
    name="ess-coop",
    help=_h("app_help"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with Rich costs 85 ms of imports
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ess-coop {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help=_h("version_help"), callback=_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help=_h("debug_help"))] = False,
    lang: LangOpt = None,
) -> None:
    _Session.debug = debug
    _Session.lang = lang.value if lang else HELP_LANG
    _Session.root_lang = lang.value if lang else None


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=not stderr)


def _say(text: str, colour: str | None = None, *, bold: bool = False, err: bool = False) -> None:
    """One line of plain text, coloured on a terminal (Rich is for tables: importing it costs
    a tenth of the time of a short command). Typer strips colours when the output is a file
    or a pipe, and handles Windows consoles; ``[brackets]`` are printed as they are."""
    typer.secho(text, fg=colour, bold=bold or None, err=err)


def _fail(message: str) -> None:
    _say(f"{t('cli.error_prefix', _Session.lang)} {message}", "red", bold=True, err=True)


def command(func: F) -> F:
    """Turn library errors into one readable line and exit code 1 (tracebacks with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang")
        if isinstance(lang, Lang):
            _Session.lang = lang.value
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            if _Session.debug:
                raise
            _fail(exc.render(_Session.lang))
            raise typer.Exit(EXIT_FINDINGS) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _Session.debug:
                raise
            _fail(UserError("unexpected", error=f"{type(exc).__name__}: {exc}").render(_Session.lang))
            raise typer.Exit(EXIT_FINDINGS) from None

    return wrapper  # type: ignore[return-value]


def _root_for(workspace: Path | None, start: Path | None = None) -> Path:
    from ess_coop.workspace import find_root

    return find_root(workspace, start=start)


def _lang_of(lang: Lang | None, root: Path) -> str:
    """The language asked for, else the workspace's (read cheaply from ess-coop.yaml)."""
    if lang is not None:
        return lang.value
    if _Session.root_lang is not None:
        return _Session.root_lang
    from ess_coop.workspace import PROJECT_FILE
    from ess_coop.yamlio import read_yaml

    data = read_yaml(root / PROJECT_FILE).data
    value = data.get("language") if isinstance(data, dict) else None
    chosen = value if value in LANGUAGES else DEFAULT_LANGUAGE
    _Session.lang = chosen
    return chosen


def _print_json(payload: str) -> None:
    sys.stdout.write(payload + "\n")


# --- init ------------------------------------------------------------------------------------


@app.command("init", cls=_Command, help=_h("init_help"))
@command
def init_cmd(
    directory: Annotated[Path, typer.Argument(help=_h("init_dir_help"))] = Path(),
    example: Annotated[bool, typer.Option("--example", help=_h("init_example_help"))] = False,
    lang: LangOpt = None,
) -> None:
    from ess_coop.creation import create_workspace

    chosen = lang.value if lang else _Session.root_lang or HELP_LANG
    _Session.lang = chosen
    written = create_workspace(directory, example=example, lang=chosen)
    _say(t("cli.init_done", chosen, path=directory.resolve()))
    for path in written:
        _say(f"  {path.relative_to(directory).as_posix()}")
    _say(t("cli.init_next", chosen))


# --- validate --------------------------------------------------------------------------------


@app.command("validate", cls=_Command, help=_h("validate_help"))
@command
def validate_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=_h("validate_paths_help"), show_default=False, metavar=_h("metavar_paths")),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help=_h("strict_help"))] = False,
    watch: Annotated[bool, typer.Option("--watch", help=_h("watch_help"))] = False,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.validation import check_workspace

    start = None
    if paths and workspace is None:
        first = paths[0].resolve()
        start = first if first.is_dir() else first.parent
    root = _root_for(workspace, start)
    chosen = _lang_of(lang, root)
    for path in paths or []:
        resolved = path.resolve()
        if not resolved.exists():
            raise UserError("path-missing", path=path)
        if not resolved.is_relative_to(root):
            raise UserError("path-outside", path=path)
    _, report = check_workspace(root, lang=chosen, strict=strict, only=[p.resolve() for p in paths or []])
    if output is OutputFormat.json:
        _print_json(report.model_dump_json(indent=2))
    else:
        _render_report(report, chosen)
    if watch:
        _watch(root, chosen, strict, report)
        raise typer.Exit(EXIT_OK)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _watch(root: Path, lang: str, strict: bool, first: Any) -> None:
    from rich.text import Text

    from ess_coop.watching import watch

    out = _console()
    out.print(Text(t("cli.watch_started", lang), style="dim"))

    def show(change: Any) -> None:
        out.print(Text(t("cli.watch_changed", lang, files=", ".join(change.files)), style="bold"))
        for issue in change.resolved:
            out.print(Text(t("cli.watch_resolved", lang, where=issue.location(), code=issue.code), style="green"))
        for issue in change.added:
            out.print(_issue_line(issue, lang))
        if not change.added and not change.resolved:
            out.print(Text(t("cli.watch_same", lang), style="dim"))
        stats = change.report.stats.model_dump()
        key = "cli.validate_ok" if change.report.valid else "cli.validate_failed"
        out.print(Text(t(key, lang, **stats), style="green" if change.report.valid else "red"))

    watch(root, lang=lang, strict=strict, first=first, on_change=show)
    out.print(Text(t("cli.watch_stopped", lang), style="dim"))


def _issue_line(issue: Any, lang: str) -> Any:
    """``path:line:column: severity code: message — hint``, one finding a line."""
    from rich.text import Text

    colour = {"error": "red", "warning": "yellow"}.get(issue.severity, "cyan")
    line = Text()
    line.append(f"{issue.location()}: ", style="bold")
    line.append(f"{t(f'severity.{issue.severity}', lang)} {issue.code}: ", style=colour)
    line.append(issue.message)
    if issue.hint:
        line.append(f" — {issue.hint}", style="dim")
    return line


def _render_report(report: Any, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    out = _console()
    for issue in report.issues:
        out.print(_issue_line(issue, lang))
    per_file = report.by_file()
    if per_file:
        table = Table(title=t("cli.validate_table_title", lang), title_justify="left")
        table.add_column(t("cli.col_file", lang), overflow="fold")
        table.add_column(t("cli.col_errors", lang), justify="right")
        table.add_column(t("cli.col_warnings", lang), justify="right")
        for path, counts in per_file.items():
            table.add_row(path, str(counts["error"]), str(counts["warning"]))
        out.print()
        out.print(table)
    stats = report.stats.model_dump()
    key = "cli.validate_ok" if report.valid else "cli.validate_failed"
    out.print(Text(t(key, lang, **stats), style="green" if report.valid else "red"))


# --- new-interview ---------------------------------------------------------------------------


class FormChoice(StrEnum):
    yaml = "yaml"
    docx = "docx"


class ModeChoice(StrEnum):
    in_person = "in-person"
    video = "video"
    phone = "phone"
    written = "written"


def _load(root: Path, lang: str, *, need: tuple[str, ...] = ("project", "actors")) -> Any:
    """The workspace, refusing to work from a project, registry or guide that did not parse."""
    from ess_coop.validation import check_workspace
    from ess_coop.workspace import ACTORS_FILE, GUIDE_FILE, PROJECT_FILE

    ws, report = check_workspace(root, lang=lang)
    broken = {
        "project": (ws.project is None, PROJECT_FILE),
        "actors": (any(i.path == ACTORS_FILE and i.severity == "error" for i in report.issues), ACTORS_FILE),
        "guide": (ws.guide is None, GUIDE_FILE),
    }
    for part in need:
        failed, file = broken[part]
        if failed:
            raise UserError("workspace-invalid", file=file)
    return ws, report


def _open(workspace: Path | None, lang: Lang | None, *, need: tuple[str, ...] = ("project", "actors")) -> Any:
    """(root, language, workspace) for a command that works from a readable workspace."""
    root = _root_for(workspace)
    chosen = _lang_of(lang, root)
    ws, _ = _load(root, chosen, need=need)
    return root, chosen, ws


def _written(written: Any, root: Path, lang: str) -> tuple[str, str]:
    """The line saying where a generated document went (and why there, if not where asked),
    and its colour."""
    try:
        shown = written.path.relative_to(root).as_posix()
    except (AttributeError, ValueError):
        shown = str(getattr(written, "path", written))
    key = f"cli.build_{written.status}" + (f"_{written.reason}" if written.reason else "")
    return t(key, lang, path=shown), "yellow" if written.status == "renamed" else "green"


def _parse_date(value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError("invalid-date-option", value=value) from None


@app.command("new-interview", cls=_Command, help=_h("new_interview_help"))
@command
def new_interview_cmd(
    actor: Annotated[str, typer.Argument(help=_h("actor_arg_help"), show_default=False, metavar=_h("metavar_actor"))],
    date: Annotated[str | None, typer.Option("--date", help=_h("date_help"), show_default=False)] = None,
    interviewer: Annotated[
        list[str] | None, typer.Option("--interviewer", "-i", help=_h("interviewer_help"), show_default=False)
    ] = None,
    mode: Annotated[ModeChoice, typer.Option("--mode", help=_h("mode_help"))] = ModeChoice.in_person,
    form: Annotated[FormChoice, typer.Option("--form", help=t("form.cli_option_help", HELP_LANG))] = FormChoice.yaml,
    docx: Annotated[bool, typer.Option("--docx", help=_h("docx_guide_help"))] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    when = _parse_date(date)
    root, chosen, ws = _open(workspace, lang, need=("project", "actors", "guide"))
    if form is FormChoice.docx:
        from ess_coop.form_docx import write_form
        from ess_coop.skeleton import resolve_actor

        path = write_form(ws, actor, date=when, interviewers=interviewer or [], mode=mode.value, lang=chosen)
        rel = path.relative_to(root).as_posix()
        questions = len(ws.guide.questions_for(resolve_actor(ws, actor)))
        _say(t("form.cli_done", chosen, path=rel, questions=questions))
        interview_id = path.stem
        next_step = t("form.cli_next", chosen, path=rel)
    else:
        from ess_coop.skeleton import create_interview

        created = create_interview(ws, actor, date=when, interviewers=interviewer or [], mode=mode.value, lang=chosen)
        rel = created.path.relative_to(root).as_posix()
        _say(t("cli.new_interview_done", chosen, path=rel, questions=created.questions))
        interview_id = created.interview_id
        next_step = t("cli.new_interview_next", chosen)
    if docx:
        from ess_coop.guide_docx import write_guide

        guide_path = write_guide(ws, actor, interview_id=interview_id, date=when, lang=chosen)
        _say(t("cli.guide_done", chosen, path=guide_path.relative_to(root).as_posix()))
    _say(next_step)


# --- import ----------------------------------------------------------------------------------


@app.command("import", cls=_Command, help=t("import.cli_help", HELP_LANG))
@command
def import_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(help=t("import.cli_file_help", HELP_LANG), show_default=False, metavar=_h("metavar_forms")),
    ],
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from rich.text import Text

    from ess_coop.form_import import import_form

    root, chosen, ws = _open(workspace, lang, need=("project", "actors", "guide"))
    out, err = _console(), _console(stderr=True)
    results, failed = [], 0
    for file in files:
        try:
            result = import_form(ws, file, lang=chosen)
        except UserError as exc:
            failed += 1
            err.print(Text(t("import.cli_failed", chosen, file=str(file), error=exc.render(chosen)), style="red"))
            continue
        results.append(result)
        if output is OutputFormat.json:
            continue
        rel = result.transcript_path.relative_to(root).as_posix()
        if result.renamed_from:
            out.print(Text(t("import.cli_renamed", chosen, file=str(file), path=rel, old=result.renamed_from),
                           style="yellow"))  # fmt: skip
        else:
            out.print(Text(t("import.cli_done", chosen, file=str(file), path=rel), style="green"))
        if result.findings:
            out.print(t("import.cli_findings", chosen, count=len(result.findings), file=str(file)))
            for finding in result.findings:
                out.print(Text(t("import.cli_finding", chosen, place=finding.place, message=finding.message),
                               style="yellow"))  # fmt: skip
        for issue in result.report.issues:
            out.print(_issue_line(issue, chosen))
    if output is OutputFormat.json:
        import json

        _print_json(json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False, indent=2))
    else:
        out.print(t("import.cli_summary", chosen, imported=len(results), failed=failed))
        if results:
            out.print(t("import.cli_next", chosen))
    invalid = any(not r.report.valid for r in results)
    raise typer.Exit(EXIT_FINDINGS if failed or invalid else EXIT_OK)


# --- actors ----------------------------------------------------------------------------------

actors_app = typer.Typer(
    help=_h("actors_help"), invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None, cls=_Group
)
app.add_typer(actors_app, name="actors")


class ActorTypeChoice(StrEnum):
    local_authority = "local-authority"
    network = "network"
    ngo = "ngo"
    association = "association"
    university = "university"
    ess_hub = "ess-hub"
    incubator = "incubator"
    social_enterprise = "social-enterprise"
    funder = "funder"
    other = "other"


class RoleChoice(StrEnum):
    coordinator = "coordinator"
    partner = "partner"
    funder = "funder"
    observer = "observer"


@actors_app.callback()
@command
def actors_cmd(
    ctx: typer.Context,
    country: Annotated[
        str | None, typer.Option("--country", help=_h("country_filter_help"), show_default=False)
    ] = None,
    type_: Annotated[
        ActorTypeChoice | None, typer.Option("--type", help=_h("type_filter_help"), show_default=False)
    ] = None,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from ess_coop.registry import list_actors

    _, chosen, ws = _open(workspace, lang)
    rows = list_actors(ws, country=country, type_=type_.value if type_ else None)
    if output is OutputFormat.json:
        _print_json(_json_list(rows))
        return
    from rich.table import Table

    table = Table(title=t("cli.actors_title", chosen, count=len(rows)), title_justify="left")
    table.add_column(t("cli.col_id", chosen), no_wrap=True)
    for key in ("col_short_name", "col_country", "col_type", "col_role", "col_interviews", "col_latest"):
        table.add_column(t(f"cli.{key}", chosen), overflow="fold")
    for row in rows:
        latest = t(f"status.{row.latest_status}", chosen) if row.latest_status else "—"
        table.add_row(
            row.actor.id,
            row.actor.label,
            row.actor.country,
            row.actor.type,
            row.actor.role,
            str(len(row.interviews)),
            latest,
        )
    _console().print(table)


def _json_list(rows: list[Any]) -> str:
    import json

    return json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False, indent=2)


@actors_app.command("show", cls=_Command, help=_h("actors_show_help"))
@command
def actors_show_cmd(
    actor: Annotated[str, typer.Argument(help=_h("actor_arg_help"), show_default=False, metavar=_h("metavar_actor"))],
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.registry import show_actor

    _, chosen, ws = _open(workspace, lang)
    info = show_actor(ws, actor)
    if output is OutputFormat.json:
        _print_json(info.model_dump_json(indent=2))
        return
    from rich.table import Table

    out = _console()
    a = info.actor
    out.print(f"[bold]{a.name}[/bold] ({a.id})")
    for key, value in (
        ("col_short_name", a.short_name),
        ("col_country", a.country),
        ("col_type", a.type),
        ("col_role", a.role),
        ("col_territory", a.territory),
        ("col_website", a.website),
        ("col_description", a.description),
    ):
        if value:
            out.print("  " + t("cli.field_line", chosen, label=t(f"cli.{key}", chosen), value=value), markup=False)
    if a.sensitive:
        out.print(f"  {t('cli.sensitive_note', chosen)}")
    if not info.interviews:
        out.print(t("cli.no_interview", chosen, id=a.id))
        return
    table = Table(title=t("cli.interviews_title", chosen), title_justify="left")
    for key in ("col_id", "col_date", "col_status", "col_interviewers", "col_file"):
        table.add_column(t(f"cli.{key}", chosen), overflow="fold")
    for item in info.interviews:
        table.add_row(
            item.id,
            item.date.isoformat() if item.date else "—",
            t(f"status.{item.status}", chosen),
            ", ".join(item.interviewers),
            item.path,
        )
    out.print(table)


@actors_app.command("add", cls=_Command, help=_h("actors_add_help"))
@command
def actors_add_cmd(
    name: Annotated[str, typer.Option("--name", help=_h("name_help"), show_default=False)],
    country: Annotated[str, typer.Option("--country", help=_h("country_help"), show_default=False)],
    type_: Annotated[ActorTypeChoice, typer.Option("--type", help=_h("type_help"), show_default=False)],
    id_: Annotated[str | None, typer.Option("--id", help=_h("id_help"), show_default=False)] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help=_h("short_name_help"), show_default=False)
    ] = None,
    role: Annotated[RoleChoice, typer.Option("--role", help=_h("role_help"))] = RoleChoice.partner,
    territory: Annotated[str | None, typer.Option("--territory", show_default=False)] = None,
    website: Annotated[str | None, typer.Option("--website", show_default=False)] = None,
    description: Annotated[str | None, typer.Option("--description", show_default=False)] = None,
    sensitive: Annotated[bool, typer.Option("--sensitive", help=_h("sensitive_help"))] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.registry import add_actor

    _, chosen, ws = _open(workspace, lang)
    actor = add_actor(
        ws,
        {
            "id": id_,
            "name": name,
            "short_name": short_name,
            "country": country.upper(),
            "type": type_.value,
            "role": role.value,
            "territory": territory,
            "website": website,
            "description": description,
            "sensitive": sensitive,
        },
    )
    _say(t("cli.actor_added", chosen, id=actor.id, name=actor.name))


# --- status ----------------------------------------------------------------------------------


@app.command("status", cls=_Command, help=_h("status_help"))
@command
def status_cmd(
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.progress import project_status

    _, chosen, ws = _open(workspace, lang)
    report = project_status(ws)
    if output is OutputFormat.json:
        _print_json(report.model_dump_json(indent=2))
        return
    _render_status(report, chosen)


def _render_status(report: Any, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    out = _console()
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
        table = Table(
            title=t(
                "cli.status_country",
                lang,
                country=country,
                interviewed=c.interviewed,
                partners=c.partners,
                validated=c.validated,
                drafts=c.drafts,
                invalid=c.invalid,
                missing=c.missing,
            ),
            title_justify="left",
        )
        table.add_column(t("cli.col_id", lang), no_wrap=True)
        for key in ("col_status", "col_interviews", "col_last_change", "col_interviewers"):
            table.add_column(t(f"cli.{key}", lang), overflow="fold")
        for a in (a for a in report.actors if a.country == c.country):
            state = t(f"status.{a.state}", lang) if a.state != "none" else t("cli.status_none", lang)
            style = {"none": "dim", "invalid": "red", "draft": "yellow"}.get(a.state, "green")
            changed = a.last_change.astimezone().strftime("%Y-%m-%d %H:%M") if a.last_change else "—"
            table.add_row(a.id, Text(state, style=style), str(len(a.interviews)), changed, ", ".join(a.interviewers))
        out.print()
        out.print(table)
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


# --- profile ---------------------------------------------------------------------------------


@app.command("profile", cls=_Command, help=_h("profile_help"))
@command
def profile_cmd(
    actor: Annotated[str, typer.Argument(help=_h("actor_arg_help"), show_default=False, metavar=_h("metavar_actor"))],
    reply_by: Annotated[str | None, typer.Option("--reply-by", help=_h("reply_by_help"), show_default=False)] = None,
    include_drafts: Annotated[bool, typer.Option("--include-drafts", help=_h("include_drafts_help"))] = False,
    anonymize: Annotated[bool, typer.Option("--anonymize", help=_h("anonymize_help"))] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.profile_docx import write_profile
    from ess_coop.referential import build_date

    root, chosen, ws = _open(workspace, lang, need=("project", "actors", "guide"))
    written = write_profile(ws, actor, lang=chosen, anonymize=anonymize, include_drafts=include_drafts,
                            today=build_date(), reply_by=_parse_date(reply_by) if reply_by else None)  # fmt: skip
    _say(*_written(written, root, chosen))
    _say(t("cli.profile_next", chosen))


# --- build-referential -----------------------------------------------------------------------


@app.command("build-referential", cls=_Command, help=_h("build_help"))
@command
def build_referential_cmd(
    output_path: Annotated[
        Path | None, typer.Option("--output", "-o", help=_h("output_help"), dir_okay=False, show_default=False)
    ] = None,
    include_drafts: Annotated[bool, typer.Option("--include-drafts", help=_h("include_drafts_help"))] = False,
    template: Annotated[
        Path | None, typer.Option("--template", help=_h("template_help"), dir_okay=False, show_default=False)
    ] = None,
    anonymize: Annotated[bool, typer.Option("--anonymize", help=_h("anonymize_help"))] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help=_h("xlsx_help"))] = False,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.referential import build

    _, chosen, ws = _open(workspace, lang, need=("project", "actors", "guide"))
    _, summary = build(
        ws,
        output=output_path,
        lang=chosen,
        include_drafts=include_drafts,
        template=template,
        anonymize=anonymize,
        xlsx=xlsx,
    )
    if output is OutputFormat.json:
        _print_json(summary.model_dump_json(indent=2))
        return
    _render_build(summary, chosen)


def _render_build(summary: Any, lang: str) -> None:
    for doc in summary.documents:
        _say(*_written(doc, Path(), lang))
    for c in summary.countries:
        country = t(f"country.{c.country}", lang, default=c.country)
        _say(
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
    _say(t("cli.build_leads", lang, leads=leads, shared=summary.shared_stakes))
    if summary.texts:
        _say(t("committee.cli.texts_used", lang, names=", ".join(summary.texts)))
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
        _say(t("cli.build_warning", lang, text=warning), "yellow")


def _held_back_lines(summary: Any, lang: str) -> list[str]:
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


# --- privacy ---------------------------------------------------------------------------------


@app.command("privacy", cls=_Command, help=t("privacy.register.help", HELP_LANG))
@command
def privacy_cmd(
    include_drafts: Annotated[
        bool, typer.Option("--include-drafts", help=t("privacy.register.include_drafts_help", HELP_LANG))
    ] = False,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.privacy import privacy_register

    _, chosen, ws = _open(workspace, lang)
    register = privacy_register(ws, lang=chosen, include_drafts=include_drafts)
    if output is OutputFormat.json:
        _print_json(register.model_dump_json(indent=2))
        return
    _render_register(register, chosen)


def _render_register(register: Any, lang: str) -> None:
    from rich.table import Table
    from rich.text import Text

    def r(key: str, **params: Any) -> str:
        return t(f"privacy.register.{key}", lang, **params)

    def shown(text: str | None) -> str:
        return text if text is not None else r("not_printed")

    table = Table(
        title=r("title", people=len(register.people), held=len(register.held_back), min_group=register.min_group),
        title_justify="left",
    )
    for key in ("col_person", "col_kind", "col_where", "col_consent", "col_referential", "col_profile", "col_workbook"):
        table.add_column(r(key), overflow="fold")
    for person in register.people:
        who = person.name or person.ref or ""
        if person.kind == "interviewee" and person.name:
            who = f"{person.name} ({person.ref})"
        consent = "—"
        if person.consent:
            consent = person.consent if person.applies == person.consent else f"{person.consent} → {person.applies}"
        cells = []
        for document in ("referential", "profile", "workbook"):
            printed = next(p for p in person.printed if p.document == document)
            text = shown(printed.normal)
            if printed.anonymized != printed.normal:
                text = r("with_anonymize", normal=text, anonymized=shown(printed.anonymized))
            if person.counted != "yes" and printed.normal is not None:
                text = r("not_counted", text=text, reason=r(f"reason.{person.counted}"))
            cells.append(text)
        where = ", ".join(person.interviews)
        table.add_row(*(Text(cell) for cell in (who, r(f"kind.{person.kind}"), where, consent, *cells)))
    out = _console()
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


# --- export ----------------------------------------------------------------------------------

export_app = typer.Typer(help=t("export.cli_help", HELP_LANG), no_args_is_help=True, rich_markup_mode=None, cls=_Group)
app.add_typer(export_app, name="export")


@export_app.command("qdpx", cls=_Command, help=t("export.qdpx_help", HELP_LANG))
@command
def export_qdpx_cmd(
    output_path: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help=t("export.output_qdpx_help", HELP_LANG), dir_okay=False, show_default=False
        ),
    ] = None,
    include_drafts: Annotated[bool, typer.Option("--include-drafts", help=_h("include_drafts_help"))] = False,
    anonymize: Annotated[bool, typer.Option("--anonymize", help=_h("anonymize_help"))] = False,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.export import export_qdpx

    _, chosen, ws = _open(workspace, lang, need=("project", "actors", "guide"))
    summary = export_qdpx(ws, output=output_path, lang=chosen, include_drafts=include_drafts, anonymize=anonymize)
    if output is OutputFormat.json:
        _print_json(summary.model_dump_json(indent=2))
        return
    _say(*_written(summary.document, Path(), chosen))
    _say(t("export.qdpx_counts", chosen, interviews=summary.interviews, cases=summary.cases, codes=summary.codes,
           selections=summary.selections, quotes=summary.quotes, anonymous=summary.anonymous_quotes))  # fmt: skip
    if summary.anonymized:
        _say(t("export.qdpx_anonymized", chosen))
    for path, reason in summary.excluded:
        _say(t("cli.build_warning", chosen, text=t(f"cli.build_warn_excluded_{reason}", chosen, path=path)), "yellow")
    _say(t("export.qdpx_next", chosen))


@export_app.command("qdc", cls=_Command, help=t("export.qdc_help", HELP_LANG))
@command
def export_qdc_cmd(
    output_path: Annotated[
        Path | None,
        typer.Option("--output", "-o", help=t("export.output_qdc_help", HELP_LANG), dir_okay=False, show_default=False),
    ] = None,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.export import export_qdc

    _, chosen, ws = _open(workspace, lang)
    summary = export_qdc(ws, output=output_path, lang=chosen)
    if output is OutputFormat.json:
        _print_json(summary.model_dump_json(indent=2))
        return
    _say(*_written(summary.document, Path(), chosen))
    _say(t("export.qdc_counts", chosen, codes=summary.codes))
    _say(t("export.qdc_next", chosen))


def main() -> None:
    """Entry point of the ``ess-coop`` console script."""
    app()


__all__ = ["app", "main"]
