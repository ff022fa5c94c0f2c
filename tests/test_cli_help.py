"""Every command's help, in French and English, written for people: no word of Click's English
frame, no Python type, every option explained, real examples. The walks cover every registered
command, including ones added later: a failure names what a new command is missing."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main

from ess_coop import cli
from ess_coop.cli import app
from ess_coop.i18n import LANGUAGES, catalogue

# Click's own words, which must never show in a French help page.
CLICK_ENGLISH = ("Usage:", "Options:", "Arguments:", "Commands:", "[default", "default:", "[required]", "required]",
                 "Show this message", "Install completion", "Show completion", "env var", "(dynamic)")  # fmt: skip
# How Python types leak into Click/Typer metavars.
PYTHON_TYPES = re.compile(r"<[a-z_\[\]|, .]+>|\blist\[|\bstr\b|\bint\b|\bPath\b|\bbool\b|\{[A-Z_]+\}")

DUMP = """
import json, sys
import typer.main
from typer.testing import CliRunner
from ess_coop.cli import app

def walk(command, path):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, [*path, name])

pages = {}
for path in walk(typer.main.get_group(app), []):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    pages[" ".join(path) or "ess-coop"] = [result.exit_code, result.output]
print(json.dumps(pages))
"""


def commands() -> dict[str, Any]:
    """Every registered command by its path (``actors add``), the root as ``ess-coop``."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: list[str]) -> None:
        found[" ".join(path) or "ess-coop"] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_group(app), [])
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[Any]]]:
    """Each command's ``--help`` in each language, as a new process prints it (help texts are
    chosen when the module is imported), outside any workspace."""
    nowhere = tmp_path_factory.mktemp("nowhere")
    env = {k: v for k, v in os.environ.items() if k != "ESS_COOP_LANG"}
    out = {}
    for lang in LANGUAGES:
        done = subprocess.run([sys.executable, "-c", DUMP], env={**env, "ESS_COOP_LANG": lang}, cwd=nowhere,
                              capture_output=True, text=True, check=True)  # fmt: skip
        out[lang] = json.loads(done.stdout)
    return out


