"""Every partner's sheet in one command, the sending recorded in transcripts, who has answered."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ess_coop.review as review_module
from ess_coop.cli import app
from ess_coop.errors import UserError
from ess_coop.review import record_sent, with_review
from ess_coop.status import project_status
from ess_coop.validation import check_workspace
from samples import ACTORS, TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace
from test_editions import TG_A, V01

runner = CliRunner()
ON_1_SEPTEMBER_2024 = {"SOURCE_DATE_EPOCH": "1725148800"}
COMMENTED = "# Partenaires du projet (à garder)\n" + ACTORS.replace(
    "    role: coordinator\n  - id: fr-b",
    "    role: coordinator\n    contact: jeanne@fr-a.example.org  # la chargée de mission\n  - id: fr-b",
)
FR_A = V01[TRANSCRIPT_PATH].replace("status: complete\n", "status: complete  # relu le 3 juillet\n")


@pytest.fixture
def root(make_workspace: MakeWorkspace) -> Path:
    return make_workspace({**V01, "actors.yaml": COMMENTED, TRANSCRIPT_PATH: FR_A})


def profile(root: Path, *args: str) -> object:
    return runner.invoke(app, ["profile", *args, "--workspace", str(root)], env=ON_1_SEPTEMBER_2024)


def test_every_partners_sheet(root: Path) -> None:
    result = profile(root, "--all", "--reply-by", "2024-09-20")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "2 fiche(s) à envoyer, réponse attendue le 2024-09-20 :" in out
    assert "jeanne@fr-a.example.org" in out and "(pas de contact : ajoutez contact dans actors.yaml)" in out
    assert "Tableau des envois : output/envoi-fiches.xlsx" in out
    assert (root / "output/fiche-fr-a.docx").is_file() and (root / "output/fiche-tg-a.docx").is_file()
    assert not (root / "output/fiche-fr-b.docx").exists()  # no counted interview
    with zipfile.ZipFile(root / "output/envoi-fiches.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "output/fiche-fr-a.docx" in sheet and "jeanne@fr-a.example.org" in sheet and "2024-09-20" in sheet
    # The registry is untouched; each transcript gains its review, and keeps everything else.
    assert (root / "actors.yaml").read_text("utf-8") == COMMENTED
    assert (root / TRANSCRIPT_PATH).read_text("utf-8") == FR_A.replace(
        "status: complete  # relu le 3 juillet\n",
        "status: complete  # relu le 3 juillet\nreview:\n  sent: 2024-09-01\n  reply_by: 2024-09-20\n",
    )
    ws, report = check_workspace(root)
    assert report.valid, report.issues
    assert [(r.actor, r.state, r.reply_by) for r in project_status(ws, today=dt.date(2024, 9, 2)).reviews] == [
        ("fr-a", "awaited", dt.date(2024, 9, 20)),
        ("tg-a", "awaited", dt.date(2024, 9, 20)),
    ]


def test_status_shows_late_and_answered(root: Path) -> None:
    assert profile(root, "--all", "--reply-by", "2024-09-20").exit_code == 0  # type: ignore[attr-defined]
    path = root / TG_A
    path.write_text(
        path.read_text("utf-8").replace("  reply_by: 2024-09-20\n", "  reply_by: 2024-09-20\n  answered: 2024-09-18\n"),
        "utf-8",
    )
    ws, _ = check_workspace(root)
    reviews = project_status(ws, today=dt.date(2024, 9, 25)).reviews
    assert [(r.actor, r.state) for r in reviews] == [("fr-a", "late"), ("tg-a", "answered")]
    result = runner.invoke(app, ["status", "--workspace", str(root)], env={"COLUMNS": "200"})
    assert "Fiches envoyées : 2 — en attente : 0, en retard : 1, répondu : 1" in result.output
    assert "  FR A : réponse attendue le 2024-09-20" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--all", "--reply-by", "2024-08-31"],
            "Erreur : la date de réponse 2024-08-31 est déjà passée (nous sommes le 2024-09-01)",
        ),
        (
            ["fr-a", "--reply-by", "2024-08-31"],
            "Erreur : la date de réponse 2024-08-31 est déjà passée (nous sommes le 2024-09-01)",
        ),
        (["fr-a", "--all"], "Erreur : indiquez une structure, ou --all pour toutes, mais pas les deux"),
        ([], "Erreur : indiquez une structure, ou --all pour toutes, mais pas les deux"),
    ],
)
def test_refused(root: Path, args: list[str], message: str) -> None:
    result = profile(root, *args)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr.startswith(message)  # type: ignore[attr-defined]
    assert "review:" not in (root / TRANSCRIPT_PATH).read_text("utf-8")


def test_resending_updates_the_review_in_place() -> None:
    once = with_review(TRANSCRIPT, sent=dt.date(2024, 9, 1), reply_by=dt.date(2024, 9, 20))
    twice = with_review(once, sent=dt.date(2024, 9, 10), reply_by=dt.date(2024, 9, 30))
    assert twice == TRANSCRIPT.replace(
        "status: complete\n", "status: complete\nreview:\n  sent: 2024-09-10\n  reply_by: 2024-09-30\n"
    )


def test_a_concurrent_edit_is_kept(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _ = check_workspace(root)
    entry = next(e for e in ws.transcripts if e.rel == TRANSCRIPT_PATH)
    real = review_module.with_review
    edits = iter(["# une correction ajoutée pendant l'envoi\n"])

    def someone_edits_meanwhile(text: str, **dates: dt.date) -> str:
        edited = real(text, **dates)
        for line in edits:  # the first time only: a person saves the file while we work
            entry.path.write_text(text + line, "utf-8")
        return edited

    monkeypatch.setattr(review_module, "with_review", someone_edits_meanwhile)
    record_sent(entry, sent=dt.date(2024, 9, 1), reply_by=dt.date(2024, 9, 20), rel=TRANSCRIPT_PATH)
    text = entry.path.read_text("utf-8")
    assert "# une correction ajoutée pendant l'envoi" in text and "  reply_by: 2024-09-20\n" in text


def test_a_file_that_keeps_changing_is_left_alone(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, _ = check_workspace(root)
    entry = next(e for e in ws.transcripts if e.rel == TRANSCRIPT_PATH)
    real = review_module.with_review
    count = iter(range(100))

    def always_edited(text: str, **dates: dt.date) -> str:
        entry.path.write_text(text + f"# {next(count)}\n", "utf-8")
        return real(text, **dates)

    monkeypatch.setattr(review_module, "with_review", always_edited)
    with pytest.raises(UserError) as caught:
        record_sent(entry, sent=dt.date(2024, 9, 1), reply_by=dt.date(2024, 9, 20), rel=TRANSCRIPT_PATH)
    assert caught.value.code == "review-changed"
    assert "review:" not in entry.path.read_text("utf-8")


def test_windows_line_ends_and_bom_are_kept(root: Path) -> None:
    path = root / TRANSCRIPT_PATH
    path.write_bytes(b"\xef\xbb\xbf" + FR_A.replace("\n", "\r\n").encode("utf-8"))
    ws, _ = check_workspace(root)
    entry = next(e for e in ws.transcripts if e.rel == TRANSCRIPT_PATH)
    record_sent(entry, sent=dt.date(2024, 9, 1), reply_by=dt.date(2024, 9, 20), rel=TRANSCRIPT_PATH)
    expected = FR_A.replace(
        "# relu le 3 juillet\n", "# relu le 3 juillet\nreview:\n  sent: 2024-09-01\n  reply_by: 2024-09-20\n"
    )
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")
