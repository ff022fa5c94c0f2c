"""The parts of the référentiel a committee acts on: the essentials on one page, the leads with
their substance, the needs nobody across the border meets, the possible leads to confirm, and
the coordinators' own words (``texts/``).

Each function writes into the référentiel's writer (``referential_docx._Writer``), from the
analyses of ``leads`` (pure data); it decides nothing of people: statements are printed as the
profile sheets print them, and no quote is read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from ess_coop import docx_base
from ess_coop.i18n import t
from ess_coop.leads import PossibleLead, RankedLead, Strength, possible_leads, theme_asymmetries
from ess_coop.synthesis import Statement
from ess_coop.texts import Block

if TYPE_CHECKING:
    from ess_coop.referential_docx import _Writer

LEADS_PER_THEME = 3  # the strongest leads a theme shows; the workbook lists them all
SUMMARY_LEADS = 2  # the strongest leads of each direction on the summary page
SUMMARY_NEEDS = 4  # the unmet needs the summary page names
SUMMARY_TEXT = 80  # characters of a statement quoted on the summary page
MAX_POSSIBLE_ROWS = 40  # possible leads listed in the method annex
_LINK_COLOUR = "0563C1"


def short(text: str, limit: int = SUMMARY_TEXT) -> str:
    """``text`` cut at a word before ``limit`` characters (the summary page must fit one page)."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def c(w: _Writer, key: str, **params: Any) -> str:
    return t(f"committee.doc.{key}", w.lang, **params)


def _part(w: _Writer, heading_key: str, part_key: str) -> str:
    """Where a figure comes from: "(partie 4, « Pistes de coopération »)"."""
    heading = w.g(heading_key)
    annex = heading.split(". ", 1)[0]
    if len(annex) == 1 and annex.isalpha():  # "B. Partenaires pas encore interrogés"
        return c(w, "see_annex", annex=annex)
    return c(w, "see", part=w.g(part_key).split(".", 1)[0], section=heading)


def _priority(w: _Writer, statement: Statement) -> str:
    if not statement.priority:
        return ""
    level = t(f"priority.{statement.priority}", w.lang, default=statement.priority)
    return " " + c(w, "priority", level=level)


def _said(w: _Writer, statements: list[Statement]) -> str:
    """The texts of the statements, each with its priority and reference."""
    return "\n".join(c(w, "said", text=s.text, priority=_priority(w, s), ref=s.ref) for s in statements)


def strength_text(w: _Writer, strength: Strength) -> str:
    parts = []
    if strength.both_high:
        parts.append(c(w, "strength_high"))
    if strength.shared_sdgs:
        parts.append(c(w, "strength_sdgs", sdgs=", ".join(map(str, strength.shared_sdgs))))
    parts.append(c(w, "strength_statements", count=strength.statements))
    return "\n".join(parts)


# --- the essentials, after the contents ---------------------------------------------------------


