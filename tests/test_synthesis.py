"""The synthesis on small workspaces where the right answer is known by hand."""

from __future__ import annotations

from pathlib import Path

from ess_coop.synthesis import Synthesis, synthesise
from ess_coop.validation import check_workspace
from samples import MakeWorkspace


def transcript(
    actor: str,
    date: str,
    *,
    status: str = "complete",
    expectations: str = "",
    contributions: str = "",
    quotes: str = "none",
) -> tuple[str, str]:
    """A minimal transcript; statements are ``theme:text`` pairs separated by ``;``."""

    def block(key: str, spec: str) -> str:
        items = [s.split(":", 1) for s in spec.split(";") if s]
        return f"{key}:\n" + "".join(
            f"  - text: {text}\n    themes: [{theme}]\n    sdgs: [17]\n" for theme, text in items
        )

    text = (
        f"format: 1\nid: {date}-{actor}\nactor: {actor}\ndate: {date}\nstatus: {status}\n"
        f"interviewees:\n  - ref: P1\n    role: Directrice\nconsent:\n  quotes: {quotes}\n"
        f"answers:\n  mission: Agir.\n" + block("expectations", expectations) + block("contributions", contributions)
    )
    return f"interviews/{actor}/{date}-{actor}.yaml", text


def synth(make_workspace: MakeWorkspace, *transcripts: tuple[str, str], **options: bool) -> Synthesis:
    files: dict[str, str | bytes | None] = {"interviews/fr-a/2024-07-03-fr-a.yaml": None}
    files.update(dict(transcripts))
    ws, report = check_workspace(make_workspace(files))
    assert [i.code for i in report.issues if i.severity == "error"] == []
    return synthesise(ws, **options)


def test_leads_in_both_directions_and_asymmetries(make_workspace: MakeWorkspace) -> None:
    s = synth(
        make_workspace,
        transcript(
            "fr-a", "2024-07-01", expectations="compost:Apprendre à composter", contributions="financement:Finance"
        ),
        transcript(
            "tg-a",
            "2024-07-02",
            expectations="financement:Trouver des fonds",
            contributions="compost:Compostage;plastique:Recyclage",
        ),
        transcript("fr-b", "2024-07-03", expectations="gouvernance:Gouverner", contributions="financement:Fonds"),
    )
    assert [(lead.theme, lead.expecting, lead.offering) for lead in s.leads] == [
        ("compost", "fr-a", "tg-a"),
        ("financement", "tg-a", "fr-a"),
        ("financement", "tg-a", "fr-b"),
    ]
    assert [st.text for st in s.leads[0].expectations] == ["Apprendre à composter"]
    assert [st.ref for st in s.leads[0].contributions] == ["E02"]
    assert s.shared_stakes == []
    kinds = {(a.kind, a.theme) for a in s.asymmetries}
    assert kinds == {
        ("unmet", "gouvernance"),
        ("one-country", "gouvernance"),
        ("unasked", "plastique"),
        ("one-country", "plastique"),
    }
    assert [r.status for r in s.reciprocity] == ["both", "both", "both"]


def test_shared_stake_and_only_resource(make_workspace: MakeWorkspace) -> None:
    s = synth(
        make_workspace,
        transcript("fr-a", "2024-07-01", expectations="financement:Fonds FR", contributions="compost:C"),
        transcript("tg-a", "2024-07-02", expectations="financement:Fonds TG"),
        transcript("tg-b", "2024-07-02", contributions="plastique:Recyclage"),
    )
    assert s.shared_stakes == ["financement"]
    status = {r.actor: r.status for r in s.reciprocity}
    assert status == {"fr-a": "both", "tg-a": "only-beneficiary", "tg-b": "only-resource"}
    row = next(r for r in s.themes if r.theme == "financement")
    assert row.expects == {"FR": ["fr-a"], "TG": ["tg-a"]} and row.offers == {"FR": [], "TG": []}


def test_drafts_and_invalid_transcripts_are_left_out_and_named(make_workspace: MakeWorkspace) -> None:
    draft = transcript("tg-a", "2024-07-02", status="draft", contributions="compost:C")
    files = dict([transcript("fr-a", "2024-07-01", expectations="compost:E", contributions="compost:X"), draft])
    files["interviews/fr-b/2024-07-05-fr-b.yaml"] = "format: 1\nid: broken\n"
    ws, _ = check_workspace(make_workspace({"interviews/fr-a/2024-07-03-fr-a.yaml": None, **files}))
    s = synthesise(ws)
    assert [(e.path, e.reason) for e in s.excluded] == [
        ("interviews/fr-b/2024-07-05-fr-b.yaml", "invalid"),
        ("interviews/tg-a/2024-07-02-tg-a.yaml", "draft"),
    ]
    assert s.leads == []
    with_drafts = synthesise(ws, include_drafts=True)
    assert [(lead.expecting, lead.offering) for lead in with_drafts.leads] == [("fr-a", "tg-a")]
    assert with_drafts.statements_of("tg-a", "contribution")[0].draft


def test_balance_warning(make_workspace: MakeWorkspace) -> None:
    s = synth(
        make_workspace,
        transcript("fr-a", "2024-07-01", expectations="compost:A;plastique:B", contributions="financement:C"),
        transcript("fr-b", "2024-07-01", expectations="compost:A", contributions="financement:C;gouvernance:D"),
        transcript("tg-a", "2024-07-02", expectations="financement:Fonds"),
    )
    assert [(b.country, b.interviewed, b.partners, b.statements) for b in s.balance] == [
        ("FR", 2, 2, 6),
        ("TG", 1, 2, 1),
    ]
    assert s.balance_warning == "TG"


def test_bundled_workspace_figures() -> None:
    ws, _ = check_workspace(Path(__file__).resolve().parents[1])
    s = synthesise(ws)
    assert len(s.interviews) == 6 and [e.reason for e in s.excluded] == ["draft"]
    assert s.shared_stakes == ["financement-alternatif", "cadre-legal-ess"]
    leads = {(lead.theme, lead.expecting, lead.offering) for lead in s.leads}
    assert ("incubation", "stadd", "tag35") in leads and ("dechets-plastiques", "cress-bretagne", "stadd") in leads
    assert len(s.leads) == 19
    assert {(a.kind, a.theme) for a in s.asymmetries if a.kind != "one-country"} == {
        ("unmet", "gouvernance"),
        ("unmet", "cadre-legal-ess"),
        ("unasked", "education-environnement"),
    }
    assert s.balance_warning is None
