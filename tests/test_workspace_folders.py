"""The workspace's own folders when they are not what they should be (issue 17): a folder that
cannot be read, a link that loops or leads nowhere, a folder that cannot be written. Each gets a
located finding or one clear line, never an interview silently left out nor a traceback."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from typer.testing import CliRunner

from ess_coop import atomic, texts
from ess_coop.cli import app
from ess_coop.errors import UserError
from ess_coop.texts import read_texts
from ess_coop.validation import check_workspace
from samples import TRANSCRIPT, MakeWorkspace

runner = CliRunner()
TG = TRANSCRIPT.replace("fr-a", "tg-a").replace("compost]", "financement]", 1)
TG_PATH = "interviews/tg-a/2024-07-03-tg-a.yaml"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--workspace", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def unreadable_findings(root: Path) -> list[tuple[str, str, str]]:
    report = check_workspace(root, lang="en")[1]
    return [(i.path, i.severity, i.message) for i in report.issues if i.code == "folder-unreadable"]


def make_broken(root: Path, folder: str, kind: str) -> None:
    """``folder`` (of ``root``) made a link that loops, or one that leads nowhere."""
    path = root / folder
    if path.is_dir():
        shutil.rmtree(path)
    path.symlink_to(path.name if kind == "loop" else "nowhere")


@pytest.mark.parametrize("kind", ["loop", "dangling"])
@pytest.mark.parametrize("folder", ["interviews", "interviews/tg-a"])
def test_a_broken_link_for_a_folder_of_interviews_is_an_error(make_workspace: MakeWorkspace, folder: str,
                                                              kind: str) -> None:  # fmt: skip
    root = make_workspace({TG_PATH: TG})
    make_broken(root, folder, kind)
    found = unreadable_findings(root)
    assert [(path, severity) for path, severity, _ in found] == [(folder, "error")]
    assert found[0][2].startswith("folder unreadable (") and "the interviews it holds were not read" in found[0][2]


@pytest.mark.parametrize("folder", ["interviews", "interviews/tg-a"])
def test_a_folder_that_cannot_be_listed_is_an_error(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch,
                                                    folder: str) -> None:  # fmt: skip
    root = make_workspace({TG_PATH: TG})
    denied = str(root / folder)
    scandir = os.scandir

    def refusing(path: str) -> object:
        if str(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert unreadable_findings(root) == [
        (folder, "error", "folder unreadable (access denied): the interviews it holds were not read")
    ]


def test_a_missing_interviews_folder_is_no_finding(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/fr-a/2024-07-03-fr-a.yaml": None})
    shutil.rmtree(root / "interviews", ignore_errors=True)
    assert not os.path.lexists(root / "interviews")
    assert unreadable_findings(root) == []


@pytest.mark.parametrize("command", [["validate"], ["build-referential"], ["profile", "tg-a"]])
def test_commands_refuse_instead_of_leaving_interviews_out(make_workspace: MakeWorkspace,
                                                           command: list[str]) -> None:  # fmt: skip
    root = make_workspace({TG_PATH: TG})
    make_broken(root, "interviews/tg-a", "loop")
    code, out = run(root, *command)
    assert code == 1, out
    assert "interviews/tg-a" in out and "dossier illisible" in out
    assert "Aucune erreur" not in out and "Traceback" not in out and "inattendue" not in out
    assert not (root / "output").exists()


@pytest.mark.parametrize("kind", ["loop", "dangling"])
@pytest.mark.parametrize("command", [["build-referential"], ["profile", "tg-a"]])
def test_output_as_a_broken_link_is_one_line(make_workspace: MakeWorkspace, kind: str, command: list[str]) -> None:
    root = make_workspace({TG_PATH: TG})
    (root / "output").symlink_to("output" if kind == "loop" else "nowhere")
    code, out = run(root, *command)
    assert code == 1
    assert out.strip().endswith(
        "output: « output » est un lien symbolique qui tourne en rond ou ne mène nulle part : rien n'a pu y être lu"
        " ni écrit — supprimez ce lien, ou remplacez-le par un vrai dossier, puis relancez la commande"
    ), out


def test_an_output_folder_not_made_is_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(UserError) as caught:
        atomic.write_output(tmp_path / "output" / "referentiel.docx", b"PK")
    assert caught.value.code == "write-failed"
    assert caught.value.render("en").startswith(f"{tmp_path}/output/referentiel.docx: ")


@pytest.mark.parametrize(
    ("folder", "target", "says"),
    [
        ("interviews", "interviews", "« interviews » est un lien symbolique qui tourne en rond"),
        ("interviews/tg-a", "nowhere", "« tg-a » est un lien symbolique qui tourne en rond ou ne mène nulle part"),
        ("interviews", "/", "interviews: lien symbolique vers /, hors de l'espace de travail : il n'a pas été suivi"),
    ],
)
def test_new_interview_in_a_broken_folder_is_one_line(make_workspace: MakeWorkspace, folder: str, target: str,
                                                      says: str) -> None:  # fmt: skip
    root = make_workspace({TG_PATH: TG})
    shutil.rmtree(root / folder)
    (root / folder).symlink_to(target)
    ws = check_workspace(root, lang="fr")[0]
    with pytest.raises(UserError) as caught:
        actor = ws.actor("tg-a")
        assert actor is not None
        ws.allocate_interview(actor, dt.date(2024, 7, 5), lambda i: b"", suffix=".yaml")
    assert says in caught.value.render("fr")
    code, out = run(root, "new-interview", "tg-a")
    assert code == 1 and "inattendue" not in out and "n'est pas un identifiant" not in out, out


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` cannot be listed, as for a user without the permission (tests run as root)."""
    iterdir = Path.iterdir

    def refusing(self: Path) -> Iterator[Path]:
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refusing)


