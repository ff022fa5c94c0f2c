"""Tests that convert documents with LibreOffice say clearly when it is missing (and fail)."""

from __future__ import annotations

from pathlib import Path

import pytest

import samples


def test_missing_libreoffice_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"^LibreOffice \(soffice\) is not installed: .*apt-get install"):
        samples.soffice_pdf(tmp_path / "x.docx", tmp_path)


def test_present_libreoffice_is_found() -> None:
    assert Path(samples.libreoffice()).name in ("soffice", "libreoffice")
