"""Charts: reproducible PNG bytes, readable with any data."""

from __future__ import annotations

import struct

import pytest

from ess_coop.charts import DPI, WIDTH_IN, grouped_bar_png

THEMES = ["Accès au financement solidaire et aux fonds de garantie", "Formation", "Coût : 5 $ à 10 $"]
COUNTRIES = {"France": [3, 1, 0], "Togo": [4, 0, 2]}


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("horizontal", [True, False])
def test_same_data_same_bytes(horizontal: bool) -> None:
    first, second = (
        grouped_bar_png(THEMES, COUNTRIES, title="Attentes", xlabel="Acteurs", horizontal=horizontal) for _ in range(2)
    )
    assert first == second
    assert _size(first)[0] >= WIDTH_IN * DPI
    assert b"Software" not in first and b"matplotlib" not in first


def test_empty_data_gives_a_small_picture_with_the_text() -> None:
    png = grouped_bar_png([], {}, title="Attentes", xlabel="Acteurs", empty_text="Aucune donnée")
    width, height = _size(png)
    assert height < width / 2


def test_series_must_match_categories() -> None:
    with pytest.raises(ValueError, match="Togo"):
        grouped_bar_png(["a", "b"], {"Togo": [1]}, title="t", xlabel="x")
