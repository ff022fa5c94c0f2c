"""Leads with their substance and strength, needs unmet across the border, possible leads:
hand-built workspaces whose answer is known."""

from __future__ import annotations

from pathlib import Path

from ess_coop.leads import (
    possible_leads,
    ranked_directions,
    ranked_leads,
    strength,
    theme_asymmetries,
    unmet_needs,
)
from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.validation import check_workspace
from ess_coop.workspace import Workspace
from samples import THEMES, TRANSCRIPT_PATH, MakeWorkspace

Item = tuple[str, str, str | None, list[int]]  # text, theme, priority, sdgs


def transcript(actor: str, day: int, expectations: list[Item], contributions: list[Item]) -> dict[str, str]:
    """A complete transcript of ``actor`` holding these statements."""

    def items(found: list[Item]) -> str:
        out = ""
        for text, theme, priority, sdgs in found:
            out += f"  - text: {text}\n    themes: [{theme}]\n    sdgs: {sdgs}\n"
            out += f"    priority: {priority}\n" if priority else ""
        return out or "  []\n"

    interview = f"2024-07-{day:02d}-{actor}"
    text = (
        f"format: 1\nid: {interview}\nactor: {actor}\ndate: 2024-07-{day:02d}\nstatus: complete\n"
        f"guide: guide-test@1\nlanguage: fr\ninterviewers: [Xylm]\n"
        f"consent: {{quotes: none}}\nanswers:\n  mission: Agir.\n"
        f"expectations:\n{items(expectations)}contributions:\n{items(contributions)}"
    )
    return {f"interviews/{actor}/{interview}.yaml": text}


def build(make_workspace: MakeWorkspace, *parts: dict[str, str], themes: str = THEMES) -> tuple[Workspace, Synthesis]:
    files: dict[str, str | bytes | None] = {TRANSCRIPT_PATH: None, "templates/themes.yaml": themes}
    for part in parts:
        files.update(part)
    root: Path = make_workspace(files)
    ws, report = check_workspace(root)
    assert not [i for i in report.issues if i.severity == "error"], report.issues
    return ws, synthesise(ws)


FINANCE_WISH = "Comprendre comment les ONG togolaises se financent."


def test_a_lead_carries_both_texts_and_the_strongest_comes_first(make_workspace: MakeWorkspace) -> None:
    _, syn = build(
        make_workspace,
        transcript("fr-a", 1, [], [("Compostage de quartier.", "compost", "high", [12])]),
        transcript("fr-b", 2, [], [("Broyeur partagé.", "compost", None, [])]),
        transcript("tg-a", 3, [("Apprendre le compostage.", "compost", "high", [12, 13])], []),
    )
    (theme,) = ranked_leads(syn, "TG", "FR", limit=1)
    assert (theme.theme, theme.total, len(theme.leads)) == ("compost", 2, 1)
    best = theme.leads[0]
    assert (best.lead.expecting, best.lead.offering) == ("tg-a", "fr-a")
    assert [s.text for s in best.lead.expectations] == ["Apprendre le compostage."]
    assert [s.text for s in best.lead.contributions] == ["Compostage de quartier."]
    assert best.strength.model_dump() == {"both_high": True, "shared_sdgs": [12], "statements": 2}
    weaker = ranked_leads(syn, "TG", "FR", limit=5)[0].leads[1]
    assert weaker.lead.offering == "fr-b" and strength(weaker.lead).key() == (0, 0, -2)


def test_an_expectation_offered_only_at_home_is_an_unmet_need(make_workspace: MakeWorkspace) -> None:
    _, syn = build(
        make_workspace,
        transcript("fr-a", 1, [(FINANCE_WISH, "financement", "high", [17])], [("Compostage.", "compost", None, [])]),
        transcript("fr-b", 2, [], [("Cofinancement du projet.", "financement", None, [])]),
        transcript("tg-a", 3, [("Apprendre le compostage.", "compost", None, [])], []),
    )
    (need,) = unmet_needs(syn)
    assert (need.statement.text, need.statement.actor, need.offered_at_home) == (FINANCE_WISH, "fr-a", ["fr-b"])
    assert {lead.theme for lead in syn.leads} == {"compost"}


def test_asymmetries_are_one_row_per_theme(make_workspace: MakeWorkspace) -> None:
    _, syn = build(
        make_workspace,
        transcript(
            "fr-a", 1, [("Gouverner ensemble.", "gouvernance", None, [])], [("Compostage.", "compost", None, [])]
        ),
    )
    kinds = {row.theme: row.kinds for row in theme_asymmetries(syn)}
    assert kinds["gouvernance"] == ["unmet", "one-country"]  # one row, where the synthesis has two
    assert len(kinds) == len({a.theme for a in syn.asymmetries})