def essentials(w: _Writer) -> None:
    """One page a committee member reads first: generated sentences, each traced to its part."""
    syn = w.syn
    w.para(c(w, "essentials_title"), "Title", page_break_before=True)  # its own page, after the contents
    w.note(c(w, "essentials_intro"))
    per_country = w.g("list_sep").join(
        c(w, "interviewed_country", interviewed=b.interviewed, partners=b.partners, country=w.country(b.country))
        for b in syn.balance
    )
    interviewed = sum(b.interviewed for b in syn.balance)
    w.label(c(w, "e_interviews"))
    w.para(
        c(w, "interviewed_sentence", interviewed=interviewed, detail=per_country)
        + " "
        + _part(w, "h_balance", "h_stakes")
    )

    w.label(c(w, "e_leads"))
    any_lead = False
    for offering in syn.countries:
        for expecting in syn.countries:
            if offering == expecting:
                continue
            themes = w.ranked.get((expecting, offering), [])  # each theme's strongest lead first
            best: list[RankedLead] = []
            for candidate in sorted((tl.leads[0] for tl in themes), key=lambda r: r.strength.key()):
                pair = (candidate.lead.expecting, candidate.lead.offering)
                if len(best) < SUMMARY_LEADS and pair not in {(r.lead.expecting, r.lead.offering) for r in best}:
                    best.append(candidate)  # one sentence per pair of partners: the strongest theme
            for ranked in best:
                any_lead = True
                w.para(_lead_sentence(w, ranked), "List Bullet")
    if any_lead:
        w.para(c(w, "leads_total", count=syn.lead_count) + " " + _part(w, "h_leads", "h_stakes"))
    else:
        w.para(c(w, "no_leads") + " " + _part(w, "h_leads", "h_stakes"))

    w.label(c(w, "e_unmet"))
    needs = w.needs
    if needs:
        w.para(c(w, "unmet_count", count=len(needs)) + " " + _part(w, "h_asymmetries", "h_stakes"))
        for need in needs[:SUMMARY_NEEDS]:
            w.para(_need_sentence(w, need.statement, need.offered_at_home), "List Bullet")
        if len(needs) > SUMMARY_NEEDS:
            w.note(c(w, "unmet_more", count=len(needs) - SUMMARY_NEEDS))
    else:
        w.para(c(w, "no_unmet") + " " + _part(w, "h_asymmetries", "h_stakes"))

    w.label(c(w, "e_shared"))
    if syn.shared_stakes:
        names = w.g("list_sep").join(w.theme_label(th) for th in syn.shared_stakes)
        w.para(c(w, "shared", count=len(syn.shared_stakes), themes=names) + " " + _part(w, "h_shared", "h_stakes"))
    else:
        w.para(c(w, "no_shared") + " " + _part(w, "h_shared", "h_stakes"))

    w.label(c(w, "e_balance"))
    warnings = []
    if syn.balance_warning:
        warnings.append(
            c(w, "balance_warning", country=w.country(syn.balance_warning)) + " " + _part(w, "h_balance", "h_stakes")
        )
    flagged = [r for r in syn.reciprocity if r.status != "both"]
    if flagged:
        warnings.append(
            c(w, "reciprocity_warning", count=len(flagged), actors=w.labels(r.actor for r in flagged))
            + " "
            + _part(w, "h_reciprocity", "h_stakes")
        )
    if syn.not_interviewed:
        pending = c(w, "pending_warning", count=len(syn.not_interviewed))
        warnings.append(pending + " " + _part(w, "h_pending", "h_annexes"))
    for warning in warnings:
        w.para(warning, "List Bullet")
    if not warnings:
        w.para(c(w, "balanced") + " " + _part(w, "h_balance", "h_stakes"))


def _lead_sentence(w: _Writer, ranked: RankedLead) -> str:
    lead = ranked.lead
    expectation = lead.expectations[0] if lead.expectations else None
    contribution = lead.contributions[0] if lead.contributions else None
    refs = ", ".join(dict.fromkeys(s.ref for s in [*lead.expectations, *lead.contributions]))
    return c(
        w,
        "lead_sentence",
        offering=w.actor_label(lead.offering),
        offering_country=w.country(lead.offering_country),
        expecting=w.actor_label(lead.expecting),
        expecting_country=w.country(lead.expecting_country),
        theme=w.theme_label(lead.theme),
        expectation=short(expectation.text) if expectation else "",
        contribution=short(contribution.text) if contribution else "",
        why=_why(w, ranked.strength),
        refs=refs,
    )


def _why(w: _Writer, strength: Strength) -> str:
    if strength.both_high:
        return c(w, "why_high")
    if strength.shared_sdgs:
        return c(w, "why_sdgs", sdgs=", ".join(map(str, strength.shared_sdgs)))
    return c(w, "why_statements", count=strength.statements)


def _need_sentence(w: _Writer, statement: Statement, home: list[str]) -> str:
    where = (
        c(w, "offered_home", country=w.country(statement.country), actors=w.labels(home))
        if home
        else c(w, "offered_nowhere")
    )
    return c(
        w,
        "need_sentence",
        actor=w.actor_label(statement.actor),
        country=w.country(statement.country),
        text=short(statement.text),
        priority=_priority(w, statement),
        ref=statement.ref,
        where=where,
    )