def test_texts_not_listed_are_reported(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace({"texts/introduction.md": "Bonjour."})
    refuse_listing(monkeypatch, root / "texts")
    issues = [i for i in check_workspace(root, lang="fr")[1].issues if i.code == "texts-unreadable"]
    assert [(i.path, i.message) for i in issues] == [("texts", "texte illisible : accès refusé")]
    code, out = run(root, "build-referential")
    assert code == 1 and "texts: impossible de lire ce texte (Permission denied)" in out, out
    assert not (root / "output/referentiel.docx").exists()


def test_a_word_link_to_a_missing_relationship_keeps_its_text(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Voir ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), "rId99")  # no such relationship: a damaged or hand-edited document
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "le site"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    path = tmp_path / "texts/introduction.docx"
    path.parent.mkdir()
    document.save(str(path))
    [block] = read_texts(tmp_path)["introduction"]
    assert [(s.text, s.link) for s in block.spans] == [("Voir le site", None)]


@pytest.mark.parametrize(
    ("folder", "says"),
    [
        ("templates", "« templates » est un lien symbolique qui tourne en rond"),
        ("output", "« output » est un fichier, alors qu'il faut ici un dossier"),
    ],
)
def test_init_in_the_way_says_so_and_writes_nothing(tmp_path: Path, folder: str, says: str) -> None:
    if folder == "templates":
        (tmp_path / folder).symlink_to(folder)
    else:
        (tmp_path / folder).write_text("une note\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1 and says in result.output, result.output
    assert [p.name for p in tmp_path.iterdir()] == [folder]


def test_a_markdown_text_has_a_lower_size_limit(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"texts/introduction.md": "*_" * (texts.MAX_MARKDOWN_BYTES // 2) + "x"})
    issues = [i for i in check_workspace(root, lang="en")[1].issues if i.code == "texts-unreadable"]
    assert [(i.path, i.message) for i in issues] == [
        ("texts/introduction.md", "unreadable text: Markdown text too large (200 KB, at most 200 KB)")
    ]
    (root / "texts/introduction.md").write_text("*_" * (texts.MAX_MARKDOWN_BYTES // 2), encoding="utf-8")
    assert [i for i in check_workspace(root, lang="en")[1].issues if i.code == "texts-unreadable"] == []


def test_the_build_parses_each_text_once(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace({"texts/introduction.md": "Bonjour *tout le monde*.", "texts/conclusion.md": "Au revoir."})
    texts._parse.cache_clear()
    parsed: list[str] = []
    parse = texts.parse_markdown

    def counting(text: str) -> list[texts.Block]:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(texts, "parse_markdown", counting)
    code, out = run(root, "build-referential")
    assert code == 0, out
    assert sorted(parsed) == ["Au revoir.", "Bonjour *tout le monde*."]


def test_an_empty_registry_makes_each_interview_s_actor_unknown(make_workspace: MakeWorkspace) -> None:
    """validate explains what the build leaves out (it said nothing, the build "invalid" 2 times)."""
    root = make_workspace({TG_PATH: TG, "actors.yaml": "actors: []\n"})
    report = check_workspace(root, lang="en")[1]
    assert [(i.path, i.line) for i in report.issues if i.code == "unknown-actor"] == [
        ("interviews/fr-a/2024-07-03-fr-a.yaml", 3),
        (TG_PATH, 3),
    ]


def test_an_unreadable_registry_does_not_make_every_actor_unknown(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": "actors: [\n"})
    assert [i.code for i in check_workspace(root, lang="en")[1].issues if i.code == "unknown-actor"] == []


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("file", "it is a file, not a folder"), ("loop", "symbolic link that loops"),
     ("dangling", "symbolic link that leads nowhere"), ("denied", "access denied")],
)  # fmt: skip
def test_templates_not_a_usable_folder_is_said_not_missing_files(make_workspace: MakeWorkspace,
                                                                 monkeypatch: pytest.MonkeyPatch, kind: str,
                                                                 reason: str) -> None:  # fmt: skip
    root = make_workspace()
    if kind == "denied":
        scandir = os.scandir

        def refusing(path: str) -> object:
            if str(path) == str(root / "templates"):
                raise PermissionError(13, "Permission denied", str(path))
            return scandir(path)

        monkeypatch.setattr(os, "scandir", refusing)
        monkeypatch.setattr(os.path, "lexists", lambda path: not str(path).startswith(str(root / "templates")))
    elif kind == "file":
        shutil.rmtree(root / "templates")
        (root / "templates").write_text("x\n", encoding="utf-8")
    else:
        make_broken(root, "templates", kind)
    issues = [i for i in check_workspace(root, lang="en")[1].issues if i.path.startswith("templates")]
    assert {(i.code, i.path) for i in issues} == {
        ("folder-unusable", "templates/guide.yaml"), ("folder-unusable", "templates/themes.yaml")
    }  # fmt: skip
    assert issues[0].message == f"file unreadable: its folder “templates” cannot be used ({reason})"


@pytest.mark.parametrize("from_inside", [False, True])
def test_the_project_file_as_a_folder_is_said(make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch,
                                              from_inside: bool) -> None:  # fmt: skip
    root = make_workspace()
    (root / "ess-coop.yaml").unlink()
    (root / "ess-coop.yaml").mkdir()
    if from_inside:
        monkeypatch.chdir(root / "interviews")
        result = runner.invoke(app, ["validate"])
    else:
        result = runner.invoke(app, ["validate", "--workspace", str(root)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(
        f"Erreur : {root}/ess-coop.yaml: c'est un dossier, alors qu'il faut ici le fichier du projet — "
    ), result.output


@pytest.mark.parametrize(
    ("file", "content", "code", "hint"),
    [
        ("actors.yaml", "", "empty-file", "the registry of actors fits in a few KB: "),
        ("ess-coop.yaml", "# rien\n", "empty-file", "this file describes the project in a few KB: "),
        ("templates/themes.yaml", "", "empty-file", "this template fits in a few dozen KB: "),
        ("templates/guide.yaml", "a: " + "x" * (2 * 1024 * 1024), "file-too-large", "this template fits in a few"),
        ("templates/themes.yaml", None, "file-unreadable", "there is a folder, or a symbolic link that loops"),
        (TG_PATH, None, "file-unreadable", "there is a folder, or a symbolic link that loops"),
    ],
)
def test_advice_fits_the_file(make_workspace: MakeWorkspace, file: str, content: str | None, code: str,
                              hint: str) -> None:  # fmt: skip
    root = make_workspace({file: content})
    if content is None and file == TG_PATH:
        (root / file).parent.mkdir()
        (root / file).symlink_to(Path(file).name)  # a link to itself
    elif content is None:
        (root / file).mkdir()
    [issue] = [i for i in check_workspace(root, lang="en")[1].issues if i.code == code and i.path == file]
    assert issue.hint.startswith(hint), issue.hint
    assert "new-interview" not in issue.hint and "synced" not in issue.hint


def test_an_empty_interview_keeps_its_own_advice(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({TG_PATH: ""})
    [issue] = [i for i in check_workspace(root, lang="en")[1].issues if i.code == "empty-file"]
    assert "ess-coop new-interview creates an interview" in issue.hint


def test_a_line_feed_in_a_file_name_keeps_each_finding_on_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/tg-a/bad\nname.yaml": "a: 1\n"})
    code, out = run(root, "validate", "--verbose")
    assert code == 1
    lines = [line for line in out.splitlines() if "name.yaml" in line]
    assert lines and all("interviews/tg-a/bad\\nname.yaml" in line for line in lines), out
    assert not any(line.startswith("name.yaml") for line in out.splitlines())


@pytest.mark.parametrize(
    ("target", "reason"), [(None, "c'est un dossier, pas un fichier"), ("x.yaml", "lien symbolique qui tourne en rond"),
                           ("nowhere.yaml", "lien symbolique qui ne mène nulle part")],
)  # fmt: skip
def test_why_a_file_is_unreadable_is_said_in_the_reader_s_words(make_workspace: MakeWorkspace, target: str | None,
                                                                reason: str) -> None:  # fmt: skip
    root = make_workspace()
    path = root / ("templates/themes.yaml" if target is None else "interviews/fr-a/x.yaml")
    if target is None:
        path.unlink()
        path.mkdir()
    else:
        path.symlink_to(target)
    [issue] = [i for i in check_workspace(root, lang="fr")[1].issues if i.code == "file-unreadable"]
    assert issue.message == f"fichier illisible ({reason})"
