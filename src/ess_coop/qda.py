"""The workspace as a qualitative-analysis project: codes, users, cases and coded sources.

Pure data in the shape of the REFI-QDA standard (``refi`` writes it as XML; ``export`` writes
the files). What goes where:

- the codebook: four folders (not codable themselves) — the themes (named in the document's
  language; the other language and the keywords as description), the kind of statement
  (expectation, contribution, constraint, quote), the 17 SDGs and the three priorities. SDGs and
  priority are codes, not variables, because they belong to one statement, and REFI-QDA
  variables only describe a whole case or source.
- one case per partner of the registry, with typed variables (country, type, role, territory,
  number of interviews counted), holding its counted interviews as sources.
- one plain-text source per counted interview: a header, the answers under their questions,
  then the expectations, contributions, constraints and the quotes its consent allows on the
  partner's own sheet. Each statement and quote is a selection on exactly its characters —
  positions in Unicode code points (Python ``str`` indices), end excluded — coded by its kind,
  themes, SDGs and priority.
- the anonymous quotes in one source of their own, tied to no case and no interview, ordered
  by country and text (never by interview), as the référentiel prints them apart.

Names and quotes are decided by ``consent`` (the same calls as the référentiel), and a name it
keeps out is replaced in the free answers too; ``notes`` are never read. GUIDs are uuid5 of
the project id and the ids of the thing they name, so exporting twice gives the same
identifiers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Literal

from ess_coop import consent
from ess_coop.consent import interviewee_labels, printed_quote
from ess_coop.errors import UserError
from ess_coop.i18n import t
from ess_coop.models import Actor, Project, Transcript, localized
from ess_coop.ooxml import XML_ILLEGAL
from ess_coop.synthesis import InterviewRef, Statement, Synthesis
from ess_coop.workspace import Workspace

VariableType = Literal["Text", "Integer", "Date", "Boolean"]
Value = str | int | bool | dt.date

# Fixed namespace of every GUID ess-coop derives (uuid5 of the tool's name): never change it,
# or the identifiers of every export change with it.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ess-coop/refi-qda")
KINDS = ("expectation", "contribution", "constraint", "quote")
PRIORITIES = ("high", "medium", "low")
TOOL_USER = "ess-coop"  # who "created" what no printable interviewer did (the anonymous quotes)

# The official colours of the 17 SDGs (UN communications guidelines), then a few for the rest.
SDG_COLOURS = (
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
    "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
)  # fmt: skip
KIND_COLOURS = {"expectation": "#1F6F6B", "contribution": "#C0504D", "constraint": "#7F7F7F", "quote": "#8064A2"}
PRIORITY_COLOURS = {"high": "#C00000", "medium": "#ED7D31", "low": "#A5A5A5"}
THEME_COLOURS = ("#4472C4", "#70AD47", "#FFC000", "#5B9BD5", "#9E480E", "#636363", "#997300", "#264478")


def guid(project_id: str, *parts: str) -> str:
    """The stable GUID of one thing of the project, from the ids that name it."""
    return str(uuid.uuid5(NAMESPACE, "/".join((project_id, *parts))))


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str | None = None
    children: tuple[Code, ...] = ()

    def walk(self) -> list[Code]:
        """This code and every code below it."""
        return [self, *(c for child in self.children for c in child.walk())]


@dataclass(frozen=True)
class User:
    guid: str
    name: str


@dataclass(frozen=True)
class Variable:
    guid: str
    name: str
    type: VariableType


@dataclass(frozen=True)
class VariableValue:
    variable: Variable
    value: Value


@dataclass(frozen=True)
class Selection:
    """A passage of a source, ``text[start:end]``, with the codes applied to it."""

    guid: str
    name: str
    start: int
    end: int
    kind: str  # expectation | contribution | constraint | quote
    codes: tuple[str, ...]  # code GUIDs


@dataclass
class Source:
    """A plain-text source and its coded passages."""

    guid: str
    name: str
    text: str
    user: str  # GUID of the user who made it
    date: dt.date
    interview: str | None  # the interview's id; None for the anonymous quotes
    description: str | None = None
    selections: list[Selection] = field(default_factory=list)
    values: list[VariableValue] = field(default_factory=list)


@dataclass(frozen=True)
class Case:
    guid: str
    name: str
    description: str | None
    values: tuple[VariableValue, ...]
    sources: tuple[str, ...]  # source GUIDs


@dataclass
class QdaProject:
    """Everything a ``.qdpx`` holds, as data."""

    name: str
    description: str | None
    users: list[User]
    tool_user: str  # GUID of the ess-coop user: the project's creator
    codes: list[Code]
    variables: list[Variable]
    cases: list[Case]
    sources: list[Source]

    def code_count(self) -> int:
        return sum(len(code.walk()) for code in self.codes)


# --- the codebook ----------------------------------------------------------------------------


def codebook(ws: Workspace, *, lang: str) -> list[Code]:
    """The codes of the project, in four folders: themes, kinds, SDGs, priorities."""
    pid = _project_id(ws)
    other = "en" if lang == "fr" else "fr"
    themes = []
    for index, theme in enumerate(ws.themes):
        lines = []
        if theme.label.get(other) and theme.label.get(other) != theme.label.get(lang):
            lines.append(_g("theme_other", lang, label=theme.label.get(other)))
        if theme.keywords:
            lines.append(_g("theme_keywords", lang, keywords=", ".join(theme.keywords)))
        themes.append(
            Code(
                guid(pid, "theme", theme.id),
                _clean(theme.label.get(lang)),
                colour=THEME_COLOURS[index % len(THEME_COLOURS)],
                description=_clean("\n".join(lines)) or None,
            )
        )
    kinds = tuple(
        Code(
            guid(pid, "kind", kind),
            _g(f"kind.{kind}", lang),
            colour=KIND_COLOURS[kind],
            description=_g(f"kind_description.{kind}", lang),
        )
        for kind in KINDS
    )
    sdgs = tuple(
        Code(
            guid(pid, "sdg", str(n)),
            _g("sdg_code", lang, number=n, name=t(f"sdg.{n}", lang)),
            colour=SDG_COLOURS[n - 1],
        )
        for n in range(1, 18)
    )
    priorities = tuple(
        Code(
            guid(pid, "priority", p),
            _g("priority_code", lang, level=t(f"priority.{p}", lang)),
            colour=PRIORITY_COLOURS[p],
        )
        for p in PRIORITIES
    )
    folders = (
        ("themes", tuple(themes)),
        ("kinds", kinds),
        ("sdgs", sdgs),
        ("priorities", priorities),
    )
    return [
        Code(guid(pid, "folder", key), _g(f"folder.{key}", lang), codable=False, children=children)
        for key, children in folders
        if children
    ]


# --- the project -----------------------------------------------------------------------------


def interviewer_label(entry: str, actors: list[Actor], *, lang: str, anonymize: bool) -> tuple[str, str]:
    """How an ``interviewers`` entry is shown, as (key, label): the documents' rule, from
    ``consent`` (an organisation of the registry is that organisation; anyone else is a person,
    shown as written, and under ``--anonymize`` as the organisation the entry mentions or "the
    project team"). The key makes one REFI-QDA user per organisation, person or team."""
    organisation = consent.interviewer_organisation(entry, actors)
    if organisation is not None:
        return f"organisation/{organisation.id}", organisation.label
    label = consent.interviewer_label(entry, actors, lang=lang, anonymize=anonymize)
    if not anonymize:
        return f"person/{_fold(entry)}", label
    mentioned = consent.interviewer_organisation(label, actors)
    return (f"organisation/{mentioned.id}" if mentioned else "team"), label


def anonymous_quotes(synthesis: Synthesis) -> list[tuple[str, str, list[str], str]]:
    """The anonymous quotes that may be published: (attribution, text, themes, country).

    The synthesis applied consent and the group rule (``consent.quote_fates``): a quote held
    back there is not in ``synthesis.quotes``, and each printed one carries the label the
    référentiel prints. Only the anonymous ones are kept here; the others are in their
    interview's source.
    """
    return [(q.attribution, q.text, list(q.themes), q.country) for q in synthesis.quotes if q.level == "anonymous"]


def build_project(ws: Workspace, synthesis: Synthesis, *, lang: str, anonymize: bool = False) -> QdaProject:
    """The workspace's counted interviews (those of ``synthesis``) as a REFI-QDA project."""
    if ws.project is None:
        raise UserError("workspace-invalid", file="ess-coop.yaml")
    return _Builder(ws, synthesis, lang=lang, anonymize=anonymize).build(ws.project.project)


class _Builder:
    def __init__(self, ws: Workspace, synthesis: Synthesis, *, lang: str, anonymize: bool) -> None:
        self.ws = ws
        self.syn = synthesis
        self.lang = lang
        self.anonymize = anonymize
        self.pid = _project_id(ws)
        self.users: dict[str, User] = {}
        self.tool_user = self.user(TOOL_USER, TOOL_USER)
        self.known_themes = {theme.id for theme in ws.themes}
        # Example data say so at the top of every text, as the documents do on every page.
        self.banner = t("doc.sample_header", lang) if ws.project and ws.project.sample else None
        transcripts = {e.transcript.id: e.transcript for e in ws.transcripts if e.transcript is not None}
        self.interviews = [(i, transcripts[i.id]) for i in synthesis.interviews if i.id in transcripts]
        self.statements: dict[str, list[Statement]] = {}
        for statement in synthesis.statements:
            self.statements.setdefault(statement.interview, []).append(statement)
        self.interviewers: dict[str, tuple[str, str]] = {}
        self.code_guids: dict[tuple[str, str], str] = {}
        keys = ("country", "type", "role", "territory", "interviews", "ref", "date", "mode", "status", "language")
        types: dict[str, VariableType] = {"interviews": "Integer", "date": "Date"}
        self.variables = {
            key: Variable(guid(self.pid, "variable", key), _g(f"variable.{key}", lang), types.get(key, "Text"))
            for key in keys
        }

    def g(self, key: str, **params: object) -> str:
        return _g(key, self.lang, **params)

    def interviewer(self, entry: str) -> tuple[str, str]:
        if entry not in self.interviewers:  # a handful of names, over hundreds of interviews
            self.interviewers[entry] = interviewer_label(
                entry, self.ws.actors, lang=self.lang, anonymize=self.anonymize
            )
        return self.interviewers[entry]

    def code_guid(self, kind: str, value: str) -> str:
        key = (kind, value)  # a few dozen codes, applied tens of thousands of times
        if key not in self.code_guids:
            self.code_guids[key] = guid(self.pid, kind, value)
        return self.code_guids[key]

    def user(self, key: str, name: str) -> str:
        user = self.users.setdefault(key, User(guid(self.pid, "user", key), _clean(name)))
        return user.guid

    def build(self, project: Project) -> QdaProject:
        sources = [self.interview_source(ref, tr) for ref, tr in self.interviews]
        by_actor: dict[str, list[str]] = {}
        for (ref, _), source in zip(self.interviews, sources, strict=True):
            by_actor.setdefault(ref.actor, []).append(source.guid)
        anonymous = self.anonymous_source()
        if anonymous is not None:
            sources.append(anonymous)
        summary = localized(project.summary, self.lang)
        about = [part.strip() for part in (self.banner or "", summary) if part.strip()]
        return QdaProject(
            name=_clean(localized(project.title, self.lang)),
            description=_clean("\n".join(about)) or None,
            users=list(self.users.values()),
            tool_user=self.tool_user,
            codes=codebook(self.ws, lang=self.lang),
            variables=list(self.variables.values()),
            cases=[self.case(actor, by_actor.get(actor.id, [])) for actor in self.ws.actors],
            sources=sources,
        )

    def case(self, actor: Actor, sources: list[str]) -> Case:
        values: list[tuple[str, Value | None]] = [
            ("country", t(f"country.{actor.country}", self.lang, default=actor.country)),
            ("type", t(f"actor_type_label.{actor.type}", self.lang, default=actor.type)),
            ("role", t(f"role_label.{actor.role}", self.lang, default=actor.role)),
            ("territory", actor.territory or ""),  # every case has the four variables, empty or not
            ("interviews", len(sources)),
        ]
        described = localized(actor.description, self.lang)
        description = "\n".join(part.strip() for part in (actor.name, described) if part.strip())
        return Case(
            guid=guid(self.pid, "actor", actor.id),
            name=_clean(actor.label),
            description=_clean(description),
            values=tuple(self.values(values)),
            sources=tuple(sources),
        )

    def values(self, pairs: list[tuple[str, Value | None]]) -> list[VariableValue]:
        out = []
        for key, value in pairs:
            if value is None:
                continue
            out.append(VariableValue(self.variables[key], _clean(value) if isinstance(value, str) else value))
        return out

    def interview_source(self, ref: InterviewRef, tr: Transcript) -> Source:
        actor = self.ws.actor(tr.actor)
        assert actor is not None  # the synthesis counts only interviews of registry actors
        country = t(f"country.{actor.country}", self.lang, default=actor.country)
        users = list(dict.fromkeys(self.interviewer(entry) for entry in tr.interviewers))
        creator = self.user(*users[0]) if users else self.tool_user
        for key, name in users[1:]:
            self.user(key, name)
        text = _Text(self.banner)
        text.line(self.g("source_title", ref=ref.ref, actor=actor.label, country=country))
        text.line(self.g("organisation", name=actor.name))
        mode = self.g(f"mode.{tr.mode}") if tr.mode else None
        text.line(
            self.g("when_mode", date=tr.date.isoformat(), mode=mode)
            if mode
            else self.g("when", date=tr.date.isoformat())
        )
        text.line(self.g("status_line", status=t(f"status.{tr.status}", self.lang)))
        if users:
            text.line(self.g("interviewers", names=", ".join(name for _, name in users)))
        people = interviewee_labels(tr, actor, lang=self.lang, anonymize=self.anonymize)
        if people:
            text.line(self.g("interviewees", names=self.g("people_sep").join(people)))
        self.answers(text, tr, actor)
        selections: list[Selection] = []
        statements = self.statements.get(tr.id, [])
        for kind in ("expectation", "contribution", "constraint"):
            mine = [s for s in statements if s.kind == kind]
            if not mine:
                continue
            text.heading(self.g(f"heading.{kind}"))
            for index, statement in enumerate(mine):
                text.add("• ")
                start, end = text.add(_clean(statement.text))
                text.line()
                codes = [("kind", kind)]
                codes += [("theme", th) for th in statement.themes if th in self.known_themes]
                codes += [("sdg", str(n)) for n in statement.sdgs]
                codes += [("priority", statement.priority)] if statement.priority else []
                key = guid(self.pid, "selection", tr.id, kind, str(index))
                selections.append(self.selection(key, text.value()[start:end], start, end, codes))
        quotes = []
        peers = sum(a.type == actor.type and a.country == actor.country for a in self.ws.actors)
        for index, quote in enumerate(tr.quotes):
            printed = printed_quote(
                quote, tr, actor, context="profile", lang=self.lang, anonymize=self.anonymize, type_is_unique=peers < 2
            )
            if printed is not None:
                quotes.append((index, printed.text, printed.attribution, printed.themes))
        if quotes:
            text.heading(self.g("heading.quote"))
            for index, quoted, attribution, themes in quotes:
                start, end, codes = self.quote(text, quoted, attribution, themes)
                key = guid(self.pid, "quote", tr.id, str(index))
                selections.append(self.selection(key, text.value()[start:end], start, end, codes))
        values: list[tuple[str, Value | None]] = [
            ("ref", ref.ref),
            ("date", tr.date),
            ("mode", mode),
            ("status", t(f"status.{tr.status}", self.lang)),
            ("language", self.g(f"language.{tr.language}")),
        ]
        return Source(
            guid=guid(self.pid, "interview", tr.id),
            name=_file_safe(self.g("source_name", ref=ref.ref, actor=actor.label, country=country)),
            text=text.value(),
            user=creator,
            date=tr.date,
            interview=tr.id,
            selections=selections,
            values=self.values(values),
        )

    def answers(self, text: _Text, tr: Transcript, actor: Actor) -> None:
        guide = self.ws.guide
        if guide is None:
            return
        sections = [(section, [q for q in section.questions if tr.answered(q.id)]) for section in guide.sections]
        sections = [(section, questions) for section, questions in sections if questions]
        if not sections:
            return
        text.heading(self.g("heading.answers"))
        hidden = self.hidden_names(tr, actor)
        for section, questions in sections:
            text.line(_clean(section.title.get(self.lang)))
            text.line()
            for question in questions:
                answer = (tr.answers.get(question.id) or "").strip()
                for name, label in hidden:
                    answer = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", label, answer, flags=re.IGNORECASE)
                text.line(_clean(question.text.get(self.lang)))
                text.line(_clean(answer))
                text.line()

    def hidden_names(self, tr: Transcript, actor: Actor) -> list[tuple[str, str]]:
        """The interviewees' names that consent keeps out, with what to print instead.

        Free answers are typed by the interviewer and may name the person ("Mme X a fondé…"):
        where consent does not allow names, the name is replaced by the label the profile uses
        (role or "Personne P1"). Statements and quotes are left as written, since each is coded
        on exactly its text and the référentiel prints them as they are.
        """
        labels = interviewee_labels(tr, actor, lang=self.lang, anonymize=self.anonymize)
        pairs = [
            (p.name, label)
            for p, label in zip(tr.interviewees, labels, strict=True)
            if p.name and consent.person_level(p, tr, actor, anonymize=self.anonymize) != "named"
        ]
        return sorted(pairs, key=lambda pair: -len(pair[0]))  # "Abla Dzɔ Mensah" before "Abla Dzɔ"

    def anonymous_source(self) -> Source | None:
        quotes = anonymous_quotes(self.syn)
        if not quotes:
            return None
        order = {country: i for i, country in enumerate(self.syn.countries)}
        quotes.sort(key=lambda q: (order.get(q[3], len(order)), q[0], q[1]))
        text = _Text(self.banner)
        text.line(self.g("anonymous_title"))
        text.line(self.g("anonymous_intro"))
        text.line()
        selections = []
        seen: dict[tuple[str, str], int] = {}
        for attribution, quoted, themes, _ in quotes:
            start, end, codes = self.quote(text, quoted, attribution, themes)
            # Derived from the quote itself, never from its interview: a GUID made from the
            # interview id could be recomputed from guessed ids and would name the partner.
            # The same words said twice (two partners, same attribution) stay two passages.
            seen[attribution, quoted] = repeat = seen.get((attribution, quoted), 0) + 1
            key = guid(self.pid, "anonymous-quote", attribution, quoted, *([str(repeat)] if repeat > 1 else []))
            selections.append(self.selection(key, quoted, start, end, codes))
        latest = max((i.date for i in self.syn.interviews), default=dt.date(2000, 1, 1))
        return Source(
            guid=guid(self.pid, "anonymous-quotes"),
            name=_file_safe(self.g("anonymous_name")),
            text=text.value(),
            user=self.tool_user,
            date=latest,
            interview=None,
            description=self.g("anonymous_intro"),
            selections=selections,
        )

    def quote(
        self, text: _Text, quoted: str, attribution: str, themes: list[str]
    ) -> tuple[int, int, list[tuple[str, str]]]:
        """``quoted`` and its attribution written in ``text``: where its words are, and its codes."""
        text.add(self.g("quote_open"))
        start, end = text.add(_clean(quoted))
        text.line(self.g("quote_close"))
        text.line(self.g("attribution", who=attribution))
        text.line()
        return start, end, [("kind", "quote"), *(("theme", th) for th in themes if th in self.known_themes)]

    def selection(self, key: str, passage: str, start: int, end: int, codes: list[tuple[str, str]]) -> Selection:
        name = " ".join(passage.split())
        if len(name) > 60:
            name = name[:59].rstrip() + "…"
        return Selection(
            guid=key,
            name=name,
            start=start,
            end=end,
            kind=codes[0][1],  # every passage is coded by its kind first
            codes=tuple(dict.fromkeys(self.code_guid(kind, value) for kind, value in codes)),
        )


class _Text:
    """A text being written, that says where each piece lands (in code points)."""

    def __init__(self, banner: str | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        if banner:
            self.line(banner)
            self.line()

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    def line(self, piece: str = "") -> None:
        self.add(piece + "\n")

    def heading(self, title: str) -> None:
        self.line()
        self.line(title.upper())
        self.line()

    def value(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""


def _g(key: str, lang: str, **params: object) -> str:
    return t(f"export.{key}", lang, **params)


def _project_id(ws: Workspace) -> str:
    return ws.project.project.id if ws.project else "ess-coop"


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _clean(text: str) -> str:
    """Text as a source or an XML value may hold it: one kind of line end, no character XML 1.0
    refuses (the YAML reader already rejects them in transcripts; this is for the other files)."""
    return XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _file_safe(name: str) -> str:
    """A source name some tools use as a file name (QualCoder copies the text to ``<name>.txt``)."""
    cleaned = "".join("-" if ch in '<>:"/\\|?*' else ch for ch in " ".join(name.split()))
    return cleaned.strip(" .") or "source"
