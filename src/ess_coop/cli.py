"""The command line: parse options, call one library function, render its result, exit.

This is the only module that imports Typer; the renderers are in ``render``. Library errors (``UserError``) become one
red line on stderr and exit code 1; tracebacks appear only with ``--debug``. Heavy libraries
(python-docx, Pillow) are imported inside the commands that need them, so that
``--help`` stays fast. A command that works from a workspace is written ``@in_workspace``, one
that reports ``@reporting`` (it returns the library's result, which ``--format json`` prints).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Concatenate, ParamSpec, TypeVar, get_type_hints

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.models import OptionInfo

try:  # Typer ≥ 0.29 vendors Click; older versions depend on it.
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from ess_coop import __version__
from ess_coop.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError
from ess_coop.i18n import DEFAULT_LANGUAGE, LANGUAGES, did_you_mean, t
from ess_coop.render import (
    console,
    issue_line,
    printable,
    render_actor,
    render_actors,
    render_build,
    render_changes,
    render_codebook_export,
    render_comments,
    render_export,
    render_form_import,
    render_import_end,
    render_project_export,
    render_register,
    render_report,
    render_sheets,
    render_status,
    render_xlsform,
    written_line,
)

if TYPE_CHECKING:  # for types only: importing them at run time would slow --help
    import datetime as dt

    from pydantic import BaseModel
    from typer._click import Command, Context, HelpFormatter, Parameter  # Typer ≥ 0.29 vendors Click
    from typer._click.exceptions import UsageError

    from ess_coop.comments import CommentsReport
    from ess_coop.editions import Changes
    from ess_coop.export import CodebookExport, ProjectExport
    from ess_coop.forms.importer import ImportResult
    from ess_coop.kobo_import import ExportResult
    from ess_coop.privacy import Register
    from ess_coop.referential import BuildSummary
    from ess_coop.registry import ActorInfo
    from ess_coop.render import Say
    from ess_coop.report import Report
    from ess_coop.review import SheetsSent
    from ess_coop.status import StatusReport
    from ess_coop.validation import Part
    from ess_coop.watch import Change
    from ess_coop.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R", bound="BaseModel | Sequence[BaseModel]")  # what a reporting command returns


def _help_language(argv: list[str]) -> str:
    """Help texts are built at import: take --lang from the command line, else the environment."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            return argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    env = os.environ.get("ESS_COOP_LANG", "")
    return env if env in LANGUAGES else _workspace_language(argv)


def _workspace_language(argv: list[str]) -> str:
    """``language:`` of the workspace the command will use, read without a YAML parser (it
    costs more than the whole help): ``--workspace``/``-w`` if given, else upward from here."""
    given = next((argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("--workspace", "-w")), None)
    given = given or next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--workspace=")), None)
    try:
        here = Path(given or ".").resolve()
        for folder in (here, *here.parents) if given is None else (here,):
            project = folder / "ess-coop.yaml"
            if project.is_file():  # its beginning only: a link may lead to a file of any size
                with project.open("rb") as handle:
                    head = handle.read(20000).decode("utf-8-sig", errors="replace")
                found = re.search(r"^language:\s*[\"']?(\w+)", head, re.M)
                return found.group(1) if found and found.group(1) in LANGUAGES else DEFAULT_LANGUAGE
    except (OSError, UnicodeDecodeError):
        pass
    return DEFAULT_LANGUAGE


HELP_LANG = _help_language(sys.argv[1:])


def _h(key: str) -> str:
    return t(f"cli.{key}", HELP_LANG)


if TYPE_CHECKING:  # the mixin is checked as the Click command it is mixed into
    _ClickCommand = Command
else:
    _ClickCommand = object


class _HelpInOurLanguage(_ClickCommand):
    """The whole help page written by us, in the reader's language: Click's frame words
    ("Usage:", "[default: …]", "[required]"), metavars in words (never a Python type), full
    summaries, and each command's examples from the catalogue (``help.examples.<command>``).
    Any command built with these classes gets it; a test walks them all."""

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _h("help_help")
        return option

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _format_help(self, ctx, formatter)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Click's parser raises some usage errors ("-i needs a value") without saying which
        command they are about: attach it, so that the message names ``ess-coop X --help``."""
        try:
            return super().parse_args(ctx, args)
        except click_exceptions.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise


def _w(key: str, **params: Any) -> str:
    """A word of the help's frame (``help.*`` in the catalogues)."""
    return t(f"help.{key}", HELP_LANG, **params)


def _command_key(ctx: Context) -> str:
    """``actors add`` for ``ess-coop actors add``; ``ess-coop`` for the root."""
    return " ".join(ctx.command_path.split()[1:]) or "ess-coop"


def _choices(param: Parameter) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)  # Typer ≥ 0.29
    raw = getattr(descriptor, "choices", None) or getattr(getattr(param, "type", None), "choices", None) or ()
    return [str(getattr(choice, "value", choice)) for choice in raw]


def _metavar(param: Parameter) -> str:
    """What to type, in the reader's words: the command's own metavar, else one named after the
    parameter (``help.metavar.<name>``), else one for its kind (text, number, file, folder)."""
    if getattr(param, "metavar", None):
        return str(param.metavar)
    named = t(f"help.metavar.{param.name}", HELP_LANG, default="")
    if named:
        return named
    choices = _choices(param)
    if choices:
        return "|".join(choices) if len("|".join(choices)) <= 20 else _w("metavar_kind.value")
    descriptor = getattr(param, "type_descriptor", None)
    annotation = str(getattr(descriptor, "annotation", ""))
    if getattr(descriptor, "is_path", False) or "Path" in annotation:
        kind = {"dir": "folder", "file": "file"}.get(str(getattr(descriptor, "path_type", "")), "path")
    elif "int" in annotation or "float" in annotation:
        kind = "number"
    else:
        kind = "text"
    return _w(f"metavar_kind.{kind}")


def _shown_default(param: Parameter) -> str:
    """The default worth printing: a choice or a number; never a flag, a path or nothing."""
    shown = getattr(param, "show_default", None)  # Typer's arguments and options have it
    if shown is False or getattr(param, "is_flag", False) or getattr(param, "multiple", False):
        return ""
    default = param.default
    if default is None or isinstance(default, (bool, Path)) or callable(default):
        return ""
    return str(getattr(default, "value", default))


