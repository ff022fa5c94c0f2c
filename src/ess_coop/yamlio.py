"""Reading hand-typed YAML safely, keeping where every key and value was written.

One function, :func:`read_yaml`, turns a file into plain data (dicts, lists, strings, ``None``)
plus the 1-based line and column of every key and value. It never raises on bad input: each
problem (encoding, tabs, duplicate keys, aliases, size...) comes back as a :class:`LoadProblem`
with its position, for the validator to report.

Parsing uses libyaml through PyYAML's C composer when available (10–20× faster than a pure-Python
parser, and its nodes keep their marks). We build values ourselves from the nodes rather than let
a YAML 1.1 resolver type them: every scalar stays *text* (``0123``, ``no``, ``1:30`` are strings)
and only ``null``/``~``/empty become ``None``. Pydantic then converts text to numbers, booleans
and dates where the schema asks for them, so the schema — not the parser — decides types.

Writing goes the other way, and every YAML file we write as text goes through here: the scalars
(:func:`scalar`, :func:`quoted`, :func:`name`), flow lists (:func:`flow`) and comments
(:func:`comment`, :func:`wrapped_comment`, :func:`commented`) of a new skeleton or workspace, and
whole transcripts for the imports (:func:`render_transcript`, which :func:`round_trips` checks by
reading it back).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import marshal
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ess_coop import cache, forked, safefile

try:  # libyaml bindings ship in PyYAML's wheels; fall back to pure Python if absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Composes nodes without YAML 1.1 tag resolution: we type values ourselves (a third of the time)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return "tag:yaml.org,2002:str"

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50  # our formats nest 5 levels; anything deeper is a mistake or an attack

Path_ = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line, column

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# C0 controls except tab/LF/CR, DEL, C1 controls except NEL, non-characters and lone surrogates;
# and the bidirectional overrides and isolates, which reorder what a terminal or Word shows
# ("Trojan Source"): nobody types them, and a transcript holding one cannot be read as written.
_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


@dataclass(frozen=True)
class LoadProblem:
    """Why a file could not be read (or what is wrong in its YAML), and where."""

    code: str
    line: int | None = None
    column: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class YamlDocument:
    """A loaded file: its data, and the position of each key and value by path.

    Positions are recorded while the file is parsed (one pass: composing a file again to
    locate a finding cost as much as reading it), and cached with the data.
    """

    data: Any = None
    problems: list[LoadProblem] = field(default_factory=list)
    # 1-based position of each value, by path (``("answers", "mission")``, ``("quotes", 0)``).
    values: dict[Path_, Position] = field(default_factory=dict)
    # 1-based position of each mapping key, by the path of its value.
    keys: dict[Path_, Position] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def locate(self, loc: tuple[Any, ...], *, at: str = "value") -> Position:
        """Where to point for a finding about ``loc``.

        Parts of ``loc`` that match nothing in the file are skipped (Pydantic inserts
        union-member and tag names). ``at="key"`` points at the key (an unknown key);
        ``at="value"`` at the value; for a missing key, the deepest existing part of ``loc`` is
        the mapping that should hold it, so we point at the key that opens that mapping.
        """
        path: Path_ = ()
        for part in loc:
            if (*path, part) in self.values:
                path = (*path, part)
        if at == "value" and path and loc and path[-1] == loc[-1]:
            return self.values[path]
        return self.key_position(path)

    def value_position(self, path: Path_) -> Position:
        """Position of the value at ``path`` (or of the nearest enclosing one)."""
        while path and path not in self.values:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_position(self, path: Path_) -> Position:
        """Position of the key at ``path`` (falls back to its value, then the enclosing key)."""
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return (1, 1)


def read_yaml(path: Path, *, max_bytes: int = MAX_BYTES, root: Path | None = None) -> YamlDocument:
    """Read and parse ``path``; problems are returned in the document, never raised.

    Only a regular file is read, and at most ``max_bytes`` of it (see ``safefile``); with
    ``root``, a symbolic link leading out of ``root`` is not followed.
    """
    try:
        raw = safefile.read_bytes(path, limit=max_bytes, root=root)
    except safefile.FileRefused as refused:
        return _failed(refused.code, **refused.params)
    return _cached_parse(raw)


# Bump when parsing changes what it returns, so that older cache entries are not used.
CACHE_VERSION = b"yamlio-2"


def _cached_parse(raw: bytes) -> YamlDocument:
    """``parse_yaml(raw)``, from the cache when these exact bytes were parsed before.

    Parsing is most of validate's time, and between two runs (``--watch``, a rebuild) almost
    every file is unchanged. The cache holds the data, problems and positions (marshal: fast,
    and only plain values).
    """
    if cache.folder("yaml") is None:
        return parse_yaml(raw)
    key = hashlib.blake2b(CACHE_VERSION + raw, digest_size=20).hexdigest()
    stored = cache.get("yaml", key)
    if stored is not None:
        try:
            return _from_plain(marshal.loads(stored))
        except (ValueError, TypeError, EOFError):
            pass  # a damaged entry: parse again
    doc = parse_yaml(raw)
    cache.put("yaml", key, marshal.dumps(_plain(doc)))
    return doc


def read_all(paths: Sequence[Path], *, root: Path | None = None) -> Iterator[YamlDocument]:
    """``read_yaml`` of each path, in order; a long list is read by a forked child while the
    caller works on each document as it comes (see ``forked``)."""
    return map(_from_plain, forked.mapped(functools.partial(_read_plain, root=root), paths))


def _read_plain(path: Path, *, root: Path | None) -> tuple[Any, ...]:
    return _plain(read_yaml(path, root=root))


def _plain(doc: YamlDocument) -> tuple[Any, ...]:
    """A document as plain values (the cache's entries, a child's results)."""
    problems = [(p.code, p.line, p.column, p.params) for p in doc.problems]
    return doc.data, problems, doc.values, doc.keys


def _from_plain(plain: tuple[Any, ...]) -> YamlDocument:
    data, problems, values, keys = plain
    return YamlDocument(data=data, problems=[LoadProblem(*p) for p in problems], values=values, keys=keys)


def parse_yaml(raw: bytes | str) -> YamlDocument:
    """Parse YAML bytes (UTF-8, optional BOM) or text; see :func:`read_yaml`."""
    if isinstance(raw, bytes):
        text_or_problem = _decode(raw)
        if isinstance(text_or_problem, LoadProblem):
            return YamlDocument(problems=[text_or_problem])
        text = text_or_problem
    else:
        text = raw.removeprefix("\ufeff")
    bad = _BAD_CHAR.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        return _failed("control-character", line, column, char=f"U+{ord(bad.group()):04X}")
    if not text.strip():
        return _failed("empty-file", 1, 1)
    try:
        # The bytes, when we have them, rather than the text: libyaml reads UTF-8 either way,
        # and a text would be encoded again (7% of the parse, measured).
        node = _compose(raw if isinstance(raw, bytes) else text)
    except yaml.MarkedYAMLError as exc:
        return YamlDocument(problems=[_syntax_problem(exc, text)])
    except yaml.YAMLError as exc:  # e.g. ReaderError: no mark, but a position
        return _failed("yaml-syntax", 1, 1, problem=str(exc).splitlines()[0])
    if node is None:  # only comments
        return _failed("empty-file", 1, 1)
    doc = YamlDocument()
    doc.data = _Builder(doc, anchors="&" in text).build(node)
    return doc


def _compose(text: str | bytes) -> Any:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _failed(code: str, line: int | None = None, column: int | None = None, **params: Any) -> YamlDocument:
    return YamlDocument(problems=[LoadProblem(code, line, column, params)])


def _decode(raw: bytes) -> str | LoadProblem:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return LoadProblem("encoding", 1, 1, {"encoding": "UTF-16"})
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Column in characters: decode what precedes the bad byte on its line.
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return LoadProblem("encoding", line, column, {"encoding": "UTF-8"})


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = exc.problem or "syntax error"
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return LoadProblem("tab-character", line, column)
    if "tab" in problem or "'\\t'" in problem:
        return LoadProblem("tab-character", line, column)
    if "alias" in problem:
        return LoadProblem("yaml-alias", line, column)
    if "nesting depth" in problem:
        return LoadProblem("too-deep", line, column)
    if "mapping values are not allowed" in problem:
        return LoadProblem("colon-in-value", line, column)
    if exc.context and "flow" in exc.context and exc.context_mark is not None:
        # An unclosed [ or {: the parser notices lines later; point at the opening bracket.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
    if exc.context and "quoted scalar" in exc.context:
        cmark = exc.context_mark
        if cmark is not None:
            line, column = cmark.line + 1, cmark.column + 1
        return LoadProblem("unclosed-quote", line, column)
    return LoadProblem("yaml-syntax", line, column, {"problem": problem})


_SCALAR = yaml.ScalarNode


class _Builder:
    """Turn composed nodes into plain data, noting where each key and value is."""

    def __init__(self, doc: YamlDocument, *, anchors: bool = True) -> None:
        self.doc = doc
        self.values = doc.values
        self.keys = doc.keys
        # An alias needs an anchor, and an anchor an "&": without one in the text, no node can
        # be reached twice and the nodes need not be remembered (a tenth of turning nodes into data).
        self.untracked = not anchors
        self.seen: set[int] = set()
        self.reported: set[tuple[str, int, int]] = set()

    def build(self, node: yaml.Node) -> Any:
        return self._value(node, (), None, 0)

    @staticmethod
    def _mark(node: yaml.Node) -> Position:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _problem(self, code: str, node: yaml.Node | None, **params: Any) -> None:
        line, column = self._mark(node) if node is not None else (1, 1)
        if (code, line, column) in self.reported:
            return  # one finding per place: an alias bomb repeats the same node many times
        self.reported.add((code, line, column))
        self.doc.problems.append(LoadProblem(code, line, column, params))

    def _value(self, node: yaml.Node, path: Path_, where: yaml.Node | None, depth: int) -> Any:
        # ``where``: the node to point at if this value is an alias (its key, or itself in a list).
        self.values[path] = node.start_mark.line + 1, node.start_mark.column + 1
        if not self.untracked:
            if id(node) in self.seen:
                # The same node reached twice: an alias (*name). Aliases can blow a 300-byte file
                # up into gigabytes of data, so we refuse them.
                self._problem("yaml-alias", where)
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            value: str = node.value
            if node.style == '"':
                # Double quotes allow escapes ("\x07", "\e[31m", "\u202e"): the raw text was
                # clean, the value is not. Same rule as for characters typed as they are.
                bad = _BAD_CHAR.search(value)
                if bad:
                    self._problem("control-character", node, char=f"U+{ord(bad.group()):04X}")
                    return None
            # Plain style is None for the pure-Python composer and "" for libyaml.
            return None if not node.style and value in _NULLS else value
        if depth >= MAX_DEPTH:
            self._problem("too-deep", node)
            return None
        # Plain and single-quoted scalars (most values) are built inline: a call per value was
        # a third of the build time. Anything else, or an alias, goes through _value.
        values, seen, untracked = self.values, self.seen, self.untracked
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            for i, item in enumerate(node.value):
                item_path = (*path, i)
                if type(item) is _SCALAR and item.style != '"' and (untracked or id(item) not in seen):
                    mark = item.start_mark
                    values[item_path] = mark.line + 1, mark.column + 1
                    if not untracked:
                        seen.add(id(item))
                    text = item.value
                    items.append(None if not item.style and text in _NULLS else text)
                else:
                    items.append(self._value(item, item_path, item, depth + 1))
            return items
        result: dict[str, Any] = {}
        keys = self.keys
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR:
                self._problem("complex-key", key_node)
                continue
            key = key_node.value
            bad = _BAD_CHAR.search(key) if key_node.style == '"' else None
            if bad:  # an escape in a quoted key would reach the terminal in "unknown key"
                self._problem("control-character", key_node, char=f"U+{ord(bad.group()):04X}")
                continue
            key_path = (*path, key)
            if key in result:
                self._problem("duplicate-key", key_node, key=key, first_line=keys[key_path][0])
                continue
            mark = key_node.start_mark
            keys[key_path] = mark.line + 1, mark.column + 1
            if type(value_node) is _SCALAR and value_node.style != '"' and (untracked or id(value_node) not in seen):
                mark = value_node.start_mark
                values[key_path] = mark.line + 1, mark.column + 1
                if not untracked:
                    seen.add(id(value_node))
                text = value_node.value
                result[key] = None if not value_node.style and text in _NULLS else text
            else:
                result[key] = self._value(value_node, key_path, key_node, depth + 1)
        return result


# --- writing YAML as text -----------------------------------------------------------------------
# Every file we write as YAML text (a skeleton, an import, a new workspace) writes its values and
# comments with these functions, and the tests read each kind back with parse_yaml.

# Ids that every YAML reader takes as text when written plain (others are double-quoted).
_PLAIN = re.compile(r"[a-z][a-z0-9-]*(?:@[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9-]*[a-z][a-z0-9-]*")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF",
}  # fmt: skip
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_IN_BLOCK = re.compile(r"[\r\x85\u2028\u2029\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What would end a comment early or corrupt it (a line break of any kind, a control character).
_NOT_IN_COMMENT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar: every character survives, whatever it is."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _UNPRINTABLE.match(char):
            out.append(f"\\x{ord(char):02X}" if ord(char) <= 0xFF else f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    """``value`` (text, number, date, yes/no) as a YAML scalar: plain when it is an id, a number,
    a date or a boolean, which every reader takes as written; double-quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text
    return quoted(text)


