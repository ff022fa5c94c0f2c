"""``ess-coop new-interview``: a transcript skeleton tailored to one actor, from the guide.

The skeleton is written as *text* (not dumped from data) so that every question and prompt
can sit above its answer as a comment, in the interviewer's language. It is valid as a
draft the moment it is written, and it is created without ever replacing an existing file.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path

from ess_coop.errors import UserError
from ess_coop.i18n import t, with_project_dates
from ess_coop.models import Actor, Guide, Mode, Theme
from ess_coop.workspace import Workspace

_WIDTH = 100


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
    if ws.guide is None:
        raise UserError("workspace-invalid", file="templates/guide.yaml")
    guide = ws.guide

    def render(interview_id: str) -> bytes:
        return render_skeleton(ws, actor, guide, interview_id, date, interviewers, mode, lang).encode("utf-8")

    # A Word form waiting to be imported holds its id too; see Workspace.allocate_interview.
    path = ws.allocate_interview(actor, date, render, suffix=".yaml")
    return NewInterview(path.stem, path, len(guide.questions_for(actor)))


def _comment(text: str, indent: str, prefix: str = "") -> list[str]:
    """``text`` as YAML comment lines, wrapped, each starting with ``indent# ``."""
    width = max(40, _WIDTH - len(indent) - 2)
    lines = textwrap.wrap(
        " ".join(text.split()), width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix)
    ) or [prefix]
    return [f"{indent}# {line}".rstrip() for line in lines]


def _flow_list(items: list[str]) -> str:
    quoted = [item if item.replace(" ", "").replace(".", "").isalnum() else _quote(item) for item in items]
    return "[" + ", ".join(quoted) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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

    add(f"# {s('title', actor=actor.label, name=actor.name, country=actor.country, type=actor.type)}")
    minutes = f", {guide.duration_minutes} min" if guide.duration_minutes else ""
    add(f"# {s('guide', title=guide.title.get(lang), ref=guide.ref, minutes=minutes)}")
    out += _comment(s("how_to"), "")
    out += _comment(s("status_rule"), "")
    if actor.sensitive:
        out += _comment(s("sensitive"), "")
    add("format: 1")
    add(f"id: {interview_id}")
    add(f"actor: {actor.id}")
    add(f"date: {date.isoformat()}")
    add(_kv("status: draft", s("status_values")))
    add(f"guide: {guide.ref}")
    add(_kv(f"mode: {mode}", "in-person | video | phone | written"))
    add(f"language: {lang}")
    add(_kv(f"interviewers: {_flow_list(interviewers)}", s("interviewers")))
    add("interviewees:")
    add(_kv("  - ref: P1", s("ref")))
    add(_kv("    role:", s("role")))
    add(_kv("    # name:", s("name")))
    add("consent:")
    add(_kv("  recording: false", s("recording")))
    add(_kv("  quotes: none", s("quotes")))
    add(_kv("  review_before_publication: true", s("review")))
    add("")
    add("answers:")
    for number, section, questions in guide.sections_for(actor):
        add("")
        add(f"  # ── {number}. {section.title.get(lang)} ──")
        for question in questions:
            mark = f" ({s('required')})" if question.required else ""
            out += _comment(question.text.get(lang) + mark, "  ", "? ")
            if question.help is not None:
                project = ws.project.project if ws.project is not None else None
                start, end = (project.start, project.end) if project is not None else (None, None)
                out += _comment(with_project_dates(question.help.get(lang), start, end, lang), "  ", "→ ")
            add(f"  {question.id}:")
    add("")
    out += _comment(s("themes_intro"), "")
    for theme in ws.themes:
        add(f"#   {theme.id:<28} {theme.label.get(lang)}")
    out += _comment(s("sdgs_intro"), "")
    for number in range(1, 18):
        add(f"#   {number:>2}  {t(f'sdg.{number}', lang)}")
    add("")
    _structured(
        out, "expectations", s("expectations"), s("example_expectation"), _example_theme(ws.themes), with_priority=True
    )
    _structured(out, "contributions", s("contributions"), s("example_contribution"), _example_theme(ws.themes))
    add(_kv("constraints:", s("constraints")))
    add(f"  # - text: {s('example_constraint')}")
    add("  #   themes: [" + _example_theme(ws.themes) + "]")
    add("")
    add(_kv("quotes:", s("quotes_list")))
    add(f'  # - text: "{s("example_quote")}"')
    add("  #   speaker: P1")
    add("  #   themes: [" + _example_theme(ws.themes) + "]")
    add("")
    add(_kv("notes:", s("notes")))
    return "\n".join(out) + "\n"


def _kv(line: str, comment: str) -> str:
    """A line with its comment aligned on column 34."""
    return f"{line:<33}# {comment}" if len(line) < 33 else f"{line}  # {comment}"


def _example_theme(themes: list[Theme]) -> str:
    return themes[0].id if themes else "theme-id"


def _structured(
    out: list[str], key: str, meaning: str, example: str, theme: str, *, with_priority: bool = False
) -> None:
    out.append(_kv(f"{key}:", meaning))
    out.append(f"  # - text: {example}")
    out.append(f"  #   themes: [{theme}]")
    out.append("  #   sdgs: [17]")
    if with_priority:
        out.append("  #   priority: high             # high | medium | low")
    out.append("")
