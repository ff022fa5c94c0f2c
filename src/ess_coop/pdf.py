"""PDF editions of the Word documents, made by LibreOffice with every field up to date.

``soffice --convert-to pdf`` prints a document as it was saved: the page numbers of the
contents, which only Word or LibreOffice can compute, would stay blank. So the conversion runs
a small script through LibreOffice's own Python bridge (UNO): it opens the document hidden,
updates the indexes (the contents) and the fields, then exports the PDF. LibreOffice ships that
Python with its Windows and macOS installers; on Linux it is the system Python with the
``python3-uno`` package (installed with LibreOffice by the distributions).

LibreOffice runs with a throw-away profile of its own, so that an open LibreOffice window is
neither used nor disturbed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ess_coop.errors import UserError

TIMEOUT_S = 180
# Where the installers put LibreOffice when it is not on the PATH.
_KNOWN_PLACES = (
    Path("C:/Program Files/LibreOffice/program/soffice.exe"),
    Path("C:/Program Files (x86)/LibreOffice/program/soffice.exe"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)

# Run by LibreOffice's Python: argv = soffice, document, pdf, profile folder.
_SCRIPT = r"""
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

soffice, source, target, profile = sys.argv[1:5]
pipe = "ess_coop_" + str(abs(hash(target)))
office = subprocess.Popen([soffice, "--headless", "--invisible", "--norestore", "--nologo",
    "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
    "--accept=pipe,name=" + pipe + ";urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            ctx = resolver.resolve("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
            break
        except Exception:
            if office.poll() is not None:
                sys.exit("LibreOffice stopped before it could be reached")
            time.sleep(0.1)
    else:
        sys.exit("LibreOffice could not be reached")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if hasattr(doc, "getDocumentIndexes"):
        for _ in range(2):  # a second pass: the first may move the pages the contents points to
            indexes = doc.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            doc.getTextFields().refresh()
    filter_name = "writer_pdf_Export" if hasattr(doc, "getDocumentIndexes") else "calc_pdf_Export"
    doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", filter_name),))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge closes as LibreOffice quits
finally:
    try:
        office.wait(timeout=30)
    except Exception:
        office.kill()
"""


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice`` program: on the PATH, else where its installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve()
    return next((place for place in _KNOWN_PLACES if place.is_file()), None)


def _uno_python(soffice: Path) -> str | None:
    """A Python that can talk to LibreOffice: the one it ships, else the system's with ``uno``."""
    program = soffice.parent
    candidates = [
        program / "python.exe",
        program / "python",
        program.parent / "Resources" / "python",  # macOS bundle
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    # Linux: the distribution's Python, where python3-uno lives (not a virtual environment's).
    others = [shutil.which("python3"), "/usr/bin/python3", sys.executable]
    for found in dict.fromkeys(o for o in others if o and Path(o).is_file()):
        probe = subprocess.run([found, "-c", "import uno"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return found
    return None


def check_available() -> tuple[Path, str]:
    """LibreOffice's ``soffice`` and a Python that drives it; ``UserError("libreoffice-missing")``
    when either is missing."""
    soffice = find_soffice()
    python = _uno_python(soffice) if soffice is not None else None
    if soffice is None or python is None:
        raise UserError("libreoffice-missing")
    return soffice, python


def to_pdf(source: Path) -> bytes:
    """The PDF of ``source`` (a .docx or .xlsx file), its contents and fields updated.

    Raises ``UserError("libreoffice-missing")`` when LibreOffice (or its Python bridge) is not
    installed, ``UserError("pdf-failed", path=source)`` when the conversion fails.
    """
    soffice, python = check_available()
    with tempfile.TemporaryDirectory(prefix="ess-coop-pdf-") as work:
        target = Path(work) / "out.pdf"
        try:
            run = subprocess.run(
                [python, "-c", _SCRIPT, str(soffice), str(source.resolve()), str(target), str(Path(work) / "profile")],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise UserError("pdf-failed", path=source, detail=f"timeout {TIMEOUT_S} s") from exc
        if run.returncode != 0 or not target.is_file():
            detail = (run.stderr.strip().splitlines() or [f"exit {run.returncode}"])[-1]
            raise UserError("pdf-failed", path=source, detail=detail)
        return target.read_bytes()
