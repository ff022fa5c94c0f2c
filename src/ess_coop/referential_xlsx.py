"""The synthesis as an Excel workbook, for coordinators who sort and filter.

One sheet each: the theme × country matrix, expectations, contributions, cooperation leads,
interviews. Every text is stored as text: a cell starting with ``=``, ``+``, ``-`` or ``@`` is
never a formula (CSV/formula injection), and no cell holds a formula at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ess_coop.consent import interviewer_labels
from ess_coop.i18n import t
from ess_coop.leads import possible_leads, strength, unmet_needs
from ess_coop.ooxml import xlsx
from ess_coop.synthesis import Lead, Statement, Synthesis
from ess_coop.workspace import Workspace

# Above this many leads, the leads sheet has one row per expecting actor and theme (with every
# offering actor in one cell) rather than one row per pair: the same leads, in a sheet Excel opens.
MAX_LEAD_PAIRS = 10_000


def build_workbook(ws: Workspace, synthesis: Synthesis, *, lang: str, today: dt.date) -> bytes:
    """The workbook as .xlsx bytes (identical for identical data)."""

    def x(key: str, **params: object) -> str:
        return t(f"xlsx.{key}", lang, **params)

    labels = {a.id: a.label for a in ws.actors}
    themes = {th.id: th.label.get(lang) for th in ws.themes}
    countries = synthesis.countries

    def actor(actor_id: str) -> str:
        return labels.get(actor_id, actor_id)

    def theme_list(ids: list[str]) -> str:
        return ", ".join(themes.get(i, i) for i in ids)

    sheets: list[tuple[str, list[str], list[list[str]], list[int]]] = []

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        sheets.append((title, header, [[str(value) for value in row] for row in rows], widths))

    matrix_header = [x("theme")]
    for c in countries:
        matrix_header += [x("expects", country=c), x("offers", country=c)]
    matrix_rows = []
    for row in synthesis.themes:
        if not row.mentioned:
            continue
        values: list[Any] = [themes.get(row.theme, row.theme)]
        for c in countries:
            values += [", ".join(map(actor, row.expects[c])), ", ".join(map(actor, row.offers[c]))]
        matrix_rows.append(values)
    sheet(x("sheet_matrix"), matrix_header, matrix_rows, [40] + [30] * (2 * len(countries)))

    def statement_rows(kind: str) -> list[list[Any]]:
        chosen: list[Statement] = [s for s in synthesis.statements if s.kind == kind]
        return [
            [
                s.ref,
                actor(s.actor),
                s.country,
                s.text,
                theme_list(s.themes),
                ", ".join(map(str, s.sdgs)),
                t(f"priority.{s.priority}", lang) if s.priority else "",
                x("yes") if s.draft else "",
            ]
            for s in chosen
        ]

    statement_header = [
        x("ref"),
        x("actor"),
        x("country"),
        x("text"),
        x("themes"),
        x("sdgs"),
        x("priority"),
        x("draft"),
    ]
    widths = [8, 22, 8, 60, 30, 10, 10, 10]
    sheet(x("sheet_expectations"), statement_header, statement_rows("expectation"), widths)
    sheet(x("sheet_contributions"), statement_header, statement_rows("contribution"), widths)

    if synthesis.lead_count <= MAX_LEAD_PAIRS:
        lead_rows = [
            [
                themes.get(lead.theme, lead.theme),
                actor(lead.expecting),
                lead.expecting_country,
                actor(lead.offering),
                lead.offering_country,
                " ".join(sorted({s.ref for s in lead.expectations + lead.contributions})),
                *_lead_substance(lead, lang),
            ]
            for lead in synthesis.pairs()
        ]
    else:  # one row per expecting actor and theme, the offering actors listed in one cell
        expectation_refs: dict[tuple[str, str], set[str]] = {}
        for s in synthesis.statements:
            if s.kind == "expectation":
                for theme in s.themes:
                    expectation_refs.setdefault((s.actor, theme), set()).add(s.ref)
        lead_rows = [
            [
                themes.get(group.theme, group.theme),
                actor(a),
                group.expecting_country,
                ", ".join(map(actor, group.offering)),
                group.offering_country,
                " ".join(sorted(expectation_refs.get((a, group.theme), ()))),
                *[""] * len(_SUBSTANCE_COLUMNS),
            ]
            for group in synthesis.lead_groups
            for a in group.expecting
        ]
    sheet(
        x("sheet_leads"),
        [x("theme"), x("expecting"), x("country"), x("offering"), x("country"), x("refs")]
        + [t(f"committee.xlsx.{key}", lang) for key in _SUBSTANCE_COLUMNS],
        lead_rows,
        [35, 25, 8, 25, 8, 14, 60, 60, 12, 12, 12],
    )
    _committee_sheets(ws, synthesis, lang, sheet, actor, themes)

    interview_rows = [
        [
            i.ref,
            i.id,
            i.date.isoformat(),
            actor(i.actor),
            i.country,
            i.mode or "",
            ", ".join(interviewer_labels(i.interviewers, ws.actors, lang=lang, anonymize=synthesis.anonymize)),
            t(f"status.{i.status}", lang),
        ]
        for i in synthesis.interviews
    ]
    sheet(
        x("sheet_interviews"),
        [x("ref"), x("id"), x("date"), x("actor"), x("country"), x("mode"), x("interviewers"), x("status")],
        interview_rows,
        [8, 34, 12, 25, 8, 12, 25, 12],
    )

    return xlsx(sheets, title=x("title"), when=today)


# Columns added to each lead: what is expected and offered, and the lead's strength.
_SUBSTANCE_COLUMNS = ("expectation_texts", "contribution_texts", "both_high", "shared_sdgs", "statements")


def _said(statements: list[Statement]) -> str:
    return "\n".join(f"{s.text} [{s.ref}]" for s in statements)


def _lead_substance(lead: Lead, lang: str) -> list[str]:
    """Both sides' texts and the lead's strength (``leads.strength``), as cells."""
    power = strength(lead)
    return [
        _said(lead.expectations),
        _said(lead.contributions),
        t("committee.xlsx.yes", lang) if power.both_high else "",
        ", ".join(map(str, power.shared_sdgs)),
        str(power.statements),
    ]


def _committee_sheets(
    ws: Workspace,
    synthesis: Synthesis,
    lang: str,
    sheet: Callable[[str, list[str], list[list[Any]], list[int]], None],
    actor: Callable[[str], str],
    themes: dict[str, str],
) -> None:
    """The needs unmet across the border and the possible leads to confirm, a sheet each."""

    def x(key: str) -> str:
        return t(f"xlsx.{key}", lang)

    def c(key: str) -> str:
        return t(f"committee.xlsx.{key}", lang)

    sheet(
        c("sheet_unmet"),
        [x("ref"), x("actor"), x("country"), x("text"), x("themes"), x("priority"), c("offered_home")],
        [
            [
                n.statement.ref,
                actor(n.statement.actor),
                n.statement.country,
                n.statement.text,
                ", ".join(themes.get(th, th) for th in n.statement.themes),
                t(f"priority.{n.statement.priority}", lang) if n.statement.priority else "",
                ", ".join(map(actor, n.offered_at_home)),
            ]
            for n in unmet_needs(synthesis)
        ],
        [8, 22, 8, 60, 30, 10, 30],
    )
    sheet(
        c("sheet_possible"),
        [
            *(x("theme"), x("expecting"), x("country"), x("offering"), x("country")),
            *(c("words"), x("refs"), c("expectation_texts"), c("contribution_texts")),
        ],
        [
            [
                themes.get(p.theme, p.theme),
                actor(p.expecting),
                p.expecting_country,
                actor(p.offering),
                p.offering_country,
                ", ".join(p.words),
                " ".join(sorted({s.ref for s in p.expectations + p.contributions})),
                _said(p.expectations),
                _said(p.contributions),
            ]
            for p in possible_leads(synthesis, ws.themes, limit=MAX_LEAD_PAIRS)[0]
        ],
        [30, 22, 8, 22, 8, 25, 14, 60, 60],
    )
