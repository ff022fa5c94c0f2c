"""The one Word writer: its blocks, its contents, and one ``finish`` for every document."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from ess_coop import docx_base
from ess_coop.document import DocumentWriter

DAY = dt.date(2024, 7, 1)


def _written(lang: str = "fr", *, header: str | None = None) -> bytes:
    w = DocumentWriter(docx_base.open_document(None), lang)
    w.para("Référentiel", "Title")
    w.contents_here()
    w.heading("Les acteurs", 1)
    w.heading("France", 2)
    w.heading("Détail", 4)  # below the contents' depth
    w.statement("Former les bénévoles", ["Formation", "priorité haute"], "E01")
    w.quote("On avance ensemble", "Awa, présidente", "E01")
    w.note("Aucune contrainte.")
    w.table(["Thème", "Acteurs"], [["Formation", "A"]], [4.5, 12])
    return w.finish(title="Référentiel", subject="ESS", footer="Page {page} / {pages}", when=DAY, header=header)


def test_finish_gives_the_same_bytes_for_the_same_document() -> None:
    assert _written() == _written()


@pytest.mark.parametrize(("header", "expected"), [(None, ""), ("DONNÉES D’EXEMPLE", "DONNÉES D’EXEMPLE")])
def test_finish_writes_footer_header_and_properties(header: str | None, expected: str) -> None:
    document = docx.Document(io.BytesIO(_written("en", header=header)))
    section = document.sections[0]
    footer = section.footer._element
    assert [i.text for i in footer.iter(qn("w:instrText"))] == [" PAGE ", " NUMPAGES "]
    assert "".join(p.text for p in section.header.paragraphs) == expected
    properties = document.core_properties
    assert (properties.title, properties.subject, properties.language) == ("Référentiel", "ESS", "en-GB")
    assert (properties.author, properties.created) == ("ess-coop", dt.datetime(2024, 7, 1, tzinfo=dt.UTC))


def test_headings_of_levels_1_to_3_fill_the_contents() -> None:
    document = docx.Document(io.BytesIO(_written()))
    entries = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("toc")]
    assert entries == ["Les acteurs\t", "France\t"]  # page numbers: Word's


def test_statement_and_quote_read_as_the_documents_print_them() -> None:
    texts = [p.text for p in docx.Document(io.BytesIO(_written())).paragraphs]
    assert "Former les bénévoles — Formation · priorité haute [E01]" in texts
    assert "« On avance ensemble »" in [text.replace("\u00a0", " ") for text in texts]
    assert "— Awa, présidente [E01]" in texts
