"""``ess-coop actors edit`` and ``actors remove``, and where ``add`` puts a new entry: the other
entries, their order and every comment stay as people wrote them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from ess_coop.validation import check_workspace
from samples import MakeWorkspace

runner = CliRunner()

COMMENTED = """\
# Registre — ne pas supprimer ce commentaire
actors:
  # --- France ---
  - id: fr-a
    name: Association française A
    short_name: FR A
    country: FR
    type: association      # à confirmer
    role: coordinator
  - id: fr-b
    name: Collectivité française B
    country: FR
    type: local-authority
  # --- Togo ---
  - id: tg-a
    name: ONG togolaise A
    short_name: TG A
    country: TG
    type: ngo
    role: coordinator
  - id: tg-b
    name: Réseau togolais B   # nom provisoire
    country: TG
    type: network
    sensitive: true
#  - id: exemple
#    name: Une structure d'exemple, en commentaire
"""


def actors(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["actors", *args, "--workspace", str(root)])
    return result.exit_code, result.output


def test_add_goes_after_the_last_entry_not_after_the_comment_below_it(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "add", "--name", "Nouvelle", "--country", "TG", "--type", "ngo")
    assert code == 0, out
    new = "  - id: nouvelle\n    name: Nouvelle\n    country: TG\n    type: ngo\n    role: partner\n"
    before, comment = COMMENTED.split("#  - id: exemple")
    assert (root / "actors.yaml").read_text("utf-8") == before + new + "#  - id: exemple" + comment


def test_remove_takes_only_the_entry_lines(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED, "interviews/fr-a/2024-07-03-fr-a.yaml": None})
    code, out = actors(root, "remove", "fr-b")
    assert code == 0, out
    assert out == "Acteur retiré du registre : fr-b (Collectivité française B).\n"
    expected = COMMENTED.replace(
        "  - id: fr-b\n    name: Collectivité française B\n    country: FR\n    type: local-authority\n", ""
    )
    assert (root / "actors.yaml").read_text("utf-8") == expected
    assert "  # --- Togo ---\n  - id: tg-a" in expected
    ws, report = check_workspace(root)
    assert report.valid and [a.id for a in ws.actors] == ["fr-a", "tg-a", "tg-b"]


def test_remove_the_last_entry_keeps_the_commented_example(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "remove", "tg-b")
    assert code == 0, out
    text = (root / "actors.yaml").read_text("utf-8")
    tail = "    role: coordinator\n#  - id: exemple\n#    name: Une structure d'exemple, en commentaire\n"
    assert text.endswith(tail)
    assert "nom provisoire" not in text  # the entry's own comment goes with it


def test_remove_is_refused_while_there_are_interviews(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED, "interviews/fr-b/form.docx": b"PK"})
    for actor, count in (("fr-b", 1),):
        code, out = actors(root, "remove", actor)
        assert code == 1
        assert out == (
            f"Erreur : « {actor} » a {count} entretien(s) dans interviews/{actor}/ : la structure reste dans le "
            "registre — ses entretiens la citent ; rien n'a été modifié\n"
        )
    code, out = actors(root, "remove", "fr-a")
    assert code == 1 and "« fr-a » a 1 entretien(s)" in out
    assert (root / "actors.yaml").read_text("utf-8") == COMMENTED


def test_remove_is_refused_for_a_coordinator(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "remove", "tg-a")
    assert code == 1
    assert "« tg-a » coordonne le projet (project.coordinators dans ess-coop.yaml)" in out
    assert (root / "actors.yaml").read_text("utf-8") == COMMENTED


def test_edit_changes_only_the_keys_given(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "edit", "tg-b", "--name", "Réseau togolais Bè", "--territory", "Kara", "--not-sensitive")
    assert code == 0, out
    assert out == "Acteur modifié : tg-b (--name, --territory, --sensitive).\n"
    expected = COMMENTED.replace(
        "    name: Réseau togolais B   # nom provisoire\n    country: TG\n    type: network\n    sensitive: true\n",
        # the end-of-line comment keeps its column
        "    name: Réseau togolais Bè  # nom provisoire\n    country: TG\n    type: network\n"
        "    territory: Kara\n    sensitive: false\n",
    )
    assert (root / "actors.yaml").read_text("utf-8") == expected
    ws, report = check_workspace(root)
    actor = ws.actor("tg-b")
    assert report.valid and actor is not None and actor.territory == "Kara" and not actor.sensitive


def test_edit_country_and_type_are_checked(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "edit", "fr-b", "--country", "sn")
    assert code == 1
    assert "valeur « SN » invalide pour --country (FR, TG)" in out
    code, out = actors(root, "edit", "fr-b", "--type", "ess_hub")
    assert code == 2 and "(vouliez-vous dire « ess-hub » ?)" in out
    assert (root / "actors.yaml").read_text("utf-8") == COMMENTED


def test_edit_refuses_to_change_an_id_and_says_why(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED})
    code, out = actors(root, "edit", "fr-b", "--id", "fr-c")
    assert code == 1
    assert out.startswith("Erreur : l'identifiant de « fr-b » ne peut pas devenir « fr-c » — il nomme le dossier")
    code, out = actors(root, "edit", "fr-b", "--id", "fr-b")
    assert code == 1 and "aucune modification demandée pour « fr-b »" in out  # the same values: data says no
    code, out = actors(root, "edit", "fr-b")
    assert code == 2 and out.startswith("Erreur : aucune modification demandée pour « fr-b » — donnez au moins")
    code, out = actors(root, "edit", "FR-B", "--territory", "Rennes")
    assert code == 1 and "(vouliez-vous dire « fr-b » ?)" in out
    assert (root / "actors.yaml").read_text("utf-8") == COMMENTED


def test_edit_and_remove_are_redone_when_the_registry_changed_meanwhile(make_workspace: MakeWorkspace,
                                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """A colleague's save during the change is kept: the change is made again on top of it."""
    from ess_coop import registry

    root = make_workspace({"actors.yaml": COMMENTED})
    colleague = COMMENTED + "  - id: tg-c\n    name: Ajout d'une collègue\n    country: TG\n    type: ngo\n"
    for name, args in (("_edit", ["edit", "fr-b", "--territory", "Rennes"]), ("_remove", ["remove", "fr-b"])):
        real = getattr(registry, name)

        def while_a_colleague_saves(text: str, *rest: object, real: object = real) -> str:
            (root / "actors.yaml").write_text(colleague, encoding="utf-8")
            return real(text, *rest)  # type: ignore[operator,no-any-return]

        monkeypatch.setattr(registry, name, while_a_colleague_saves)
        code, out = actors(root, *args)
        assert code == 0, out
        after = (root / "actors.yaml").read_text("utf-8")
        assert "id: tg-c" in after and "Ajout d'une collègue" in after  # the colleague's entry is kept
        assert ("territory: Rennes" in after) if name == "_edit" else ("id: fr-b" not in after)
        monkeypatch.undo()
        (root / "actors.yaml").write_text(COMMENTED, encoding="utf-8")


def test_a_windows_registry_keeps_its_line_ends(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"actors.yaml": COMMENTED.replace("\n", "\r\n").encode("utf-8")})
    assert actors(root, "add", "--name", "Nouvelle", "--country", "TG", "--type", "ngo")[0] == 0
    assert actors(root, "remove", "fr-b")[0] == 0
    assert actors(root, "edit", "tg-a", "--territory", "Lomé")[0] == 0
    data = (root / "actors.yaml").read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b"  - id: nouvelle\r\n    name: Nouvelle\r\n" in data and b"id: fr-b" not in data
    assert b"    role: coordinator\r\n    territory: Lom\xc3\xa9\r\n" in data
