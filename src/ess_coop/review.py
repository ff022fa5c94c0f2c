"""The partners' review of their sheets: sending them, recording it, and who has answered.

``profile`` writes a partner's sheet and records ``review: {sent, reply_by}`` in each of the
partner's counted transcripts. The transcript is edited in round-trip mode (ruamel.yaml), so
people's comments, order and layout survive; the file is re-read just before writing, and when
someone changed it meanwhile (a sync client, a colleague) the edit is made again on the new
text, up to ``RETRIES`` times, so nothing they wrote is lost. A coordinator records the answer
by hand (``review.answered``), and marks the interview ``validated`` once the partner approved.

A partner's review is the latest sent among its transcripts:

- ``awaited``: sent, not answered since, reply date not past;
- ``late``: sent, not answered since, reply date past;
- ``answered``: ``answered`` on or after ``sent``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from ess_coop import atomic
from ess_coop.errors import UserError
from ess_coop.i18n import t
from ess_coop.models import Review, Transcript
from ess_coop.workspace import OUTPUT_DIR, TranscriptFile, Workspace
from ess_coop.yamlio import parse_yaml

RETRIES = 3
ReviewStateName = Literal["awaited", "late", "answered"]


class PartnerReview(BaseModel):
    """Where a partner's review stands."""

    actor: str
    label: str
    state: ReviewStateName
    sent: dt.date | None
    reply_by: dt.date | None
    answered: dt.date | None


def review_state(review: Review, today: dt.date) -> ReviewStateName:
    if review.answered and (review.sent is None or review.answered >= review.sent):
        return "answered"
    if review.reply_by and review.reply_by < today:
        return "late"
    return "awaited"


def partner_reviews(ws: Workspace, *, today: dt.date) -> list[PartnerReview]:
    """The review of every partner that was sent its sheet, in registry order."""
    latest: dict[str, Review] = {}
    for entry in ws.transcripts:
        tr = entry.transcript
        if tr is None or tr.review is None or entry.has_errors:
            continue
        current = latest.get(tr.actor)
        if current is None or (tr.review.sent or dt.date.min) > (current.sent or dt.date.min):
            latest[tr.actor] = tr.review
    return [
        PartnerReview(
            actor=a.id,
            label=a.label,
            state=review_state(r, today),
            sent=r.sent,
            reply_by=r.reply_by,
            answered=r.answered,
        )
        for a in ws.actors
        if (r := latest.get(a.id)) is not None
    ]


# --- recording that a sheet was sent ---------------------------------------------------------


def record_sent(entry: TranscriptFile, *, sent: dt.date, reply_by: dt.date, rel: str) -> None:
    """Set ``review.sent`` and ``review.reply_by`` in the transcript, keeping everything else."""
    path = entry.path
    for _ in range(RETRIES):
        original = path.read_bytes()
        text = with_review(original.decode("utf-8-sig").replace("\r\n", "\n"), sent=sent, reply_by=reply_by)
        check = parse_yaml(text)
        try:
            if not check.ok:
                raise ValueError(check.problems)
            Transcript.model_validate(check.data)
        except (ValueError, ValidationError):
            # The file no longer reads as a transcript (someone is editing it): leave it alone.
            raise UserError("review-not-recorded", path=rel) from None
        if path.read_bytes() == original:
            # Keep the file's own line ends and byte-order mark (Windows editors), so the edit
            # is only the lines it adds.
            data = text.replace("\n", "\r\n") if b"\r\n" in original else text
            atomic.write_bytes(path, (b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b"") + data.encode())
            return
    raise UserError("review-changed", path=rel)


