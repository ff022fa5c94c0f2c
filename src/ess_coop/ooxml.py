"""Office Open XML packages (.docx, .xlsx) that are byte-identical for identical content.

Word and openpyxl stamp every zip entry with the current time; we re-zip with a fixed date so
that rebuilding an unchanged document gives the same bytes, and a synced folder uploads nothing.
"""

from __future__ import annotations

import io
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes) -> bytes:
    """``data`` (a zip package) re-zipped with fixed entry dates and attributes, same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w") as fixed:
        for info in archive.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # ZipInfo defaults to the running OS: make it constant
            entry.external_attr = 0
            fixed.writestr(entry, archive.read(info))
    return out.getvalue()