def _param_record(param: Parameter) -> tuple[str, str]:
    """(the names and what to type, what it does [default; values; required])."""
    many = "…" if getattr(param, "multiple", False) or param.nargs != 1 else ""
    if param.param_type_name == "argument":
        names = _metavar(param) + many
    else:
        names = ", ".join(sorted(param.opts, key=len))
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
            names += f" {_metavar(param)}{many}"
    text = t(f"help.param.{param.name}", HELP_LANG, default="") or getattr(param, "help", None) or ""
    extra = []
    default = _shown_default(param)
    if default:
        extra.append(_w("default", value=default))
    choices = _choices(param)
    if choices and not all(choice in text for choice in choices):
        extra.append(_w("choices", values=", ".join(choices)))
    if param.required:
        extra.append(_w("required"))
    return names, f"{text}  [{_w('separator').join(extra)}]" if extra else text


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cut at spaces only, never before French ":", ";", "?", "!", "»"
    nor after "«" (a line starting with ": dans 14 jours" reads badly)."""
    import textwrap

    glued = re.sub(r" (?=[:;?!»])|(?<=«) ", "\u00a0", text)
    lines = textwrap.wrap(glued, width, break_on_hyphens=False, break_long_words=False)
    return [line.replace("\u00a0", " ") for line in lines]


def _section(formatter: HelpFormatter, title: str, rows: list[tuple[str, str]]) -> None:
    """A heading and its two columns, wrapped at spaces only: Click's wrapper cuts words at
    hyphens ("local-" / "authority"), and a value cut in two cannot be copied."""
    if not rows:
        return
    formatter.write_paragraph()
    formatter.write(f"{title}\n")
    first = min(max(len(name) for name, _ in rows), 30) + 4
    width = max(formatter.width - first, 30)
    for name, text in rows:
        lines = _wrap(text, width) or [""]
        if len(name) + 4 > first:  # too long a name: its text starts on the next line
            formatter.write(f"  {name}\n")
        else:
            formatter.write(f"  {name:<{first - 4}}  {lines.pop(0)}\n")
        for line in lines:
            formatter.write(f"{'':<{first}}{line}\n")


def _format_help(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    pieces = [_w("usage_options")] if options else []
    for argument in arguments:
        name = _metavar(argument) + ("…" if argument.nargs != 1 else "")
        pieces.append(name if argument.required else f"[{name}]")
    subcommands = getattr(command, "commands", None)
    if subcommands:  # optional when the group does something alone (``ess-coop actors`` lists)
        optional = getattr(command, "invoke_without_command", False)
        pieces.append(f"[{_w('usage_command')}]" if optional else _w("usage_command"))
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_w("usage") + " ")
    if command.help:
        formatter.write_paragraph()
        for line in _wrap(command.help, max(formatter.width - 2, 30)):
            formatter.write(f"  {line}\n")
    _section(formatter, _w("arguments"), [_param_record(p) for p in arguments])
    _section(formatter, _w("options"), [_param_record(p) for p in options])
    if subcommands:
        rows = [(name, _summary(sub)) for name, sub in subcommands.items() if not sub.hidden]
        _section(formatter, _w("commands"), rows)
    examples = t(f"help.examples.{_command_key(ctx)}", HELP_LANG, default="")
    if examples:
        formatter.write_paragraph()
        formatter.write(f"{_w('examples_title')}\n")
        for line in examples.splitlines():
            if line.startswith("ess-coop"):
                formatter.write(f"  {line}\n")
            else:
                for wrapped in _wrap(line, max(formatter.width - 6, 30)):
                    formatter.write(f"      {wrapped}\n")


def _summary(command: Command) -> str:
    """A command's first sentence, in full (Click cuts it at 45 characters with "...")."""
    return str(command.help or "").split("\n\n", 1)[0].strip()


