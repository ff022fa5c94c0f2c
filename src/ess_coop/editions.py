"""Editions of the référentiel: what each version printed, and what changed between two versions.

Each build records what the document printed in ``output/editions/referentiel-<version>.json``
(small, deterministic, sorted keys: a synced folder uploads it once per change). The record
holds only what the document printed: the counted interviews (reference, date, partner's name
as printed), the statements with their text, the lead groups (actor ids and themes), and the
printed quotes as a fingerprint of their text (never the text, never a held-back quote, never
``notes``; an anonymous quote carries no interview, as in the document).

Identity of a statement: interview id + kind + index + hash of its text. Comparing two
editions, a statement whose interview, kind and text are unchanged is the same (even if it
moved); of the rest, one at the same interview, kind and index is *changed*; the others are
*added* or *removed*. An interview is *added* or *withdrawn* by its id.

"The version before" a version is the recorded one that comes just before it in natural order
(``0.9`` < ``0.10`` < ``1.0``), so rebuilding a version compares with the one before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel

from ess_coop import atomic, safefile
from ess_coop.errors import UserError
from ess_coop.synthesis import Synthesis
from ess_coop.workspace import OUTPUT_DIR, Workspace

EDITIONS_DIR = f"{OUTPUT_DIR}/editions"
_MAX_RECORD = 64 * 1024 * 1024  # a record of 1,000 interviews is a few MB
RECORD_FORMAT = 1


def fingerprint(text: str) -> str:
    """A short, stable hash of a text (whitespace runs count as one space)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


class EditionInterview(BaseModel):
    id: str
    ref: str
    actor: str
    label: str  # the partner's name as the document printed it
    date: dt.date


class EditionStatement(BaseModel):
    interview: str
    actor: str
    kind: str
    index: int  # position among the interview's statements of this kind, from 0
    ref: str
    text: str
    hash: str
    themes: list[str] = []  # printed beside the statement, as labels
    priority: str | None = None


class EditionLeads(BaseModel):
    """One lead group: every ``expecting`` actor with every ``offering`` one, on ``theme``."""

    theme: str
    expecting: list[str]
    offering: list[str]


class EditionQuote(BaseModel):
    hash: str
    interview: str | None  # None for an anonymous quote: the document ties it to no interview


class Edition(BaseModel):
    """What one build of a version printed."""

    format: int = RECORD_FORMAT
    version: str
    built_on: dt.date
    anonymize: bool
    include_drafts: bool
    interviews: list[EditionInterview]
    statements: list[EditionStatement]
    leads: list[EditionLeads]
    quotes: list[EditionQuote]


def edition_of(ws: Workspace, synthesis: Synthesis, *, version: str, built_on: dt.date) -> Edition:
    """The record of what a référentiel built from ``synthesis`` prints."""
    labels = {a.id: a.label for a in ws.actors}
    refs = {i.id: i.ref for i in synthesis.interviews}
    counters: dict[tuple[str, str], int] = {}
    statements = []
    for s in synthesis.statements:
        index = counters.get((s.interview, s.kind), 0)
        counters[(s.interview, s.kind)] = index + 1
        statements.append(
            EditionStatement(
                interview=s.interview,
                actor=s.actor,
                kind=s.kind,
                index=index,
                ref=s.ref,
                text=s.text,
                hash=fingerprint(s.text),
                themes=list(s.themes),
                priority=s.priority,
            )
        )
    quotes = sorted(
        (
            EditionQuote(hash=fingerprint(q.text), interview=None if q.group else q.interview)
            for q in synthesis.fates
            if q.fate == "printed"
        ),
        key=lambda q: (q.interview or "", q.hash),
    )
    return Edition(
        version=version,
        built_on=built_on,
        anonymize=synthesis.anonymize,
        include_drafts=synthesis.include_drafts,
        interviews=[
            EditionInterview(id=i.id, ref=refs[i.id], actor=i.actor, label=labels.get(i.actor, i.actor), date=i.date)
            for i in synthesis.interviews
        ],
        statements=statements,
        leads=[EditionLeads(theme=g.theme, expecting=g.expecting, offering=g.offering) for g in synthesis.lead_groups],
        quotes=quotes,
    )


# --- the records on disk ---------------------------------------------------------------------


def record_name(version: str) -> str:
    """The record's file name: the version with anything unsafe in a file name replaced."""
    return f"referentiel-{re.sub(r'[^A-Za-z0-9._-]+', '-', version).strip('-.') or 'version'}.json"


