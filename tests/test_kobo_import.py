"""KoboToolbox / ODK exports of submissions imported as transcripts: XLSX, CSV and JSON."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ess_coop.errors import UserError
from ess_coop.kobo_import import ExportResult, import_export
from ess_coop.validation import check_workspace
from ess_coop.xlsform import build_xlsform
from ess_coop.yamlio import read_yaml
from kobo_samples import HOSTILE, Record, submission, write_csv, write_json, write_xlsx
from samples import MakeWorkspace

EWE = "Míeƒe ɖoɖo: ɛ, ɔ, ŋ, ƒ, ʋ, ɣ — ɖekawɔwɔ le nyonuwo dome."

WRITERS: dict[str, Callable[[Path, list[Record]], Path]] = {
    "xlsx": write_xlsx,
    "json": write_json,
    "csv": write_csv,
}


def full(uuid: str = "5e1f2a3b-0001", actor: str = "tg-a", **changes: Any) -> Record:
    """A complete interview of ``actor``, every list used."""
    fields: dict[str, Any] = {
        "answers": {"mission": EWE, "loi-ess": "Une loi attendue.", "activites": "Formation,\r\nsensibilisation."},
        "people": [{"interviewee_role": "Directrice", "interviewee_name": "Akpene Ɖogbe"},
                   {"interviewee_role": "Animateur"}],
        "expectations": [{"expectation_text": "Apprendre le compostage.", "expectation_themes": "compost plastique",
                          "expectation_sdgs": "12 13", "expectation_priority": "high"}],
        "contributions": [{"contribution_text": "Former des animateurs ŋutɔ.", "contribution_themes": "gouvernance",
                           "contribution_sdgs": "4"}],
        "constraints": [{"constraint_text": "Peu de connexion en saison des pluies."}],
        "said": [{"quote_text": "Ɖekawɔwɔ nye ŋusẽ.", "quote_speaker": "P2", "quote_themes": "gouvernance"}],
    }  # fmt: skip
    return submission(uuid, actor, **(fields | changes))


def run(root: Path, kind: str, records: list[Record], name: str = "export") -> ExportResult:
    path = WRITERS[kind](root / f"{name}.{kind}", records)
    ws, _ = check_workspace(root)
    return import_export(ws, path, lang="fr")


def transcript(root: Path, rel: str) -> dict[str, Any]:
    data = read_yaml(root / rel).data
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_a_submission_becomes_a_complete_valid_transcript(make_workspace: MakeWorkspace, kind: str) -> None:
    root = make_workspace()
    result = run(root, kind, [full()])
    [done] = result.submissions
    assert done.outcome == "imported"
    assert done.report is not None and done.report.valid, done.report
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert data["status"] == "complete"
    assert data["guide"] == "guide-test@1"
    assert data["interviewers"] == ["STADD", "K. A."]
    assert data["answers"]["mission"] == EWE
    assert data["answers"]["activites"] == "Formation,\nsensibilisation."
    assert data["interviewees"] == [{"ref": "P1", "name": "Akpene Ɖogbe", "role": "Directrice"},
                                    {"ref": "P2", "role": "Animateur"}]  # fmt: skip
    assert data["consent"] == {"recording": "true", "quotes": "named", "review_before_publication": "true"}
    assert data["expectations"] == [
        {
            "text": "Apprendre le compostage.",
            "themes": ["compost", "plastique"],
            "sdgs": ["12", "13"],
            "priority": "high",
        }
    ]
    assert data["contributions"] == [{"text": "Former des animateurs ŋutɔ.", "themes": ["gouvernance"], "sdgs": ["4"]}]
    assert data["constraints"] == [{"text": "Peu de connexion en saison des pluies."}]
    assert data["quotes"] == [{"text": "Ɖekawɔwɔ nye ŋusẽ.", "speaker": "P2", "themes": ["gouvernance"]}]
    assert data["source"] == {"kobo_uuid": "5e1f2a3b-0001", "submitted": "2024-08-22T10:15:00"}


@pytest.mark.parametrize("kind", ["xlsx", "json", "csv"])
def test_importing_the_same_export_twice_creates_nothing_new(make_workspace: MakeWorkspace, kind: str) -> None:
    root = make_workspace()
    first = run(root, kind, [full(), full("5e1f2a3b-0002", "fr-b")])
    assert [s.outcome for s in first.submissions] == ["imported", "imported"]
    before = sorted(p.name for p in root.glob("interviews/*/*.yaml"))
    again = run(root, kind, [full(), full("5e1f2a3b-0002", "fr-b"), full("5e1f2a3b-0003", "fr-b")])
    assert [s.outcome for s in again.submissions] == ["already", "already", "imported"]
    assert again.submissions[0].transcript_path == first.submissions[0].transcript_path
    after = sorted(p.name for p in root.glob("interviews/*/*.yaml"))
    assert set(after) - set(before) == {"2024-08-21-fr-b-2.yaml"}


def test_an_export_in_another_format_of_the_same_submissions_is_recognised(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    run(root, "xlsx", [full()])
    assert [s.outcome for s in run(root, "json", [full()]).submissions] == ["already"]


@pytest.mark.parametrize("kind", ["xlsx", "json", "csv"])
def test_refused_consent_keeps_no_answer_no_name_and_no_quote(make_workspace: MakeWorkspace, kind: str) -> None:
    root = make_workspace()
    [done] = run(root, kind, [full(participation="no")]).submissions
    assert [f.code for f in done.findings] == ["kobo-consent-refused"]
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert data["status"] == "draft"
    assert data["consent"] == {"recording": "false", "quotes": "none", "review_before_publication": "true"}
    assert (data["answers"], data["interviewees"], data["quotes"], data["expectations"]) == ({}, [], [], [])
    text = (root / "interviews/tg-a/2024-08-21-tg-a.yaml").read_text("utf-8")
    assert "Akpene" not in text and "ŋusẽ" not in text and EWE not in text
    assert done.report is not None and done.report.valid


@pytest.mark.parametrize(("consent", "kept"), [("named", True), ("role", False), ("anonymous", False), ("none", False)])
def test_names_are_kept_only_with_consent_to_be_named(make_workspace: MakeWorkspace, consent: str, kept: bool) -> None:
    root = make_workspace()
    [done] = run(root, "xlsx", [full(quotes=consent)]).submissions
    text = (root / "interviews/tg-a/2024-08-21-tg-a.yaml").read_text("utf-8")
    assert ("Akpene Ɖogbe" in text) is kept
    assert ("kobo-name-dropped" in [f.code for f in done.findings]) is not kept
    assert ("Ɖekawɔwɔ nye ŋusẽ." in text) is (consent != "none")
    assert done.report is not None and done.report.valid, done.report.issues


def test_a_sensitive_actor_keeps_no_name(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    run(root, "json", [full(actor="tg-b")])
    assert "Akpene" not in (root / "interviews/tg-b/2024-08-21-tg-b.yaml").read_text("utf-8")


def test_what_cannot_be_read_is_located_in_the_export(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    bad = full(expectations=[{"expectation_text": "Composter.", "expectation_themes": "compst plastique",
                              "expectation_sdgs": "18"}])  # fmt: skip
    result = run(root, "xlsx", [bad, full("5e1f2a3b-0009", "tg-z")])
    first, second = result.submissions
    found = {f.code: f for f in first.findings}
    assert found["kobo-unknown-theme"].place == (
        "export.xlsx, feuille « expectations », ligne 2, colonne B « expectations/expectation_themes »"
    )
    assert (
        found["kobo-unknown-theme"].message
        == "thème « compst » absent du vocabulaire, non repris (vouliez-vous dire « compost » ?)"
    )
    assert found["kobo-unknown-sdg"].message == "ODD « 18 » inconnu (numéros 1 à 17), non repris"
    assert second.outcome == "failed"
    assert (
        second.findings[0].place
        == "export.xlsx, feuille « Guide test », ligne 3, colonne B « interview_info/actor_id »"
    )
    assert second.findings[0].message.startswith(
        "structure « tg-z » absente du registre (vouliez-vous dire « tg-b » ?)"
    )
    assert not (root / "interviews/tg-z").exists()


def test_json_findings_name_the_submission(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    [done] = run(root, "json", [full("abc-123", "xx")]).submissions
    assert done.findings[0].place == "export.json, soumission n° 1 (_uuid abc-123), champ « interview_info/actor_id »"


def test_missing_consent_takes_the_cautious_choice_and_leaves_a_draft(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    record = full()
    del record["consent_info/consent_quotes"]
    [done] = run(root, "json", [record]).submissions
    [missing] = [f for f in done.findings if f.code == "kobo-consent-missing"]
    assert missing.message.startswith("consentement non renseigné : « pas du tout » retenu")
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert (data["status"], data["consent"]["quotes"], data["quotes"]) == ("draft", "none", [])
    assert "Akpene" not in (root / "interviews/tg-a/2024-08-21-tg-a.yaml").read_text("utf-8")


def test_a_required_answer_missing_leaves_a_draft(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    [done] = run(root, "xlsx", [full(answers={"activites": "Oui."})]).submissions
    assert [f.message for f in done.findings] == [
        "1 question(s) obligatoire(s) sans réponse (mission) : transcription laissée en brouillon"
    ]
    assert transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")["status"] == "draft"


def test_csv_keeps_the_answers_and_says_the_lists_are_not_in_it(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    result = run(root, "csv", [full()])
    assert [f.code for f in result.findings] == ["kobo-csv-no-repeats"]
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert data["answers"]["mission"] == EWE
    assert data["expectations"] == []


def test_csv_with_commas_reads_the_same(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    path = write_csv(root / "export.csv", [full()], delimiter=",")
    ws, _ = check_workspace(root)
    [done] = import_export(ws, path, lang="fr").submissions
    assert done.outcome == "imported"
    assert transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")["answers"]["mission"] == EWE


def test_headers_without_groups_and_choices_as_columns(make_workspace: MakeWorkspace) -> None:
    """Kobo's options "include groups in headers" off, and select_multiple as one 0/1 column per
    choice (no column of their own)."""
    root = make_workspace()
    path = write_xlsx(root / "export.xlsx", [full()], groups=False)
    book = openpyxl.load_workbook(path)
    sheet = book["expectations"]
    header = [c.value for c in sheet[1]]
    column = header.index("expectation_themes") + 1
    sheet.cell(1, column).value = "expectations/expectation_themes/compost"
    sheet.cell(2, column).value = 1
    book.save(path)
    ws, _ = check_workspace(root)
    [done] = import_export(ws, path, lang="fr").submissions
    assert done.report is not None and done.report.valid
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert data["expectations"][0]["themes"] == ["compost"]
    assert data["interviewees"][0]["name"] == "Akpene Ɖogbe"


def test_odk_central_csv_headers_and_instance_ids(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path = root / "odk.csv"
    path.write_text(
        "SubmissionDate,interview_info-actor_id,interview_info-interview_date,consent_info-consent_participation,"
        "consent_info-consent_recording,consent_info-consent_quotes,consent_info-consent_review,section_structure-mission,"
        "meta-instanceID,KEY\n"
        f'2024-08-22T10:15:00.000Z,fr-a,2024-08-20,yes,no,anonymous,yes,"{EWE}",uuid:0d1e,uuid:0d1e\n',
        "utf-8",
    )
    ws, _ = check_workspace(root)
    [done] = import_export(ws, path, lang="fr").submissions
    assert (done.outcome, done.uuid) == ("imported", "0d1e")
    data = transcript(root, "interviews/fr-a/2024-08-20-fr-a.yaml")
    assert data["answers"]["mission"] == EWE
    assert data["source"]["kobo_uuid"] == "0d1e"


def form_paths(root: Path) -> dict[str, str]:
    """Each field of the workspace's shared XLSForm → its group path, as exports write it."""
    ws, _ = check_workspace(root)
    data = build_xlsform(ws, ws.actors, lang="fr")[0]
    rows = list(openpyxl.load_workbook(io.BytesIO(data))["survey"].iter_rows(values_only=True))
    path: list[str] = []
    where: dict[str, str] = {}
    for kind, name, *_ in rows[1:]:
        if kind in ("begin_group", "begin_repeat"):
            path.append(name)
        elif kind in ("end_group", "end_repeat"):
            path.pop()
        elif name:
            where[name] = "/".join([*path, name])
    return where


