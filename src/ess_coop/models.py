"""The workspace format (format.md, version 1) as Pydantic models.

These models are the public contract: key names and meanings are fixed. Unknown keys are
errors (``extra="forbid"``); identifiers are slugs and stay text. The YAML reader hands us text
for every scalar, so Pydantic's lax mode turns ``"17"`` into an int and ``"2024-07-03"`` into a
date exactly where the schema asks for one, and nowhere else.

Cross-file rules (actor in the registry, themes in the vocabulary...) live in ``validation``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Ids name folders and files: ASCII slugs, and never a name Windows reserves for devices.
SLUG_PATTERN = r"^(?!(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$)[a-z0-9][a-z0-9-]{0,63}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
GUIDE_REF_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}@[0-9]+$"
# An e-mail address as people write one: something@domain.tld, no spaces, no second @.
EMAIL_PATTERN = r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$"


def slugify(text: str) -> str:
    """A valid id from a display name: "Pôle ESS du pays de Fougères" → pole-ess-du-pays-de-fougeres."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].rstrip("-")


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Sdg = Annotated[int, Field(ge=1, le=17)]

Language = Literal["fr", "en"]
ActorType = Literal[
    "local-authority", "network", "ngo", "association", "university",
    "ess-hub", "incubator", "social-enterprise", "funder", "other",
]  # fmt: skip
ActorRole = Literal["coordinator", "partner", "funder", "observer"]
Status = Literal["draft", "complete", "validated"]
Mode = Literal["in-person", "video", "phone", "written"]
QuoteConsent = Literal["named", "role", "anonymous", "none"]
Priority = Literal["high", "medium", "low"]

# Each enumeration's values, in the order of format.md (forms offer them in this order). The
# command line types its own choices without importing this module (``--help`` stays fast);
# tests/test_enumerations.py holds them equal.
MODES: tuple[str, ...] = get_args(Mode)
STATUSES: tuple[str, ...] = get_args(Status)
QUOTE_CONSENTS: tuple[str, ...] = get_args(QuoteConsent)
PRIORITIES: tuple[str, ...] = get_args(Priority)
FORMAT_VERSION = 1


class Model(BaseModel):
    """Base for every file model: unknown keys are errors."""

    # python-re: the slug pattern needs a lookahead, which the default Rust engine lacks.
    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")

    @model_validator(mode="before")
    @classmethod
    def _empty_means_absent(cls, data: Any) -> Any:
        # People leave keys with nothing after them (``expectations:``, ``actors:`` once the
        # example entries are commented out): read those as absent, so the default applies,
        # or a required key is reported missing at its own line.
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


class LocalText(Model):
    """A text in French and English. Both are expected; ``validate`` warns when one is missing."""

    fr: Text | None = None
    en: Text | None = None

    def get(self, lang: str) -> str:
        """The text in ``lang``, else in the other language."""
        first, second = (self.en, self.fr) if lang == "en" else (self.fr, self.en)
        return first or second or ""


# --- ess-coop.yaml ---------------------------------------------------------------------------

# A project-level free text: a plain string (printed in every edition) or ``{fr: …, en: …}``.
Localized = Text | LocalText


def localized(value: str | LocalText | None, lang: str) -> str:
    """``value`` in ``lang`` (the other language when it has only one; a plain string as is)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else value.get(lang)


class Milestone(Model):
    id: Slug
    label: Localized
    due: dt.date


class Source(Model):
    """A document the référentiel cites in its sources (an article, a report, a web page)."""

    title: Localized
    author: Text | None = None
    date: Text | None = None  # as it should be printed ("2024", "mars 2024"), or a date 2024-03-15
    link: Text | None = None


class GlossaryEntry(Model):
    """An acronym or term the référentiel explains, beside the partners' short names."""

    term: Localized
    definition: Localized


class Project(Model):
    id: Slug
    title: Localized
    summary: str | LocalText | None = None
    objective: str | LocalText | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    countries: list[CountryCode] = Field(min_length=2)
    coordinators: list[Slug] = []
    funders: list[Localized] = []
    milestones: list[Milestone] = []
    sources: list[Source] = []
    glossary: list[GlossaryEntry] = []


class Referential(Model):
    title: Localized | None = None
    version: Text | None = None
    template: Text | None = None
    # ``validated``: the steering committee validated this version on ``validated_on``; the
    # build then refuses while a counted interview is not ``validated`` by its partner.
    status: Literal["draft", "validated"] = "draft"
    validated_on: dt.date | None = None


class Privacy(Model):
    """How hard the documents work to keep anonymous speakers anonymous (see ``consent``)."""

    # An anonymous quote is printed under a label only when at least this many interviewed
    # partners fit the label and raised one of its themes; 1 turns the rule off.
    min_group: int = Field(default=3, ge=1, le=100)