def save(ws: Workspace, edition: Edition) -> atomic.Written:
    """Write the record of ``edition`` (nothing is written when it is unchanged)."""
    data = json.dumps(edition.model_dump(mode="json"), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return atomic.write_output(ws.root / EDITIONS_DIR / record_name(edition.version), data.encode("utf-8"))


def recorded(ws: Workspace) -> dict[str, Edition]:
    """Every readable record, by version (an unreadable file is skipped: it is ours, not a person's)."""
    folder = ws.root / EDITIONS_DIR
    found: dict[str, Edition] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("referentiel-*.json")):
        try:  # only a regular file of the workspace, and not without end (a pipe, a link to a device)
            edition = Edition.model_validate_json(safefile.read_bytes(path, limit=_MAX_RECORD, root=ws.root))
        except (safefile.FileRefused, ValueError):
            continue
        if path.name == record_name(edition.version):
            found[edition.version] = edition
    return found


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of version texts: 0.9 < 0.10 < 1.0 < 1.0-rc (numbers before words)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|[^\d.\-_ ]+", version))


def version_before(versions: list[str], version: str) -> str | None:
    """The greatest of ``versions`` that comes before ``version``."""
    earlier = [v for v in versions if version_key(v) < version_key(version)]
    return max(earlier, key=version_key) if earlier else None


# --- what changed ----------------------------------------------------------------------------

StatementChangeKind = Literal["added", "changed", "removed"]


class InterviewChange(BaseModel):
    id: str
    actor: str
    label: str
    ref: str
    date: dt.date
    change: Literal["added", "withdrawn"]
    old_ref: bool = False  # ``ref`` is the reference in the older edition (a withdrawn interview)


class StatementChange(BaseModel):
    actor: str
    label: str
    interview: str
    kind: str
    change: StatementChangeKind
    ref: str  # the interview's reference in the newer edition (in the older one: see ``old_ref``)
    old_ref: bool = False  # the statement's interview was withdrawn: ``ref`` is the older edition's
    index: int  # its place among the interview's statements of its kind (in the older edition if removed)
    before: str | None
    after: str | None
    # What is printed beside the text: a change of themes or priority alone is a change too.
    themes_before: list[str] = []
    themes_after: list[str] = []
    priority_before: str | None = None
    priority_after: str | None = None


class LeadChange(BaseModel):
    theme: str
    expecting: str
    offering: str
    change: Literal["gained", "lost"]
    expecting_label: str = ""
    offering_label: str = ""


class Changes(BaseModel):
    """What changed from edition ``since`` to ``version``; ``changes --format json`` prints this."""

    since: str
    version: str
    interviews: list[InterviewChange]
    statements: list[StatementChange]
    leads: list[LeadChange]
    quotes_added: int
    quotes_removed: int

    @property
    def empty(self) -> bool:
        return not (self.interviews or self.statements or self.leads or self.quotes_added or self.quotes_removed)


def compare(old: Edition, new: Edition) -> Changes:
    """What changed from ``old`` to ``new`` (see the module's docstring for identities)."""
    old_ids = {i.id: i for i in old.interviews}
    new_ids = {i.id: i for i in new.interviews}
    labels = {i.actor: i.label for i in old.interviews} | {i.actor: i.label for i in new.interviews}
    interviews = [
        InterviewChange(**i.model_dump(), change="withdrawn", old_ref=True)
        for i in old.interviews
        if i.id not in new_ids
    ] + [InterviewChange(**i.model_dump(), change="added") for i in new.interviews if i.id not in old_ids]
    interviews.sort(key=lambda c: (c.date, c.id))
    return Changes(
        since=old.version,
        version=new.version,
        interviews=interviews,
        statements=[
            # A removed statement of an interview still there takes its reference in the new edition.
            c.model_copy(update={"ref": new_ids[c.interview].ref, "old_ref": False}) if c.interview in new_ids else c
            for c in _statement_changes(old.statements, new.statements, labels)
        ],
        leads=[
            lead.model_copy(
                update={
                    "expecting_label": labels.get(lead.expecting, lead.expecting),
                    "offering_label": labels.get(lead.offering, lead.offering),
                }
            )
            for lead in _lead_changes(old.leads, new.leads)
        ],
        quotes_added=_count_missing(new.quotes, old.quotes),
        quotes_removed=_count_missing(old.quotes, new.quotes),
    )