def with_review(text: str, *, sent: dt.date, reply_by: dt.date) -> str:
    """``text`` with ``review.sent`` and ``review.reply_by`` set (the ``review`` mapping is added
    after ``status`` when there is none); comments, order and quoting kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()  # round-trip, with the layout the skeleton writes (a no-op edit changes nothing)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap people's long lines
    yaml.preserve_quotes = True
    data = yaml.load(text)
    review = data.get("review")
    if not isinstance(review, CommentedMap):
        review = CommentedMap()
        keys = list(data.keys())
        position = keys.index("status") + 1 if "status" in keys else len(keys)
        if "review" in keys:  # an empty ``review:`` left by a person
            del data["review"]
            position = min(position, len(data))
        data.insert(position, "review", review)
    review["sent"] = sent
    review["reply_by"] = reply_by
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


# --- sending the sheets ----------------------------------------------------------------------


class SheetSent(BaseModel):
    """One partner's sheet: which file, by when, whom to write to."""

    actor: str
    label: str
    file: str
    status: str  # written | unchanged | renamed (as ``atomic.Written``)
    reason: str | None = None
    reply_by: dt.date
    contact: str | None
    interviews: list[str]  # the transcripts where the sending was recorded


class SheetsSent(BaseModel):
    """What ``profile`` did; ``profile --all --format json`` prints this."""

    sent: dt.date
    reply_by: dt.date
    sheets: list[SheetSent]
    table: str | None = None  # the table of sendings written in ``output/``


def check_reply_by(reply_by: dt.date, today: dt.date) -> None:
    if reply_by < today:
        raise UserError("reply-by-past", date=reply_by.isoformat(), today=today.isoformat())


def send_sheets(
    ws: Workspace,
    actor_ids: list[str] | None,
    *,
    lang: str,
    today: dt.date,
    reply_by: dt.date | None = None,
    anonymize: bool = False,
    include_drafts: bool = False,
) -> SheetsSent:
    """Write the sheet of each of ``actor_ids`` (every partner with a counted interview when
    ``None``), record the sending in their transcripts, and, for all of them, write the table."""
    from ess_coop.profile_docx import REVIEW_DAYS, write_profile
    from ess_coop.synthesis import synthesise

    reply_by = reply_by or today + dt.timedelta(days=REVIEW_DAYS)
    check_reply_by(reply_by, today)
    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    counted = list(dict.fromkeys(i.actor for i in synthesis.interviews))
    if actor_ids is None:
        targets = [a for a in ws.actors if a.id in counted]
        if not targets:
            raise UserError("review-no-partner")
    else:
        targets = [ws.require_actor(actor_id) for actor_id in actor_ids]
    entries = {e.rel: e for e in ws.transcripts}
    sheets = []
    for actor in targets:
        written = write_profile(
            ws, actor.id, lang=lang, anonymize=anonymize, include_drafts=include_drafts, today=today, reply_by=reply_by
        )
        recorded = []
        for interview in (i for i in synthesis.interviews if i.actor == actor.id):
            record_sent(entries[interview.path], sent=today, reply_by=reply_by, rel=interview.path)
            recorded.append(interview.path)
        sheets.append(
            SheetSent(
                actor=actor.id,
                label=actor.label,
                file=_shown(ws, written.path),
                status=written.status,
                reason=written.reason,
                reply_by=reply_by,
                contact=actor.contact,
                interviews=recorded,
            )
        )
    result = SheetsSent(sent=today, reply_by=reply_by, sheets=sheets)
    if actor_ids is None:
        table = atomic.write_output(ws.root / OUTPUT_DIR / t("review.sheets.table_file", lang), _table(result, lang))
        result.table = _shown(ws, table.path)
    return result


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return path.relative_to(ws.root).as_posix()
    except ValueError:
        return str(path)


def _table(result: SheetsSent, lang: str) -> bytes:
    from ess_coop.xlsx_writer import xlsx

    def s(key: str) -> str:
        return t(f"review.sheets.{key}", lang)

    header = [s("col_partner"), s("col_file"), s("col_sent"), s("col_reply_by"), s("col_contact")]
    rows = [
        [sheet.label, sheet.file, result.sent.isoformat(), sheet.reply_by.isoformat(), sheet.contact or s("no_contact")]
        for sheet in result.sheets
    ]
    return xlsx([(s("sheet"), header, rows, [24, 34, 12, 12, 32])], title=s("sheet"), when=result.sent)
