"""Hostile Word files are bounded: zip bombs are refused from the zip directory, before reading,
in little memory and time (measured in a process of its own); a part that holds more than its
directory says is stopped; a DTD, which would make text vanish, is refused."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ess_coop import safezip
from ess_coop.cli import app
from samples import MakeWorkspace

runner = CliRunner()
_MB = 1024 * 1024


def raw_zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, deflated data, crc, size the directory declares)."""
    body, directory = b"", b""
    for name, data, crc, size in parts:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        body += encoded + data
        sizes = (crc, len(data), size, len(encoded))
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset)
        directory += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return body + directory + end


def deflated(part: bytes, times: int, *, crc: bool = True) -> tuple[bytes, int]:
    """``part`` repeated ``times`` times, deflated (without compressing it all: blocks repeat), and its crc."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(part) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 0
    for _ in range(times if crc else 0):
        checksum = zlib.crc32(part, checksum)
    return block * times + compressor.flush(zlib.Z_FINISH), checksum


def small(name: str, content: bytes) -> tuple[str, bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def bomb(path: Path, gigabytes: float = 1.5) -> None:
    """A 1.5 MB .docx whose document part holds 1.5 GB of text, as in the issue."""
    text = b"a" * _MB
    times = int(gigabytes * 1024)
    # The crc is not computed (a second of work): nothing may read this far to check it.
    data, crc = deflated(text, times, crc=False)
    size = times * len(text)
    path.write_bytes(raw_zip([small("[Content_Types].xml", CONTENT_TYPES), ("word/document.xml", data, crc, size)]))


def measured(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; its peak memory (MB) and the time of the call (s)."""
    script = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        f"{code}\n"
        "start = time.perf_counter()\n"
        "try:\n    outcome = call()\n"
        "except Exception as exc:\n    outcome = f'{type(exc).__name__}: {getattr(exc, \"code\", exc)}'\n"
        "elapsed = time.perf_counter() - start\n"
        # VmHWM, the peak of this process's own memory: on Linux ru_maxrss also counts the
        # parent's (a long pytest run's) at the moment it started this interpreter.
        "status = Path('/proc/self/status')\n"
        "hwm = [l for l in status.read_text().splitlines() if l.startswith('VmHWM:')] if status.exists() else []\n"
        "peak = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': elapsed, 'peak_mb': peak, 'outcome': str(outcome)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, float] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX")
def test_zip_bomb_form_is_refused_fast_and_small(make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    root = make_workspace()
    form = root / "interviews/tg-a/2025-01-02-tg-a.docx"
    form.parent.mkdir(parents=True, exist_ok=True)
    bomb(form)
    assert form.stat().st_size < 2 * _MB
    result = measured(
        "from ess_coop.validation import check_workspace\n"
        "from ess_coop.forms.importer import import_form\n"
        f"ws, _ = check_workspace(Path({str(root)!r}))\n"
        f"def call():\n    return import_form(ws, Path({str(form)!r}), lang='fr')\n"
    )
    assert result["outcome"].startswith("UserError: zip-too-large"), result
    assert result["peak_mb"] < 200 and result["seconds"] < 2, result
    assert not list(form.parent.glob("*.yaml"))


@pytest.mark.skipif(sys.platform == "win32", reason="ru_maxrss is POSIX")
def test_zip_bomb_template_is_refused_fast_and_small(tmp_path: Path) -> None:
    template = tmp_path / "charte.docx"
    bomb(template)
    result = measured(
        "from ess_coop.docx_base import open_document\n"
        f"def call():\n    return open_document(Path({str(template)!r}))\n"
    )
    assert result["outcome"].startswith("UserError: zip-too-large"), result
    assert result["peak_mb"] < 200 and result["seconds"] < 2, result


def test_zip_bomb_message_is_one_line(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    form = root / "interviews/tg-a/2025-01-02-tg-a.docx"
    form.parent.mkdir(parents=True, exist_ok=True)
    bomb(form, gigabytes=0.1)
    result = runner.invoke(app, ["import", str(form), "-w", str(root)])
    assert result.exit_code == 1
    shown = " ".join(result.output.split())  # the import command's console wraps long lines
    expected = "document refusé : une fois décompressée, la partie « word/document.xml » fait 102 Mo (maximum 8 Mo)"
    assert expected in shown


def test_directory_that_lies_about_a_size_is_not_believed() -> None:
    text = b"x" * _MB
    data, crc = deflated(text, 100)  # 100 MB, declared as 1 MB
    with pytest.raises(safezip.ZipRefused) as caught:
        safezip.check(raw_zip([("word/document.xml", data, crc, _MB)]))
    assert caught.value.code == "zip-unreadable"  # stopped at the declared size: the data does not match


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        ({"xml_part": _MB}, "zip-too-large"),
        ({"total": 3 * _MB}, "zip-total-too-large"),
        ({"parts": 2}, "zip-too-many-parts"),
        ({"ratio": 10, "ratio_from": 1000}, "zip-ratio"),
    ],
)
def test_each_limit(limits: dict[str, int], code: str) -> None:
    parts = [small(f"p{i}.xml", b"<a>" + b"0" * (2 * _MB) + b"</a>") for i in range(2)]
    package = raw_zip([small("[Content_Types].xml", CONTENT_TYPES), *parts])
    safezip.check(package)  # within the documented limits
    with pytest.raises(safezip.ZipRefused) as caught:
        safezip.check(package, limits=safezip.Limits(**{**safezip.DOCX.__dict__, **limits}))
    assert caught.value.code == code


