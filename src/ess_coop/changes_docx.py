"""The référentiel's annex "What changed since version X", written from ``editions.Changes``.

Prints partners' names, theme labels, dates and interview references only: no ids, no paths.
Long lists of leads are cut (the ``changes`` command lists them all).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ess_coop.editions import Changes
from ess_coop.i18n import t

if TYPE_CHECKING:
    from ess_coop.referential_docx import _Writer

MAX_LEAD_LINES = 40  # a committee reads a short list; the command gives the rest


def write_changes(w: _Writer, changes: Changes) -> None:
    """The annex, at heading level 2, into the writer's document."""

    def c(key: str, **params: Any) -> str:
        return t(f"review.changes.{key}", w.lang, **params)

    w.heading(c("title", version=changes.since), 2, new_page=True)
    if changes.empty:
        w.note(c("nothing"))
        return
    w.para(c("intro", since=changes.since, version=changes.version))
    for change in ("added", "withdrawn"):
        items = [
            c("interview_item", actor=i.label, date=w.date(i.date), ref=_ref(i.ref, i.old_ref, changes, w.lang))
            for i in changes.interviews
            if i.change == change
        ]
        if items:
            w.subheading(c(f"interviews_{change}", count=len(items)), 3)
            w.bullets(items)
    if changes.statements:
        w.subheading(c("statements", count=len(changes.statements)), 3)
        for actor in dict.fromkeys(s.actor for s in changes.statements):
            mine = [s for s in changes.statements if s.actor == actor]
            w.label(mine[0].label)
            items = []
            for s in mine:
                kind = c(f"kind.{s.kind}")
                ref = _ref(s.ref, s.old_ref, changes, w.lang)
                if s.change == "changed" and s.before == s.after:
                    before = _details(w, s.themes_before, s.priority_before)
                    after = _details(w, s.themes_after, s.priority_after)
                    items.append(c("changed_details", kind=kind, text=s.after, before=before, after=after, ref=ref))
                elif s.change == "changed":
                    items.append(c("changed", kind=kind, before=s.before, after=s.after, ref=ref))
                else:
                    items.append(c(s.change, kind=kind, text=s.after or s.before, ref=ref))
            w.bullets(items)
    for change in ("gained", "lost"):
        leads = [lead for lead in changes.leads if lead.change == change]
        if not leads:
            continue
        w.subheading(c(f"leads_{change}", count=len(leads)), 3)
        items = [
            c(
                "lead_item",
                theme=w.theme_label(lead.theme),
                expecting=w.actor_label(lead.expecting),
                offering=w.actor_label(lead.offering),
            )
            for lead in leads[:MAX_LEAD_LINES]
        ]
        if len(leads) > MAX_LEAD_LINES:
            items.append(c("more_leads", count=len(leads) - MAX_LEAD_LINES))
        w.bullets(items)
    if changes.quotes_added or changes.quotes_removed:
        w.subheading(c("quotes_title"), 3)
        w.para(c("quotes", added=changes.quotes_added, removed=changes.quotes_removed))


def _details(w: _Writer, themes: list[str], priority: str | None) -> str:
    """The themes and priority printed beside a statement, as the document prints them."""
    details = [w.theme_label(theme) for theme in themes]
    if priority:
        details.append(w.g("priority", level=t(f"priority.{priority}", w.lang, default=priority)))
    return " · ".join(details) or "—"


def _ref(ref: str, old: bool, changes: Changes, lang: str) -> str:
    """An interview reference; one of the older edition says so (its number may now be another's)."""
    return t("review.changes.old_ref", lang, ref=ref, version=changes.since) if old else ref