class _Group(_HelpInOurLanguage, TyperGroup):
    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        for param in params:  # Typer adds it after building the group, and says "installed" in English
            if param.name == "install_completion":
                param.callback = _install_completion
        return params

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,  # Click's: settings of the context, any value
    ) -> Any:  # Click's: what the command returned (standalone, it exits instead)
        """Usage errors in our language, as one line, exit code 2 (Click prints them in English)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        page = _quick_help(self, prog_name or "ess-coop", list(sys.argv[1:] if args is None else args))
        if page is not None:
            typer.echo(page)
            sys.exit(EXIT_OK)
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except click_exceptions.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
                typer.echo(exc.ctx.get_help())  # plain "ess-coop": show the help, as asked
                sys.exit(EXIT_OK)
            _fail(_usage_message(exc))
            sys.exit(EXIT_USAGE)
        except typer.Abort:
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _quick_help(group: TyperGroup, prog_name: str, args: list[str]) -> str | None:
    """The page of ``ess-coop [COMMAND…] [--lang xx] --help`` at once: the same page as Click's
    path, which first has Typer convert every option of the commands above (importing Pydantic,
    a tenth of a second). ``None`` for anything else (``--help`` after other options, a typo)."""
    if not args or args[-1] not in ("-h", "--help"):
        return None
    words = [w for w in args[:-1] if not w.startswith("--lang=")]
    if "--lang" in words:
        at = words.index("--lang")
        del words[at : at + 2]
    command: Command = group
    ctx = typer.Context(group, info_name=prog_name, **group.context_settings)
    for word in words:
        found: Command | None = getattr(command, "commands", {}).get(word)
        if found is None:
            return None
        command = found
        ctx = typer.Context(command, info_name=word, parent=ctx, **command.context_settings)
    return str(command.get_help(ctx))


def _install_completion(ctx: Context, param: Parameter, value: bool | str) -> bool | str:
    if not value or ctx.resilient_parsing:
        return value
    from typer import completion

    install = completion.install  # type: ignore[attr-defined]  # public in Typer's docs, not re-exported
    shell, path = install(shell=value) if isinstance(value, str) else install()
    _say(t("help.completion_installed", HELP_LANG, shell=shell, path=path), "green")
    sys.exit(EXIT_OK)


def _usage_lang(ctx: Context | None) -> str:
    """The language of a usage error: a --lang already read on the command or above it, else
    the one the help was written in."""
    while ctx is not None:
        given = getattr(ctx, "params", {}).get("lang")
        if given:
            return str(getattr(given, "value", given))
        ctx = ctx.parent
    return _Session.root_lang or HELP_LANG


def _usage_message(exc: UsageError) -> str:
    lang = _usage_lang(exc.ctx)
    _Session.lang = lang  # the "Erreur :" / "Error:" before the message
    command = exc.ctx.command_path if exc.ctx is not None else "ess-coop"
    quoted = re.findall(r"'([^']*)'", exc.message)
    if isinstance(exc, _PlainBadParameter | _PlainUsageError):
        text = exc.message  # ours, already in the reader's words
    elif isinstance(exc, click_exceptions.NoSuchOption):
        match = difflib.get_close_matches(exc.option_name, exc.possibilities or [], n=1)
        suggestion = did_you_mean(match[0] if match else None, lang)
        text = t("usage.no_such_option", lang, option=exc.option_name, suggestion=suggestion)
    elif isinstance(exc, click_exceptions.MissingParameter) and exc.param is not None:
        text = t("usage.missing", lang, param=_param_name(exc.param))
    elif isinstance(exc, click_exceptions.BadParameter) and exc.param is not None:
        # Typer's message is English ("'asso' is not one of 'ngo', …"): keep only the facts.
        choices = _choices(exc.param)
        value = quoted[0] if quoted else ""
        if choices and "is not one of" in exc.message:
            text = t("help.usage_errors.bad_choice", lang, value=value, param=_param_name(exc.param),
                     suggestion=_did_you_mean(value, choices, lang), choices=", ".join(choices))  # fmt: skip
        elif value:
            text = t("help.usage_errors.bad_value", lang, value=value, param=_param_name(exc.param))
        else:
            text = t("usage.bad_value", lang, param=_param_name(exc.param), allowed="")
    elif isinstance(exc, click_exceptions.BadOptionUsage) and "requires an argument" in exc.message:
        text = t("help.usage_errors.requires_value", lang, param=exc.option_name)
    elif exc.message.startswith("Got unexpected extra argument"):
        listed = re.search(r"\(([^()]*)\)\s*$", exc.message)  # "Got unexpected extra argument(s) (b c)"
        extra = listed.group(1) if listed else ""
        text = t("help.usage_errors.extra_args", lang, args=extra)
    elif exc.message.startswith("No such command"):
        name = quoted[0] if quoted else ""
        known = list(getattr(exc.ctx.command, "commands", {})) if exc.ctx is not None else []
        text = t("help.usage_errors.no_such_command", lang, name=name, suggestion=_did_you_mean(name, known, lang))
    else:
        text = t("usage.other", lang, message=exc.format_message())
    if isinstance(exc, _PlainBadParameter | _PlainUsageError):
        return text  # it already says what to do
    return f"{text} — {t('usage.hint', lang, command=command)}"


def _did_you_mean(value: str, choices: list[str], lang: str) -> str:
    """`` (vouliez-vous dire « association » ?)``: values starting with what was typed, else
    the closest ones (capitals ignored)."""
    typed = value.strip().lower()
    matches = [c for c in choices if typed and c.lower().startswith(typed)]
    matches = matches or difflib.get_close_matches(typed, [c.lower() for c in choices], n=3)
    return did_you_mean(t("help.word_join", lang).join(matches[:3]), lang)


class _PlainBadParameter(click_exceptions.BadParameter):
    """A bad option value, said in the reader's words by our own check (exit code 2)."""


class _PlainUsageError(click_exceptions.UsageError):
    """A command line that cannot mean anything (exit code 2), said in the reader's words."""


def _bad_value(ctx: Context, param: Parameter, code: str, value: str) -> _PlainBadParameter:
    error = UserError(f"help.errors.{code}", value=value, param=_param_name(param))
    return _PlainBadParameter(error.render(_usage_lang(ctx)))


