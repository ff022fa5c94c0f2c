"""The small test workspace, as text, shared by the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

PROJECT = """\
format: 1
language: fr
project:
  id: test
  title: Projet test
  start: 2024-01-01
  end: 2025-12-31
  countries: [FR, TG]
  coordinators: [fr-a, tg-a]
  milestones:
    - {id: entretiens, label: Entretiens, due: 2024-08-31}
referential:
  title: Référentiel test
  version: "0.1"
sample: false
"""

ACTORS = """\
actors:
  - id: fr-a
    name: Association française A
    short_name: FR A
    country: FR
    type: association
    role: coordinator
  - id: fr-b
    name: Collectivité française B
    country: FR
    type: local-authority
  - id: tg-a
    name: ONG togolaise A
    short_name: TG A
    country: TG
    type: ngo
    role: coordinator
  - id: tg-b
    name: Réseau togolais B
    country: TG
    type: network
    sensitive: true
"""

THEMES = """\
themes:
  - id: compost
    label: {fr: Compostage, en: Composting}
  - id: plastique
    label: {fr: Déchets plastiques, en: Plastic waste}
  - id: financement
    label: {fr: Financement, en: Funding}
  - id: gouvernance
    label: {fr: Gouvernance, en: Governance}
"""

GUIDE = """\
id: guide-test
version: 1
title: {fr: Guide test, en: Test guide}
sections:
  - id: structure
    title: {fr: La structure, en: The organisation}
    questions:
      - id: mission
        text: {fr: Quelle est votre mission ?, en: What is your mission?}
        help: {fr: Faire préciser., en: Ask for details.}
        required: true
      - id: activites
        text: {fr: Vos activités ?, en: Your activities?}
      - id: loi-ess
        text: {fr: Que pensez-vous du projet de loi ESS ?, en: What do you think of the draft ESS law?}
        when: {country: [TG]}
      - id: cooperation-decentralisee
        text: {fr: Votre politique de coopération ?, en: Your cooperation policy?}
        when: {type: [local-authority]}
"""

TRANSCRIPT = """\
format: 1
id: 2024-07-03-fr-a
actor: fr-a
date: 2024-07-03
status: complete
guide: guide-test@1
mode: video
language: fr
interviewers: [Xylm]
interviewees:
  - ref: P1
    name: Jeanne Exemple
    role: Chargée de mission
consent:
  recording: true
  quotes: named
  review_before_publication: true
answers:
  mission: Accompagner les projets.
expectations:
  - text: Apprendre le compostage.
    themes: [compost]
    sdgs: [12]
    priority: high
contributions:
  - text: Financement participatif.
    themes: [financement]
quotes:
  - text: "La réciprocité avant tout."
    speaker: P1
    themes: [gouvernance]
notes: Note interne à ne jamais imprimer.
"""

TRANSCRIPT_PATH = "interviews/fr-a/2024-07-03-fr-a.yaml"

BASE_FILES = {
    "ess-coop.yaml": PROJECT,
    "actors.yaml": ACTORS,
    "templates/themes.yaml": THEMES,
    "templates/guide.yaml": GUIDE,
    TRANSCRIPT_PATH: TRANSCRIPT,
}

MakeWorkspace = Callable[..., Path]


LIBREOFFICE_MISSING = (
    "LibreOffice (soffice) is not installed: this test checks a document the way CI does, by "
    "converting it with LibreOffice — install it (apt-get install libreoffice-writer-nogui; "
    "macOS: brew install --cask libreoffice) and run the tests again"
)


def libreoffice() -> str:
    """The LibreOffice executable; without one the test FAILS, saying so.

    Not a skip: CI installs LibreOffice, and a skipped test is a test that did not run — a
    machine without it must not report these checks as passed, nor fail with "assert None".
    """
    import shutil

    import pytest

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail(LIBREOFFICE_MISSING, pytrace=False)
    return found


def soffice_pdf(docx: Path, workdir: Path) -> Path:
    """Convert ``docx`` to PDF with LibreOffice headless, as CI does; return the PDF path.

    A private profile per call keeps parallel runs from clashing over LibreOffice's lock.
    """
    import subprocess

    soffice = libreoffice()
    profile = workdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(workdir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = workdir / (docx.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000
    return pdf


def plain(text: str) -> str:
    """Document text with its no-break spaces (French punctuation: « … », " :", " ?") as plain
    spaces, to compare with the catalogue's wording."""
    return text.replace("\u00a0", " ")
