"""The YAML reader: text stays text, positions are right, bad input is a problem, never a crash."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from ess_coop.yamlio import (
    comment,
    commented,
    flow,
    name,
    parse_yaml,
    quoted,
    read_yaml,
    render_transcript,
    scalar,
    wrapped_comment,
)


def test_bom_and_crlf_are_accepted() -> None:
    doc = parse_yaml(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n")
    assert doc.ok
    assert doc.data == {"a": "1", "b": ["x"]}
    assert doc.values[("b", 0)] == (3, 5)


@pytest.mark.parametrize("value", ["0123", "no", "yes", "1:30", "1e3", "2024-07-03", "true", "0x1F"])
def test_scalars_stay_text(value: str) -> None:
    assert parse_yaml(f"v: {value}").data == {"v": value}


@pytest.mark.parametrize("value", ["", "~", "null", "NULL"])
def test_nulls_are_none_but_quoted_nulls_are_text(value: str) -> None:
    assert parse_yaml(f"v: {value}").data == {"v": None}
    assert parse_yaml(f'v: "{value}"').data == {"v": value}


def test_keys_and_values_are_located() -> None:
    doc = parse_yaml("top:\n  inner: [a, b]\n")
    assert doc.keys[("top", "inner")] == (2, 3)
    assert doc.values[("top", "inner", 1)] == (2, 14)
    assert doc.locate(("top", "inner", 1)) == (2, 14)
    assert doc.locate(("top", "missing"), at="key") == (1, 1)
    assert doc.locate(("top", "inner", "union-tag", 1)) == (2, 14)


def test_billion_laughs_is_refused_at_once() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    started = time.perf_counter()
    doc = parse_yaml("\n".join(lines))
    assert time.perf_counter() - started < 1
    assert {p.code for p in doc.problems} == {"yaml-alias"}


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join(" " * i + "a:\n" for i in range(1, 2000))])
def test_very_deep_nesting_is_a_problem_not_a_crash(text: str) -> None:
    doc = parse_yaml(text)
    assert [p.code for p in doc.problems] in (["too-deep"], ["yaml-syntax"])


def test_utf16_is_reported() -> None:
    doc = parse_yaml("a: é".encode("utf-16"))
    assert [(p.code, p.params) for p in doc.problems] == [("encoding", {"encoding": "UTF-16"})]


def test_several_documents_are_a_syntax_problem() -> None:
    assert [p.code for p in parse_yaml("a: 1\n---\nb: 2\n").problems] == ["yaml-syntax"]


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    assert [p.code for p in read_yaml(tmp_path).problems] == ["file-unreadable"]


def test_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 100)
    assert [p.code for p in read_yaml(big, max_bytes=50).problems] == ["file-too-large"]


WRITTEN = [
    "", " ", "a: b", "a:b", "#", "a #b", "- x", "-", "* x", "*x", "&x", "!x", "%x", "@x", "`x", "|", ">", "---",
    "...", "?", "[b]", "{a}", "a, b", "yes", "no", "on", "off", "Yes", "NO", "y", "true", "null", "Null", "~",
    3, 0, -12, "0123", "1.5", "1e3", "0x1F", "+1", dt.date(2024, 7, 3), "2024-07-03", True, False, "'", '"', "it's",
    'Awa "K"', "\\", "\\n", "a\nb", "\n", "l1\n\nl3", "x\r\ny", "\r", "\t", "a\tb", "\x85", "\u2028", "\u2029",
    "\ufeff", "Awa Koné", "M. K.", "Kɔfi Ewé", "Ɖɔ 2", "e\u0301", "\u200fمرحبا\u200e", "\u061c", " lead", "trail ",
    "tg-a", "2024-07-03-tg-a", "guide@1", "x" * 300,
]  # fmt: skip


@pytest.mark.parametrize("value", WRITTEN, ids=repr)
def test_every_written_scalar_reads_back_equal(value: Any) -> None:
    """Each way our writers put a value in YAML text reads back as that value's text."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    text = text.lower() if isinstance(value, bool) else text
    written = [f"k: {scalar(value)}", f"k: {quoted(text)}", f"k: {flow([value, value])}", f"k: {flow([text], name)}",
               f"k: {flow([text], quoted)}"]  # fmt: skip
    expected = [text, text, [text, text], [text], [text]]
    for line, want in zip(written, expected, strict=True):
        doc = parse_yaml(line)
        assert doc.ok and doc.data == {"k": want}, line
    transcript = render_transcript({"answers": {"q": text}, "notes": text})
    assert parse_yaml(transcript).data == {"answers": {"q": text}, "notes": text}, transcript
    # A comment holding the value never changes the data, nor ends early.
    comments = [comment(text), *wrapped_comment(text, "  ", "? ", width=40), commented("k: x", text)]
    assert parse_yaml("\n".join(comments) + "\n").data == {"k": "x"}


@pytest.mark.parametrize("value", ["\x07", "\x1b[31m", "a\x00b", "\x9b", "\u202e", "\u2066x"])
def test_characters_the_reader_refuses_are_written_but_never_read_as_a_value(value: str) -> None:
    for line in (f"k: {scalar(value)}", f"k: {flow([value], name)}"):
        assert [p.code for p in parse_yaml(line).problems] == ["control-character"], line