def examples(key: str, lang: str) -> list[str]:
    text = catalogue(lang).get(f"help.examples.{key}", "")
    return [line for line in text.splitlines() if line.startswith("ess-coop ")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_help_page_is_written_for_people(pages: dict[str, dict[str, list[Any]]], lang: str) -> None:
    problems = []
    for key in commands():
        code, page = pages[lang][key]
        if code != 0:
            problems.append(f"{key}: --help exits {code}")
        if lang == "fr":
            problems += [f"{key}: Click's English {word!r}" for word in CLICK_ENGLISH if word in page]
        problems += [f"{key}: Python type {m!r} in a metavar" for m in PYTHON_TYPES.findall(page.split("\n\n", 1)[0])]
        options = page.split(catalogue(lang)["help.options"], 1)[-1].split("\n\n", 1)[0]
        problems += [f"{key}: Python type {m!r} in a metavar" for m in PYTHON_TYPES.findall(options)]
        if "..." in page:
            problems.append(f"{key}: a summary cut with '...'")
        heading = catalogue(lang)["help.examples_title"]
        shown = [line.strip() for line in page.split(heading, 1)[-1].splitlines() if line.startswith("  ess-coop ")]
        if heading not in page or not 2 <= len(shown) <= 3:
            problems.append(f"{key}: needs two or three examples: add help.examples.{key} to both catalogues")
        if any(len(line) > 80 for line in page.splitlines() if not line.startswith("  ess-coop ")):
            problems.append(f"{key}: a line wider than the 80-column terminal")
    assert problems == [], "\n".join(problems)


def test_french_help_in_full(pages: dict[str, dict[str, list[Any]]]) -> None:
    page = pages["fr"]["actors add"][1]
    assert page.startswith("Utilisation : ess-coop actors add [OPTIONS]\n")
    assert "  --country PAYS           Pays : code ISO (FR, TG).  [obligatoire]\n" in page
    role = next(line for line in page.splitlines() if line.startswith("  --role RÔLE "))
    assert "Rôle dans le projet.  [par défaut : partner ;" in role
    assert "  --territory TERRITOIRE   Territoire d'action (ville, région, préfecture…).\n" in page
    assert "\nExemples :\n  ess-coop actors add --name \"Pôle ESS du pays de Redon\"" in page
    init = pages["fr"]["init"][1]
    assert init.startswith("Utilisation : ess-coop init [OPTIONS] [DOSSIER]\n")
    assert "\nArguments :\n  DOSSIER  Dossier à créer ou dossier vide (par défaut : le dossier courant).\n" in init
    validate = pages["fr"]["validate"][1]
    assert "[CHEMIN…]" in validate and "  -i, --interviewer NOM…" in pages["fr"]["new-interview"][1]


def test_english_help_in_full(pages: dict[str, dict[str, list[Any]]]) -> None:
    page = pages["en"]["ess-coop"][1]
    assert page.startswith("Usage: ess-coop [OPTIONS] COMMAND [ARGS]…\n")
    assert "  --install-completion  Install command completion for your terminal" in page
    assert "\n  new-interview      Create a new interview file for ACTOR, from the guide,\n" in page
    assert "  --date YYYY-MM-DD" in pages["en"]["new-interview"][1]


def test_every_option_is_explained() -> None:
    missing = []
    for key, command in commands().items():
        for param in command.params:
            names, text = cli._param_record(param)
            if not text.strip():
                missing.append(f"{key} {names}: no help (give help= or add help.param.{param.name})")
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_examples_are_real_command_lines(lang: str) -> None:
    """Each example parses as the command line it claims to be: its command exists, its options
    and their values are accepted."""
    for key in commands():
        for line in examples(key, lang):
            words = shlex.split(line)[1:]
            command: Any = typer.main.get_group(app)
            ctx = typer.Context(command, info_name="ess-coop")
            while words and words[0] in getattr(command, "commands", {}):
                command = command.commands[words[0]]
                ctx = typer.Context(command, info_name=words.pop(0), parent=ctx)
            path = " ".join(ctx.command_path.split()[1:])
            # a group that does nothing by itself (guide, export) shows its commands' examples
            assert path == key or key == "ess-coop" or path.startswith(f"{key} "), line
            command.make_context(ctx.info_name, words, parent=ctx.parent)  # raises on a bad option or value


def test_the_catalogues_hold_no_example_of_a_command_that_is_gone() -> None:
    keys = {k.removeprefix("help.examples.") for k in catalogue("fr") if k.startswith("help.examples.")}
    assert keys <= set(commands())


def test_help_follows_the_workspace_language(tmp_path: Path) -> None:
    (tmp_path / "ess-coop.yaml").write_text("format: 1\nlanguage: en\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ESS_COOP_LANG"}
    run = [sys.executable, "-m", "ess_coop", "status", "--help"]
    assert subprocess.run(run, env=env, cwd=tmp_path, capture_output=True, text=True).stdout.startswith("Usage:")
    forced = subprocess.run([*run, "--lang", "fr"], env=env, cwd=tmp_path, capture_output=True, text=True).stdout
    assert forced.startswith("Utilisation :")


# --- mistakes: suggestions, plain words, exit codes ------------------------------------------

def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["stauts"], "Erreur : commande inconnue « stauts » (vouliez-vous dire « status » ?)"),
        (["--lang", "en", "stauts"], 'Error: unknown command "stauts" (did you mean "status"?) — ess-coop --help'),
        (["actors", "shwo", "x"], "Erreur : commande inconnue « shwo » (vouliez-vous dire « show » ?)"),
        (["actors", "add", "--name", "X", "--country", "FR", "--type", "asso"],
         "Erreur : « asso » n'est pas une valeur possible de --type (vouliez-vous dire « association » ?) ; valeurs "
         "possibles : local-authority, network, ngo, association, university, ess-hub, incubator, social-enterprise, "
         "funder, other — ess-coop actors add --help montre l'utilisation"),
        (["actors", "--type", "NGO"],
         "Erreur : « NGO » n'est pas une valeur possible de --type (vouliez-vous dire « ngo » ?)"),
        (["--lang", "en", "new-interview", "x", "--mode", "visio"],
         'Error: "visio" is not a possible value of --mode (did you mean "video"?); possible values: in-person,'),
        (["actors", "add", "--name", "X", "--country", "France", "--type", "ngo"],
         "Erreur : « France » n'est pas un code pays pour --country — écrivez les deux lettres du code ISO, par ex. FR "
         "ou TG\n"),
        (["actors", "add", "--name", "X", "--country", "FR", "--type", "ngo", "--id", "Stadd"],
         "Erreur : « Stadd » ne peut pas être un identifiant (--id) — écrivez des minuscules sans accents, des "
         "chiffres et des tirets, par ex. pole-ess-redon\n"),
        (["actors", "add", "--name", " ", "--country", "FR", "--type", "ngo"], "Erreur : --name ne peut pas être vide"),
        (["--lang", "en", "actors", "add", "--name", "X", "--country", "France", "--type", "ngo"],
         'Error: "France" is not a country code for --country — write the two letters of the ISO code, e.g. FR or TG'),
        (["profile", "fr-a", "--reply-by", "20/09/2024"], "Erreur : « 20/09/2024 » n'est pas une date pour --reply-by"),
        (["actors", "add", "--name"], "Erreur : l'option --name attend une valeur — ess-coop actors add --help"),
        (["new-interview", "x", "-i"], "Erreur : l'option -i attend une valeur — ess-coop new-interview --help"),
        (["init", "a", "b"], "Erreur : argument(s) en trop : b — ess-coop init --help montre l'utilisation"),
    ],
)
def test_usage_mistakes_are_answered_in_plain_words(args: list[str], expected: str) -> None:
    code, out = invoke(*args)
    assert code == 2
    assert out.startswith(expected)
    assert len(out.strip().splitlines()) == 1