def _statement_changes(
    old: list[EditionStatement], new: list[EditionStatement], labels: dict[str, str]
) -> list[StatementChange]:
    def same(s: EditionStatement) -> tuple[str, str, str]:
        return (s.interview, s.kind, s.hash)

    # The same text in the same interview and kind is the same statement, wherever it moved.
    pool: dict[tuple[str, str, str], list[EditionStatement]] = {}
    for s in old:
        pool.setdefault(same(s), []).append(s)
    pairs: list[tuple[EditionStatement | None, EditionStatement | None]] = []
    left_new = []
    for s in new:
        if pool.get(same(s)):
            pairs.append((pool[same(s)].pop(0), s))
        else:
            left_new.append(s)
    # Of the rest, one at the same place (interview, kind, index) was changed.
    at = {(s.interview, s.kind, s.index): s for bucket in pool.values() for s in bucket}
    for s in left_new:
        pairs.append((at.pop((s.interview, s.kind, s.index), None), s))
    pairs += [(s, None) for s in at.values()]
    changes = []
    for before, after in pairs:
        either = after or before
        assert either is not None
        if (
            before is not None
            and after is not None
            and (before.hash, before.themes, before.priority)
            == (
                after.hash,
                after.themes,
                after.priority,
            )
        ):
            continue  # unchanged, perhaps moved
        change: StatementChangeKind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(
            StatementChange(
                actor=either.actor,
                label=labels.get(either.actor, either.actor),
                interview=either.interview,
                kind=either.kind,
                change=change,
                ref=either.ref,
                index=either.index,
                old_ref=after is None,
                before=before.text if before else None,
                after=after.text if after else None,
                themes_before=before.themes if before else [],
                themes_after=after.themes if after else [],
                priority_before=before.priority if before else None,
                priority_after=after.priority if after else None,
            )
        )
    order = {"expectation": 0, "contribution": 1, "constraint": 2}
    changes.sort(key=lambda c: (c.label.casefold(), c.actor, order.get(c.kind, 3), c.interview, c.index, c.change))
    return changes


def _pairs(groups: list[EditionLeads]) -> set[tuple[str, str, str]]:
    return {(g.theme, a, b) for g in groups for a in g.expecting for b in g.offering}


def _lead_changes(old: list[EditionLeads], new: list[EditionLeads]) -> list[LeadChange]:
    before, after = _pairs(old), _pairs(new)
    changes = [LeadChange(theme=th, expecting=a, offering=b, change="lost") for th, a, b in before - after]
    changes += [LeadChange(theme=th, expecting=a, offering=b, change="gained") for th, a, b in after - before]
    return sorted(changes, key=lambda c: (c.change != "gained", c.theme, c.expecting, c.offering))


def _count_missing(these: list[EditionQuote], others: list[EditionQuote]) -> int:
    pool: dict[tuple[str, str | None], int] = {}
    for q in others:
        pool[(q.hash, q.interview)] = pool.get((q.hash, q.interview), 0) + 1
    missing = 0
    for q in these:
        if pool.get((q.hash, q.interview), 0):
            pool[(q.hash, q.interview)] -= 1
        else:
            missing += 1
    return missing


def changes_for_build(ws: Workspace, edition: Edition) -> Changes | None:
    """What the new draft changed since the recorded version before its own (None: no such record)."""
    records = recorded(ws)
    before = version_before(list(records), edition.version)
    return compare(records[before], edition) if before else None


def changes_since(ws: Workspace, current: Edition, since: str | None) -> Changes:
    """``ess-coop changes``: the workspace as it would print now, against ``since`` (default:
    the recorded version before the current one)."""
    records = recorded(ws)
    if not records:
        raise UserError("editions-none", path=EDITIONS_DIR)
    if since is None:
        versions = list(records)
        since = version_before(versions, current.version) if current.version else max(versions, key=version_key)
        if since is None:
            known = ", ".join(sorted(records, key=version_key))
            raise UserError("editions-no-earlier", version=current.version, versions=known)
    elif since not in records:
        raise UserError("editions-unknown", version=since, versions=", ".join(sorted(records, key=version_key)))
    return compare(records[since], current)


def workspace_changes(
    ws: Workspace,
    *,
    since: str | None,
    lang: str,
    include_drafts: bool = False,
    anonymize: bool = False,
    today: dt.date,
) -> Changes:
    """What the référentiel built now would change since ``since`` (``ess-coop changes``)."""
    from ess_coop.synthesis import synthesise

    synthesis = synthesise(ws, include_drafts=include_drafts, lang=lang, anonymize=anonymize)
    version = ws.project.referential.version if ws.project else None
    return changes_since(ws, edition_of(ws, synthesis, version=version or "", built_on=today), since)
