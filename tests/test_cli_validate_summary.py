"""``ess-coop validate``: what a person reads when there are many findings, or one file asked for."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ess_coop.cli import app
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

runner = CliRunner()


def run(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", "--workspace", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def unnamed(n: int) -> dict[str, str | bytes | None]:
    """``n`` transcripts of fr-a, each naming P1 without ``named`` consent: one warning each."""
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None}
    for day in range(1, n + 1):
        interview = f"2024-07-{day:02d}-fr-a"
        text = TRANSCRIPT.replace("2024-07-03", f"2024-07-{day:02d}").replace("quotes: named", "quotes: role")
        files[f"interviews/fr-a/{interview}.yaml"] = text
    return files


def test_a_finding_repeated_in_many_files_is_printed_for_the_first_ones(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(unnamed(14))
    code, out = run(root, "--lang", "en")
    assert code == 0
    assert out.count("warning names-without-consent") == 3
    assert "… names-without-consent: and 11 more file(s) — --verbose lists them" in out
    assert "No error: 18 file(s) checked, 14 of them interview(s), 14 warning(s)." in out


def test_verbose_prints_every_finding_and_every_file(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(unnamed(14))
    code, out = run(root, "--lang", "en", "--verbose")
    assert code == 0
    assert out.count("warning names-without-consent") == 14
    assert "more file(s)" not in out
    assert out.count("2024-07-") == 28  # once a finding, once a table row


def test_ten_files_are_all_printed(make_workspace: MakeWorkspace) -> None:
    code, out = run(make_workspace(unnamed(10)), "--lang", "en")
    assert code == 0
    assert out.count("warning names-without-consent") == 10 and "more file(s)" not in out


def test_the_table_is_cut_short_with_the_worst_files_first(make_workspace: MakeWorkspace) -> None:
    files = unnamed(25)
    files["interviews/fr-a/2024-07-25-fr-a.yaml"] = str(files["interviews/fr-a/2024-07-25-fr-a.yaml"]).replace(
        "status: complete", "status: fini"
    )
    code, out = run(make_workspace(files), "--lang", "en")
    assert code == 1
    assert "│ interviews/fr-a/2024-07-25-fr-a.yaml │      1 │        1 │" in out  # the error, though the last
    assert "… and 5 more file(s) with findings — --verbose lists them" in out


def test_validate_one_file_counts_that_file_only(make_workspace: MakeWorkspace) -> None:
    files = unnamed(3)
    root = make_workspace(files)
    code, out = run(root, "--lang", "en", str(root / "interviews/fr-a/2024-07-02-fr-a.yaml"))
    assert code == 0
    assert out.count("names-without-consent") == 1
    assert "No error: 1 file(s) checked, 1 of them interview(s), 1 warning(s)." in out


def test_validate_a_folder_counts_its_files(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(unnamed(3))
    code, out = run(root, "--lang", "en", str(root / "interviews"))
    assert "No error: 3 file(s) checked, 3 of them interview(s), 3 warning(s)." in out
    code, out = run(root, "--lang", "en", str(root))
    assert code == 0
    assert "No error: 7 file(s) checked, 3 of them interview(s), 3 warning(s)." in out


def test_information_notes_are_counted_after_the_totals(make_workspace: MakeWorkspace) -> None:
    themes = "themes:\n  - id: compost\n    label: {fr: Compostage, en: Composting}\n    keywords: [biodéchets]\n"
    themes += "  - id: financement\n    label: {fr: Financement, en: Funding}\n  - id: gouvernance\n"
    themes += "    label: {fr: Gouvernance, en: Governance}\n"
    text = TRANSCRIPT.replace("Financement participatif.", "Financement des biodéchets.")
    root = make_workspace({"templates/themes.yaml": themes, TRANSCRIPT_PATH: text})
    code, out = run(root)
    assert code == 0
    assert "information theme-suggested" in out
    assert out.rstrip().endswith("Et 1 information(s), qui ne bloquent jamais.")
    code, out = run(root, "--lang", "en")
    assert out.rstrip().endswith("And 1 information note(s), which never block anything.")
    root = make_workspace({})
    assert "information" not in run(root, "--lang", "en")[1]
