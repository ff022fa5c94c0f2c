"""What the committee reads: the summary page, leads with their texts, unmet needs, possible
leads, the coordinators' own words and no placeholder — read back from the Word draft."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ess_coop import leads, referential_docx
from ess_coop.referential import build
from ess_coop.referential_docx import build_referential
from ess_coop.synthesis import synthesise
from ess_coop.texts import read_texts
from ess_coop.validation import check_workspace
from samples import PROJECT, TRANSCRIPT_PATH, MakeWorkspace, plain
from test_leads import KEYWORD_THEMES, transcript
from test_texts import MARKDOWN, word_text

BUNDLED = Path(__file__).parents[1]
TODAY = dt.date(2026, 11, 28)


def draft(root: Path, lang: str = "fr") -> Document:
    ws, _ = check_workspace(root)
    data = build_referential(
        ws, synthesise(ws, lang=lang), lang=lang, template=None, anonymize=False, today=TODAY, texts=read_texts(root)
    )
    return docx.Document(io.BytesIO(data))


def blocks(document: Document) -> list[tuple[str, str]]:
    """(style, text) of every paragraph, and ("table", rows joined) of every table, in order."""
    found = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            found.append((block.style.name if block.style is not None else "", plain(block.text)))
        elif isinstance(block, Table):
            found.append(("table", "\n".join(" | ".join(plain(c.text) for c in row.cells) for row in block.rows)))
    return found


def section(document: Document, title: str, until: str) -> list[tuple[str, str]]:
    found = blocks(document)
    start = next(i for i, (_, text) in enumerate(found) if text == title)
    end = next(i for i, (_, text) in enumerate(found) if i > start and text.startswith(until))
    return found[start + 1 : end]


@pytest.mark.parametrize(
    ("lang", "title", "until", "expected"),
    [
        (
            "fr",
            "L'essentiel",
            "1. ",
            [
                "Partenaires interrogés : 6 au total (France : 3 sur 8, Togo : 3 sur 8). "
                "Voir la partie 4, « Équilibre entre les pays ».",
                "Pistes de coopération au total : 19. Voir la partie 4, « Pistes de coopération ».",
                "CRESS Bretagne (France) attend « Comprendre comment les ONG togolaises mobilisent des financements",
                "offert en France seulement (Département 35, TAg35).",
                "Enjeux communs (thèmes attendus des deux côtés) : 2 — Financements alternatifs des ONG et de l'ESS",
                "Partenaires pas encore interrogés : 10. Voir l'annexe B.",
            ],
        ),
        (
            "en",
            "Key points",
            "1. ",
            [
                "This page summarises the document for the steering committee.",
                "Partners interviewed: 6 in all (France: 3 of 8, Togo: 3 of 8).",
                "See part 4, “Avenues for cooperation”.",
                "offered in France only (Département 35, TAg35).",
                "Partners not yet interviewed: 10. See appendix B.",
            ],
        ),
    ],
)
def test_the_summary_page_follows_the_contents(lang: str, title: str, until: str, expected: list[str]) -> None:
    document = draft(BUNDLED, lang)
    found = blocks(document)
    titles = [(i, text) for i, (style, text) in enumerate(found) if style == "Title"]
    assert [text for _, text in titles][1:3] == [("Sommaire" if lang == "fr" else "Contents"), title]
    assert not any(style.startswith("Heading") for style, _ in found[titles[1][0] : titles[2][0]])  # right after
    page = " ".join(text for _, text in section(document, title, until))
    for sentence in expected:
        assert sentence in page
    assert page.count("[E") >= 4  # each lead and need with its interview reference
    assert ". (" not in page  # where a figure is detailed is a sentence of its own, not a stray parenthesis


def test_the_french_draft_says_enonces_and_never_hedges_a_plural() -> None:
    # One word for a statement throughout ("énoncé", as the method annex), and counts as sentences
    # ("Autres pistes … : 1"), never "1 autre(s) piste(s)" before a committee.
    found = blocks(draft(BUNDLED))
    text = "\n".join(t for _, t in found)
    assert "Énoncés : 2" in text and "selon le nombre d'énoncés" in text
    assert "éclaration" not in text and "(s)" not in text
    assert "Autres pistes sur ce thème, listées dans le classeur Excel qui accompagne ce document : 1." in text
    assert "Un référentiel équilibré donne la parole à chaque pays à parts égales." in text


def test_a_lead_table_leaves_its_strength_room_for_a_line() -> None:
    document = draft(BUNDLED)
    leads = [t for t in document.tables if t.rows[0].cells[-1].text == "Force"]
    assert leads
    for table in leads:  # "ODD en commun : 11, 12" (9 pt) wrapped after the colon at 3.3 cm
        assert [round(cell.width.cm, 1) for cell in table.rows[0].cells] == [6.2, 6.2, 4.1]


def test_a_lead_prints_both_texts_side_by_side_and_says_how_many_more(make_workspace: MakeWorkspace) -> None:
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None}
    files |= transcript("tg-a", 1, [("Apprendre le compostage.", "compost", "high", [12])], [])
    files |= transcript("fr-a", 2, [], [("Compostage de quartier.", "compost", "high", [12])])
    files |= transcript("fr-b", 3, [], [("Broyeur partagé.", "compost", None, [])])
    document = draft(make_workspace(files))
    leads = section(document, "La France peut appuyer le Togo — 2 pistes", "Le Togo peut appuyer")
    assert leads[0] == ("Normal", "Compostage — pistes : 2")
    table = leads[1][1].split("\n")
    assert table[0] == "Ce qui est attendu (Togo) | Ce qui est offert (France) | Force"
    assert leads[1][1].split("\n")[1:5] == [
        "TG A",
        "« Apprendre le compostage. » (priorité haute) [E01] | FR A",
        "« Compostage de quartier. » (priorité haute) [E02] | Priorité haute des deux côtés",
        "ODD en commun : 12",
    ]


def test_a_need_offered_at_home_only_is_one_row_of_the_asymmetry_table(make_workspace: MakeWorkspace) -> None:
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None}
    files |= transcript("fr-a", 1, [("Savoir comment les ONG se financent.", "financement", "high", [])], [])
    files |= transcript("fr-b", 2, [], [("Cofinancement du projet.", "financement", None, [])])
    files |= transcript("tg-a", 3, [], [("Compostage.", "compost", None, [])])
    document = draft(make_workspace(files))
    tables = [text for style, text in section(document, "Asymétries", "Réciprocité") if style == "table"]
    assert len(tables) == 1
    rows = tables[0].split("\n")
    assert rows[1:4] == [
        "Besoin sans réponse hors de France | Financement | FR A : « Savoir comment les ONG se financent. » "
        "(priorité haute) [E01]",
        "offert en France seulement (Collectivité française B)",
        "Offert, mais attendu par personne · Évoqué par un seul pays | Compostage | Togo : TG A",
    ]
    assert sum("Financement" in row for row in rows) == 1  # no second row for the same theme


def test_possible_leads_are_listed_apart_in_the_method_annex(make_workspace: MakeWorkspace) -> None:
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None, "templates/themes.yaml": KEYWORD_THEMES}
    files |= transcript("fr-a", 1, [], [("Valorisation des biodéchets.", "financement", None, [])])
    files |= transcript("tg-a", 2, [("Apprendre le compostage.", "compost", None, [])], [])
    document = draft(make_workspace(files))
    annex = section(document, "Pistes possibles à confirmer", "B. ")
    assert annex[1][1].split("\n")[1] == "Compostage | TG A (Togo) [E02] | FR A (France) [E01] | biodéchets"
    assert section(document, "Pistes de coopération", "Asymétries")[-1][1].startswith("Aucune piste")


def test_texts_are_rendered_with_their_markup(make_workspace: MakeWorkspace) -> None:
    project = PROJECT.replace("  start:", "  summary: Le résumé du projet.\n  start:")
    files = {"texts/introduction.md": MARKDOWN, "texts/conclusion.docx": word_text(), "ess-coop.yaml": project}
    document = draft(make_workspace(files))
    intro = section(document, "1. Présentation du projet", "Période")
    assert intro[:7] == [
        ("Heading 2", "Pourquoi ce référentiel"),
        ("Normal", "Un paragraphe avec du gras, de l'italique et un lien."),
        ("List Bullet", "une puce"),
        ("List Bullet 2", "une sous-puce"),
        ("List Bullet", "une autre"),
        ("List Paragraph", "3. troisième"),
        ("List Paragraph", "4. quatrième"),
    ]
    # The coordinators' text has headings: the document's own words resume under a heading of
    # their own, not under the coordinators' last one.
    resumed = intro.index(("Heading 2", "Le projet en bref"))
    assert resumed > 6 and intro[resumed + 1] == ("Normal", "Le résumé du projet.")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Un paragraphe avec du gras"))
    runs = {r.text: (r.bold, r.italic) for r in paragraph.runs}
    assert runs["gras"] == (True, None) and runs["italique"] == (None, True)
    (link,) = paragraph._p.findall(qn("w:hyperlink"))
    assert paragraph.part.rels[link.get(qn("r:id"))].target_ref == "https://example.org"
    conclusion = section(document, "Conclusion", "Annexes")
    assert ("Heading 1", "Conclusion") in blocks(document)
    assert conclusion[0] == ("Heading 2", "Un intertitre")
    assert ("List Paragraph", "2. deuxième") in conclusion


def test_placeholders_are_left_out_and_the_build_says_so(make_workspace: MakeWorkspace) -> None:
    project = PROJECT.replace(
        "  start:",
        "  summary: >-\n    En quelques phrases : ce qu'est le projet, qui le porte,\n"
        "    sur quel territoire.\n  objective: Un vrai objectif.\n  start:",
    )
    root = make_workspace({"ess-coop.yaml": project})
    ws, _ = check_workspace(root)
    _, summary = build(ws, lang="fr", today=TODAY)
    assert summary.placeholders == ["project.summary"]
    text = "\n".join(plain(p.text) for p in docx.Document(str(root / "output/referentiel.docx")).paragraphs)
    assert "En quelques phrases" not in text and "Un vrai objectif." in text


def test_the_essentials_and_part_4_read_one_ranking_of_the_leads(
    make_workspace: MakeWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None}
    files |= transcript("fr-a", 1, [("Financer.", "financement", None, [])], [("Compostage.", "compost", None, [])])
    files |= transcript("tg-a", 2, [("Composter.", "compost", "high", [])], [("Tontines.", "financement", None, [])])
    ws, _ = check_workspace(make_workspace(files))
    calls: list[int] = []
    ranked = referential_docx.ranked_directions
    monkeypatch.setattr(referential_docx, "ranked_directions", lambda *a, **k: calls.append(1) or ranked(*a, **k))
    monkeypatch.setattr(leads, "ranked_leads", lambda *a, **k: calls.append(2))  # never asked direction by direction
    document = docx.Document(
        io.BytesIO(build_referential(ws, synthesise(ws), lang="fr", template=None, anonymize=False, today=TODAY))
    )
    assert calls == [1]
    summary = [text for _, text in section(document, "L'essentiel", "1. ")]
    for lead in ("Compostage — FR A (France) peut répondre à TG A", "Financement — TG A (Togo) peut répondre à FR A"):
        assert any(text.startswith(lead) for text in summary), lead
    assert any("Compostage" in text for _, text in section(document, "Pistes de coopération", "Asymétries"))