# Option callbacks are typed with Typer's public classes: Typer reads their annotations at run time
# to know which argument is the context, which the parameter (the names under TYPE_CHECKING do not exist then).
def _country_option(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    """``fr`` → ``FR``; anything but two letters is a usage error, said plainly."""
    if value is None:
        return None
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise _bad_value(ctx, param, "bad-country", value)
    return code


def _id_option(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    from ess_coop.models import SLUG_PATTERN

    if value is not None and not re.fullmatch(SLUG_PATTERN, value):
        raise _bad_value(ctx, param, "bad-id", value)
    return value


def _date_option(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise _bad_value(ctx, param, "bad-date", value) from None


def _text_option(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise _bad_value(ctx, param, "empty-field", value)
    return value


def _param_name(param: Parameter) -> str:
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
OpenOpt = Annotated[bool, typer.Option("--open", help=t("help.param.open", HELP_LANG))]
_ACTOR = typer.Argument(help=_h("actor_arg_help"), show_default=False, metavar=_h("metavar_actor"))
ActorArg = Annotated[str, _ACTOR]
MaybeActorArg = Annotated[str | None, _ACTOR]
IncludeDraftsOpt = Annotated[bool, typer.Option("--include-drafts", help=_h("include_drafts_help"))]
AnonymizeOpt = Annotated[bool, typer.Option("--anonymize", help=_h("anonymize_help"))]


def _output_option(help_text: str) -> OptionInfo:
    """``--output``/``-o``: the file to write, where a command writes one document."""
    option: OptionInfo = typer.Option("--output", "-o", help=help_text, dir_okay=False, show_default=False)
    return option  # (typer.Option says Any: it is also written as a default value)


class _Session:
    """What the error handler needs to know about the current invocation."""

    debug = False
    lang = DEFAULT_LANGUAGE
    root_lang: str | None = None  # ``ess-coop --lang en COMMAND``


app = typer.Typer(
    name="ess-coop",
    help=_h("app_help"),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion, in the reader's words (help.param.*)
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


def _say(text: str, colour: str | None = None, *, bold: bool = False, err: bool = False) -> None:
    """One line of plain text, coloured on a terminal (Rich is for tables: importing it costs
    a tenth of the time of a short command). Typer strips colours when the output is a file
    or a pipe, and handles Windows consoles; ``[brackets]`` are printed as they are."""
    typer.secho(printable(text), fg=colour, bold=bold or None, err=err)


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
            _debug_traceback()
            _fail(exc.render(_Session.lang))
            raise typer.Exit(EXIT_FINDINGS) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, click_exceptions.UsageError):
            raise
        except BrokenPipeError:
            # The reader went away (`ess-coop build-referential | head -3`): nothing more to say,
            # and nothing to say it to. Python's documented way out (signal module, SIGPIPE).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_FINDINGS) from None
        except Exception as exc:
            _debug_traceback()
            from ess_coop.errors import path_in_the_way

            error = path_in_the_way(exc) if isinstance(exc, OSError) else None
            error = error or UserError("unexpected", error=f"{type(exc).__name__}: {exc}")
            _fail(error.render(_Session.lang))
            raise typer.Exit(EXIT_FINDINGS) from None

    return wrapper  # type: ignore[return-value]


def _debug_traceback() -> None:
    """With --debug: the traceback (Python's own words), then the usual line in the reader's."""
    if _Session.debug:
        import traceback

        traceback.print_exc(file=sys.stderr)


def _open_written(path: Path, lang: str, *, err: bool = False) -> None:
    """--open: hand the document to the computer's usual application, or say there is none
    (on stderr with ``err``, when stdout carries JSON)."""
    from ess_coop import opening

    if opening.open_path(path):
        _say(t("help.opened", lang, path=path), err=err)
    else:
        _say(t("help.no_opener", lang, path=path), "yellow", err=err)


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

    data = read_yaml(root / PROJECT_FILE, root=root).data
    value = data.get("language") if isinstance(data, dict) else None
    chosen = value if value in LANGUAGES else DEFAULT_LANGUAGE
    _Session.lang = chosen
    return chosen


def _lang_asked(lang: Lang | None) -> str:
    """The language of a command that needs no workspace: asked for, else the help's."""
    chosen = lang.value if lang else _Session.root_lang or HELP_LANG
    _Session.lang = chosen
    return chosen


def _print_json(payload: str) -> None:
    sys.stdout.write(payload + "\n")


# --- the preamble of the commands that work from a workspace -------------------------------

# What a command needs of the workspace (``validation.open_workspace`` refuses it without).
REGISTRY: tuple[Part, ...] = ("project", "actors")
GUIDE: tuple[Part, ...] = (*REGISTRY, "guide")  # it asks the guide's questions, or reads answers to them
EVERYTHING: tuple[Part, ...] = (*GUIDE, "themes")  # it makes the synthesis


class Opened:
    """What a command works from: the workspace's folder, the language of its output, the
    workspace read (and refused if a part it needs did not parse), and whether ``--format json``
    was asked (stdout then carries the JSON alone). The workspace is read when the command first
    asks for any of them, so that a command line that cannot mean anything is refused first."""

    def __init__(self, workspace: Path | None, lang: Lang | None, need: tuple[Part, ...], *, json: bool) -> None:
        self._asked = workspace, lang, need
        self.json = json

    @functools.cached_property
    def _read(self) -> tuple[Path, str, Workspace]:
        from ess_coop.validation import open_workspace

        workspace, lang, need = self._asked
        root = _root_for(workspace)
        chosen = _lang_of(lang, root)
        ws, _ = open_workspace(root, lang=chosen, need=need)
        return root, chosen, ws

    @property
    def root(self) -> Path:
        return self._read[0]

    @property
    def lang(self) -> str:
        return self._read[1]

    @property
    def ws(self) -> Workspace:
        return self._read[2]


def in_workspace(
    need: tuple[Part, ...] = REGISTRY,
) -> Callable[[Callable[Concatenate[Opened, P], None]], Callable[..., None]]:
    """The preamble of a command that works from a workspace, written once: its options end
    with ``--workspace`` and ``--lang``, and it is called with an ``Opened`` in their place
    (``need``: the parts of the workspace it cannot do without). Errors become one line, as
    with ``@command``."""

    def decorate(func: Callable[Concatenate[Opened, P], None]) -> Callable[..., None]:
        call: Callable[..., None] = func  # Typer passes the command's own options by name

        def run(workspace: Path | None, lang: Lang | None, **options: Any) -> None:
            call(Opened(workspace, lang, need, json=False), **options)

        return _with_preamble(func, run, report=False)

    return decorate


def reporting(
    render: Callable[[R, Opened], None], *, need: tuple[Part, ...] = REGISTRY
) -> Callable[[Callable[Concatenate[Opened, P], R | Iterator[R]]], Callable[..., None]]:
    """``in_workspace`` for a command that reports: it also takes ``--format``, and returns what
    the library returned, which is printed here — exactly, as JSON, with ``--format json``; by
    ``render`` otherwise — so that the JSON is the library's by construction. A command with
    something to do once its report is printed (open the document, say where a workbook went)
    yields the report instead, and carries on after the ``yield``. A group's own report (``ess-coop
    actors``) is not made when one of its commands runs."""

    def decorate(func: Callable[Concatenate[Opened, P], R | Iterator[R]]) -> Callable[..., None]:
        call: Callable[..., R | Iterator[R]] = func  # Typer passes the command's own options by name

        def run(workspace: Path | None, lang: Lang | None, output: OutputFormat, ctx: typer.Context,
                **options: Any) -> None:  # fmt: skip
            if ctx.invoked_subcommand is not None:
                return
            at = Opened(workspace, lang, need, json=output is OutputFormat.json)
            returned = call(at, **options)
            steps = returned if isinstance(returned, Iterator) else iter([returned])
            result = next(steps)
            if at.json:
                _print_json(_dump(result))
            else:
                render(result, at)
            for _ in steps:  # the rest of the command: what it does once its report is printed
                raise TypeError(f"{func.__name__} yields more than its report")

        return _with_preamble(func, run, report=True)

    return decorate


def _in_lang(render: Callable[[R, str], None]) -> Callable[[R, Opened], None]:
    """``render(result, lang)``, called as ``@reporting`` calls a renderer."""
    return lambda result, at: render(result, at.lang)


def _in_lang_saying(render: Callable[[R, str, Say], None]) -> Callable[[R, Opened], None]:
    """``render(result, lang, say)``, called as ``@reporting`` calls a renderer (``say``: Typer's echo)."""
    return lambda result, at: render(result, at.lang, _say)


def _with_preamble(func: Callable[..., Any], run: Callable[..., None], *, report: bool) -> Callable[..., None]:
    """``run`` shown to Typer as ``func`` with the preamble's options in place of its first
    parameter: ``func``'s own options, then ``--format`` for a report, ``--workspace`` and
    ``--lang`` (the order every command had before, so no help page changed), then the context
    (a group's own report must know whether one of its commands runs); errors made one line."""
    functools.update_wrapper(run, func)  # its name and docstring, and where its names are defined
    own = list(inspect.signature(func).parameters.values())[1:]
    # Typer needs the annotations as types, not as the text ``from __future__ import annotations``
    # makes them; the return type is left out: it exists for the type checker only.
    run.__annotations__ = {p.name: p.annotation for p in own}
    hints = get_type_hints(run, include_extras=True)
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [p.replace(kind=keyword, annotation=hints[p.name]) for p in own]
    preamble: list[tuple[str, object, object]] = [("output", FormatOpt, OutputFormat.text)] if report else []
    preamble += [("workspace", WorkspaceOpt, None), ("lang", LangOpt, None)]
    params += [inspect.Parameter(name, keyword, annotation=kind, default=default) for name, kind, default in preamble]
    if report:
        params.append(inspect.Parameter("ctx", keyword, annotation=typer.Context))
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]  # what Typer reads
    run.__annotations__ = {p.name: p.annotation for p in params}
    return command(run)


def _dump(result: BaseModel | Sequence[BaseModel]) -> str:
    """A library's result as ``--format json`` prints it: a model as Pydantic writes it, a list
    of them as a JSON list."""
    if isinstance(result, Sequence):
        import json

        return json.dumps([row.model_dump(mode="json") for row in result], ensure_ascii=False, indent=2)
    return result.model_dump_json(indent=2)


# --- init ------------------------------------------------------------------------------------


@app.command("init", cls=_Command, help=_h("init_help"))
@command
def init_cmd(
    directory: Annotated[Path, typer.Argument(help=_h("init_dir_help"))] = Path(),
    example: Annotated[bool, typer.Option("--example", help=_h("init_example_help"))] = False,
    lang: LangOpt = None,
) -> None:
    from ess_coop.init_workspace import create_workspace

    chosen = _lang_asked(lang)
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
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=t("validate_pass.verbose_help", HELP_LANG))] = False,
    output: FormatOpt = OutputFormat.text,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = None,
) -> None:
    from ess_coop.validation import check_workspace, paths_to_check

    start = None
    if paths and workspace is None:
        first = paths[0].resolve()
        start = first if first.is_dir() else first.parent
    root = _root_for(workspace, start)
    chosen = _lang_of(lang, root)
    only = paths_to_check(root, paths or [])
    _, report = check_workspace(root, lang=chosen, strict=strict, only=only)
    if output is OutputFormat.json:
        _print_json(report.model_dump_json(indent=2))
    else:
        render_report(report, chosen, verbose=verbose)
    if watch:
        _watch(root, chosen, strict, report)
        raise typer.Exit(EXIT_OK)
    raise typer.Exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _watch(root: Path, lang: str, strict: bool, first: Report) -> None:
    from rich.text import Text

    from ess_coop.watch import watch

    out = console()
    out.print(Text(t("cli.watch_started", lang), style="dim"))

    def show(change: Change) -> None:
        out.print(Text(t("cli.watch_changed", lang, files=", ".join(change.files)), style="bold"))
        for issue in change.resolved:
            out.print(Text(t("cli.watch_resolved", lang, where=issue.location(), code=issue.code), style="green"))
        for issue in change.added:
            out.print(issue_line(issue, lang))
        if not change.added and not change.resolved:
            out.print(Text(t("cli.watch_same", lang), style="dim"))
        stats = change.report.stats.model_dump()
        key = "cli.validate_ok" if change.report.valid else "cli.validate_failed"
        out.print(Text(t(key, lang, **stats), style="green" if change.report.valid else "red"))

    watch(root, lang=lang, strict=strict, first=first, on_change=show)
    out.print(Text(t("cli.watch_stopped", lang), style="dim"))