def test_an_actor_id_in_capitals_suggests_the_registry_id(make_workspace: Any) -> None:
    root = make_workspace()
    for command in (["new-interview", "TG-A"], ["actors", "show", "TG-A"], ["profile", "Tg-A"]):
        code, out = invoke(*command, "--workspace", str(root))
        assert code == 1
        assert "(vouliez-vous dire « tg-a » ?)" in out, out


def test_debug_keeps_the_traceback_and_says_the_rest_in_our_language(make_workspace: Any) -> None:
    code, out = invoke("--debug", "new-interview", "zz-nobody", "--workspace", str(make_workspace()))
    assert code == 1
    assert "Traceback (most recent call last)" in out
    assert out.strip().splitlines()[-1].startswith("Erreur : acteur « zz-nobody » absent du registre")


# Options whose value is checked for its form: a bad one is a usage error (2), whatever the data.
BASE = {
    "ess-coop": ["status"],
    "init": ["{tmp}/new"],
    "validate": [],
    "new-interview": ["fr-a"],
    "import": ["{tmp}/form.docx"],
    "status": [],
    "profile": ["fr-a"],
    "build-referential": [],
    "actors": [],
    "actors show": ["fr-a"],
    "actors add": ["--name", "X", "--country", "FR", "--type", "ngo"],
    "actors edit": ["tg-b", "--territory", "Kara"],
    "actors remove": ["fr-b"],
    "docs": [],
    "changes": [],
    "comments": ["{tmp}/returned.docx"],
    "privacy": [],
    "guide": ["xlsform"],
    "guide xlsform": [],
    "export": ["qdc"],
    "export qdpx": [],
    "export qdc": [],
}
TOOL_TEXT = ("Traceback", "String should", "Input should", "validation error", "pattern", "^[", "Value error",
             "further information", "errors.pydantic", "is not one of", "Invalid value", "does not exist")  # fmt: skip


def bad_value(param: Any, tmp: Path) -> tuple[str, int] | None:
    """A malformed value for ``param`` and the exit code it must give, or ``None`` when any text is
    a possible value (a name, a description)."""
    callback = getattr(param, "callback", None)
    if cli._choices(param):
        return "zz-nope", 2
    if callback is cli._date_option:
        return "2024-13-45", 2
    if callback is cli._country_option:
        return "France", 2
    if callback is cli._id_option:
        return "Pas Un Id", 2
    if callback is cli._text_option:
        return " ", 2
    descriptor = getattr(param, "type_descriptor", None)
    if getattr(descriptor, "is_path", False):
        if getattr(descriptor, "path_type", "") == "dir" or param.name == "workspace":
            return str(tmp / "no-such-folder"), 1  # well formed, but there is no workspace there
        return str(tmp), 2  # a folder where a file is wanted
    return None


def test_a_bad_value_for_each_option_of_each_command(make_workspace: Any, tmp_path: Path) -> None:
    """Every option of every command (commands added later included) given a malformed value:
    one line in plain words, exit 2 for a value of the wrong form, 1 for a data error."""
    root = make_workspace()
    problems, tried = [], 0
    for key, command in commands().items():
        if key not in BASE:
            problems.append(f"{key}: add a valid invocation to BASE in tests/test_cli_help.py")
            continue
        path = [] if key == "ess-coop" else key.split()
        base = [arg.format(tmp=tmp_path) for arg in BASE[key]]
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "is_flag", False) or param.name == "help":
                continue
            bad = bad_value(param, tmp_path)
            if bad is None:
                continue
            value, expected = bad
            option = max(param.opts, key=len)
            where = [] if param.name == "workspace" else ["--workspace", str(root)]
            args = [option, value, *path, *base] if key == "ess-coop" else [*path, *base, *where, option, value]
            code, out = invoke(*args)
            tried += 1
            lines = out.strip().splitlines()
            if code != expected or len(lines) != 1 or not lines[0].startswith("Erreur : "):
                problems.append(f"{' '.join(args)} → exit {code}, expected {expected}: {out!r}")
            problems += [f"{' '.join(args)}: tool text {w!r}: {out!r}" for w in TOOL_TEXT if w in out]
    assert problems == [], "\n".join(problems)
    assert tried >= 25


