"""The finished editions, read back from the PDF LibreOffice makes of them (``--pdf``): a filled
contents page with page numbers, every character printed, the footer, no tool language, and an
English edition with nothing left in French.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from ess_coop.pdf import to_pdf
from ess_coop.referential_docx import build_referential
from ess_coop.synthesis import synthesise
from ess_coop.validation import check_workspace
from samples import plain

BUNDLED = Path(__file__).parents[1]
TODAY = dt.date(2026, 11, 28)
# What a committee document must never print: file paths and names, commands, options, file keys,
# guide references (id@version).
TOOL_LANGUAGE = (
    r"\.ya?ml\b",
    r"\binterviews/",
    r"\btemplates/",
    r"ess-coop\s",
    r"(?<![\w-])--[a-z]",
    r"\bconsent\.",
    r"\b[a-z-]+@\d+\b",
    r"\bhigh, medium ou\b",  # the file's values in a French sentence
)


def _pdf_pages(root: Path, tmp: Path, lang: str) -> list[str]:
    ws, _ = check_workspace(root)
    data = build_referential(ws, synthesise(ws, lang=lang), lang=lang, template=None, anonymize=False, today=TODAY)
    source = tmp / f"draft-{lang}.docx"
    source.write_bytes(data)
    pdf = tmp / f"draft-{lang}.pdf"
    pdf.write_bytes(to_pdf(source))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _pdf_pages(BUNDLED, tmp_path_factory.mktemp("fr"), "fr")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _pdf_pages(BUNDLED, tmp_path_factory.mktemp("en"), "en")


def _toc(pages: list[str], title: str) -> list[tuple[str, int]]:
    """The contents page's entries: (text, page number)."""
    page = next(p for p in pages if re.search(rf"^\s*{title}\s*$", p, re.M))
    return [(m[1].strip(), int(m[2])) for m in re.finditer(r"^\s*(\S.*?)\.{3,}\s*(\d+)\s*$", page, re.M)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_contents_filled_with_the_page_of_every_heading(lang: str, french: list[str], english: list[str]) -> None:
    pages = french if lang == "fr" else english
    entries = _toc(pages, "Sommaire" if lang == "fr" else "Contents")
    assert len(entries) >= 30  # every heading to level 3
    first = "1. Présentation du projet" if lang == "fr" else "1. The project"
    assert entries[0] == (first, 4)  # cover, contents, the essentials, then part 1: no blank page
    for text, number in entries:
        assert re.search(rf"^\s*{re.escape(text)}\s*$", pages[number - 1], re.M), (text, number)


def test_every_character_has_a_glyph_and_inclusive_words_stay_whole(french: list[str]) -> None:
    text = "\n".join(french)
    assert "acteur·ice·s" in text  # U+00B7, in one piece (the project's objective)
    assert not {"\u2e31", "\u2027", "\ufffd"} & set(text)


@pytest.mark.parametrize(
    ("lang", "footer"),
    [
        ("fr", "Référentiel commun — version 0.1 — page {page} / {pages}"),
        ("en", "Shared reference document — version 0.1 — page {page} of {pages}"),
    ],
)
def test_footer_title_version_and_page(lang: str, footer: str, french: list[str], english: list[str]) -> None:
    pages = french if lang == "fr" else english
    for number, page in enumerate(pages, start=1):
        assert footer.format(page=number, pages=len(pages)) in page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_tool_language(lang: str, french: list[str], english: list[str]) -> None:
    text = "\n".join(french if lang == "fr" else english)
    for pattern in TOOL_LANGUAGE:
        assert not re.search(pattern, text), (pattern, re.search(pattern, text))


def test_a_partner_with_a_draft_is_in_progress_not_uninterviewed(french: list[str]) -> None:
    text = "\n".join(french)
    assert "entretien en cours : ENPRO ; entretien à mener : Xylm," in re.sub(r"\s+", " ", text)  # part 2
    assert re.search(r"^\s*ENPRO\s+Écosystème Naturel Propre\s+Togo\s+ONG\s+entretien en cours", text, re.M)  # annex B
    assert "ENPRO, entretien du 8 août 2024 : en cours, pas encore complété" in text


def test_sources_come_from_the_workspace(french: list[str]) -> None:
    text = "\n".join(french)
    assert "Lancement opérationnel du projet d’internationalisation de l’ESS" in text  # project.sources
    glossary = text[text.rindex("D. Glossaire") :]
    assert "Département 35" not in glossary  # a short name, not an acronym
    for acronym in ("CFSI", "ESS", "ODD", "ONG", "STADD"):
        assert re.search(rf"^\s*{acronym}\s", glossary, re.M), acronym


def test_a_fresh_workspace_cites_nothing_it_was_not_given(make_workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws, _ = check_workspace(make_workspace())
    data = build_referential(ws, synthesise(ws), lang="fr", template=None, anonymize=False, today=TODAY)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Lancement" not in text and "article" not in text


def _catalogue(lang: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(files("ess_coop").joinpath("locales", f"{lang}.json").read_text("utf-8"))
    return data


def _flat(section: object, prefix: str = "") -> dict[str, str]:
    if isinstance(section, str):
        return {prefix: section}
    assert isinstance(section, dict)
    return {k: v for key, value in section.items() for k, v in _flat(value, f"{prefix}.{key}").items()}


def test_english_edition_holds_no_french_wording(english: list[str]) -> None:
    """Every French sentence of the document's catalogue that differs in English: none of its
    fixed pieces may appear in the English edition (statements and quotes stay in their
    interview's language, and are not catalogue text)."""
    fr, en = _catalogue("fr"), _catalogue("en")
    text = re.sub(r"\s+", " ", "\n".join(english))
    found = []
    for section in ("doc", "edition", "actor_type_label", "role_label", "sdg", "priority", "status"):
        english_values = _flat(en[section])
        for key, value in _flat(fr[section]).items():
            if english_values.get(key) == value:
                continue  # the same in both languages ("Mission", "Date")
            for piece in re.split(r"\{[^}]*\}", value):
                if len(piece.strip()) >= 14 and piece.strip() in text:
                    found.append((key, piece.strip()))
    assert not found
    assert "Brittany–Togo social and solidarity economy cooperation" in text  # the project's own texts
    assert "To structure how French and Togolese" in text
    assert "Approval by the steering committee" in text


def test_english_document_language(make_workspace) -> None:  # type: ignore[no-untyped-def]
    ws, _ = check_workspace(make_workspace())
    data = build_referential(ws, synthesise(ws, lang="en"), lang="en", template=None, anonymize=False, today=TODAY)
    document = docx.Document(io.BytesIO(data))
    languages = {e.get(qn("w:val")) for e in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"en-GB"} and document.core_properties.language == "en-GB"


def test_project_texts_plain_or_in_both_languages(make_workspace) -> None:  # type: ignore[no-untyped-def]
    from samples import PROJECT

    bilingual = PROJECT.replace("  title: Projet test", "  title: {fr: Projet test, en: Test project}").replace(
        "  title: Référentiel test", "  title: {fr: Référentiel test, en: Test reference}"
    )
    ws, report = check_workspace(make_workspace({"ess-coop.yaml": bilingual}))
    assert report.valid
    for lang, title, subtitle in (("fr", "Référentiel test", "Projet test"), ("en", "Test reference", "Test project")):
        data = build_referential(ws, synthesise(ws, lang=lang), lang=lang, template=None, anonymize=False, today=TODAY)
        document = docx.Document(io.BytesIO(data))
        styled = {p.style.name: p.text for p in reversed(document.paragraphs) if p.style is not None}
        assert (document.paragraphs[0].text, styled["Subtitle"]) == (title, subtitle)
    ws, report = check_workspace(make_workspace({"ess-coop.yaml": PROJECT}))  # a plain string stays valid
    assert report.valid and ws.project is not None and ws.project.project.title == "Projet test"


def test_guide_prompts_take_the_project_dates(make_workspace) -> None:  # type: ignore[no-untyped-def]
    from ess_coop.guide_docx import build_guide
    from samples import GUIDE

    dated = "help: {fr: 'Jusqu’au {project_end} ({project_end_year}).', en: 'Until {project_end}.'}"
    guide = GUIDE.replace("help: {fr: Faire préciser., en: Ask for details.}", dated)
    ws, report = check_workspace(make_workspace({"templates/guide.yaml": guide}))
    assert report.valid and ws.project is not None and ws.project.project.end is not None
    end = ws.project.project.end
    actor = ws.actors[0]
    data = build_guide(ws, actor, interview_id="2025-01-02-x", date=dt.date(2025, 1, 2), lang="fr")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Jusqu’au 31 décembre 2025 (2025)." in text and end.year == 2025 and "{project_end" not in text


def _all_text(data: bytes) -> str:
    """Every visible text of a .docx (body, tables, headers, footers), hidden form markers aside."""
    document = docx.Document(io.BytesIO(data))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    texts = []
    for part in parts:
        for run in part.iter(qn("w:r")):
            properties = run.find(qn("w:rPr"))
            if properties is not None and properties.find(qn("w:vanish")) is not None:
                continue  # the import's hidden markers: never printed
            texts += [t.text or "" for t in run.iter(qn("w:t"))]
    return " ".join(texts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_tool_language_in_the_guide_the_form_and_the_profile_sheet(lang: str) -> None:
    from ess_coop.forms.writer import build_form
    from ess_coop.guide_docx import build_guide
    from ess_coop.profile_docx import build_profile_document

    ws, _ = check_workspace(BUNDLED)
    actor = next(a for a in ws.actors if a.id == "stadd")
    day = dt.date(2024, 9, 2)
    documents = {
        "guide": build_guide(ws, actor, interview_id="2024-09-02-stadd", date=day, lang=lang),
        "profile": build_profile_document(ws, "stadd", lang=lang, today=day, reply_by=day),
        # The form keeps its interview id and the organisation's id: the import reads them back.
        "form": build_form(
            ws, actor, interview_id="2024-09-02-stadd", date=day, interviewers=[], mode="video", lang=lang
        ),
    }
    for name, data in documents.items():
        text = _all_text(data)
        for pattern in TOOL_LANGUAGE:
            assert not re.search(pattern, text), (name, pattern, re.search(pattern, text))
    assert "Togo" in _all_text(documents["guide"]) and " — TG" not in _all_text(documents["guide"])


def test_every_picture_has_alt_text_and_prints_at_the_text_width() -> None:
    from docx.shared import Cm

    ws, _ = check_workspace(BUNDLED)
    data = build_referential(ws, synthesise(ws), lang="fr", template=None, anonymize=False, today=TODAY)
    document = docx.Document(io.BytesIO(data))
    pictures = document.inline_shapes
    alts = [plain(picture._inline.docPr.get("descr") or "") for picture in pictures]
    titles = ("Attentes par thème et par pays. ", "Apports par thème et par pays. ", "Attentes et apports par ODD")
    assert len(alts) == 3 and all(alt.startswith(title) for alt, title in zip(alts, titles, strict=True))
    assert "Déchets plastiques et recyclage : France 2, Togo 0 ; " in alts[0]  # every count in words, zeros too
    for picture in pictures:
        assert abs(picture.width - Cm(16.5)) < Cm(0.05)  # printed at its drawn size: its 8–9 pt stay 8–9 pt


def test_a_project_date_not_given_reads_as_such() -> None:
    from ess_coop.i18n import with_project_dates

    prompt = "D'ici la fin du projet ({project_end}, {project_end_year})."
    assert with_project_dates(prompt, None, None, "fr") == "D'ici la fin du projet (date à préciser, date à préciser)."
    dated = with_project_dates(prompt, None, dt.date(2025, 12, 1), "en")
    assert dated == "D'ici la fin du projet (1 December 2025, 2025)."
