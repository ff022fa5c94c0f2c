"""Submissions as KoboToolbox exports them: the API's JSON, the "XLS" export and the CSV.

A submission is written once, the way Kobo's API returns it (keys are group paths, a repeat
group is a list of objects whose keys are paths too); the helpers lay it out as each export does.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl

from samples import ACTORS, GUIDE, THEMES

Record = dict[str, Any]

META = ("_id", "_uuid", "_submission_time", "_validation_status", "_status", "__version__")


def submission(
    uuid: str,
    actor: str,
    *,
    date: str = "2024-08-21",
    participation: str = "yes",
    recording: str = "yes",
    quotes: str = "named",
    review: str = "yes",
    answers: dict[str, str] | None = None,
    people: list[dict[str, str]] | None = None,
    expectations: list[dict[str, str]] | None = None,
    contributions: list[dict[str, str]] | None = None,
    constraints: list[dict[str, str]] | None = None,
    said: list[dict[str, str]] | None = None,
    sections: dict[str, str] | None = None,
) -> Record:
    """One submission as Kobo's API returns it. ``sections`` maps a question id to its section."""
    record: Record = {
        "_id": abs(hash(uuid)) % 100000,
        "start": "2024-08-21T09:02:11.000+00:00",
        "interview_info/actor_id": actor,
        "interview_info/interview_date": date,
        "interview_info/interview_mode": "in-person",
        "interview_info/interview_language": "fr",
        "interview_info/interviewer_names": "STADD, K. A.",
        "guide_ref": "guide-test@1",
        "consent_info/consent_participation": participation,
        "meta/instanceID": f"uuid:{uuid}",
        "_uuid": uuid,
        "_submission_time": "2024-08-22T10:15:00",
        "_validation_status": {},
        "_status": "submitted_via_web",
        "__version__": "vX",
    }
    if participation == "yes":
        record |= {
            "consent_info/consent_recording": recording,
            "consent_info/consent_quotes": quotes,
            "consent_info/consent_review": review,
        }
    for question, text in (answers or {}).items():
        record[f"section_{(sections or {}).get(question, 'structure')}/{question}"] = text

    def repeat(name: str, entries: list[dict[str, str]] | None) -> None:
        if entries:
            record[name] = [{f"{name}/{key}": value for key, value in entry.items()} for entry in entries]

    repeat("interviewees", [{"interviewee_ref": f"P{i}", **p} for i, p in enumerate(people or [], start=1)])
    repeat("expectations", expectations)
    repeat("contributions", contributions)
    repeat("constraints", constraints)
    repeat("quotes", said)
    return record


def write_json(path: Path, records: list[Record]) -> Path:
    path.write_text(json.dumps({"count": len(records), "next": None, "results": records}, ensure_ascii=False), "utf-8")
    return path


def _flat(
    records: list[Record], *, groups: bool
) -> tuple[list[str], list[list[Any]], dict[str, list[list[Any]]], dict[str, list[str]]]:
    """Main rows and repeat rows as Kobo's XLS export lays them out."""

    def header(key: str) -> str:
        return key if groups else key.rsplit("/", 1)[-1]

    columns: list[str] = []
    repeat_columns: dict[str, list[str]] = {}
    for record in records:
        for key, value in record.items():
            if isinstance(value, list):
                for entry in value:
                    for inner in entry:
                        cols = repeat_columns.setdefault(key, [])
                        if header(inner) not in cols:
                            cols.append(header(inner))
            elif key not in META and header(key) not in columns:
                columns.append(header(key))
    main_header = [*columns, *META, "_index"]
    rows: list[list[Any]] = []
    repeat_rows: dict[str, list[list[Any]]] = {}
    for index, record in enumerate(records, start=1):
        flat = {header(k): v for k, v in record.items() if not isinstance(v, list)}
        rows.append(
            [flat.get(c, "") if not isinstance(flat.get(c), dict) else "" for c in columns]
            + [flat.get(m, "") if not isinstance(flat.get(m), dict) else "" for m in META]
            + [index]
        )
        for key, value in record.items():
            if isinstance(value, list):
                for entry in value:
                    flat_entry = {header(k): v for k, v in entry.items()}
                    own = repeat_rows.setdefault(key, [])
                    own.append(
                        [flat_entry.get(c, "") for c in repeat_columns[key]]
                        + [
                            len(own) + 1,
                            "guide-test",
                            index,
                            record.get("_id", index),
                            record.get("_uuid", ""),
                            record.get("_submission_time", ""),
                        ]
                    )
    tail = [
        "_index",
        "_parent_table_name",
        "_parent_index",
        "_submission__id",
        "_submission__uuid",
        "_submission__submission_time",
    ]
    return main_header, rows, repeat_rows, {k: [*v, *tail] for k, v in repeat_columns.items()}


def write_xlsx(path: Path, records: list[Record], *, groups: bool = True, title: str = "Guide test") -> Path:
    """Kobo's "XLS" export: the main sheet (named after the form), then one sheet per repeat."""
    main_header, rows, repeat_rows, repeat_headers = _flat(records, groups=groups)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(main_header)
    for row in rows:
        sheet.append(row)
    for name, entries in repeat_rows.items():
        other = book.create_sheet(name[:31])
        other.append(repeat_headers[name])
        for row in entries:
            other.append(row)
    book.save(path)
    return path


def write_csv(path: Path, records: list[Record], *, delimiter: str = ";") -> Path:
    """Kobo's CSV export: the main table only, every value quoted, ``;`` by default."""
    main_header, rows, _, _ = _flat(records, groups=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(main_header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8-sig")
    return path


# A guide, vocabulary and registry that try every name and text XLSForm could trip on.
HOSTILE = {
    "templates/guide.yaml": GUIDE
    + """\
  - id: 2-section
    title: {fr: "Deuxième & <dernière> section — l'ESS", en: "Second: \\"quotes\\""}
    questions:
      - id: 1-premiere
        text: {fr: "=SOMME(A1) + 100 % ? ${pas une référence}", en: "Tabs\\there & <tags>"}
        required: true
        when: {country: [TG, FR], type: [ngo, network, local-authority]}
      - id: quotes
        text: {fr: Nommée comme un groupe, en: Named like a group}
      - id: expectations
        text: {fr: Seulement en français}
""",
    "templates/themes.yaml": THEMES + "  - id: eau-potable\n    label: {fr: Eau potable — accès}\n",
    "actors.yaml": ACTORS + "  - id: ong-d\n    name: \"L'ONG d'Ɛwe ŋ & <Co> ${x}\"\n    country: TG\n    type: ngo\n",
}