# --- 4 leads with their substance ------------------------------------------------------------


def leads(w: _Writer) -> None:
    """The leads of each direction, theme by theme, strongest first, with both statements."""
    syn = w.syn
    w.heading(w.g("h_leads"), 2)
    w.intro(c(w, "leads_intro", count=LEADS_PER_THEME))
    by_direction = syn.groups_by_direction()
    for offering in syn.countries:
        for expecting in syn.countries:
            if offering == expecting:
                continue
            count = sum(group.count for group in by_direction.get((expecting, offering), []))
            direction = w.direction(offering, expecting)
            if count > 1:
                direction = w.g("direction_count", direction=direction, count=count)
            elif count:
                direction = w.g("direction_one", direction=direction)
            w.heading(direction, 3)
            if not count:
                w.note(w.g("no_leads_direction"))
                continue
            header = [
                c(w, "expected_by", country=w.country(expecting)),
                c(w, "offered_by", country=w.country(offering)),
                c(w, "strength"),
            ]
            for theme_leads in w.ranked.get((expecting, offering), []):
                w.label(c(w, "theme_leads", theme=w.theme_label(theme_leads.theme), count=theme_leads.total))
                rows = [
                    [
                        w.actor_label(r.lead.expecting) + "\n" + _said(w, r.lead.expectations),
                        w.actor_label(r.lead.offering) + "\n" + _said(w, r.lead.contributions),
                        strength_text(w, r.strength),
                    ]
                    for r in theme_leads.leads
                ]
                w.table(header, rows, [6.2, 6.2, 4.1], font_pt=9)  # "ODD en commun : 11, 12" on one line
                more = theme_leads.total - len(theme_leads.leads)
                if more:
                    w.note(c(w, "more_leads", count=more))


# --- 4 asymmetries: one table ------------------------------------------------------------------


def asymmetries(w: _Writer) -> None:
    """Needs nobody across the border meets (with their text), then the themes' other
    asymmetries, in one table without duplicates: a theme whose needs are listed is not
    listed again."""
    syn = w.syn
    w.heading(w.g("h_asymmetries"), 2)
    w.intro(c(w, "asymmetries_intro"))
    needs = w.needs
    covered = {th for need in needs for th in need.statement.themes}
    rows = []
    for need in needs:
        s = need.statement
        where = (
            c(w, "offered_home", country=w.country(s.country), actors=w.labels(need.offered_at_home))
            if need.offered_at_home
            else c(w, "offered_nowhere")
        )
        rows.append(
            [
                c(w, "unmet_kind", country=w.country(s.country)),
                w.g("list_sep").join(w.theme_label(th) for th in s.themes),
                c(w, "unmet_detail", actor=w.actor_label(s.actor), text=s.text, priority=_priority(w, s), ref=s.ref)
                + "\n"
                + where,
            ]
        )
    for row in theme_asymmetries(syn):
        if row.theme in covered:
            continue
        kinds = " · ".join(w.g(f"asymmetry.{kind}") for kind in row.kinds)
        detail = w.g("list_sep").join(w.country(x) for x in row.countries) + " : " + w.labels(row.actors)
        if w.lang == "en":
            detail = detail.replace(" : ", ": ")
        rows.append([kinds, w.theme_label(row.theme), detail])
    if not rows:
        w.note(w.g("no_asymmetries"))
        return
    w.table([w.g("asymmetry_kind"), w.g("theme"), c(w, "who_what")], rows, [3.6, 3.8, 9.1], font_pt=9.5)


# --- annex A: strength and possible leads ----------------------------------------------------


def method_additions(w: _Writer) -> None:
    """How leads are ranked, and the possible leads that keywords suggest, apart."""
    w.subheading(c(w, "h_strength"), 3)
    w.para(c(w, "strength_definition"))
    w.subheading(c(w, "h_possible"), 3)
    found, total = possible_leads(w.syn, w.ws.themes, limit=MAX_POSSIBLE_ROWS)
    w.para(c(w, "possible_intro"))
    if not found:
        w.note(c(w, "no_possible"))
        return
    rows = [_possible_row(w, p) for p in found]
    w.table(
        [w.g("theme"), c(w, "possible_expecting"), c(w, "possible_offering"), c(w, "possible_words")],
        rows,
        [3.6, 4.6, 4.6, 3.7],
        font_pt=9,
    )
    if total > len(found):
        w.note(c(w, "more_possible", count=total - len(found)))