def name(text: str) -> str:
    """A person's or an organisation's name as people read it: plain when it is only words of
    letters and digits with spaces and dots between them (``Awa Koné``, ``M. K.``) and not a word
    YAML reserves (``null``, ``yes``…); double-quoted otherwise."""
    words = text.replace(" ", "").replace(".", "")
    if words.isalnum() and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return quoted(text)


def flow(values: Iterable[Any], write: Callable[[Any], str] = scalar) -> str:
    """A flow list ``[a, b]``, each value written by ``write``."""
    return "[" + ", ".join(write(value) for value in values) + "]"


def comment(text: str, indent: str = "") -> str:
    """``text`` as one comment line: a line break or a control character in it becomes ``?``, so
    that nothing typed in a name or a title can end the comment and be read as data."""
    return f"{indent}# {_NOT_IN_COMMENT.sub('?', text)}"


def wrapped_comment(text: str, indent: str = "", prefix: str = "", *, width: int = 100) -> list[str]:
    """``text`` as comment lines of at most ``width`` characters, the first starting with
    ``prefix`` and the others aligned under it (spaces and line breaks in ``text`` made single)."""
    lines = textwrap.wrap(
        " ".join(text.split()),
        width=max(40, width - len(indent) - 2),
        initial_indent=prefix,
        subsequent_indent=" " * len(prefix),
    ) or [prefix]
    return [comment(line, indent).rstrip() for line in lines]


