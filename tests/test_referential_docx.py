"""The référentiel's Word draft: outline, traceability, consent, sample marking, reproducibility.

Most tests read back the document built from the bundled workspace (the repository root).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ess_coop import docx_base
from ess_coop.errors import UserError
from ess_coop.profile_sheet import build_profile
from ess_coop.referential_docx import build_referential
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace
from samples import MakeWorkspace, plain, soffice_pdf

BUNDLED = Path(__file__).parents[1]
TODAY = dt.date(2026, 11, 28)


def _build(
    root: Path, *, lang: str = "fr", anonymize: bool = False, include_drafts: bool = False
) -> tuple[Workspace, bytes]:
    ws, _ = check_workspace(root)
    synthesis = synthesise(ws, lang=lang, anonymize=anonymize, include_drafts=include_drafts)
    return ws, build_referential(ws, synthesis, lang=lang, template=None, anonymize=anonymize, today=TODAY)


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _paragraph_texts(element: Any) -> list[str]:
    """Every paragraph under ``element`` (tables included), runs joined."""
    return [plain("".join(t.text or "" for t in p.iter(qn("w:t")))) for p in element.iter(qn("w:p"))]


def _everything(document: Document) -> str:
    """Body, headers and footers: all the text a reader could see."""
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join(text for part in parts for text in _paragraph_texts(part))


def _styled(document: Document, style: str) -> list[str]:
    return [plain(p.text) for p in document.paragraphs if p.style is not None and p.style.name == style]


def _under_headings(document: Document, level: int) -> dict[str, list[Paragraph | Table]]:
    """The blocks that follow each heading of ``level``, up to the next heading of that level or above."""
    found: dict[str, list[Paragraph | Table]] = {}
    current: list[Paragraph | Table] | None = None
    for block in document.iter_inner_content():
        name = block.style.name if isinstance(block, Paragraph) and block.style is not None else ""
        if name.startswith("Heading ") and int(name.split()[1]) <= level:
            current = found.setdefault(block.text, []) if name == f"Heading {level}" else None
        elif current is not None:
            current.append(block)
    return found


def _rows(blocks: list[Paragraph | Table]) -> list[list[str]]:
    return [[plain(c.text) for c in row.cells] for b in blocks if isinstance(b, Table) for row in b.rows]


@pytest.fixture(scope="module")
def bundled() -> tuple[Workspace, bytes]:
    return _build(BUNDLED)


def test_outline_headings_toc_images_tables(bundled: tuple[Workspace, bytes]) -> None:
    document = _open(bundled[1])
    assert _styled(document, "Heading 1") == [
        "1. Présentation du projet",
        "2. Les acteurs",
        "3. Attentes et apports par thème",
        "4. Enjeux communs, pistes de coopération et équilibre",
        "5. Objectifs de développement durable (ODD)",
        "6. Paroles d'acteurs",
        "Annexes",
    ]
    annexes = ["A. Méthode", "B. Partenaires sans fiche", "C. Guide d'entretien"]
    assert [h for h in _styled(document, "Heading 2") if h[:2] in ("A.", "B.", "C.", "D.", "E.")][:3] == annexes
    assert _styled(document, "Heading 3")[:3] == ["Département 35", "CRESS Bretagne", "TAg35"]  # registry order
    assert "Sommaire" in _styled(document, "Title")  # a contents title that does not list itself
    assert "TOC" in " ".join(t.text for t in document.element.body.iter(qn("w:instrText")))
    assert len(document.inline_shapes) >= 2
    assert {table.style.name for table in document.tables} == {docx_base.TABLE_STYLE}
    assert document.core_properties.author == "ess-coop"
    assert document.core_properties.title == "Référentiel commun"
    assert document.core_properties.created == dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


def test_leads_are_listed_under_their_direction(bundled: tuple[Workspace, bytes]) -> None:
    directions = _under_headings(_open(bundled[1]), 3)
    france_helps = next(
        rows for title, rows in directions.items() if title.startswith("La France peut appuyer le Togo")
    )
    togo_helps = next(rows for title, rows in directions.items() if title.startswith("Le Togo peut appuyer la France"))
    assert _rows(france_helps)[0] == ["Ce qui est attendu (Togo)", "Ce qui est offert (France)", "Force"]
    expected = [row[0] for row in _rows(france_helps) if row[0].startswith("STADD\n")]
    assert any("Être accompagnés sur des méthodes d'incubation" in cell for cell in expected)
    assert not any(row[0].startswith("STADD\n") for row in _rows(togo_helps)[1:])  # STADD expects from France only
    offered = [row[1] for row in _rows(togo_helps) if row[1].startswith("STADD\n")]
    assert any("Savoir-faire dans la collecte et le recyclage du plastique" in cell for cell in offered)


def test_every_reference_is_listed_in_the_method_annex(bundled: tuple[Workspace, bytes]) -> None:
    document = _open(bundled[1])
    annex = _rows([next(b for b in _under_headings(document, 2)["A. Méthode"] if isinstance(b, Table))])
    assert annex[0] == ["Réf.", "Date", "Structure", "Mode", "Enquêteurs", "Statut"]
    listed = {row[0] for row in annex[1:]}
    assert listed == {f"E0{n}" for n in range(1, 7)}
    assert ["E05", "23 juillet 2024", "Miawodo", "en présentiel", "STADD, M. K.", "complet"] in annex
    used = set(re.findall(r"\[(E\d+)\]", _everything(document)))
    assert used == listed
    sheets = _under_headings(document, 4)  # the parts of every profile sheet, merged by title
    for part, count in (
        ("Attentes — ce que la structure attend du projet", 15),
        ("Apports — ce que la structure peut offrir", 17),
    ):
        bullets = [b.text for b in sheets[part] if isinstance(b, Paragraph) and b.style.name == "List Bullet"]
        assert len(bullets) == count and all(re.search(r" \[E0[1-6]\]$", text) for text in bullets)
    left_out = "ENPRO, entretien du 8 août 2024 : en cours, pas encore complété"
    assert any(left_out in text for text in _paragraph_texts(document.element.body))


def test_names_and_notes_follow_consent(bundled: tuple[Workspace, bytes], tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    for name in ("ess-coop.yaml", "actors.yaml", "templates", "interviews"):
        copy = shutil.copytree if (BUNDLED / name).is_dir() else shutil.copy
        copy(BUNDLED / name, root / name)
    for rel, role in [
        ("interviews/tag35/2024-07-02-tag35.yaml", "Chargée d'accompagnement"),  # consent: role
        ("interviews/smpdd/2024-07-30-smpdd.yaml", "Responsable de programme"),  # anonymous
    ]:
        path = root / rel
        text = path.read_text("utf-8")
        path.write_text(text.replace(f"    role: {role}", f"    name: Nom Secret\n    role: {role}", 1), "utf-8")
    ws, data = _build(root)
    used = [p.name for e in ws.transcripts if e.usable and e.transcript for p in e.transcript.interviewees]
    assert used.count("Nom Secret") == 2  # still usable: a name without consent is only a warning
    text = _everything(_open(data))
    assert "Maëlle Le Dréau" in text  # named consent
    assert "Nom Secret" not in text
    notes = [e.transcript.notes for e in ws.transcripts if e.transcript and e.transcript.notes]
    assert len(notes) == 7
    assert not any(note[:40] in text or note[-40:] in text for note in notes)


def test_anonymous_quotes_only_in_voices_without_reference(bundled: tuple[Workspace, bytes]) -> None:
    document = _open(bundled[1])
    anonymous = "La réinsertion ne commence pas à la sortie"  # SMPDD: sensitive, so at most anonymous
    profiles = _under_headings(document, 3)
    assert not any(anonymous in b.text for b in profiles["SMPDD"] if isinstance(b, Paragraph))
    voices = [b for b in _under_headings(document, 1)["6. Paroles d'acteurs"] if isinstance(b, Paragraph)]
    index = next(i for i, b in enumerate(voices) if anonymous in b.text)
    assert voices[index].style.name == "Quote"
    # The only Togolese association with its themes besides Miawodo: "a partner", no [E06] (annex A
    # would name the actor), under its own heading, apart from the attributed quotes.
    assert voices[index + 1].text == "— un partenaire"
    heading = next(i for i, b in enumerate(voices) if b.text == "Paroles anonymes")
    assert voices[heading].style.name == "Heading 2" and heading < index
    assert not any("[E0" in b.text for b in voices[heading:])  # nothing next to it carries a reference
    named = next(i for i, b in enumerate(voices) if "sachet plastique" in b.text)
    assert voices[named + 1].text == "— Kɔffi Amɛgavi, Responsable de la filière recyclage, STADD [E04]"


def test_anonymize_prints_no_interviewee_name(bundled: tuple[Workspace, bytes]) -> None:
    ws, data = _build(BUNDLED, anonymize=True)
    text = _everything(_open(data))
    names = {p.name for e in ws.transcripts if e.transcript for p in e.transcript.interviewees if p.name}
    assert names >= {"Maëlle Le Dréau", "Abla Dzɔ"}
    assert not any(name in text for name in names)
    assert "Chargée de mission coopération" in text  # the role stands in for the name


FOOTER = "Référentiel test — version 0.1 — page 1 / 1"  # title, version, page x / y


def test_sample_banner_and_running_header(bundled: tuple[Workspace, bytes], make_workspace: MakeWorkspace) -> None:
    sample = _open(bundled[1])
    headers = [p.text for s in sample.sections for p in s.header.paragraphs]
    assert headers == ["DONNÉES D'EXEMPLE — entretiens inventés, ne pas diffuser"]
    assert any(p.text.startswith("DONNÉES D'EXEMPLE — Les entretiens") for p in sample.paragraphs[:12])
    _, data = _build(make_workspace())  # sample: false
    real = _open(data)
    assert "EXEMPLE" not in _everything(real)
    assert [p.text for s in real.sections for p in s.footer.paragraphs] == [FOOTER]  # fields, not updated


def test_small_workspace_warns_about_balance_and_empty_parts(make_workspace: MakeWorkspace) -> None:
    _, data = _build(make_workspace())  # only the French coordinator is interviewed
    document = _open(data)
    paragraphs = [plain(p.text) for p in document.paragraphs]
    assert any(p.startswith("Attention, pays sous-représenté : Togo.") for p in paragraphs)
    assert "Aucune structure de ce pays n'a encore été interrogée." in paragraphs
    assert "Aucune piste dans ce sens pour l'instant." in paragraphs
    assert "Apprendre le compostage. — Compostage · priorité haute [E01]" in paragraphs
    assert "— Jeanne Exemple, Chargée de mission, FR A [E01]" in paragraphs


def test_drafts_when_included_are_marked() -> None:
    _, data = _build(BUNDLED, include_drafts=True)
    document = _open(data)
    annex = _rows([next(b for b in _under_headings(document, 2)["A. Méthode"] if isinstance(b, Table))])
    assert ["E07", "8 août 2024", "ENPRO", "en présentiel", "M. K.", "BROUILLON"] in annex
    enpro = _under_headings(document, 3)["ENPRO"]
    assert plain(enpro[0].text).startswith("Fiche provisoire : l'entretien E07 est encore en brouillon")
    assert "ENPRO" not in [row[0] for row in _rows(_under_headings(document, 2)["B. Partenaires sans fiche"])]


def test_english_build(make_workspace: MakeWorkspace) -> None:
    _, data = _build(make_workspace(), lang="en")
    document = _open(data)
    assert _styled(document, "Heading 1") == [
        "1. The project",
        "2. The partners",
        "3. Expectations and contributions by theme",
        "4. Shared issues, avenues for cooperation and balance",
        "5. Sustainable Development Goals (SDGs)",
        "6. In the partners' own words",
        "Appendices",
    ]
    assert "Contents" in _styled(document, "Title")
    assert "Working draft for the steering committee" in _everything(document)
    assert document.core_properties.language == "en-GB"


def test_same_inputs_give_the_same_bytes(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    assert _build(root)[1] == _build(root)[1]


def test_profile_is_reusable_in_its_own_document(bundled: tuple[Workspace, bytes]) -> None:
    ws = bundled[0]
    synthesis = synthesise(ws)
    document = build_profile(ws, synthesis, "stadd", lang="fr", anonymize=False, level=1)
    assert _styled(document, "Heading 1") == ["STADD"]
    assert "Attentes — ce que la structure attend du projet" in _styled(document, "Heading 2")
    assert document.tables[0].rows[0].cells[1].text == "Science et Technologie Africaines pour un Développement Durable"
    assert "Abla Dzɔ, Coordinatrice de programmes" in _styled(document, "List Bullet")
    with pytest.raises(UserError):
        build_profile(ws, synthesis, "inconnu", lang="fr", anonymize=False, document=document)


def test_document_converts_to_pdf(bundled: tuple[Workspace, bytes], tmp_path: Path) -> None:
    path = tmp_path / "referentiel.docx"
    path.write_bytes(bundled[1])
    soffice_pdf(path, tmp_path)