# --- new-interview ---------------------------------------------------------------------------


class FormChoice(StrEnum):
    yaml = "yaml"
    docx = "docx"
    xlsform = "xlsform"


class ModeChoice(StrEnum):
    in_person = "in-person"
    video = "video"
    phone = "phone"
    written = "written"


def _parse_date(value: str | None) -> dt.date:
    import datetime as dt

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError("invalid-date-option", value=value) from None


@app.command("new-interview", cls=_Command, help=_h("new_interview_help"))
@in_workspace(need=GUIDE)
def new_interview_cmd(
    at: Opened,
    actor: ActorArg,
    date: Annotated[
        str | None, typer.Option("--date", help=_h("date_help"), show_default=False, callback=_date_option)
    ] = None,
    interviewer: Annotated[
        list[str] | None, typer.Option("--interviewer", "-i", help=_h("interviewer_help"), show_default=False)
    ] = None,
    mode: Annotated[ModeChoice, typer.Option("--mode", help=_h("mode_help"))] = ModeChoice.in_person,
    form: Annotated[
        FormChoice, typer.Option("--form", help=t("kobo.cli.form_option_help", HELP_LANG))
    ] = FormChoice.yaml,
    docx: Annotated[bool, typer.Option("--docx", help=_h("docx_guide_help"))] = False,
    open_: OpenOpt = False,
) -> None:
    when = _parse_date(date)
    root, chosen, ws = at.root, at.lang, at.ws
    if form is FormChoice.xlsform:  # a form for phones: no interview id yet, one per submission
        from ess_coop.xlsform import write_xlsform

        render_xlsform(write_xlsform(ws, [actor], lang=chosen), root, chosen, _say)
        return
    if docx:  # the guide goes to output/: fail before the interview is created, not after
        from ess_coop.atomic import check_folder
        from ess_coop.workspace import OUTPUT_DIR

        check_folder(root / OUTPUT_DIR)
    if form is FormChoice.docx:
        from ess_coop.forms.writer import write_form

        path = written = write_form(ws, actor, date=when, interviewers=interviewer or [], mode=mode.value, lang=chosen)
        rel = path.relative_to(root).as_posix()
        assert ws.guide is not None  # open_workspace refused the workspace otherwise (need "guide")
        questions = len(ws.guide.questions_for(ws.require_actor(actor)))
        _say(t("form.cli_done", chosen, path=rel, questions=questions))
        interview_id = path.stem
        next_step = t("form.cli_next", chosen, path=rel)
    else:
        from ess_coop.skeleton import create_interview

        created = create_interview(ws, actor, date=when, interviewers=interviewer or [], mode=mode.value, lang=chosen)
        written = created.path
        rel = created.path.relative_to(root).as_posix()
        _say(t("cli.new_interview_done", chosen, path=rel, questions=created.questions))
        interview_id = created.interview_id
        next_step = t("cli.new_interview_next", chosen)
    if docx:
        from ess_coop.guide_docx import write_guide

        try:
            guide_path = write_guide(ws, actor, interview_id=interview_id, date=when, lang=chosen)
        except (UserError, OSError) as exc:
            # The interview exists now: say so, rather than "the existing file was not changed".
            reason = exc.params.get("reason", exc.code) if isinstance(exc, UserError) else exc.strerror or str(exc)
            raise UserError("guide-not-written", path=root / "output", reason=reason, interview=rel) from exc
        _say(t("cli.guide_done", chosen, path=guide_path.relative_to(root).as_posix()))
        written = guide_path
    _say(next_step)
    if open_:
        _open_written(written, chosen)


