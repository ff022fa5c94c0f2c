"""The interview guide as an XLSForm, for KoboToolbox and ODK Collect (phones, offline).

An XLSForm is a workbook with three sheets: ``survey`` (one row per question, group or repeat),
``choices`` (the lists of ``select_one`` / ``select_multiple`` questions) and ``settings``. Both
KoboToolbox and ODK Central take it as it is; ``pyxform`` is the reference converter.

The form holds what a transcript holds (format.md): who was interviewed and when, the consent
(asked first; the rest of the form is skipped when the person refuses to take part), one text
question per question of the guide, and repeat groups for the people interviewed, the
expectations, contributions, constraints and quotes. Labels are in French and English.

A form is either *for one actor* (``new-interview ACTOR --form xlsform``: only the questions
that apply to it, like the YAML skeleton) or *shared* by several actors (``guide xlsform``):
the actor is then the first question, and each question of the guide that is not asked to
everyone carries a ``relevant`` expression built from its ``when`` conditions on the actor's
country and type, which the form looks up in the ``choices`` sheet.

The names given here are what the exports of submissions carry (``expectations/expectation_text``)
and what ``kobo_import`` reads back: keep them stable. Every name this module makes up holds an
underscore, which identifiers (slugs) never do, so a question of the guide can never take one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Final

from ess_coop import atomic
from ess_coop.errors import UserError
from ess_coop.i18n import LANGUAGES, t
from ess_coop.models import MODES, PRIORITIES, QUOTE_CONSENTS, Actor, Condition, Guide, Question
from ess_coop.workspace import OUTPUT_DIR, Workspace
from ess_coop.xlsx_writer import xlsx

# --- the names the exports carry (keep them stable: submissions already collected hold them) ----

ACTOR: Final = "actor_id"
ACTOR_COUNTRY: Final = "actor_country"
ACTOR_TYPE: Final = "actor_type"
ACTOR_SENSITIVE: Final = "actor_sensitive"
GUIDE_REF: Final = "guide_ref"
DATE: Final = "interview_date"
MODE: Final = "interview_mode"
LANGUAGE: Final = "interview_language"
INTERVIEWERS: Final = "interviewer_names"
PARTICIPATION: Final = "consent_participation"
RECORDING: Final = "consent_recording"
QUOTES: Final = "consent_quotes"
REVIEW: Final = "consent_review"
NOTES: Final = "interview_notes"
# Repeat groups: name → the fields of one entry (the key of format.md → the field's name).
REPEATS: Final[dict[str, dict[str, str]]] = {
    "interviewees": {"ref": "interviewee_ref", "name": "interviewee_name", "role": "interviewee_role"},
    "expectations": {
        "text": "expectation_text", "themes": "expectation_themes",
        "sdgs": "expectation_sdgs", "priority": "expectation_priority",
    },
    "contributions": {"text": "contribution_text", "themes": "contribution_themes", "sdgs": "contribution_sdgs"},
    "constraints": {"text": "constraint_text", "themes": "constraint_themes"},
    "quotes": {"text": "quote_text", "speaker": "quote_speaker", "themes": "quote_themes"},
}  # fmt: skip
SECTION_PREFIX: Final = "section_"
QUESTION_PREFIX: Final = "q_"
YES, NO = "yes", "no"

# The language columns, as XLSForm writes them: ``label::Français (fr)``.
LANGUAGE_NAMES: Final = {"fr": "Français (fr)", "en": "English (en)"}
SUFFIX: Final = ".xlsx"

_SURVEY_COLUMNS: Final = (
    "type", "name",
    *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    *(f"hint::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "required", "relevant", "appearance", "default", "calculation",
)  # fmt: skip
_ACTOR_COLUMNS: Final = ("country", "actor_type", "actor_sensitive")  # what relevant conditions look up
_CHOICE_COLUMNS: Final = ("list_name", "name", *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES))
_RESERVED: Final = frozenset(REPEATS)
_CONSENTED: Final = f"${{{PARTICIPATION}}} = '{YES}'"


class KoboError(UserError):
    """A :class:`UserError` of this feature: its messages are under ``kobo.errors`` in the
    catalogues (the feature's own section), rendered the same way."""

    SECTION = "kobo.errors"


def field_name(question_id: str) -> str:
    """The form's name for the answer to a guide question: its id, unless XML or our own names
    forbid it (an id starting with a digit, or one of our repeat groups) — then ``q_<id>``."""
    if question_id[:1].isalpha() and question_id not in _RESERVED:
        return question_id
    return f"{QUESTION_PREFIX}{question_id}"


def section_name(section_id: str) -> str:
    return f"{SECTION_PREFIX}{section_id}"


@dataclass(frozen=True)
class FormFile:
    """What ``write_xlsform`` wrote: the file, how it was written, and what the form holds."""

    written: atomic.Written
    actors: int
    questions: int
    form_id: str
    version: str


def _labels(key: str, **params: object) -> list[str]:
    return [t(key, lang, **params) for lang in LANGUAGES]


def _plain(text: str) -> str:
    """A text of the workspace as a label: ``${`` would be read as a reference to a field."""
    return text.replace("${", "$ {")


def _both(fr: str | None, en: str | None) -> list[str]:
    """A text of the guide in both label columns (the other language when one is missing)."""
    return [_plain(fr or en or ""), _plain(en or fr or "")]


def _condition(when: Condition | None) -> str:
    """The guide's ``when`` as an XPath expression on the actor's country and type."""
    if when is None:
        return ""
    parts = []
    for field, values in ((ACTOR_COUNTRY, when.country), (ACTOR_TYPE, when.type)):
        if values:
            alternatives = " or ".join(f"${{{field}}} = '{value}'" for value in values)
            parts.append(f"({alternatives})" if len(values) > 1 else alternatives)
    return " and ".join(parts)


class _Sheet:
    """Rows of the survey sheet, each a dict of column → text."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(
        self,
        kind: str,
        name: str = "",
        label: list[str] | None = None,
        hint: list[str] | None = None,
        **columns: str,
    ) -> None:
        row = {"type": kind, "name": name, **columns}
        for lang, text in zip(LANGUAGES, label or [], strict=False):
            row[f"label::{LANGUAGE_NAMES[lang]}"] = text
        for lang, text in zip(LANGUAGES, hint or [], strict=False):
            row[f"hint::{LANGUAGE_NAMES[lang]}"] = text
        self.rows.append(row)


def actor_label(actor: Actor, lang: str) -> str:
    """How the form shows an actor: ``Name (short name) — Country``."""
    short = actor.short_name
    shown = f"{actor.name} ({short})" if short and short != actor.name else actor.name
    return _plain(f"{shown} — {t(f'country.{actor.country}', lang, default=actor.country)}")


def build_xlsform(ws: Workspace, actors: list[Actor], *, lang: str) -> tuple[bytes, str, str, int]:
    """The XLSForm for ``actors`` (one: tailored to it; several: shared, with ``relevant``
    conditions) as .xlsx bytes, identical for identical inputs; with its form id, version and
    number of guide questions."""
    guide = ws.require_guide()
    single = actors[0] if len(actors) == 1 else None
    survey, choices = _Sheet(), []

    def choice(list_name: str, name: str, labels: list[str], **extra: str) -> None:
        row = {"list_name": list_name, "name": name, **extra}
        row.update({f"label::{LANGUAGE_NAMES[lg]}": text for lg, text in zip(LANGUAGES, labels, strict=True)})
        choices.append(row)

    # Who, when, how.
    survey.add("begin_group", "interview_info", _labels("kobo.form.group_interview"))
    if single is None:
        survey.add(f"select_one {ACTOR}", ACTOR, _labels("kobo.form.actor"), _labels("kobo.form.actor_hint"),
                   required="yes")  # fmt: skip
        for actor in actors:
            choice(ACTOR, actor.id, [actor_label(actor, lg) for lg in LANGUAGES], country=actor.country,
                   actor_type=actor.type, actor_sensitive=YES if actor.sensitive else NO)  # fmt: skip
    else:
        survey.add("calculate", ACTOR, calculation=f"'{single.id}'")
        survey.add("note", "actor_note", [t("kobo.form.actor_fixed", lg, actor=actor_label(single, lg))
                                          for lg in LANGUAGES])  # fmt: skip
    survey.add("date", DATE, _labels("kobo.form.date"), required="yes", default="today()")
    survey.add(f"select_one {MODE}", MODE, _labels("kobo.form.mode"), required="yes", default="in-person")
    for mode in MODES:
        choice(MODE, mode, _labels(f"form.choice.mode.{mode}"))
    survey.add(f"select_one {LANGUAGE}", LANGUAGE, _labels("kobo.form.language"), required="yes", default=lang)
    for code in LANGUAGES:
        choice(LANGUAGE, code, _labels(f"form.choice.language.{code}"))
    survey.add("text", INTERVIEWERS, _labels("kobo.form.interviewers"), _labels("kobo.form.interviewers_hint"))
    survey.add("end_group")
    if single is None:  # what the guide's conditions look at
        lookup = f"instance('{ACTOR}')/root/item[name = ${{{ACTOR}}}]"
        survey.add("calculate", ACTOR_COUNTRY, calculation=f"{lookup}/country")
        survey.add("calculate", ACTOR_TYPE, calculation=f"{lookup}/actor_type")
        survey.add("calculate", ACTOR_SENSITIVE, calculation=f"{lookup}/actor_sensitive")
    survey.add("calculate", GUIDE_REF, calculation=f"'{guide.ref}'")

    # Consent first; refusing to take part ends the interview (everything after is not relevant).
    survey.add("begin_group", "consent_info", _labels("kobo.form.group_consent"))
    survey.add(f"select_one {YES}_{NO}", PARTICIPATION, _labels("kobo.form.participation"),
               _labels("kobo.form.participation_hint"), required="yes")  # fmt: skip
    survey.add("note", "consent_refused_note", _labels("kobo.form.refused_note"),
               relevant=f"${{{PARTICIPATION}}} = '{NO}'")  # fmt: skip
    survey.add(f"select_one {YES}_{NO}", RECORDING, _labels("kobo.form.recording"), required="yes",
               relevant=_CONSENTED)  # fmt: skip
    survey.add(f"select_one {QUOTES}", QUOTES, _labels("kobo.form.quotes"), _labels("kobo.form.consent_quotes_hint"),
               required="yes", relevant=_CONSENTED)  # fmt: skip
    survey.add(f"select_one {YES}_{NO}", REVIEW, _labels("kobo.form.review"), required="yes", relevant=_CONSENTED,
               default=YES)  # fmt: skip
    survey.add("end_group")
    for value in (YES, NO):
        choice(f"{YES}_{NO}", value, _labels(f"form.choice.{value}"))
    for value in QUOTE_CONSENTS:
        choice(QUOTES, value, _labels(f"kobo.form.quote_choice.{value}"))

    fields = REPEATS["interviewees"]
    survey.add("begin_repeat", "interviewees", _labels("import.table.interviewees"), relevant=_CONSENTED)
    survey.add("calculate", fields["ref"], calculation="concat('P', position(..))")
    survey.add("text", fields["role"], _labels("kobo.form.role"), _labels("kobo.form.role_hint"))
    # Names only with consent to be named, and never for a sensitive actor: not even asked.
    named = f"${{{QUOTES}}} = 'named'" + (f" and ${{{ACTOR_SENSITIVE}}} != '{YES}'" if single is None else "")
    if single is None or not single.sensitive:
        survey.add("text", fields["name"], _labels("kobo.form.name"), _labels("kobo.form.name_hint"), relevant=named)
    survey.add("end_repeat")

    questions = _questions(survey, guide, single)

    themes = [th.id for th in ws.themes]
    for theme in ws.themes:
        choice("themes", theme.id, _both(theme.label.fr, theme.label.en))
    for number in range(1, 18):
        choice("sdgs", str(number), [f"{number} — {t(f'sdg.{number}', lg)}" for lg in LANGUAGES])
    for value in PRIORITIES:
        choice("priorities", value, _labels(f"priority.{value}"))
    for repeat in ("expectations", "contributions", "constraints", "quotes"):
        fields = REPEATS[repeat]
        relevant = _CONSENTED + (f" and ${{{QUOTES}}} != 'none'" if repeat == "quotes" else "")
        survey.add("begin_repeat", repeat, _labels(f"import.table.{repeat}"), _labels(f"kobo.form.{repeat}_hint"),
                   relevant=relevant)  # fmt: skip
        survey.add("text", fields["text"], _labels("import.column.text"), appearance="multiline", required="yes")
        if repeat == "quotes":
            survey.add("text", fields["speaker"], _labels("import.column.speaker"), _labels("kobo.form.speaker_hint"),
                       default="P1")  # fmt: skip
        if themes:
            required = "yes" if repeat in ("expectations", "contributions") else ""
            survey.add("select_multiple themes", fields["themes"], _labels("import.column.themes"), required=required)
        if "sdgs" in fields:
            survey.add("select_multiple sdgs", fields["sdgs"], _labels("import.column.sdgs"))
        if "priority" in fields:
            survey.add("select_one priorities", fields["priority"], _labels("import.column.priority"))
        survey.add("end_repeat")
    survey.add("text", NOTES, _labels("kobo.form.notes"), _labels("kobo.form.notes_hint"), appearance="multiline",
               relevant=_CONSENTED)  # fmt: skip

    form_id = guide.id if single is None else f"{guide.id}-{single.id}"
    digest = hashlib.sha256(json.dumps([survey.rows, choices], sort_keys=True).encode("utf-8")).hexdigest()
    version = f"{guide.version}-{digest[:8]}"  # the guide's version; a new one whenever the form changes
    title = _plain(guide.title.get(lang) + (f" — {single.label}" if single else ""))
    settings = {
        "form_title": title,
        "form_id": form_id,
        "version": version,
        "default_language": LANGUAGE_NAMES[lang],
    }
    sheets = [
        _table("survey", _SURVEY_COLUMNS, survey.rows, [32, 36, 60, 60, 50, 50, 10, 40, 12, 12, 40]),
        _table("choices", (*_CHOICE_COLUMNS, *_ACTOR_COLUMNS), choices, [14, 30, 50, 50, 10, 16, 16]),
        _table("settings", tuple(settings), [settings], [40, 36, 14, 18]),
    ]
    return xlsx(sheets, title=title, when=_EPOCH), form_id, version, questions


_EPOCH: Final = dt.date(2024, 1, 1)  # the files' stamp: fixed, so an unchanged form has the same bytes


def _questions(survey: _Sheet, guide: Guide, single: Actor | None) -> int:
    """One group per section of the guide, one text question per question; the count asked."""
    count = 0
    for section in guide.sections:
        asked: list[Question] = [q for q in section.questions if single is None or q.applies_to(single)]
        if not asked:
            continue
        survey.add("begin_group", section_name(section.id), _both(section.title.fr, section.title.en),
                   relevant=_CONSENTED)  # fmt: skip
        for question in asked:
            relevant = "" if single is not None else _condition(question.when)
            help_text = _both(question.help.fr, question.help.en) if question.help else None
            required = "yes" if question.required else ""
            label = _both(question.text.fr, question.text.en)
            survey.add("text", field_name(question.id), label, help_text, required=required, relevant=relevant,
                       appearance="multiline")  # fmt: skip
            count += 1
        survey.add("end_group")
    return count


def _table(
    name: str, columns: tuple[str, ...], rows: list[dict[str, str]], widths: list[int]
) -> tuple[str, list[str], list[list[str]], list[int]]:
    return name, list(columns), [[row.get(column, "") for column in columns] for row in rows], widths


def xlsform_path(ws: Workspace, guide: Guide, actor: Actor | None) -> str:
    """Where the form goes, relative to the workspace: ``output/xlsform-<guide>[-<actor>].xlsx``."""
    stem = f"xlsform-{guide.id}" + (f"-{actor.id}" if actor else "")
    return f"{OUTPUT_DIR}/{stem}{SUFFIX}"


def write_xlsform(ws: Workspace, actor_ids: list[str], *, lang: str) -> FormFile:
    """Write the XLSForm for ``actor_ids`` (all the registry when empty) into ``output/``.

    One actor: the form is tailored to it. Several: one form shared by all, the actor chosen
    first. Written like every document: never over a file someone has open or has edited.
    """

    guide = ws.require_guide()
    actors = [ws.require_actor(actor_id) for actor_id in dict.fromkeys(actor_ids)] if actor_ids else ws.actors
    if not actors:
        raise KoboError("xlsform-no-actor")
    data, form_id, version, questions = build_xlsform(ws, actors, lang=lang)
    single = actors[0] if len(actors) == 1 else None
    written = atomic.write_output(ws.root / xlsform_path(ws, guide, single), data)
    return FormFile(written, len(actors), questions, form_id, version)


def answer_fields(guide: Guide) -> dict[str, str]:
    """The form's field name → the guide question id, for every question of the guide."""
    return {field_name(q.id): q.id for q in guide.questions()}


def fixed_fields() -> set[str]:
    """Every field name of this module that an export may carry as a column."""
    names = {ACTOR, ACTOR_COUNTRY, ACTOR_TYPE, ACTOR_SENSITIVE, GUIDE_REF, DATE, MODE, LANGUAGE, INTERVIEWERS,
             PARTICIPATION, RECORDING, QUOTES, REVIEW, NOTES}  # fmt: skip
    for fields in REPEATS.values():
        names |= set(fields.values())
    return names