KEYWORD_THEMES = THEMES.replace(
    "label: {fr: Compostage, en: Composting}", "label: {fr: Compostage, en: Composting}\n    keywords: [biodéchet]"
)


def test_a_keyword_suggests_a_possible_lead_apart_from_the_tags(make_workspace: MakeWorkspace) -> None:
    ws, syn = build(
        make_workspace,
        transcript("fr-a", 1, [], [("Valorisation des BIODECHETS urbains.", "financement", None, [])]),
        transcript("tg-a", 3, [("Apprendre le compostage.", "compost", None, [])], []),
        themes=KEYWORD_THEMES,
    )
    assert syn.leads == []  # the tags establish no lead
    (possible,), total = possible_leads(syn, ws.themes)
    assert total == 1
    assert (possible.theme, possible.expecting, possible.offering) == ("compost", "tg-a", "fr-a")
    assert possible.words == ["BIODECHETS"]


def test_the_strongest_leads_are_those_a_full_sort_of_every_pair_gives(make_workspace: MakeWorkspace) -> None:
    # Compost: both high, then a shared SDG, then two pairs that tie. Funding: more statements
    # first, and each expecting actor's two offers tie. Ties keep the group's order.
    _, syn = build(
        make_workspace,
        transcript("fr-a", 1, [], [("Compostage.", "compost", "high", []), ("Tontines.", "financement", None, [])]),
        transcript("fr-b", 2, [], [("Broyeur.", "compost", None, [12]), ("Microcrédit.", "financement", None, [])]),
        transcript("tg-a", 3, [("Composter.", "compost", "high", []), ("Financer.", "financement", None, [])], []),
        transcript(
            "tg-b",
            4,
            [
                ("Apprendre.", "compost", None, [12]),
                ("Épargner.", "financement", None, []),
                ("Prêter.", "financement", None, []),
            ],
            [],
        ),
    )
    for group in syn.lead_groups:
        pairs = sorted(
            syn.pairs([group]),
            key=lambda p: (strength(p).key(), group.expecting.index(p.expecting), group.offering.index(p.offering)),
        )
        for limit in (1, 2, 3, 4, 10):
            themes = ranked_leads(syn, group.expecting_country, group.offering_country, limit=limit)
            (theme,) = [tl for tl in themes if tl.theme == group.theme]
            assert [(r.lead.expecting, r.lead.offering) for r in theme.leads] == [
                (p.expecting, p.offering) for p in pairs[:limit]
            ]
    ranked = {
        tl.theme: [(r.lead.expecting, r.lead.offering) for r in tl.leads]
        for tl in ranked_leads(syn, "TG", "FR", limit=4)
    }
    assert ranked == {
        "compost": [("tg-a", "fr-a"), ("tg-b", "fr-b"), ("tg-a", "fr-b"), ("tg-b", "fr-a")],
        "financement": [("tg-b", "fr-a"), ("tg-b", "fr-b"), ("tg-a", "fr-a"), ("tg-a", "fr-b")],
    }


def test_every_direction_is_ranked_once_as_each_alone(make_workspace: MakeWorkspace) -> None:
    _, syn = build(
        make_workspace,
        transcript("fr-a", 1, [("Financer.", "financement", "high", [8])], [("Compostage.", "compost", None, [])]),
        transcript("tg-a", 3, [("Composter.", "compost", None, [])], [("Tontines.", "financement", "high", [8])]),
    )
    ranked = ranked_directions(syn, limit=2)
    assert set(ranked) == {("FR", "TG"), ("TG", "FR")}
    for (expecting, offering), themes in ranked.items():
        assert themes == ranked_leads(syn, expecting, offering, limit=2)


def test_possible_leads_are_counted_as_listed(make_workspace: MakeWorkspace) -> None:
    # tg-a and fr-a tag compost: a lead already, not a possible one; the keyword adds fr-b and tg-b.
    ws, syn = build(
        make_workspace,
        transcript("fr-a", 1, [], [("Compostage de quartier.", "compost", None, [])]),
        transcript("fr-b", 2, [], [("Collecte des biodéchets.", "financement", None, [])]),
        transcript("tg-a", 3, [("Apprendre le compostage.", "compost", None, [])], []),
        transcript("tg-b", 4, [("Traiter nos biodéchets.", "gouvernance", None, [])], []),
        themes=KEYWORD_THEMES,
    )
    found, total = possible_leads(syn, ws.themes)
    assert [(p.expecting, p.offering) for p in found] == [("tg-a", "fr-b"), ("tg-b", "fr-a"), ("tg-b", "fr-b")]
    assert total == 3
    first, same_total = possible_leads(syn, ws.themes, limit=1)
    assert (first, same_total) == (found[:1], 3)