# --- import ----------------------------------------------------------------------------------


def _group_of_commands(name: str, help_text: str) -> typer.Typer:
    """A group that does nothing by itself (``guide``, ``export``): its commands, and ``--lang``
    taken for the group as for its commands (``ess-coop export --lang en qdc``)."""
    group = typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None, cls=_Group)
    app.add_typer(group, name=name)

    @group.callback()
    def _language(lang: LangOpt = None) -> None:
        if lang is not None:
            _Session.lang = lang.value

    return group


guide_app = _group_of_commands("guide", t("kobo.cli.guide_help", HELP_LANG))


@guide_app.command("xlsform", cls=_Command, help=t("kobo.cli.xlsform_help", HELP_LANG))
@in_workspace(need=GUIDE)
def guide_xlsform_cmd(
    at: Opened,
    actors: Annotated[
        list[str] | None,
        typer.Argument(
            help=t("kobo.cli.xlsform_actors_help", HELP_LANG), show_default=False, metavar=_h("metavar_actor")
        ),
    ] = None,
) -> None:
    from ess_coop.xlsform import write_xlsform

    render_xlsform(write_xlsform(at.ws, actors or [], lang=at.lang), at.root, at.lang, _say)


@app.command("import", cls=_Command, help=t("kobo.cli.import_help", HELP_LANG))
@in_workspace(need=GUIDE)
def import_cmd(
    at: Opened,
    files: Annotated[
        list[Path],
        typer.Argument(help=t("kobo.cli.import_file_help", HELP_LANG), show_default=False, metavar=_h("metavar_forms")),
    ],
    output: FormatOpt = OutputFormat.text,
) -> None:
    from rich.text import Text

    from ess_coop.forms.importer import import_form

    root, chosen, ws = at.root, at.lang, at.ws
    err = console(stderr=True)
    results: list[ImportResult] = []
    exports: list[ExportResult] = []  # KoboToolbox / ODK exports: several submissions each
    failed = 0
    for file in files:
        try:
            if file.suffix.lower() != ".docx":
                exported = _import_export(ws, file, chosen)
                exports.append(exported)
                failed += sum(s.outcome == "failed" for s in exported.submissions)
                if output is OutputFormat.text:
                    render_export(exported, file, root, chosen)
                continue
            result = import_form(ws, file, lang=chosen)
        except UserError as exc:
            failed += 1
            err.print(Text(_failed_file(file, exc, chosen), style="red"))
            continue
        except (KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # a fault of ours on this file: said in one line, the next files imported
            _debug_traceback()
            failed += 1
            detail = str(exc).splitlines()[0] if str(exc) else ""
            error = UserError("import_faults.unexpected", error=f"{type(exc).__name__}: {detail}".rstrip(": "))
            err.print(Text(_failed_file(file, error, chosen), style="red"))
            continue
        results.append(result)
        if output is OutputFormat.text:
            render_form_import(result, file, root, chosen)
    if output is OutputFormat.json:
        _print_json(_dump([*results, *exports]))
    else:
        render_import_end(results, exports, files=len(files), failed=failed, lang=chosen)
    invalid = any(not r.valid for r in [*results, *exports])
    raise typer.Exit(EXIT_FINDINGS if failed or invalid else EXIT_OK)


def _failed_file(file: Path, error: UserError, lang: str) -> str:
    """The line saying why ``file`` was not imported, naming it once (most errors name it already)."""
    rendered = error.render(lang)
    return rendered if rendered.startswith(str(file)) else t("import.cli_failed", lang, file=str(file), error=rendered)


def _import_export(ws: Workspace, file: Path, lang: str) -> ExportResult:
    """Import a KoboToolbox / ODK export (a file of a type we read)."""
    from ess_coop.kobo_export import SUFFIXES
    from ess_coop.kobo_import import import_export
    from ess_coop.xlsform import KoboError

    if file.suffix.lower() not in SUFFIXES:
        raise KoboError("import-unknown-type", path=file, suffix=file.suffix or "?")
    return import_export(ws, file, lang=lang)


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
@reporting(_in_lang(render_actors))
def actors_cmd(
    at: Opened,
    country: Annotated[
        str | None,
        typer.Option("--country", help=_h("country_filter_help"), show_default=False, callback=_country_option),
    ] = None,
    type_: Annotated[
        ActorTypeChoice | None, typer.Option("--type", help=_h("type_filter_help"), show_default=False)
    ] = None,
) -> list[ActorInfo]:
    from ess_coop.registry import list_actors

    return list_actors(at.ws, country=country, type_=type_.value if type_ else None)


@actors_app.command("show", cls=_Command, help=_h("actors_show_help"))
@reporting(_in_lang(render_actor))
def actors_show_cmd(at: Opened, actor: ActorArg) -> ActorInfo:
    from ess_coop.registry import show_actor

    return show_actor(at.ws, actor)


# The options of an actor's record, declared once for ``actors add`` (where the first three are
# required) and ``actors edit`` (where each is optional).
_NAME = typer.Option("--name", help=_h("name_help"), show_default=False, callback=_text_option)
_COUNTRY = typer.Option("--country", help=_h("country_help"), show_default=False, callback=_country_option)
_TYPE = typer.Option("--type", help=_h("type_help"), show_default=False)
_SHORT_NAME = typer.Option("--short-name", help=_h("short_name_help"), show_default=False, callback=_text_option)


@actors_app.command("add", cls=_Command, help=_h("actors_add_help"))
@in_workspace()
def actors_add_cmd(
    at: Opened,
    name: Annotated[str, _NAME],
    country: Annotated[str, _COUNTRY],
    type_: Annotated[ActorTypeChoice, _TYPE],
    id_: Annotated[
        str | None, typer.Option("--id", help=_h("id_help"), show_default=False, callback=_id_option)
    ] = None,
    short_name: Annotated[str | None, _SHORT_NAME] = None,
    role: Annotated[RoleChoice, typer.Option("--role", help=_h("role_help"))] = RoleChoice.partner,
    territory: Annotated[str | None, typer.Option("--territory", show_default=False)] = None,
    website: Annotated[str | None, typer.Option("--website", show_default=False)] = None,
    description: Annotated[str | None, typer.Option("--description", show_default=False)] = None,
    sensitive: Annotated[bool, typer.Option("--sensitive", help=_h("sensitive_help"))] = False,
) -> None:
    from ess_coop.registry import add_actor

    actor = add_actor(
        at.ws,
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
    _say(t("cli.actor_added", at.lang, id=actor.id, name=actor.name))


@actors_app.command("edit", cls=_Command, help=t("help.actors_edit_help", HELP_LANG))
@in_workspace()
def actors_edit_cmd(
    at: Opened,
    ctx: typer.Context,
    actor: ActorArg,
    name: Annotated[str | None, _NAME] = None,
    country: Annotated[str | None, _COUNTRY] = None,
    type_: Annotated[ActorTypeChoice | None, _TYPE] = None,
    id_: Annotated[str | None, typer.Option("--id", help=t("help.edit_id_help", HELP_LANG), show_default=False)] = None,
    short_name: Annotated[str | None, _SHORT_NAME] = None,
    role: Annotated[RoleChoice | None, typer.Option("--role", help=_h("role_help"), show_default=False)] = None,
    territory: Annotated[str | None, typer.Option("--territory", show_default=False, callback=_text_option)] = None,
    website: Annotated[str | None, typer.Option("--website", show_default=False, callback=_text_option)] = None,
    description: Annotated[str | None, typer.Option("--description", show_default=False, callback=_text_option)] = None,
    sensitive: Annotated[
        bool | None,
        typer.Option("--sensitive/--not-sensitive", help=t("help.edit_sensitive_help", HELP_LANG), show_default=False),
    ] = None,
) -> None:
    from ess_coop.registry import edit_actor

    changes = {
        "id": id_,
        "name": name,
        "short_name": short_name,
        "country": country,
        "type": type_.value if type_ else None,
        "role": role.value if role else None,
        "territory": territory,
        "website": website,
        "description": description,
        "sensitive": sensitive,
    }
    if all(value is None for value in changes.values()):  # nothing asked: the command line is incomplete
        error = UserError("help.errors.nothing-to-edit", id=actor)
        raise _PlainUsageError(error.render(_usage_lang(ctx)), ctx=ctx)
    edited, keys = edit_actor(at.ws, actor, changes)
    _say(t("help.actor_edited", at.lang, id=edited.id, fields=", ".join(f"--{k.replace('_', '-')}" for k in keys)))


@actors_app.command("remove", cls=_Command, help=t("help.actors_remove_help", HELP_LANG))
@in_workspace()
def actors_remove_cmd(at: Opened, actor: ActorArg) -> None:
    from ess_coop.registry import remove_actor

    removed = remove_actor(at.ws, actor)
    _say(t("help.actor_removed", at.lang, id=removed.id, name=removed.name))


# --- status ----------------------------------------------------------------------------------


@app.command("status", cls=_Command, help=_h("status_help"))
@reporting(_in_lang(render_status))
def status_cmd(at: Opened) -> StatusReport:
    from ess_coop.status import project_status

    return project_status(at.ws, lang=at.lang)  # milestone labels in the language asked for


# --- profile ---------------------------------------------------------------------------------


def _show_sheets(result: SheetsSent, at: Opened) -> None:
    """One partner's sheet: where it went and what next; every partner's: the table of sendings."""
    if result.table is not None:  # written for --all only
        render_sheets(result, at.lang, _say)
        return
    from ess_coop.atomic import Written

    sheet = result.sheets[0]
    _say(*written_line(Written(at.root / sheet.file, sheet.status, sheet.reason), at.root, at.lang))
    _say(t("cli.profile_next", at.lang))


@app.command("profile", cls=_Command, help=_h("profile_help"))
@reporting(_show_sheets, need=EVERYTHING)
def profile_cmd(
    at: Opened,
    actor: MaybeActorArg = None,
    all_partners: Annotated[bool, typer.Option("--all", help=t("review.sheets.all_help", HELP_LANG))] = False,
    reply_by: Annotated[
        str | None, typer.Option("--reply-by", help=_h("reply_by_help"), show_default=False, callback=_date_option)
    ] = None,
    include_drafts: IncludeDraftsOpt = False,
    anonymize: AnonymizeOpt = False,
    open_: OpenOpt = False,
) -> Iterator[SheetsSent]:
    from ess_coop.referential import build_date
    from ess_coop.review import send_sheets

    if (actor is None) == (not all_partners):
        raise UserError("review-actor-or-all")
    result = send_sheets(at.ws, None if all_partners else [actor or ""], lang=at.lang, today=build_date(),
                         reply_by=_parse_date(reply_by) if reply_by else None, anonymize=anonymize,
                         include_drafts=include_drafts)  # fmt: skip
    yield result
    if open_ and not all_partners and not at.json:
        _open_written(at.root / result.sheets[0].file, at.lang)


# --- build-referential -----------------------------------------------------------------------


@app.command("build-referential", cls=_Command, help=_h("build_help"))
@reporting(_in_lang_saying(render_build), need=EVERYTHING)
def build_referential_cmd(
    at: Opened,
    output_path: Annotated[Path | None, _output_option(_h("output_help"))] = None,
    include_drafts: IncludeDraftsOpt = False,
    template: Annotated[
        Path | None, typer.Option("--template", help=_h("template_help"), dir_okay=False, show_default=False)
    ] = None,
    anonymize: AnonymizeOpt = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help=_h("xlsx_help"))] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help=t("edition.pdf_help", HELP_LANG))] = False,
    open_: OpenOpt = False,
) -> Iterator[BuildSummary]:
    from ess_coop.referential import build

    _, summary = build(
        at.ws,
        output=output_path,
        lang=at.lang,
        include_drafts=include_drafts,
        template=template,
        anonymize=anonymize,
        xlsx=xlsx,
        pdf=pdf,
    )
    yield summary
    if open_ and summary.documents:
        # The Word draft, and its PDF when one was asked for (not the workbook); JSON alone on stdout.
        shown = [d for d in summary.documents if d.path.endswith((".docx", ".pdf"))]
        for document in shown if pdf else shown[:1]:
            _open_written(at.root / document.path, at.lang, err=at.json)


