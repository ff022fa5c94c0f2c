"""A shared folder that misbehaves as real ones do: conflict copies, temporaries, old versions, macOS names."""

from __future__ import annotations

import unicodedata

import pytest

from ess_coop.files import conflict_original, is_ignored_dir, is_ignored_file, windows_safe
from ess_coop.validation import check_workspace
from samples import TRANSCRIPT, TRANSCRIPT_PATH, MakeWorkspace

ORIGINAL = "2024-07-03-fr-a.yaml"
CONFLICTS = {
    "dropbox": "2024-07-03-fr-a (Abla's conflicted copy 2024-07-05).yaml",
    "dropbox-fr": "2024-07-03-fr-a (copie en conflit de Abla 2024-07-05).yaml",
    "nextcloud": "2024-07-03-fr-a (conflicted copy 2024-07-05 101010).yaml",
    "owncloud": "2024-07-03-fr-a_conflict-20240705-101010.yaml",
    "syncthing": "2024-07-03-fr-a.sync-conflict-20240705-101010-ABCDEFG.yaml",
    "onedrive": "2024-07-03-fr-a-DESKTOP-ABC123.yaml",
    "google-drive": "2024-07-03-fr-a (1).yaml",
}


@pytest.mark.parametrize("client", sorted(CONFLICTS))
def test_conflict_copy_is_recognised(client: str) -> None:
    found = conflict_original(CONFLICTS[client], {ORIGINAL, CONFLICTS[client]})
    assert found is not None and found[0] == ORIGINAL


@pytest.mark.parametrize("name", [ORIGINAL, "2024-07-03-fr-a-2.yaml", "2024-07-03-tag35.yaml", "2024-07-03-FR-A.yaml"])
def test_ordinary_names_are_not_conflicts(name: str) -> None:
    assert conflict_original(name, {ORIGINAL, name}) is None


@pytest.mark.parametrize("client", sorted(CONFLICTS))
def test_conflict_copy_is_a_warning_and_never_a_second_interview(make_workspace: MakeWorkspace, client: str) -> None:
    copy = TRANSCRIPT.replace("status: complete", "status: validated").replace("Accompagner", "Soutenir")
    root = make_workspace({f"interviews/fr-a/{CONFLICTS[client]}": copy})
    ws, report = check_workspace(root)
    assert len(ws.transcripts) == 1 and report.valid
    [issue] = report.issues
    assert issue.code == "conflict-copy" and issue.path == f"interviews/fr-a/{CONFLICTS[client]}"
    assert "interviews/fr-a/2024-07-03-fr-a.yaml" in issue.message
    assert "valeurs différentes pour : status, answers.mission" in issue.message
    assert (issue.line, issue.column) == (5, 1)


@pytest.mark.parametrize(
    "name",
    [
        "~$rentiel.docx",
        ".~lock.2024-07-03-fr-a.yaml#",
        ".syncthing.2024-07-03-fr-a.yaml.tmp",
        "~syncthing~2024-07-03-fr-a.yaml.tmp",
        "2024-07-03-fr-a.yaml.part",
        "2024-07-03-fr-a.yaml~",
        ".DS_Store",
        "._2024-07-03-fr-a.yaml",
        "desktop.ini",
        "Thumbs.db",
        "~2024-07-03-fr-a.yaml.ess-coop.tmp",
    ],
)
def test_temporary_and_lock_files_are_ignored(make_workspace: MakeWorkspace, name: str) -> None:
    assert is_ignored_file(name)
    root = make_workspace({f"interviews/fr-a/{name}": "garbage: [\n"})
    ws, report = check_workspace(root)
    assert report.issues == [] and len(ws.transcripts) == 1


@pytest.mark.parametrize("folder", [".stversions", ".dropbox.cache", ".Trash-1000", "$RECYCLE.BIN"])
def test_old_versions_are_never_read(make_workspace: MakeWorkspace, folder: str) -> None:
    assert is_ignored_dir(folder)
    old = TRANSCRIPT.replace("status: complete", "status: draft")
    root = make_workspace(
        {
            f"interviews/{folder}/fr-a/2024-07-03-fr-a.yaml": old,
            f"interviews/fr-a/{folder}/2024-07-03-fr-a~20240701.yaml": old,
        }
    )
    ws, report = check_workspace(root)
    assert report.issues == [] and [t.rel for t in ws.transcripts] == [TRANSCRIPT_PATH]


def test_macos_nfd_folder_name_is_found(make_workspace: MakeWorkspace) -> None:
    # Actor ids are ASCII, so NFD cannot change them; a display-name folder in NFD is compared after NFC.
    nfd = unicodedata.normalize("NFD", "fr-a")
    root = make_workspace({TRANSCRIPT_PATH: None, f"interviews/{nfd}/2024-07-03-fr-a.yaml": TRANSCRIPT})
    ws, report = check_workspace(root)
    assert report.valid and len(ws.transcripts) == 1


def test_case_clash_is_reported_once(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"interviews/fr-a/2024-07-03-FR-A.yaml": TRANSCRIPT})
    ws, report = check_workspace(root)
    clashes = [i for i in report.issues if i.code == "name-clash"]
    assert len(clashes) == 1 and len(ws.transcripts) == 1


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("referentiel.docx", True),
        ("CON.docx", False),
        ("a:b.docx", False),
        ("nul", False),
        ("fin.", False),
        ("Référentiel v2.docx", True),
    ],
)
def test_windows_safe_names(name: str, safe: bool) -> None:
    assert windows_safe(name) is safe
