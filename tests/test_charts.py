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


def test_the_bundled_font_draws_french_and_ewe_letters() -> None:
    from ess_coop.charts import LABEL_PT, _font

    font = _font(LABEL_PT)
    missing = font.getmask("\ue000").getbbox()  # a private-use character: the "no glyph" box
    for letter in "éèêàçôœÉ’—ɖƉɛƐɔƆŋŊƒʋɣ€$":
        assert font.getmask(letter).getbbox() != missing, letter


def test_long_names_under_vertical_bars_are_wrapped_to_their_width() -> None:
    from PIL import Image, ImageDraw

    from ess_coop.charts import _size, _wrap

    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    name = "ODD 12 — Consommation et production responsables"
    wrapped = _wrap(draw, name, 150)
    assert wrapped.replace("\n", " ") == name
    assert wrapped.count("\n") >= 2 and _size(draw, wrapped, 9)[0] <= 150
    assert _wrap(draw, "Formation", 500) == "Formation"  # fits: left alone
    assert _wrap(draw, "Anticonstitutionnellement", 20) == "Anticonstitutionnellement"  # one word stays whole


def test_the_picture_grows_with_the_categories_not_wider_than_the_page() -> None:
    small = grouped_bar_png(THEMES, COUNTRIES, title="t", xlabel="x")
    many = grouped_bar_png(THEMES * 4, {k: v * 4 for k, v in COUNTRIES.items()}, title="t", xlabel="x")
    assert _size(many)[1] > 2 * _size(small)[1]
    assert _size(many)[0] == _size(small)[0] == round(WIDTH_IN * DPI)