# --- privacy ---------------------------------------------------------------------------------


@app.command("privacy", cls=_Command, help=t("privacy.register.help", HELP_LANG))
@reporting(_in_lang(render_register))
def privacy_cmd(
    at: Opened,
    include_drafts: Annotated[
        bool, typer.Option("--include-drafts", help=t("privacy.register.include_drafts_help", HELP_LANG))
    ] = False,
) -> Register:
    from ess_coop.privacy import privacy_register

    return privacy_register(at.ws, lang=at.lang, include_drafts=include_drafts)


# --- export ----------------------------------------------------------------------------------

export_app = _group_of_commands("export", t("export.cli_help", HELP_LANG))


@export_app.command("qdpx", cls=_Command, help=t("export.qdpx_help", HELP_LANG))
@reporting(_in_lang_saying(render_project_export), need=GUIDE)
def export_qdpx_cmd(
    at: Opened,
    output_path: Annotated[Path | None, _output_option(t("export.output_qdpx_help", HELP_LANG))] = None,
    include_drafts: IncludeDraftsOpt = False,
    anonymize: AnonymizeOpt = False,
) -> ProjectExport:
    from ess_coop.export import export_qdpx

    return export_qdpx(at.ws, output=output_path, lang=at.lang, include_drafts=include_drafts, anonymize=anonymize)