def test_exports_of_the_generated_form_are_read_by_its_own_names(make_workspace: MakeWorkspace) -> None:
    """Build the submission from the XLSForm itself: every field under its group path."""
    root = make_workspace()
    where = form_paths(root)
    values = {"actor_id": "tg-a", "interview_date": "2024-08-19", "consent_participation": "yes",
              "consent_recording": "yes", "consent_quotes": "role", "consent_review": "no", "mission": EWE,
              "loi-ess": "Oui.", "guide_ref": "guide-test@1", "interview_mode": "phone"}  # fmt: skip
    record: Record = {where[k]: v for k, v in values.items()}
    record["_uuid"] = "form-paths-1"
    record["expectations"] = [{where["expectation_text"]: "Un atelier.", where["expectation_themes"]: "financement"}]
    record["contributions"] = [{where["contribution_text"]: "Un accueil.", where["contribution_themes"]: "compost"}]
    [done] = run(root, "json", [record]).submissions
    assert done.report is not None and done.report.valid, done.report.issues
    saved = transcript(root, "interviews/tg-a/2024-08-19-tg-a.yaml")
    assert (saved["status"], saved["mode"], saved["consent"]["quotes"]) == ("complete", "phone", "role")
    assert saved["answers"] == {"mission": EWE, "activites": None, "loi-ess": "Oui."}
    assert saved["expectations"] == [{"text": "Un atelier.", "themes": ["financement"]}]