def commented(line: str, note: str, *, column: int = 34) -> str:
    """``line`` followed by the comment ``note``, its ``#`` on ``column`` when the line leaves room."""
    if len(line) < column - 1:
        return f"{line:<{column - 1}}{comment(note)}"
    return f"{line}  {comment(note)}"


def _text(value: str | None, indent: str, *, blocks: bool) -> str:
    """Free text after ``key:``: a literal block for several lines when safe, else double-quoted."""
    if value is None:
        return ""
    lines = value.split("\n")
    if (
        blocks
        and len(lines) > 1
        and not _NOT_IN_BLOCK.search(value)
        and lines[0].strip()
        and not lines[0][0].isspace()
        and all(line == line.rstrip() for line in lines)
        and lines[-1]
    ):
        pad = " " * len(indent) + "  "
        return " |-\n" + "\n".join(f"{pad}{line}" if line else "" for line in lines)
    return " " + quoted(value)


def render_transcript(data: dict[str, Any], *, header: str = "", blocks: bool = True) -> str:
    """The transcript ``data`` (keys of format.md, in its order) as YAML text."""
    out: list[str] = [comment(line) for line in header.split("\n")] if header else []
    add = out.append

    def entry(key: str, value: Any, indent: str) -> None:
        if value is None:
            add(f"{indent}{key}:")
        elif isinstance(value, list):
            add(f"{indent}{key}: {flow(value)}")
        elif key == "priority":
            add(f"{indent}{key}: {scalar(value)}")
        else:
            add(f"{indent}{key}:{_text(value, indent, blocks=blocks)}")

    for key, value in data.items():
        if key == "interviewers":
            add(f"interviewers: {flow(value, quoted)}")
        elif key == "answers":
            add("answers:" if value else "answers: {}")
            for question, answer in value.items():
                add(f"  {scalar(question)}:{_text(answer, '  ', blocks=blocks)}")
        elif key == "consent":
            add("consent:")
            for inner, inner_value in value.items():
                add(f"  {inner}: {scalar(inner_value)}")
        elif isinstance(value, list) and (not value or isinstance(value[0], dict)):
            add(f"{key}:" if value else f"{key}: []")
            for item in value:
                for index, (inner, inner_value) in enumerate(item.items()):
                    entry(inner, inner_value, "  - " if index == 0 else "    ")
        elif key == "notes":
            entry(key, value, "")
        else:
            add(f"{key}: {scalar(value)}")
    text = "\n".join(out) + "\n"
    if blocks and not round_trips(text, data):  # a literal block we misjudged: quote everything
        return render_transcript(data, header=header, blocks=False)
    return text


def _as_text(value: Any) -> Any:
    """``value`` as the YAML reader returns it: every scalar is text."""
    if isinstance(value, dict):
        return {str(k): _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if value is None:
        return None
    return scalar(value) if isinstance(value, (bool, int, dt.date)) else str(value)


def round_trips(text: str, data: dict[str, Any]) -> bool:
    parsed = parse_yaml(text)
    return parsed.ok and parsed.data == _as_text(data)
