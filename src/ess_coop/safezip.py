"""Opening a zip package a person gave us (a Word form, a Word template; later an Excel export)
without letting it exhaust the machine or hide text.

A .docx is a zip of XML parts, and python-docx reads every part whole: a 1.5 MB file can hold
1.5 GB of text (a "zip bomb") and take gigabytes of memory before anything fails. :func:`check`
looks at the zip directory first (number of parts, each part's size once uncompressed, the
total, the compression ratio) and refuses a package past :data:`DOCX` limits before reading a
byte of it; then it reads every part through a bounded reader that stops a part at its limit,
whatever the directory claims.

It also refuses an XML part that declares a DTD (``<!DOCTYPE …>``): Open Packaging Conventions
(ECMA-376 part 2, §8.1.4) forbid them, and python-docx parses with ``resolve_entities=False``,
so an entity reference (``&name;``) becomes an lxml ``_Entity`` node and the text after it is
that node's *tail*: read through ``element.text`` it silently vanishes. Word refuses such a file
too. Image parts (an SVG logo may carry a DTD) are never parsed as XML and are not checked.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ess_coop import safefile
from ess_coop.errors import EssCoopError, UserError

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a package may hold (documented in docs/format.md)."""

    file: int  # bytes of the package file itself
    parts: int  # entries in the zip directory
    part: int  # bytes of one part, uncompressed
    xml_part: int  # bytes of one part that is not an image (parsed as XML), uncompressed
    total: int  # bytes of all parts, uncompressed
    ratio: int  # uncompressed / compressed, for a part of more than ``ratio_from`` bytes
    ratio_from: int


DOCX = Limits(file=64 * _MB, parts=2000, part=32 * _MB, xml_part=8 * _MB, total=64 * _MB, ratio=200, ratio_from=4 * _MB)

_CHUNK = 64 * 1024
_ENTRY_MAX = 1024  # bytes of the zip directory per part: 46 + the name + extras; Word uses ~100
_CONTENT_TYPES = "[Content_Types].xml"
# What may come before the root element: an XML declaration, comments, processing instructions.
_PROLOG = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_PROLOG_MAX = 64 * 1024  # a prolog longer than this (a DTD hiding behind comments) is refused