def test_an_existing_transcript_is_never_overwritten(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    other = root / "interviews/tg-a/2024-08-21-tg-a.yaml"
    other.parent.mkdir(parents=True)
    other.write_text("# écrit à la main\n", "utf-8")
    [done] = run(root, "xlsx", [full()]).submissions
    assert done.interview_id == "2024-08-21-tg-a-2"
    assert other.read_text("utf-8") == "# écrit à la main\n"


def test_an_xlsx_that_unpacks_to_too_much_is_refused(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    bomb = root / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (201 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    ws, _ = check_workspace(root)
    with pytest.raises(UserError) as caught:
        import_export(ws, bomb, lang="fr")
    assert (
        caught.value.render("fr")
        .replace(str(root) + "/", "")
        .startswith("bomb.xlsx: export trop volumineux (201 Mo une fois décompressé")
    )


@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.json", b"{nope", "x.json:1:2: export illisible (Expecting property name enclosed in double quotes)"),
    ("x.csv", b"a;b\n1;2\n", "x.csv: ce fichier ne contient pas de soumissions d'un formulaire ess-coop"),
    ("x.xlsx", b"not a zip", "x.xlsx: export illisible (File is not a zip file)"),
    ("x.csv", "a;b\nEwe;Ɖ\nFon;é".encode()[:-2] + "é".encode("latin-1"), "x.csv:3:5: le fichier n'est pas en UTF-8"),
])  # fmt: skip
def test_unreadable_exports_are_one_line(
    make_workspace: MakeWorkspace, name: str, content: bytes, message: str
) -> None:
    root = make_workspace()
    (root / name).write_bytes(content)
    ws, _ = check_workspace(root)
    with pytest.raises(UserError) as caught:
        import_export(ws, root / name, lang="fr")
    assert caught.value.render("fr").replace(str(root) + "/", "").startswith(message)


def test_labels_instead_of_values_are_understood(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    labels = {"expectation_themes": "Compostage, Déchets plastiques", "expectation_priority": "haute"}
    record = full(quotes="par sa fonction", expectations=[{"expectation_text": "T.", **labels}])
    record["consent_info/consent_recording"] = "Oui"
    record["interview_info/actor_id"] = "ONG togolaise A (TG A) — Togo"
    [done] = run(root, "json", [record]).submissions
    data = transcript(root, "interviews/tg-a/2024-08-21-tg-a.yaml")
    assert data["consent"]["quotes"] == "role" and data["consent"]["recording"] == "true"
    assert data["expectations"] == [{"text": "T.", "themes": ["compost", "plastique"], "priority": "high"}]
    assert done.findings == [f for f in done.findings if f.code == "kobo-name-dropped"]


def test_a_row_of_a_repeat_without_its_submission_is_reported(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path = write_xlsx(root / "export.xlsx", [full()])
    book = openpyxl.load_workbook(path)
    sheet = book["expectations"]
    row = [c.value for c in sheet[2]]
    header = [c.value for c in sheet[1]]
    row[header.index("_parent_index")] = 7
    row[header.index("_submission__uuid")] = "elsewhere"
    sheet.append(row)
    book.save(io.BytesIO())
    book.save(path)
    ws, _ = check_workspace(root)
    result = import_export(ws, path, lang="fr")
    assert [f.code for f in result.findings] == ["kobo-orphan-row"]
    assert result.findings[0].place.startswith("export.xlsx, feuille « expectations », ligne 3")


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_questions_renamed_in_the_form_come_back_under_their_ids(make_workspace: MakeWorkspace, kind: str) -> None:
    root = make_workspace(HOSTILE)
    where = form_paths(root)
    values = {"actor_id": "ong-d", "interview_date": "2024-08-19", "consent_participation": "yes",
              "consent_recording": "no", "consent_quotes": "anonymous", "consent_review": "yes", "mission": "M.",
              "q_1-premiere": EWE, "q_quotes": "Q.", "q_expectations": "E."}  # fmt: skip
    record: Record = {where[k]: v for k, v in values.items()} | {"_uuid": "h-1", "_index": 1}
    record["expectations"] = [{where["expectation_text"]: "Eau.", where["expectation_themes"]: "eau-potable"}]
    [done] = run(root, kind, [record]).submissions
    assert done.report is not None and done.report.valid, done.report.issues
    saved = transcript(root, "interviews/ong-d/2024-08-19-ong-d.yaml")
    assert {k: saved["answers"][k] for k in ("1-premiere", "quotes", "expectations")} == {
        "1-premiere": EWE, "quotes": "Q.", "expectations": "E."
    }  # fmt: skip
    assert saved["expectations"] == [{"text": "Eau.", "themes": ["eau-potable"]}]
    assert saved["status"] == "complete"


def test_odk_central_zip_joins_the_repeat_files_by_parent_key(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    main = (
        "SubmissionDate,interview_info-actor_id,interview_info-interview_date,consent_info-consent_participation,"
        "consent_info-consent_recording,consent_info-consent_quotes,consent_info-consent_review,"
        "section_structure-mission,meta-instanceID,KEY,SubmitterName\n"
        f'2024-08-22T10:15:00.000Z,tg-a,2024-08-20,yes,yes,named,yes,"{EWE}",uuid:c3,uuid:c3,stadd\n'
    )
    people = (
        "interviewee_ref,interviewee_role,interviewee_name,PARENT_KEY,KEY\n"
        "P1,Directrice,Akpene Ɖogbe,uuid:c3,uuid:c3/interviewees[1]\n"
    )
    wants = (
        "expectation_text,expectation_themes,expectation_sdgs,expectation_priority,PARENT_KEY,KEY\n"
        "Apprendre ɖe.,compost,12,low,uuid:c3,uuid:c3/expectations[1]\n"
        "Orpheline.,compost,,,uuid:zz,uuid:zz/expectations[1]\n"
    )
    path = root / "guide-test.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("guide-test.csv", main)
        archive.writestr("guide-test-interviewees.csv", people)
        archive.writestr("guide-test-expectations.csv", wants)
    ws, _ = check_workspace(root)
    result = import_export(ws, path, lang="fr")
    [done] = result.submissions
    assert (done.outcome, done.uuid) == ("imported", "c3")
    assert [f.code for f in result.findings] == ["kobo-orphan-row"]
    data = transcript(root, "interviews/tg-a/2024-08-20-tg-a.yaml")
    assert data["interviewees"] == [{"ref": "P1", "name": "Akpene Ɖogbe", "role": "Directrice"}]
    assert data["expectations"] == [{"text": "Apprendre ɖe.", "themes": ["compost"], "sdgs": ["12"], "priority": "low"}]
    assert [s.outcome for s in import_export(ws, path, lang="fr").submissions] == ["already"]


def test_a_row_of_hxl_tags_under_the_header_is_not_a_submission(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    path = write_csv(root / "export.csv", [full()])
    lines = path.read_text("utf-8-sig").split("\r\n")
    tags = ";".join('"#tag"' if i % 3 == 0 else '""' for i in range(lines[0].count(";") + 1))
    path.write_text("\r\n".join([lines[0], tags, *lines[1:]]), "utf-8-sig")
    ws, _ = check_workspace(root)
    assert [s.outcome for s in import_export(ws, path, lang="fr").submissions] == ["imported"]


def test_a_pipe_or_a_link_to_a_device_among_the_transcripts_is_skipped_not_waited_on(
    make_workspace: MakeWorkspace,
) -> None:
    """The import looks for uuids already imported in every transcript's text: it reads them as
    validate does (it used to wait forever on a pipe, and fill the memory from /dev/zero)."""
    import os
    import subprocess
    import sys

    root = make_workspace()
    folder = root / "interviews" / "tg-a"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    write_xlsx(root / "export.xlsx", [full()])
    done = subprocess.run(
        [sys.executable, "-m", "ess_coop", "import", str(root / "export.xlsx"), "-w", str(root)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "ESS_COOP_NO_CACHE": "1"},
    )  # fmt: skip
    assert "erreur inattendue" not in done.stdout + done.stderr
    assert (folder / "2024-08-21-tg-a.yaml").exists(), done.stdout + done.stderr