class ProjectFile(Model):
    """``ess-coop.yaml``: the project, and the marker of a workspace's root."""

    format: int  # checked against FORMAT_VERSION before validation, for a clearer message
    language: Language = "fr"
    project: Project
    referential: Referential = Referential()
    sample: bool = False
    privacy: Privacy = Privacy()


# --- actors.yaml -----------------------------------------------------------------------------


class Actor(Model):
    id: Slug
    name: Text
    short_name: Text | None = None
    country: CountryCode
    type: ActorType
    role: ActorRole = "partner"
    territory: Text | None = None
    website: Text | None = None
    description: str | LocalText | None = None  # a plain text, or {fr: …, en: …}
    sensitive: bool = False
    # Whom to write to about this partner's review sheet (never printed in a document).
    contact: Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN)] | None = None

    @property
    def label(self) -> str:
        """The name to print: the short name when there is one."""
        return self.short_name or self.name


class ActorsFile(Model):
    actors: list[Actor] = []


# --- templates/themes.yaml -------------------------------------------------------------------


class Theme(Model):
    id: Slug
    label: LocalText
    keywords: list[Text] = []


class ThemesFile(Model):
    themes: list[Theme] = []


# --- templates/guide.yaml --------------------------------------------------------------------


class Condition(Model):
    """Ask a question only to these actors; an empty condition asks everyone."""

    country: list[CountryCode] = []
    type: list[ActorType] = []

    def applies_to(self, actor: Actor) -> bool:
        return (not self.country or actor.country in self.country) and (not self.type or actor.type in self.type)


class Question(Model):
    id: Slug
    text: LocalText
    help: LocalText | None = None
    required: bool = False
    when: Condition | None = None

    def applies_to(self, actor: Actor) -> bool:
        return self.when is None or self.when.applies_to(actor)


class Section(Model):
    id: Slug
    title: LocalText
    questions: list[Question] = []


class Guide(Model):
    id: Slug
    version: int = Field(ge=1)
    title: LocalText
    duration_minutes: int | None = Field(default=None, ge=1)
    sections: list[Section] = []

    @property
    def ref(self) -> str:
        """``id@version``, as transcripts name the guide they used."""
        return f"{self.id}@{self.version}"

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def questions_for(self, actor: Actor) -> list[Question]:
        return [q for q in self.questions() if q.applies_to(actor)]

    def sections_for(self, actor: Actor) -> list[tuple[int, Section, list[Question]]]:
        """The sections that ask ``actor`` something, numbered from 1, with those questions."""
        numbered: list[tuple[int, Section, list[Question]]] = []
        for section in self.sections:
            questions = [q for q in section.questions if q.applies_to(actor)]
            if questions:
                numbered.append((len(numbered) + 1, section, questions))
        return numbered


# --- interviews/<actor>/<id>.yaml ------------------------------------------------------------


class Interviewee(Model):
    ref: Text
    name: Text | None = None
    role: Text | None = None
    # What this person agreed to, when it differs from the interview's ``consent.quotes``.
    consent: QuoteConsent | None = None


class Consent(Model):
    recording: bool = False
    quotes: QuoteConsent = "none"
    review_before_publication: bool = True


class Statement(Model):
    """An expectation or a contribution."""

    text: Text
    themes: list[Slug] = Field(min_length=1)
    sdgs: list[Sdg] = []
    priority: Priority | None = None


class Constraint(Model):
    text: Text
    themes: list[Slug] = []


class Quote(Model):
    text: Text
    speaker: Text
    themes: list[Slug] = []
    # A coordinator checked that this anonymous quote, held back by the group rule, identifies
    # nobody: it is printed as "a partner".
    release: bool = False


class Submission(Model):
    """Where an imported transcript came from: the KoboToolbox / ODK submission it was read
    from (its ``_uuid``), so that importing the same export again creates nothing new."""

    kobo_uuid: Text | None = None
    submitted: Text | None = None  # the submission's time, as the export wrote it


class Review(Model):
    """The partner's review of its sheet: when it was sent, the reply date asked, when it answered."""

    sent: dt.date | None = None
    reply_by: dt.date | None = None
    answered: dt.date | None = None


class Transcript(Model):
    """One interview with one partner."""

    format: int  # checked against FORMAT_VERSION before validation, for a clearer message
    id: Slug
    actor: Slug
    date: dt.date
    status: Status
    guide: Annotated[str, StringConstraints(pattern=GUIDE_REF_PATTERN)] | None = None
    mode: Mode | None = None
    language: Language = "fr"
    interviewers: list[Text] = []
    interviewees: list[Interviewee] = []
    # A transcript that says nothing about consent allows nothing: no quote, no name.
    consent: Consent = Consent()
    answers: dict[Slug, str | None] = {}
    expectations: list[Statement] = []
    contributions: list[Statement] = []
    constraints: list[Constraint] = []
    quotes: list[Quote] = []
    review: Review | None = None
    notes: str | None = None
    source: Submission | None = None

    def answered(self, question_id: str) -> bool:
        value = self.answers.get(question_id)
        return bool(value and value.strip())
