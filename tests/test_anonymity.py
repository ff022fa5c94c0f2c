"""Anonymity that survives inference: the group rule on small workspaces whose answer is known.

Registry: in Togo three NGOs, one sensitive association and one network; in France two
associations and a network. K (``privacy.min_group``) is 3 unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ess_coop.consent import QuoteFate, anonymous_order
from ess_coop.referential_xlsx import build_workbook
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.validation import check_workspace
from samples import PROJECT, MakeWorkspace, plain

ACTORS = """\
actors:
  - {id: tg-ngo1, name: ONG Une, country: TG, type: ngo}
  - {id: tg-ngo2, name: ONG Deux, country: TG, type: ngo}
  - {id: tg-ngo3, name: ONG Trois, country: TG, type: ngo}
  - {id: tg-asso, name: Association Sensible, short_name: ASSO-S, country: TG, type: association, sensitive: true}
  - {id: tg-net, name: Réseau Togo, country: TG, type: network}
  - {id: fr-asso1, name: Asso Bretonne Une, country: FR, type: association}
  - {id: fr-asso2, name: Asso Bretonne Deux, country: FR, type: association}
  - {id: fr-net, name: Réseau Bretagne, country: FR, type: network}
"""


def project(min_group: int | None = None) -> str:
    text = PROJECT.replace("coordinators: [fr-a, tg-a]", "coordinators: []")
    return text + (f"privacy:\n  min_group: {min_group}\n" if min_group is not None else "")


def interview(
    actor: str,
    day: int,
    themes: str,
    quotes: list[str] | None = None,
    *,
    consent: str = "anonymous",
    status: str = "complete",
) -> tuple[str, str]:
    """A transcript that expects ``themes`` (comma-separated) and says ``quotes``, each written
    ``text|theme,theme`` (``|release`` after the themes releases it)."""
    lines = [
        "format: 1",
        f"id: 2024-07-{day:02d}-{actor}",
        f"actor: {actor}",
        f"date: 2024-07-{day:02d}",
        f"status: {status}",
        "interviewers: [Awa Koné]",
        "interviewees:\n  - ref: P1\n    role: Directrice",
        f"consent:\n  quotes: {consent}",
        "answers:\n  mission: Agir.",
        f"expectations:\n  - text: Attente de {actor}.\n    themes: [{themes}]",
        f"contributions:\n  - text: Apport de {actor}.\n    themes: [{themes}]",
    ]
    if quotes:
        lines.append("quotes:")
        for quote in quotes:
            text, quote_themes, *flags = quote.split("|")
            lines.append(f'  - text: "{text}"\n    speaker: P1\n    themes: [{quote_themes}]')
            if "release" in flags:
                lines.append("    release: true")
    return f"interviews/{actor}/2024-07-{day:02d}-{actor}.yaml", "\n".join(lines) + "\n"


def workspace(make: MakeWorkspace, *interviews: tuple[str, str], min_group: int | None = None) -> Path:
    files: dict[str, str | bytes | None] = {
        "ess-coop.yaml": project(min_group),
        "actors.yaml": ACTORS,
        "interviews/fr-a/2024-07-03-fr-a.yaml": None,
    }
    files.update(dict(interviews))
    return make(files)


def fates(root: Path, **options: bool) -> dict[str, QuoteFate]:
    ws, report = check_workspace(root)
    assert report.valid, report.issues
    return {f.text: f for f in synthesise(ws, **options).fates}


def test_the_type_label_when_three_partners_of_that_type_raised_the_theme(make_workspace: MakeWorkspace) -> None:
    root = workspace(
        make_workspace,
        interview("tg-ngo1", 1, "compost", ["Le compost nourrit la terre.|compost"]),
        interview("tg-ngo2", 2, "compost"),
        interview("tg-ngo3", 3, "compost"),
    )
    fate = fates(root)["Le compost nourrit la terre."]
    assert (fate.fate, fate.attribution) == ("printed", "une ONG (Togo)")
    assert fate.sizes == {"type": 3, "country": 3, "partner": 3}


def test_generalised_to_a_partner_of_the_country(make_workspace: MakeWorkspace) -> None:
    # Sensitive: named consent is capped at anonymous; the only Togolese association.
    root = workspace(
        make_workspace,
        interview("tg-asso", 1, "compost", ["On composte en prison aussi.|compost"], consent="named"),
        interview("tg-ngo1", 2, "compost"),
        interview("tg-ngo2", 3, "compost"),
    )
    fate = fates(root)["On composte en prison aussi."]
    assert (fate.level, fate.attribution, fate.group) == ("anonymous", "un partenaire (Togo)", "country")


def test_printed_as_a_partner_when_only_both_countries_together_reach_k(make_workspace: MakeWorkspace) -> None:
    root = workspace(
        make_workspace,
        interview("tg-net", 1, "plastique", ["Le plastique est une ressource.|plastique"]),
        interview("fr-asso1", 2, "plastique"),
        interview("fr-net", 3, "plastique"),
        interview("tg-ngo1", 4, "compost"),  # Togolese, but not on this theme: it does not count
    )
    fate = fates(root)["Le plastique est une ressource."]
    assert (fate.attribution, fate.sizes) == ("un partenaire", {"type": 1, "country": 1, "partner": 3})


def test_the_workbook_gives_an_anonymous_quote_no_country_its_label_does_not_give(
    make_workspace: MakeWorkspace,
) -> None:
    # "un partenaire": Togo beside the theme would leave one Togolese partner who raised it; and as
    # in the document, no themes beside an anonymous quote (the rule counts any one of them).
    root = workspace(
        make_workspace,
        interview("tg-net", 1, "plastique", ["Le plastique est une ressource.|plastique"]),
        interview("fr-asso1", 2, "plastique"),
        interview("fr-net", 3, "plastique"),
        interview("tg-ngo1", 4, "compost", ["Le compost nourrit la terre.|compost"]),
        interview("tg-ngo2", 5, "compost"),
        interview("tg-ngo3", 6, "compost"),
    )
    ws, _ = check_workspace(root)
    book = load_workbook(io.BytesIO(build_workbook(ws, synthesise(ws), lang="fr", today=dt.date(2024, 9, 1))))
    rows = {r[0]: r[1:4] for r in book["Citations"].iter_rows(min_row=2, values_only=True)}
    assert rows["Le plastique est une ressource."] == ("un partenaire", "", "")
    assert rows["Le compost nourrit la terre."] == ("une ONG (Togo)", "Togo", "")


def test_held_back_when_no_label_reaches_k_then_released(make_workspace: MakeWorkspace) -> None:
    quote = "Nos membres craignent pour leur sécurité."
    others = [interview("fr-asso1", 2, "gouvernance"), interview("tg-ngo1", 3, "compost")]
    root = workspace(make_workspace, interview("tg-asso", 1, "gouvernance", [f"{quote}|gouvernance"]), *others)
    fate = fates(root)[quote]
    assert (fate.fate, fate.attribution, fate.sizes["partner"]) == ("held-back", None, 2)
    root = workspace(make_workspace, interview("tg-asso", 1, "gouvernance", [f"{quote}|gouvernance|release"]), *others)
    fate = fates(root)[quote]
    assert (fate.fate, fate.attribution, fate.released) == ("printed", "un partenaire", True)


def test_min_group_is_read_from_the_project(make_workspace: MakeWorkspace) -> None:
    quote = "Nos membres craignent pour leur sécurité."
    root = workspace(
        make_workspace,
        interview("tg-asso", 1, "gouvernance", [f"{quote}|gouvernance"]),
        interview("fr-asso1", 2, "gouvernance"),
        min_group=2,
    )
    assert fates(root)[quote].attribution == "un partenaire"


@pytest.mark.parametrize(("include_drafts", "expected"), [(False, "held-back"), (True, "printed")])
def test_only_interviews_counted_in_the_build_count(
    make_workspace: MakeWorkspace, include_drafts: bool, expected: str
) -> None:
    root = workspace(
        make_workspace,
        interview("tg-ngo1", 1, "compost", ["Le compost nourrit la terre.|compost"]),
        interview("tg-ngo2", 2, "compost"),
        interview("tg-ngo3", 3, "compost", status="draft"),
    )
    assert fates(root, include_drafts=include_drafts)["Le compost nourrit la terre."].fate == expected


def test_a_quote_raised_theme_counts_and_a_quote_without_theme_is_held_back(make_workspace: MakeWorkspace) -> None:
    root = workspace(
        make_workspace,
        interview("tg-ngo1", 1, "compost", ["Sans thème.|", "Par une citation.|plastique"]),
        interview("tg-ngo2", 2, "compost", ["Le plastique aussi.|plastique"]),
        interview("tg-ngo3", 3, "compost", ["Et ici.|plastique"], consent="role"),
    )
    found = fates(root)
    assert found["Sans thème."].fate == "held-back"  # no theme: no partner raised one of its themes
    assert found["Par une citation."].attribution == "une ONG (Togo)"  # plastique raised only in quotes
    assert found["Et ici."].attribution == "Directrice, ONG Trois"


def _anonymous_voices(syn: Synthesis) -> list[str]:
    return [q.text for q in syn.quotes if q.group]


def test_anonymous_quotes_are_not_in_interview_order(make_workspace: MakeWorkspace) -> None:
    quotes = [f"Citation {letter}.|compost" for letter in "ABCDEF"]
    spoken = [interview(f"tg-ngo{n}", n, "compost", quotes[2 * (n - 1) : 2 * n]) for n in (1, 2, 3)]
    ws, _ = check_workspace(workspace(make_workspace, *spoken))
    order = _anonymous_voices(synthesise(ws))
    vocabulary = [th.id for th in ws.themes]
    assert order == sorted(order, key=lambda text: anonymous_order(["compost"], text, vocabulary))
    assert order != [q.split("|")[0] for q in quotes]  # sorted by a digest, not by interview
    # The same quotes said on other days, in another order of interviews: the same order printed.
    moved = [interview(f"tg-ngo{n}", 10 - n, "compost", quotes[2 * (n - 1) : 2 * n]) for n in (1, 2, 3)]
    for path, _ in spoken:
        (ws.root / path).unlink()
    root = workspace(make_workspace, *moved)
    assert _anonymous_voices(synthesise(check_workspace(root)[0])) == order


# --- the documents, read back line by line -------------------------------------------------------

SECRET = "Nos membres craignent pour leur sécurité."


def _sensitive_workspace(make: MakeWorkspace, *, release: bool) -> Path:
    """One anonymous quote that only the sensitive association can have said (its theme is raised
    by nobody else), beside anonymous quotes that have enough company and one named quote."""
    return workspace(
        make,
        interview("tg-asso", 1, "gouvernance", [f"{SECRET}|gouvernance" + ("|release" if release else "")]),
        interview("tg-ngo1", 2, "compost", ["Le compost nourrit la terre.|compost"]),
        interview("tg-ngo2", 3, "compost", ["Le compost crée des emplois.|compost"]),
        interview("tg-ngo3", 4, "compost"),
        interview("fr-asso1", 5, "plastique", ["Le plastique se trie à la source.|plastique"], consent="role"),
    )


def _build(root: Path) -> tuple[str, list[str]]:
    import docx
    from typer.testing import CliRunner

    from ess_coop.cli import app

    result = CliRunner().invoke(app, ["build-referential", "--xlsx", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(root / "output/referentiel.docx"))
    lines = [plain(p.text) for p in document.paragraphs] + [
        plain(c.text) for t in document.tables for r in t.rows for c in r.cells
    ]
    return result.output, lines


def test_a_quote_only_the_sensitive_partner_could_have_said_is_held_back(make_workspace: MakeWorkspace) -> None:
    from openpyxl import load_workbook

    root = _sensitive_workspace(make_workspace, release=False)
    output, lines = _build(root)
    assert not any("craignent" in line for line in lines)
    book = load_workbook(root / "output/referentiel.xlsx")
    assert not any("craignent" in str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    path = "interviews/tg-asso/2024-07-01-tg-asso.yaml"
    line = next(n for n, text in enumerate((root / path).read_text("utf-8").splitlines(), 1) if SECRET in text)
    assert (
        f"citation n° 1 de l'entretien 2024-07-01-tg-asso ({path}:{line}) retenue : moins de 3 partenaires"
        " interrogés couvrent même son libellé le plus large (1) ; elle n'est pas imprimée. Après vérification,"
        " ajoutez release: true à cette citation pour l'imprimer comme « un partenaire »"
    ) in " ".join(output.split())


def test_a_released_quote_identifies_nobody_in_the_document(make_workspace: MakeWorkspace) -> None:
    root = _sensitive_workspace(make_workspace, release=True)
    output, lines = _build(root)
    assert "imprimée comme « un partenaire » parce qu'elle porte release: true" in " ".join(output.split())
    where = [n for n, text in enumerate(lines) if "craignent" in text]
    assert len(where) == 1  # in the voices only, never in its actor's profile
    index = where[0]
    assert lines[index] == f"« {SECRET} »" and lines[index + 1] == "— un partenaire"
    section = lines.index("Paroles anonymes")
    assert section < index
    anonymous = lines[section : lines.index("Annexes")]
    assert not any("[E0" in text or "ASSO-S" in text or "Sensible" in text for text in anonymous)
    assert {text for text in anonymous if text.startswith("— ")} == {"— un partenaire", "— une ONG (Togo)"}
    attributed = lines.index("— Directrice, Asso Bretonne Une [E05]")  # the role quote, with its reference
    assert attributed < section
    # The balance table counts per country only the quotes whose label says the country.
    ws, _ = check_workspace(root)
    assert {b.country: b.quotes for b in synthesise(ws).balance} == {"FR": 1, "TG": 2}


@pytest.mark.parametrize(("value", "code"), [("0", "invalid-number"), ("trois", "wrong-type")])
def test_min_group_is_validated(make_workspace: MakeWorkspace, value: str, code: str) -> None:
    root = workspace(make_workspace, interview("tg-ngo1", 1, "compost"))
    (root / "ess-coop.yaml").write_text(project() + f"privacy:\n  min_group: {value}\n", "utf-8")
    _, report = check_workspace(root)
    line = len(project().splitlines()) + 2
    assert [(i.code, i.path, i.line, i.column) for i in report.issues] == [(code, "ess-coop.yaml", line, 14)]


@pytest.mark.parametrize(
    ("release", "lang", "expected"),
    [
        (
            False,
            "fr",
            "Retenue : elle ne sera pas imprimée pour l'instant, car elle pourrait permettre de vous reconnaître.",
        ),
        (True, "en", "Will be printed as: “…” — a partner"),
    ],
)
def test_the_partner_sheet_shows_its_own_quote_and_nobody_else(
    make_workspace: MakeWorkspace, release: bool, lang: str, expected: str
) -> None:
    import datetime as dt

    import docx

    from ess_coop.profile_docx import write_profile

    ws, _ = check_workspace(_sensitive_workspace(make_workspace, release=release))
    written = write_profile(ws, "tg-asso", lang=lang, today=dt.date(2024, 9, 1))
    lines = [plain(p.text) for p in docx.Document(str(written.path)).paragraphs]
    index = lines.index(f"« {SECRET} »" if lang == "fr" else f"“{SECRET}”")
    assert lines[index + 1] == expected
    assert lang == "fr" or not any("référentiel" in line for line in lines)  # the English name, in English
    others = ("compost", "plastique", "Directrice", "ONG")
    assert not any(word in line for line in lines for word in others)
