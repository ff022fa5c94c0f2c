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
    from ess_coop.charts import _font

    font = _font(20)
    missing = font.getmask("\ue000").getbbox()  # a private-use character: the "no glyph" box
    for letter in "éèêàçôœÉ’—ɖƉɛƐɔƆŋŊƒʋɣ€$":
        assert font.getmask(letter).getbbox() != missing, letter


def test_long_names_under_vertical_bars_are_wrapped_to_their_width() -> None:
    from ess_coop.charts import LABEL_PT, _Canvas

    canvas = _Canvas.blank(1, 1)
    name = "ODD 12 — Consommation et production responsables"
    wrapped = canvas.wrap(name, 150, LABEL_PT)
    assert wrapped.replace("\n", " ") == name
    assert wrapped.count("\n") >= 2 and canvas.size(wrapped, LABEL_PT)[0] <= 150
    assert canvas.wrap("Formation", 500, LABEL_PT) == "Formation"  # fits: left alone
    room = canvas.size("Anticonstitutionnellement", LABEL_PT)[0] + 5
    assert canvas.wrap("Anticonstitutionnellement ODD", room, LABEL_PT) == "Anticonstitutionnellement\nODD"
    cut = canvas.wrap("Anticonstitutionnellement", 60, LABEL_PT)  # no room at all: cut, as a last resort
    assert cut.replace("\n", "") == "Anticonstitutionnellement" and canvas.size(cut, LABEL_PT)[0] <= 60


def test_the_picture_grows_with_the_categories_and_never_needs_more_pixels_than_a_page() -> None:
    from ess_coop.charts import MAX_HEIGHT_IN

    def picture(count: int) -> tuple[int, int]:
        series = {country: values * count for country, values in COUNTRIES.items()}
        return _size(grouped_bar_png(THEMES * count, series, title="t", xlabel="x"))

    small, taller, tallest = picture(1), picture(3), picture(6)
    assert small[0] == taller[0] == round(WIDTH_IN * DPI)
    assert taller[1] > 2 * small[1]
    # 18 categories are printed shrunk to a page's height: drawn at the printed size, not larger.
    assert tallest[1] == pytest.approx(MAX_HEIGHT_IN * DPI, abs=1)
    assert tallest[1] / tallest[0] > taller[1] / taller[0]


def test_a_chart_drawn_before_comes_from_the_cache_without_loading_pillow() -> None:
    import os
    import subprocess
    import sys

    args = (["Formation", "Plaidoyer"], {"France": [2, 1], "Togo": [0, 3]})
    drawn = grouped_bar_png(*args, title="Cache", xlabel="x")
    probe = (
        "import sys\n"
        "from ess_coop.charts import grouped_bar_png\n"
        f"png = grouped_bar_png(*{args!r}, title='Cache', xlabel='x')\n"
        "sys.stdout.buffer.write(png)\n"
        "sys.stderr.write(str('PIL.Image' in sys.modules))\n"
    )
    again = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=os.environ.copy(), check=True)
    assert again.stdout == drawn and again.stderr == b"False"
    uncached = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, env={**os.environ, "ESS_COOP_NO_CACHE": "1"}, check=True
    )
    assert uncached.stdout == drawn and uncached.stderr == b"True"


def test_a_chart_is_a_palette_picture_with_exact_white_black_and_bar_colours() -> None:
    import io

    from PIL import Image

    from ess_coop.charts import PALETTE

    png = grouped_bar_png(THEMES, COUNTRIES, title="Attentes", xlabel="Acteurs")
    picture = Image.open(io.BytesIO(png))
    assert picture.mode == "P"
    colours = {rgb for _, rgb in picture.convert("RGB").getcolors(256) or []}
    assert (255, 255, 255) in colours and (0, 0, 0) in colours
    for hex_colour in PALETTE[: len(COUNTRIES)]:
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)) in colours
    assert picture.convert("RGB").getpixel((0, 0)) == (255, 255, 255)


@pytest.mark.parametrize("horizontal", [True, False])
def test_absurd_data_still_gives_a_picture(horizontal: bool) -> None:
    """Hundreds of categories, many long-named series, a label of one endless word."""
    categories = ["Mot" + "x" * 80] + [f"Thème {i}" for i in range(119)]
    series = {f"Pays numéro {k} au nom très long": [i % 7 for i in range(120)] for k in range(9)}
    width, height = _size(grouped_bar_png(categories, series, title="T", xlabel="x", horizontal=horizontal))
    assert width > 0 and height > 0


def _butterfly(count: int) -> bytes:
    from ess_coop.charts import butterfly_png

    names = [f"Thème numéro {n} : un intitulé assez long pour la colonne" for n in range(count)]
    return butterfly_png(
        names, ("France", [n % 3 for n in range(count)]), ("Togo", [0] * count), title="", value_label="Structures"
    )


@pytest.mark.parametrize("count", [1, 14, 20])
def test_butterfly_fits_in_half_a_page_up_to_20_themes(count: int) -> None:
    from ess_coop.charts import DPI, HALF_PAGE_IN

    width, height = _size(_butterfly(count))
    assert width == round(WIDTH_IN * DPI)  # printed at the text width, so its points are points
    assert height <= HALF_PAGE_IN * DPI + 1


def test_butterfly_grows_past_20_themes_and_keeps_its_text_size() -> None:
    from ess_coop.charts import DPI, HALF_PAGE_IN, LABEL_PT, VALUE_PT

    width, height = _size(_butterfly(30))
    assert height > HALF_PAGE_IN * DPI and width == round(WIDTH_IN * DPI)
    assert min(LABEL_PT, VALUE_PT) >= 8  # as printed: the picture is never scaled down below its size


def test_butterfly_checks_its_series() -> None:
    from ess_coop.charts import butterfly_png

    with pytest.raises(ValueError, match="Togo"):
        butterfly_png(["a", "b"], ("France", [1, 2]), ("Togo", [1]), title="", value_label="x")
