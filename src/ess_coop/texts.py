"""The coordinators' own words: ``texts/`` in the workspace, kept across every rebuild.

What no interview can give — an introduction, a commentary at the start of a part, a conclusion
— is written in ``texts/<name>.md`` (Markdown) or ``texts/<name>.docx`` (Word), and the build
places it in the référentiel each time. The names (``NAMES``) are listed in format.md.

Reading returns plain data (:class:`Block` and :class:`Span`), the same from either format:
paragraphs, headings (level 1 is the highest *inside* the part), bulleted and numbered list
items (with their nesting depth), bold, italic, links. Markdown is read with markdown-it-py
(CommonMark); raw HTML, comments included, is left out, so ``<!-- … -->`` holds notes and
examples that never reach the document. A .docx is read with python-docx, after checking that
its zip stays within sizes a text needs (a small file can unpack to gigabytes).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from ess_coop import safefile, safezip
from ess_coop.errors import UserError, folder_reason
from ess_coop.i18n import t
from ess_coop.workspace import relative

if TYPE_CHECKING:
    from docx.text.hyperlink import Hyperlink
    from docx.text.paragraph import Paragraph

TEXTS_DIR = "texts"
# introduction: opens part 1; one per part for its commentary; conclusion: before the annexes.
NAMES = ("introduction", "actors", "themes", "stakes", "sdgs", "voices", "conclusion")
SUFFIXES = (".md", ".docx")
_ERRORS = "committee.errors"  # the catalogue's section for this module's errors

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a .docx file on disk
# A Markdown text: a few pages are a few tens of KB. Parsing costs grow fast with some inputs
# (2 MB of "*_" took 21 s and 950 MB to validate), so the limit is much lower than a .docx's.
MAX_MARKDOWN_BYTES = 200 * 1024
# A .docx of the coordinators' words: the limits of every Word file read (docs/format.md).
DOCX_LIMITS = safezip.DOCX


class Span(BaseModel):
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


class Block(BaseModel):
    kind: Literal["paragraph", "heading", "bullet", "number"]
    level: int = 1  # heading level (1 = just below the part), or list depth (1 = top)
    number: int | None = None  # a numbered item's number
    spans: list[Span]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


class TextProblem(BaseModel):
    """Something ``validate`` reports about ``texts/`` (a code of ``report.CODES``)."""

    code: str
    path: str
    params: dict[str, str] = {}


def _ignored(name: str) -> bool:
    """Sync clients' and editors' own files (lock files, temporary files, hidden files)."""
    from ess_coop.files import is_ignored_file

    return name.startswith((".", "~")) or is_ignored_file(name)


def check_texts(root: Path, lang: str) -> list[TextProblem]:
    """Unknown names, two files of the same name (a .md beside a .docx: the .md is used), and
    texts that cannot be read (the reason in ``lang``)."""
    folder = root / TEXTS_DIR
    if not folder.is_dir():
        return []
    problems = []
    seen: dict[str, list[Path]] = {}
    try:
        listed = sorted(folder.iterdir())
    except OSError as exc:  # texts/ cannot be listed (no permission): the build would stop
        return [TextProblem(code="texts-unreadable", path=TEXTS_DIR, params={"reason": folder_reason(exc, lang)})]
    for path in listed:
        if _ignored(path.name) or path.is_dir():
            continue
        stem, suffix = path.stem.casefold(), path.suffix.casefold()
        if stem not in NAMES or suffix not in SUFFIXES:
            problems.append(
                TextProblem(code="texts-unknown-file", path=relative(root, path), params={"names": ", ".join(NAMES)})
            )
            continue
        seen.setdefault(stem, []).append(path)
    chosen = _chosen(folder)
    for stem, paths in seen.items():
        for path in paths:
            if path != chosen[stem]:  # the .md is used, then the first name in order
                problems.append(
                    TextProblem(code="texts-duplicate", path=relative(root, path), params={"used": chosen[stem].name})
                )
    for path in chosen.values():
        try:
            read_text_file(path, root)
        except UserError as exc:
            key = exc.code if "." in exc.code else f"errors.{exc.code}"  # as UserError.render finds it
            reason = t(f"{key}.message", lang, **exc.params)
            problems.append(TextProblem(code="texts-unreadable", path=relative(root, path), params={"reason": reason}))
    return problems


def _chosen(folder: Path) -> dict[str, Path]:
    """For each known name, the file used: the .md when both exist."""
    chosen: dict[str, Path] = {}
    if not folder.is_dir():
        return chosen
    try:
        listed = sorted(folder.iterdir(), key=lambda p: (p.suffix.casefold() != ".md", p.name))
    except OSError as exc:  # no permission to list it: say so rather than build without the texts
        raise UserError(f"{_ERRORS}.unreadable", path=TEXTS_DIR, reason=exc.strerror or str(exc)) from exc
    for path in listed:
        stem, suffix = path.stem.casefold(), path.suffix.casefold()
        # Not only regular files: a link or a pipe in the way is chosen, then refused by safefile.
        if stem in NAMES and suffix in SUFFIXES and not path.is_dir() and not _ignored(path.name):
            chosen.setdefault(stem, path)
    return chosen


def read_texts(root: Path) -> dict[str, list[Block]]:
    """Every text of ``root/texts`` by name (empty texts left out)."""
    texts = {}
    for name, path in _chosen(root / TEXTS_DIR).items():
        blocks = read_text_file(path, root)
        if blocks:
            texts[name] = blocks
    return texts


def read_text_file(path: Path, root: Path) -> list[Block]:
    """The blocks of one text file (.md or .docx); a file that cannot be read is a UserError.

    Read as every workspace file is (``safefile``): a regular file only, never a link leading
    out of the workspace, at most ``MAX_MARKDOWN_BYTES`` (.md) or ``MAX_TEXT_BYTES`` (.docx)
    actually read; a .docx within the package limits of ``safezip`` (a "zip bomb" is refused
    before it is unpacked)."""
    rel = relative(root, path)
    markdown = path.suffix.casefold() != ".docx"
    try:
        raw = safefile.read_bytes(path, limit=MAX_MARKDOWN_BYTES if markdown else MAX_TEXT_BYTES, root=root)
    except safefile.FileRefused as refused:
        if refused.code == "file-too-large" and markdown:
            raise UserError("workspace_folders.markdown-too-large", path=rel, **refused.params) from None
        if refused.code == "file-too-large":
            raise UserError(f"{_ERRORS}.too_large", path=rel, size=MAX_TEXT_BYTES // (1024 * 1024)) from None
        if refused.code == "file-unreadable":
            raise UserError(f"{_ERRORS}.unreadable", path=rel, reason=refused.params["reason"]) from None
        raise refused.as_user_error(rel) from None
    return list(_parse(raw, rel, markdown=markdown))


@functools.lru_cache(maxsize=len(NAMES))
def _parse(raw: bytes, rel: str, *, markdown: bool) -> tuple[Block, ...]:
    """The blocks of a text's bytes, parsed once per command: ``validate`` checks the texts
    before the build reads them again (an error is not kept: it is raised again)."""
    if not markdown:
        return tuple(_read_docx(raw, rel))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{_ERRORS}.not_utf8", path=rel) from exc
    return tuple(parse_markdown(text))


# --- Markdown --------------------------------------------------------------------------------


def parse_markdown(text: str) -> list[Block]:
    """Markdown (CommonMark) as blocks; raw HTML (comments included) is left out."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Block] = []
    lists: list[list[Any]] = []  # open lists: [kind, next number]
    pending: tuple[str, int] | None = None  # the heading being read (kind, level)
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append(["bullet" if kind == "bullet_list_open" else "number", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "heading_open":
            pending = ("heading", int(token.tag[1:]))
        elif kind == "inline":
            spans = _inline_spans(token.children or [])
            if not spans:
                continue
            if pending is not None:
                blocks.append(Block(kind="heading", level=pending[1], spans=spans))
            elif lists and not _continues_item(blocks, lists):
                list_kind, number = lists[-1]
                blocks.append(
                    Block(
                        kind=list_kind,
                        level=len(lists),
                        number=number if list_kind == "number" else None,
                        spans=spans,
                    )
                )
                lists[-1][1] += 1
            else:
                blocks.append(Block(kind="paragraph", spans=spans))
        elif kind == "heading_close":
            pending = None
        elif kind == "list_item_open":
            lists[-1].append("new")  # the next paragraph starts the item
    return blocks


def _continues_item(blocks: list[Block], lists: list[list[Any]]) -> bool:
    """A second paragraph of the same list item: printed as a plain paragraph."""
    if lists[-1][-1] == "new":
        lists[-1].pop()
        return False
    return True


def _inline_spans(children: list[Any]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrGet("href") or "")
            link = href if href.startswith(("http://", "https://", "mailto:")) else None
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline"):
            _append(spans, Span(text=child.content, bold=bold > 0, italic=italic > 0, link=link))
        elif kind == "softbreak":
            _append(spans, Span(text=" ", bold=bold > 0, italic=italic > 0, link=link))
        elif kind == "hardbreak":
            _append(spans, Span(text="\n", bold=bold > 0, italic=italic > 0, link=link))
        # html_inline (comments, tags) and images are left out
    while spans and not spans[-1].text.strip():
        spans.pop()
    return spans if any(s.text.strip() for s in spans) else []


def _append(spans: list[Span], span: Span) -> None:
    """Join a span to the previous one when they look the same (fewer runs in Word)."""
    if spans and (spans[-1].bold, spans[-1].italic, spans[-1].link) == (span.bold, span.italic, span.link):
        spans[-1] = spans[-1].model_copy(update={"text": spans[-1].text + span.text})
    else:
        spans.append(span)


# --- Word ------------------------------------------------------------------------------------


def _read_docx(raw: bytes, rel: str) -> list[Block]:
    import docx
    from docx.text.hyperlink import Hyperlink

    try:
        safezip.check(raw, limits=DOCX_LIMITS)
    except safezip.ZipRefused as refused:
        if refused.code == "zip-unreadable":
            raise UserError(f"{_ERRORS}.not_docx", path=rel) from None
        raise refused.as_user_error(Path(rel)) from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise UserError(f"{_ERRORS}.not_docx", path=rel) from exc
    blocks: list[Block] = []
    numbers: dict[int, int] = {}
    for paragraph in document.paragraphs:
        spans: list[Span] = []
        for item in paragraph.iter_inner_content():
            runs, link = (item.runs, _address(item)) if isinstance(item, Hyperlink) else ([item], None)
            for run in runs:
                if run.text:
                    _append(spans, Span(text=run.text, bold=bool(run.bold), italic=bool(run.italic), link=link))
        if not any(s.text.strip() for s in spans):
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        level = _style_level(style)
        if style.startswith(("Heading", "Titre ")) and level:  # Word stores built-in names in English
            blocks.append(Block(kind="heading", level=level, spans=spans))
            numbers.clear()
        elif style == "Title":
            blocks.append(Block(kind="heading", level=1, spans=spans))
        elif style.startswith("List Number") or style.startswith("List Bullet") or _has_numbering(paragraph):
            depth = level or _numbering_level(paragraph) + 1
            if style.startswith("List Number"):
                numbers[depth] = numbers.get(depth, 0) + 1
                for deeper in [d for d in numbers if d > depth]:
                    del numbers[deeper]
                blocks.append(Block(kind="number", level=depth, number=numbers[depth], spans=spans))
            else:
                blocks.append(Block(kind="bullet", level=depth, spans=spans))
        else:
            blocks.append(Block(kind="paragraph", spans=spans))
            numbers.clear()
    return blocks


def _address(link: Hyperlink) -> str | None:
    """Where a hyperlink of the document leads; ``None`` (its text kept) when its relationship
    is missing (a damaged or hand-edited document: ``KeyError`` from python-docx)."""
    try:
        return link.address or None
    except KeyError:
        return None


def _style_level(style: str) -> int:
    """3 for "Heading 3" or "List Bullet 3", 1 for "List Bullet", 0 for a heading without level."""
    last = style.rsplit(" ", 1)[-1]
    if last.isdigit():
        return int(last)
    return 1 if style.startswith("List") else 0


def _has_numbering(paragraph: Paragraph) -> bool:
    from ess_coop.docx_base import xml_of

    p_pr = xml_of(paragraph).pPr
    return p_pr is not None and p_pr.numPr is not None


def _numbering_level(paragraph: Paragraph) -> int:
    from ess_coop.docx_base import xml_of

    p_pr: Any = xml_of(paragraph).pPr  # python-docx types w:numPr as its descriptor, without w:ilvl
    if p_pr is None or p_pr.numPr is None or p_pr.numPr.ilvl is None:
        return 0
    return int(p_pr.numPr.ilvl.val)