class ZipRefused(EssCoopError):
    """Why a package was refused: ``code`` names an entry of the errors catalogue."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def as_user_error(self, path: Path) -> UserError:
        return UserError(self.code, path=path, **self.params)


def read(path: Path, *, limits: Limits = DOCX, root: Path | None = None) -> bytes:
    """The bytes of the package at ``path``, once :func:`check` has found them safe.

    Raises :class:`safefile.FileRefused` (not a regular file, too large...) or :class:`ZipRefused`.
    """
    data = safefile.read_bytes(path, limit=limits.file, root=root)
    check(data, limits=limits)
    return data


def read_or_refuse(path: Path, unreadable: str, *, limits: Limits = DOCX, root: Path | None = None) -> bytes:
    """:func:`read`, each refusal raised as the one-line error a person reads: a file that is
    no package at all as ``unreadable`` (the command's own code, given the ``reason``), any other
    refusal (too large, not a regular file, a DTD…) in its own words."""
    try:
        return read(path, limits=limits, root=root)
    except ZipRefused as refused:
        if refused.code == "zip-unreadable":
            raise UserError(unreadable, path=path, reason=refused.params["reason"]) from None
        raise refused.as_user_error(path) from None
    except safefile.FileRefused as refused:
        raise refused.as_user_error(path) from None


def check(data: bytes, *, limits: Limits = DOCX) -> None:
    """Refuse (:class:`ZipRefused`) a package past ``limits`` or with a DTD in an XML part."""
    directory = _directory_size(data)
    if directory is not None and directory > limits.parts * _ENTRY_MAX:
        # Checked before zipfile reads the directory: a million entries would cost gigabytes.
        raise ZipRefused("zip-too-many-parts", count=f"> {limits.parts}", max=limits.parts)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ZipRefused("zip-unreadable", reason=str(exc) or type(exc).__name__) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.parts:
            raise ZipRefused("zip-too-many-parts", count=len(entries), max=limits.parts)
        images = _image_parts(archive, entries, limits)
        total = 0
        for info in entries:
            # A part parsed as XML (not an image) takes several times its size once parsed.
            _check_entry(info, limits, limits.part if info.filename in images else limits.xml_part)
            total += info.file_size
        if total > limits.total:
            raise ZipRefused("zip-total-too-large", size_mb=_mb(total), max_mb=_mb(limits.total))
        read_total = 0
        for info in entries:
            content = _bounded(archive, info, limits.part if info.filename in images else limits.xml_part)
            read_total += len(content)
            if read_total > limits.total:  # the directory lied about the sizes
                raise ZipRefused("zip-total-too-large", size_mb=_mb(read_total), max_mb=_mb(limits.total))
            if info.filename not in images and _declares_dtd(content):
                raise ZipRefused("zip-dtd", part=info.filename)


def _check_entry(info: zipfile.ZipInfo, limits: Limits, most: int) -> None:
    if info.file_size > most:
        raise ZipRefused("zip-too-large", part=info.filename, size_mb=_mb(info.file_size), max_mb=_mb(most))
    if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise ZipRefused("zip-ratio", part=info.filename, ratio=ratio, max=limits.ratio)


def _bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The part ``info``, read a chunk at a time, refused as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    got = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                got += len(chunk)
                if got > limit:
                    raise ZipRefused("zip-too-large", part=info.filename, size_mb=_mb(got), max_mb=_mb(limit))
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        # A damaged part, an unknown compression, a password: not a document we can read.
        raise ZipRefused("zip-unreadable", reason=f"{info.filename}: {exc}") from exc
    return b"".join(chunks)


def _image_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: Limits) -> set[str]:
    """Names of the parts whose content type is an image (never parsed as XML)."""
    names = {info.filename for info in entries}
    if _CONTENT_TYPES not in names:
        return set()
    types = _bounded(archive, archive.getinfo(_CONTENT_TYPES), limits.xml_part)
    if _declares_dtd(types):
        raise ZipRefused("zip-dtd", part=_CONTENT_TYPES)
    from lxml import etree

    try:
        root = etree.fromstring(types, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise ZipRefused("zip-unreadable", reason=f"{_CONTENT_TYPES}: {exc}") from exc
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for element in root:
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
        elif local == "Override":
            overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
    images = set()
    for name in names:
        content_type = overrides.get(name, defaults.get(PurePosixPath(name).suffix.lstrip(".").lower(), ""))
        if content_type.startswith("image/"):
            images.add(name)
    return images


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or content[:2] in (b"<\x00", b"\x00<"):
        encoding = (
            "utf-16"
            if content[:2] in (b"\xff\xfe", b"\xfe\xff")
            else ("utf-16-le" if content[:2] == b"<\x00" else "utf-16-be")
        )
        return content.decode(encoding, errors="replace")
    return content.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _declares_dtd(content: bytes) -> bool:
    """Whether ``content``, if XML, declares a DTD (in its prolog, the only place one may be)."""
    text = _decode(content[:_PROLOG_MAX])
    prolog = _PROLOG.match(text)
    rest = text[prolog.end() if prolog else 0 :]
    # "<!" right after the prolog is a DTD, or a comment that does not end within the limit.
    return rest.startswith("<!")


def _directory_size(data: bytes) -> int | None:
    """The size of the zip directory, from the end-of-directory record (zip64 too), if found."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0:
        return None
    entries = int.from_bytes(data[at + 10 : at + 12], "little")
    size = int.from_bytes(data[at + 12 : at + 16], "little")
    if size == 0xFFFFFFFF or entries == 0xFFFF:
        locator = at - 20
        if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
            record = int.from_bytes(data[locator + 8 : locator + 16], "little")
            if data[record : record + 4] == b"PK\x06\x06":
                size = int.from_bytes(data[record + 40 : record + 48], "little")
    return size


def _mb(size: int) -> str:
    return f"{size / _MB:.0f}" if size >= 10 * _MB or size % _MB == 0 else f"{size / _MB:.1f}"