@export_app.command("qdc", cls=_Command, help=t("export.qdc_help", HELP_LANG))
@reporting(_in_lang_saying(render_codebook_export))
def export_qdc_cmd(
    at: Opened, output_path: Annotated[Path | None, _output_option(t("export.output_qdc_help", HELP_LANG))] = None
) -> CodebookExport:
    from ess_coop.export import export_qdc

    return export_qdc(at.ws, output=output_path, lang=at.lang)


# --- docs ------------------------------------------------------------------------------------


@app.command("docs", cls=_Command, help=t("help.docs_help", HELP_LANG))
@command
def docs_cmd(
    docs_open: Annotated[bool, typer.Option("--open", help=t("help.param.docs_open", HELP_LANG))] = False,
    lang: LangOpt = None,
) -> None:
    from ess_coop.resources import format_guide

    chosen = _lang_asked(lang)
    path = format_guide(chosen)
    if docs_open:
        _open_written(path, chosen)
        return
    import pydoc

    pydoc.pager(path.read_text("utf-8"))  # a pager on a terminal (q to quit), plain text into a pipe


# --- changes ---------------------------------------------------------------------------------


def _show_changes(changes: Changes, at: Opened) -> None:
    render_changes(changes, at.lang, {theme.id: theme.label.get(at.lang) for theme in at.ws.themes}, _say)


@app.command("changes", cls=_Command, help=t("review.changes_cli.help", HELP_LANG))
@reporting(_show_changes)
def changes_cmd(
    at: Opened,
    since: Annotated[
        str | None, typer.Option("--since", help=t("review.changes_cli.since_help", HELP_LANG), show_default=False)
    ] = None,
    include_drafts: IncludeDraftsOpt = False,
    anonymize: AnonymizeOpt = False,
) -> Changes:
    from ess_coop.editions import workspace_changes
    from ess_coop.referential import build_date

    return workspace_changes(at.ws, since=since, lang=at.lang, include_drafts=include_drafts, anonymize=anonymize,
                             today=build_date())  # fmt: skip


# --- comments --------------------------------------------------------------------------------


@app.command("comments", cls=_Command, help=t("review.comments.help", HELP_LANG))
@reporting(_in_lang_saying(render_comments))
def comments_cmd(
    at: Opened,
    files: Annotated[
        list[Path], typer.Argument(help=t("review.comments.files_help", HELP_LANG), show_default=False, dir_okay=False)
    ],
    xlsx: Annotated[bool, typer.Option("--xlsx", help=t("review.comments.xlsx_help", HELP_LANG))] = False,
) -> Iterator[CommentsReport]:
    from ess_coop.comments import gather, write_workbook
    from ess_coop.referential import build_date

    report = gather(files, at.ws.actors, root=at.root)
    written = write_workbook(at.ws, report, lang=at.lang, today=build_date()) if xlsx else None
    yield report
    if written is not None and not at.json:
        _say(*written_line(written, at.root, at.lang))


def main() -> None:
    """Entry point of the ``ess-coop`` console script (and of ``python -m ess_coop``, named the same)."""
    app(prog_name="ess-coop")


__all__ = ["app", "main"]
