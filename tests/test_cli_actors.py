"""``ess-coop actors``: list, show, add (keeping comments, refusing clashes)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.validation import check_workspace
from samples import ACTORS, MakeWorkspace

runner = CliRunner()


def actors(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["actors", *args, "--workspace", str(root)])
    return result.exit_code, result.output


def test_list_filters_and_json(make_workspace: MakeWorkspace) -> None:
    code, out = actors(make_workspace(), "--country", "TG", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["actor"]["id"] for r in rows] == ["tg-a", "tg-b"]
    assert rows[0]["interviews"] == []


def test_list_counts_interviews(make_workspace: MakeWorkspace) -> None:
    code, out = actors(make_workspace())
    assert code == 0
    assert "Registre des acteurs (4)" in out
    line = next(line for line in out.splitlines() if "fr-a" in line)
    assert "1" in line and "complet" in line


def test_show(make_workspace: MakeWorkspace) -> None:
    code, out = actors(make_workspace(), "show", "fr-a")
    assert code == 0
    assert "Association française A (fr-a)" in out
    assert "2024-07-03-fr-a" in out


def test_add_derives_id_and_keeps_comments(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": "# Registre — ne pas supprimer ce commentaire\n" + ACTORS + "  # fin\n"})
    code, out = actors(root, "add", "--name", "Pôle ESS du pays de Fougères", "--country", "fr", "--type", "ess-hub")
    assert code == 0, out
    text = (root / "actors.yaml").read_text("utf-8")
    assert text.startswith("# Registre — ne pas supprimer ce commentaire\n" + ACTORS)
    assert "  - id: pole-ess-du-pays-de-fougeres\n    name: Pôle ESS du pays de Fougères\n    country: FR\n" in text
    ws, report = check_workspace(root)
    assert report.valid and ws.actor("pole-ess-du-pays-de-fougeres") is not None


def test_add_to_an_empty_registry(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path)])
    code, out = actors(tmp_path, "add", "--name", "STADD", "--country", "TG", "--type", "ngo", "--role", "coordinator")
    assert code == 0, out
    assert "#  - id: cress-bretagne" in (tmp_path / "actors.yaml").read_text("utf-8")
    ws, _ = check_workspace(tmp_path)
    assert [a.id for a in ws.actors] == ["stadd"]


def test_add_refuses_duplicate_and_case_clash(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/Tg-C/x.txt": "stray folder"})
    before = (root / "actors.yaml").read_bytes()
    for args in (["--id", "fr-a"], ["--short-name", "TG C"]):
        code, out = actors(root, "add", "--name", "X", "--country", "TG", "--type", "ngo", *args)
        assert code == 1
        assert "existe déjà dans le registre" in out
    assert (root / "actors.yaml").read_bytes() == before


def test_add_refuses_country_outside_project(make_workspace: MakeWorkspace) -> None:
    code, out = actors(make_workspace(), "add", "--name", "X", "--country", "SN", "--type", "ngo")
    assert code == 1
    assert "valeur « SN » invalide pour --country (FR, TG)" in out


def test_add_redoes_its_edit_when_registry_changed_meanwhile(make_workspace: MakeWorkspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ess_coop import registry

    root = make_workspace()
    colleague = ACTORS + "  - id: tg-c\n    name: Ajout d'une collègue\n    country: TG\n    type: ngo\n"
    real_append = registry._append
    calls = []

    def append_while_a_colleague_saves(text: str, actor: object) -> str:
        if not calls:
            (root / "actors.yaml").write_text(colleague, encoding="utf-8")  # the sync client delivers her edit
        calls.append(text)
        return real_append(text, actor)  # type: ignore[arg-type]

    monkeypatch.setattr(registry, "_append", append_while_a_colleague_saves)
    code, out = actors(root, "add", "--name", "Nouvelle", "--country", "FR", "--type", "ngo")
    assert code == 0, out
    assert len(calls) == 2 and "tg-c" in calls[1]  # redone from the file as she left it
    text = (root / "actors.yaml").read_text("utf-8")
    assert text.startswith(colleague) and "id: nouvelle" in text


def test_add_refuses_when_registry_keeps_changing(make_workspace: MakeWorkspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ess_coop import registry

    root = make_workspace()
    real_append = registry._append
    edits = []

    def append_while_a_colleague_saves(text: str, actor: object) -> str:
        edits.append(ACTORS + f"  - id: tg-c{len(edits)}\n    name: Ajout\n    country: TG\n    type: ngo\n")
        (root / "actors.yaml").write_text(edits[-1], encoding="utf-8")
        return real_append(text, actor)  # type: ignore[arg-type]

    monkeypatch.setattr(registry, "_append", append_while_a_colleague_saves)
    monkeypatch.setattr(registry.time, "sleep", lambda _: None)
    code, out = actors(root, "add", "--name", "Nouvelle", "--country", "FR", "--type", "ngo")
    assert code == 1
    assert "actors.yaml a été modifié pendant l'opération" in out
    assert (root / "actors.yaml").read_text("utf-8") == edits[-1]  # hers, untouched
    assert [p.name for p in root.iterdir() if p.name.startswith("~")] == []  # no lock or temporary left


def test_add_prints_a_name_with_brackets_as_written(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    code, out = actors(root, "add", "--name", "Collectif [bold]Kpalimé[/bold] [TG]", "--country", "TG", "--type", "ngo")
    assert code == 0, out
    assert "Collectif [bold]Kpalimé[/bold] [TG]" in out