# --- completion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o default -F _ess_coop_completion ess-coop"), ("zsh", "compdef _ess_coop_completion ess-coop"),
     ("fish", "complete --command ess-coop"), ("powershell", "Register-ArgumentCompleter")],
)  # fmt: skip
def test_completion_script_for_each_shell(monkeypatch: pytest.MonkeyPatch, shell: str, marker: str) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # take the shell as given
    code, out = invoke("--show-completion", shell)
    assert code == 0
    assert marker in out and "_ESS_COOP_COMPLETE" in out


def test_completion_completes_commands_and_values() -> None:
    def complete(words: str) -> list[str]:
        env = {"_ESS_COOP_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        return invoke(env=env)[1].split()

    assert complete("ess-coop sta") == ["status"]
    assert complete("ess-coop actors re") == ["remove"]
    assert complete("ess-coop actors add --type ess") == ["ess-hub"]


def test_install_completion_says_so_in_our_language(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out = invoke("--install-completion", "bash")
    assert code == 0
    assert out.startswith("Complétion bash installée dans ")
    assert "ess-coop" in (tmp_path / ".bashrc").read_text("utf-8")


# --- tables at 80 columns --------------------------------------------------------------------


LONG_ID = "reseau-des-associations-de-solidarite-internationale"
LONG_ACTOR = (f"  - id: {LONG_ID}\n    name: Réseau\n    short_name: Réseau des associations solidaires\n"
              "    country: FR\n    type: social-enterprise\n")  # fmt: skip


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["actors"], [LONG_ID, "association", "local-authority", "social-enterprise", "coordinator", "Dernier statut"]),
        (["status"], [LONG_ID, "Dernière modification", "pas d'entretien"]),
        (["actors", "show", "fr-a"], ["2024-07-03-fr-a", "interviews/fr-a/2024-07-03-fr-a.yaml", "complet"]),
        (["validate"], ["interviews/fr-a/2024-07-03-fr-a.yaml", "Avertissements", "Résumé par fichier"]),
    ],
)
@pytest.mark.parametrize("columns", [80, 60, 40])
def test_tables_never_cut_a_word(make_workspace: Any, command: list[str], words: list[str], columns: int) -> None:
    from samples import ACTORS

    warning = {"interviews/fr-a/2024-07-03-fr-a.yaml": "format: 1\nid: x\n"} if command == ["validate"] else {}
    root = make_workspace({"actors.yaml": ACTORS + LONG_ACTOR, **warning})
    code, out = invoke(*command, "--workspace", str(root), env={"COLUMNS": str(columns)})
    assert code in (0, 1), out
    cut = [word for word in words if word not in out]
    assert cut == [], out
    assert all(len(line) <= columns for line in out.splitlines() if line[:1] in "┏┃┡│└")


def test_a_table_that_fits_stays_a_table(make_workspace: Any) -> None:
    code, out = invoke("actors", "--workspace", str(make_workspace()), env={"COLUMNS": "100"})
    assert code == 0
    assert "┃ Identifiant ┃" in out
    assert "│ tg-b        │ tg-b" not in out and "local-authority" in out


def test_too_narrow_a_table_becomes_one_record_per_block(make_workspace: Any) -> None:
    code, out = invoke("actors", "--workspace", str(make_workspace()), env={"COLUMNS": "40"})
    assert code == 0
    assert "┃" not in out
    assert "fr-b\n  Nom court : Collectivité française B\n  Pays : FR\n  Type : local-authority\n" in out



def test_a_missing_template_is_said_without_python_words(make_workspace: Any) -> None:
    root = make_workspace()
    code, out = invoke("build-referential", "--template", "charte.docx", "--workspace", str(root))
    assert code == 1
    assert out == "Erreur : charte.docx: ce fichier ou dossier n'existe pas — vérifiez le chemin\n"


def test_the_quick_help_is_the_page_click_would_print() -> None:
    """``… --help`` is answered before Typer converts the options; ``--help`` followed by another
    option goes Click's way. Both print the same page."""
    for key in commands():
        path = [] if key == "ess-coop" else key.split()
        quick, slow = invoke(*path, "--help"), invoke(*path, "--help", "--lang", "fr")
        assert quick == slow, key


@pytest.mark.parametrize("args", [["--help"], ["actors", "add", "--help"], ["--lang", "en", "new-interview", "-h"]])
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    """Help stays fast: not even Pydantic (Typer imports it to convert option values)."""
    probe = (
        "import sys\n"
        "from ess_coop import cli\n"
        f"sys.argv = ['ess-coop', *{args!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('docx', 'lxml', 'PIL', 'openpyxl', 'ruamel', 'yaml', 'pydantic', 'watchfiles', 'rich')\n"
        "print(sorted(name for name in heavy if name in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert done.stdout.startswith(("Utilisation : ess-coop", "Usage: ess-coop"))