def test_too_many_parts_refused_before_reading_the_directory() -> None:
    many = [small(f"p{i}", b"") for i in range(3000)]
    with pytest.raises(safezip.ZipRefused) as caught:
        safezip.check(raw_zip(many))
    assert caught.value.code == "zip-too-many-parts"


def _form(root: Path) -> Path:
    result = runner.invoke(app, ["new-interview", "tg-a", "--form", "docx", "--date", "2025-01-02", "-w", str(root)])
    assert result.exit_code == 0, result.output
    return root / "interviews/tg-a/2025-01-02-tg-a.docx"


def _rewrite(path: Path, part: str, change: bytes, *, extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    parts[part] = change
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def test_entity_in_a_form_is_refused_not_dropped(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    form = _form(root)
    with zipfile.ZipFile(form) as src:
        document = src.read("word/document.xml")
    declaration, rest = document.split(b"?>", 1)
    hostile = declaration + b'?><!DOCTYPE w:document [<!ENTITY org "STADD">]>' + rest
    hostile = hostile.replace(b"</w:body>", b"<w:p><w:r><w:t>Avec &org; et la suite</w:t></w:r></w:p></w:body>")
    _rewrite(form, "word/document.xml", hostile)
    result = runner.invoke(app, ["import", str(form), "-w", str(root)])
    assert result.exit_code == 1
    assert "la partie « word/document.xml » déclare une DTD (<!DOCTYPE>)" in result.output
    assert not (root / "interviews/tg-a/2025-01-02-tg-a.yaml").exists()


def test_svg_image_with_a_dtd_is_accepted(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    form = _form(root)
    with zipfile.ZipFile(form) as src:
        types = src.read("[Content_Types].xml")
    types = types.replace(b"</Types>", b'<Default Extension="svg" ContentType="image/svg+xml"/></Types>')
    svg = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;"/>'
    _rewrite(form, "[Content_Types].xml", types, extra={"word/media/logo.svg": svg})
    result = runner.invoke(app, ["import", str(form), "-w", str(root)])
    assert result.exit_code == 0, result.output


def test_thousands_of_passages_outside_the_boxes_are_counted_not_compared(make_workspace: MakeWorkspace) -> None:
    from ess_coop.forms.importer import import_form
    from ess_coop.validation import check_workspace

    root = make_workspace()
    form = _form(root)
    with zipfile.ZipFile(form) as src:
        document = src.read("word/document.xml")
    typed = b"".join(
        b"<w:p><w:r><w:t>passage %d ajout\xc3\xa9 hors des cases</w:t></w:r></w:p>" % n for n in range(800)
    )
    _rewrite(form, "word/document.xml", document.replace(b"</w:body>", typed + b"</w:body>"))
    ws, _ = check_workspace(root)
    result = import_form(ws, form, lang="fr")
    outside = [f for f in result.findings if f.code == "import-outside"]
    assert outside[0].message == "texte écrit hors des cases, non repris : « passage 0 ajouté hors des cases »"
    assert 400 < len(outside) < 500  # the form's own headings come first among the 500 examined
    [rest] = [f for f in result.findings if f.code == "import-outside-unexamined"]
    unexamined = int(rest.message.split()[0])
    assert unexamined >= 800 - len(outside) and "au-delà des 500 premiers, n'ont pas été examinés" in rest.message
