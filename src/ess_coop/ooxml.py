"""Office Open XML packages (.docx, .xlsx) that are byte-identical for identical content.

Zip entries get a fixed date (not the current time), so that rebuilding an unchanged document
gives the same bytes, and a synced folder uploads nothing. The workbook writer itself is
``xlsx_writer``.
"""

from __future__ import annotations

import io
import re
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold: C0 controls but tab/LF/CR, non-characters, lone surrogates.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str, *, attribute: bool = False) -> str:
    """``text`` safe inside an XML element, or a double-quoted ``attribute`` (xml.sax.saxutils
    would do, but importing it loads urllib and http: up to a tenth of a second)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def stable_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` (name, bytes), in that order, that is the same bytes for the same
    entries on any machine: fixed dates, and the same "made on" system (ZipInfo says the
    running OS otherwise)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            # Readable by all once unzipped (a folder also says so to MS-DOS-minded readers).
            entry.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()
