"""``ess-coop new-interview``: a transcript skeleton tailored to one actor, from the guide.

The skeleton is written as *text* (not dumped from data) so that every question and prompt
can sit above its answer as a comment, in the interviewer's language. It is valid as a
draft the moment it is written, and it is created without ever replacing an existing file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ess_coop.i18n import t, with_project_dates
from ess_coop.models import Actor, Guide, Mode, Theme
from ess_coop.workspace import Workspace
from ess_coop.yamlio import comment, commented, flow, name, wrapped_comment


@dataclass(frozen=True)
class NewInterview:
    """What ``new-interview`` created."""

    interview_id: str
    path: Path
    questions: int


def create_interview(
    ws: Workspace,
    actor_id: str,
    *,
    date: dt.date,
    interviewers: list[str],
    mode: Mode,
    lang: str,
) -> NewInterview:
    """Write a new transcript skeleton for ``actor_id`` and return where it went."""
    actor = ws.require_actor(actor_id)
    guide = ws.require_guide()

    def render(interview_id: str) -> bytes:
        return render_skeleton(ws, actor, guide, interview_id, date, interviewers, mode, lang).encode("utf-8")

    # A Word form waiting to be imported holds its id too; see Workspace.allocate_interview.
    path = ws.allocate_interview(actor, date, render, suffix=".yaml")
    return NewInterview(path.stem, path, len(guide.questions_for(actor)))


def render_skeleton(
    ws: Workspace,
    actor: Actor,
    guide: Guide,
    interview_id: str,
    date: dt.date,
    interviewers: list[str],
    mode: str,
    lang: str,
) -> str:
    """The text of a new transcript: every key of format.md, questions for this actor."""
    out: list[str] = []
    add = out.append

    def s(key: str, **params: object) -> str:
        return t(f"skeleton.{key}", lang, **params)

    add(comment(s("title", actor=actor.label, name=actor.name, country=actor.country, type=actor.type)))
    minutes = f", {guide.duration_minutes} min" if guide.duration_minutes else ""
    add(comment(s("guide", title=guide.title.get(lang), ref=guide.ref, minutes=minutes)))
    out += wrapped_comment(s("how_to"))
    out += wrapped_comment(s("status_rule"))
    if actor.sensitive:
        out += wrapped_comment(s("sensitive"))
    add("format: 1")
    add(f"id: {interview_id}")
    add(f"actor: {actor.id}")
    add(f"date: {date.isoformat()}")
    add(commented("status: draft", s("status_values")))
    add(f"guide: {guide.ref}")
    add(commented(f"mode: {mode}", "in-person | video | phone | written"))
    add(f"language: {lang}")
    add(commented(f"interviewers: {flow(interviewers, name)}", s("interviewers")))
    add("interviewees:")
    add(commented("  - ref: P1", s("ref")))
    add(commented("    role:", s("role")))
    add(commented("    # name:", s("name")))
    add("consent:")
    add(commented("  recording: false", s("recording")))
    add(commented("  quotes: none", s("quotes")))
    add(commented("  review_before_publication: true", s("review")))
    add("")
    add("answers:")
    for number, section, questions in guide.sections_for(actor):
        add("")
        add(comment(f"── {number}. {section.title.get(lang)} ──", "  "))
        for question in questions:
            mark = f" ({s('required')})" if question.required else ""
            out += wrapped_comment(question.text.get(lang) + mark, "  ", "? ")
            if question.help is not None:
                project = ws.project.project if ws.project is not None else None
                start, end = (project.start, project.end) if project is not None else (None, None)
                out += wrapped_comment(with_project_dates(question.help.get(lang), start, end, lang), "  ", "→ ")
            add(f"  {question.id}:")
    add("")
    out += wrapped_comment(s("themes_intro"))
    for theme in ws.themes:
        add(comment(f"  {theme.id:<28} {theme.label.get(lang)}"))
    out += wrapped_comment(s("sdgs_intro"))
    for number in range(1, 18):
        add(comment(f"  {number:>2}  {t(f'sdg.{number}', lang)}"))
    add("")
    _structured(
        out, "expectations", s("expectations"), s("example_expectation"), _example_theme(ws.themes), with_priority=True
    )
    _structured(out, "contributions", s("contributions"), s("example_contribution"), _example_theme(ws.themes))
    add(commented("constraints:", s("constraints")))
    add(comment(f"- text: {s('example_constraint')}", "  "))
    add("  #   themes: [" + _example_theme(ws.themes) + "]")
    add("")
    add(commented("quotes:", s("quotes_list")))
    add(comment(f'- text: "{s("example_quote")}"', "  "))
    add("  #   speaker: P1")
    add("  #   themes: [" + _example_theme(ws.themes) + "]")
    add("")
    add(commented("notes:", s("notes")))
    return "\n".join(out) + "\n"


def _example_theme(themes: list[Theme]) -> str:
    return themes[0].id if themes else "theme-id"


def _structured(
    out: list[str], key: str, meaning: str, example: str, theme: str, *, with_priority: bool = False
) -> None:
    out.append(commented(f"{key}:", meaning))
    out.append(comment(f"- text: {example}", "  "))
    out.append(f"  #   themes: [{theme}]")
    out.append("  #   sdgs: [17]")
    if with_priority:
        out.append("  #   priority: high             # high | medium | low")
    out.append("")
