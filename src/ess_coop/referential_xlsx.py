"""The synthesis as an Excel workbook, for coordinators who sort and filter.

One sheet for every table of the document: the theme × country matrix, expectations,
contributions, cooperation leads, asymmetries, SDGs, reciprocity, the quotes consent allows,
the balance between countries, interviews. Every text is stored as text: a cell starting with
``=``, ``+``, ``-`` or ``@`` is never a formula (CSV/formula injection), and no cell holds a formula at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ess_coop.consent import interviewer_labels
from ess_coop.i18n import t
from ess_coop.leads import possible_leads, strength, unmet_needs
from ess_coop.synthesis import Lead, Statement, Synthesis
from ess_coop.workspace import Workspace
from ess_coop.xlsx_writer import Cell, xlsx

# Above this many leads, the leads sheet has one row per expecting actor and theme (with every
# offering actor in one cell) rather than one row per pair: the same leads, in a sheet Excel opens.
MAX_LEAD_PAIRS = 10_000


def build_workbook(ws: Workspace, synthesis: Synthesis, *, lang: str, today: dt.date) -> bytes:
    """The workbook as .xlsx bytes (identical for identical data): one sheet for every table of
    the document, labels in ``lang``, dates as dates, counts as numbers."""

    def x(key: str, **params: object) -> str:
        return t(f"xlsx.{key}", lang, **params)

    def e(key: str, **params: object) -> str:
        return t(f"edition.xlsx_{key}", lang, **params)

    labels = {a.id: a.label for a in ws.actors}
    themes = {th.id: th.label.get(lang) for th in ws.themes}
    countries = synthesis.countries

    def actor(actor_id: str) -> str:
        return labels.get(actor_id, actor_id)

    def country(code: str) -> str:
        return t(f"country.{code}", lang, default=code)

    def theme_list(ids: list[str]) -> str:
        return ", ".join(themes.get(i, i) for i in ids)

    def actor_list(ids: list[str]) -> str:
        return ", ".join(map(actor, ids))

    sheets: list[tuple[str, list[str], list[list[Cell]], list[int]]] = []

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        cells: list[list[Cell]] = [[v if isinstance(v, int | dt.date) else str(v) for v in row] for row in rows]
        sheets.append((title, header, cells, _widths(header, cells)))

    matrix_header = [x("theme")]
    for c in countries:
        matrix_header += [x("expects", country=country(c)), x("offers", country=country(c))]
    matrix_rows = []
    for row in synthesis.themes:
        if not row.mentioned:
            continue
        values: list[Any] = [themes.get(row.theme, row.theme)]
        for c in countries:
            values += [actor_list(row.expects[c]), actor_list(row.offers[c])]
        matrix_rows.append(values)
    sheet(x("sheet_matrix"), matrix_header, matrix_rows)

    def statement_rows(kind: str, with_priority: bool) -> list[list[Any]]:
        chosen: list[Statement] = [s for s in synthesis.statements if s.kind == kind]
        return [
            [s.ref, actor(s.actor), country(s.country), s.text, theme_list(s.themes), ", ".join(map(str, s.sdgs))]
            + ([t(f"priority.{s.priority}", lang) if s.priority else ""] if with_priority else [])
            + [x("yes") if s.draft else ""]
            for s in chosen
        ]

    statement_header = [x("ref"), x("actor"), x("country"), x("text"), x("themes"), x("sdgs")]
    # Contributions carry no priority in the guide: their sheet has no such (always empty) column.
    sheet(x("sheet_expectations"), [*statement_header, x("priority"), x("draft")], statement_rows("expectation", True))
    sheet(x("sheet_contributions"), [*statement_header, x("draft")], statement_rows("contribution", False))

    if synthesis.lead_count <= MAX_LEAD_PAIRS:
        lead_rows = [
            [
                themes.get(lead.theme, lead.theme),
                actor(lead.expecting),
                country(lead.expecting_country),
                actor(lead.offering),
                country(lead.offering_country),
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
                country(group.expecting_country),
                actor_list(group.offering),
                country(group.offering_country),
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
    )
    _committee_sheets(ws, synthesis, lang, sheet, actor, country, themes)

    order = ("unmet", "unasked", "one-country")
    sheet(
        e("sheet_asymmetries"),
        [e("finding"), x("theme"), e("countries"), e("actors")],
        [
            [
                t(f"doc.asymmetry.{a.kind}", lang),
                themes.get(a.theme, a.theme),
                ", ".join(map(country, a.countries)),
                actor_list(a.actors),
            ]
            for a in sorted(synthesis.asymmetries, key=lambda a: order.index(a.kind))
        ],
    )
    sdg_header = [e("sdg")]  # one SDG a row
    for c in countries:
        sdg_header += [e("statements_in", country=country(c)), e("actors_in", country=country(c))]
    sheet(
        e("sheet_sdgs"),
        sdg_header,
        [
            [t("doc.sdg_label", lang, number=row.sdg, name=t(f"sdg.{row.sdg}", lang))]
            + [v for c in countries for v in (row.statements.get(c, 0), actor_list(row.actors.get(c, [])))]
            for row in synthesis.sdgs
            if any(row.statements.values())
        ],
    )
    sheet(
        e("sheet_reciprocity"),
        [x("actor"), x("country"), e("expectations"), e("contributions"), e("status")],
        [
            [
                actor(r.actor),
                country(r.country),
                r.expectations,
                r.contributions,
                t(f"doc.reciprocity.{r.status}", lang).removeprefix("⚠ "),
            ]
            for r in synthesis.reciprocity
        ],
    )
    refs = {i.id: i.ref for i in synthesis.interviews}
    sheet(
        e("sheet_quotes"),
        [e("quote"), e("attribution"), x("country"), x("themes"), x("ref")],
        [
            # As in the document: an anonymous quote never carries its interview reference.
            [
                q.text,
                q.attribution,
                # Nor a country its label does not give ("a partner" was chosen because the country
                # would narrow it below privacy.min_group), nor its themes: the group rule counts
                # partners who raised *one* of them, and the document prints none beside it.
                "" if q.level == "anonymous" and q.group not in ("type", "country") else country(q.country),
                "" if q.level == "anonymous" else theme_list(q.themes),
                "" if q.level == "anonymous" else refs.get(q.interview, ""),
            ]
            for q in synthesis.quotes
        ],
    )
    sheet(
        e("sheet_balance"),
        [
            x("country"),
            e("partners"),
            e("interviewed"),
            e("interviews"),
            e("expectations"),
            e("contributions"),
            e("quotes"),
        ],
        [
            [country(b.country), b.partners, b.interviewed, b.interviews, b.expectations, b.contributions, b.quotes]
            for b in synthesis.balance
        ],
    )

    interview_rows = [
        [
            i.ref,
            i.date,
            actor(i.actor),
            country(i.country),
            t(f"form.choice.mode.{i.mode}", lang) if i.mode else "",
            ", ".join(interviewer_labels(i.interviewers, ws.actors, lang=lang, anonymize=synthesis.anonymize)),
            t(f"status.{i.status}", lang),
        ]
        for i in synthesis.interviews
    ]
    sheet(
        x("sheet_interviews"),
        [x("ref"), x("date"), x("actor"), x("country"), x("mode"), x("interviewers"), x("status")],
        interview_rows,
    )

    return xlsx(sheets, title=x("title"), when=today)


def _widths(header: list[str], rows: list[list[Cell]]) -> list[int]:
    """Column widths (in characters) that fit the header and the longest line of each column,
    between 8 and 60 (longer texts wrap)."""
    widths = []
    for index, title in enumerate(header):
        longest = len(title) + 3  # room for the filter button
        for row in rows:
            value = row[index]
            size = 11 if isinstance(value, dt.date) else max(map(len, str(value).splitlines()), default=0)
            longest = max(longest, size + 1)
        widths.append(min(60, max(8, longest)))
    return widths


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
    sheet: Callable[[str, list[str], list[list[Any]]], None],
    actor: Callable[[str], str],
    country: Callable[[str], str],
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
                country(n.statement.country),
                n.statement.text,
                ", ".join(themes.get(th, th) for th in n.statement.themes),
                t(f"priority.{n.statement.priority}", lang) if n.statement.priority else "",
                ", ".join(map(actor, n.offered_at_home)),
            ]
            for n in unmet_needs(synthesis)
        ],
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
                country(p.expecting_country),
                actor(p.offering),
                country(p.offering_country),
                ", ".join(p.words),
                " ".join(sorted({s.ref for s in p.expectations + p.contributions})),
                _said(p.expectations),
                _said(p.contributions),
            ]
            for p in possible_leads(synthesis, ws.themes, limit=MAX_LEAD_PAIRS)[0]
        ],
    )