def _possible_row(w: _Writer, p: PossibleLead) -> list[str]:
    def side(actor: str, country: str, statements: list[Statement]) -> str:
        refs = ", ".join(dict.fromkeys(s.ref for s in statements))
        return f"{w.actor_label(actor)} ({w.country(country)}) [{refs}]"

    return [
        w.theme_label(p.theme),
        side(p.expecting, p.expecting_country, p.expectations),
        side(p.offering, p.offering_country, p.contributions),
        ", ".join(p.words),
    ]


# --- the coordinators' own words -------------------------------------------------------------


def own_words(w: _Writer, name: str, part_level: int = 1, *, resume: bool = True) -> None:
    """The text ``texts/<name>`` (if any) at this place, its headings below ``part_level``.

    A text with headings of its own would take in what the part says next, under its last
    heading: with ``resume`` (the part goes on with text, not a heading), a heading of the part's
    own ("Le projet en bref", "Vue d'ensemble") then opens what the document says itself."""
    blocks = w.texts.get(name) if w.texts else None
    if not blocks:
        return
    write_blocks(w, blocks, part_level)
    if resume and any(block.kind == "heading" for block in blocks):
        key = "resume_introduction" if name == "introduction" else "resume"
        w.heading(c(w, key), part_level + 1, keep_with_next=True)


def conclusion(w: _Writer) -> None:
    """``texts/conclusion``, as a part of its own before the annexes."""
    if w.texts and w.texts.get("conclusion"):
        w.heading(c(w, "h_conclusion"), 1, new_page=True)
        write_blocks(w, w.texts["conclusion"], 1)


def write_blocks(w: _Writer, blocks: list[Block], part_level: int) -> None:
    """Paragraphs, headings (shifted below ``part_level``), list items, bold, italic, links."""
    for block in blocks:
        if block.kind == "heading":
            level = part_level + block.level
            if level <= 3 or docx_base.has_style(w.doc, f"Heading {level}"):
                paragraph = w.para(style=f"Heading {level}", keep_with_next=True)
            else:
                paragraph = w.para(keep_with_next=True, space_before_pt=10)
            _spans(paragraph, block, bold=level > 3)
        elif block.kind == "paragraph":
            _spans(w.para(), block)
        else:
            style = "List Bullet" if block.kind == "bullet" else "List Paragraph"
            depth = min(block.level, 3)
            if depth > 1 and block.kind == "bullet" and docx_base.has_style(w.doc, f"List Bullet {depth}"):
                style = f"List Bullet {depth}"
            paragraph = w.para(style=style)
            if block.kind == "number":
                # Numbers written out: Word's "List Number" would continue from the previous list.
                paragraph.paragraph_format.left_indent = Cm(0.63 * depth)
                docx_base.add_run(paragraph, f"{block.number}. ")
            _spans(paragraph, block)


def _spans(paragraph: Paragraph, block: Block, *, bold: bool = False) -> None:
    for span in block.spans:
        if span.link:
            _hyperlink(paragraph, span.text, span.link, bold=bold or span.bold, italic=span.italic)
        else:
            docx_base.add_run(paragraph, span.text, bold=bold or span.bold, italic=span.italic)


def _hyperlink(paragraph: Paragraph, text: str, url: str, *, bold: bool, italic: bool) -> None:
    """A clickable link (an external relationship and a ``w:hyperlink`` around the run)."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = docx_base.add_run(paragraph, text, bold=bold, italic=italic, color=_LINK_COLOUR)
    run.font.underline = True
    docx_base.xml_of(paragraph).remove(docx_base.xml_of(run))
    link.append(docx_base.xml_of(run))
    docx_base.xml_of(paragraph).append(link)
