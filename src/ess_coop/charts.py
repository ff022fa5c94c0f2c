"""Charts for the Word draft, as PNG bytes that are identical from run to run.

Drawn with Pillow and the bundled Liberation Sans font, the metric twin of Arial, the body font
of the reference document (every Latin letter, Ewe's ɖ ɛ ɔ ŋ ƒ ʋ ɣ included; SIL Open Font
Licence): a chart takes a few tens of milliseconds, where matplotlib took most of a second to
import and half a second per chart, every time a transcript changed. Pillow is imported
inside ``grouped_bar_png``, so only the commands that draw charts load it.

A chart already drawn for the same data (and the same drawing code and Pillow) is taken from
a cache outside the workspace (the platform's cache folder, never the synced folder), so an
unchanged chart costs neither Pillow's import nor the drawing.

Sizes are in points (1/72 inch). A chart is ``WIDTH_IN`` wide, the text width of an A4 page,
drawn at ``DPI``; one taller than ``MAX_HEIGHT_IN`` is printed smaller to fit on a page, so it
is drawn with fewer pixels, for the same ``DPI`` once printed.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ess_coop import cache

if TYPE_CHECKING:
    from PIL import Image, ImageFont

DPI = 150
WIDTH_IN = 6.5  # 16.5 cm: the text width of an A4 page with 2.2 cm margins
MAX_HEIGHT_IN = 22.5 / 2.54  # the tallest a chart is printed: it and its caption fit on a page
MIN_DPI = 50  # however tall a chart (hundreds of categories), its text stays drawable
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in grey print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TEXT, GREY, GRID = "#000000", "#555555", "#DDDDDD"
LABEL_PT, VALUE_PT, TITLE_PT = 9, 8, 11
MARGIN_PT, GAP_PT, LINE_PT, TICK_PT = 6, 4, 0.8, 3.5
_GREYS = 256 - len(PALETTE)  # palette entries left for the greys
# Bump when the drawing code changes, so that cached charts are drawn again.
CACHE_VERSION = 6
HALF_PAGE_IN = 12.3 / 2.54  # half the text height of an A4 page: two charts share a page
MAX_HALF_PAGE_ROWS = 20  # above this many categories, a chart may take more than half a page


def grouped_bar_png(
    categories: list[str],
    series: dict[str, list[int]],
    *,
    title: str,
    xlabel: str,
    horizontal: bool = True,
    empty_text: str = "",
) -> bytes:
    """A grouped bar chart: for each category, one bar per series (e.g. themes × country).

    ``series`` maps a legend label to one count per category. ``xlabel`` names the value
    axis. Horizontal charts list the categories top to bottom, vertical ones left to right.
    With no category (or no series) the image only shows ``title`` and ``empty_text``.
    """
    for label, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"series {label!r} has {len(values)} values, not {len(categories)}")
    from PIL import __version__ as pillow  # the package's own module only: Image is not loaded

    drawn = [CACHE_VERSION, pillow, categories, series, title, xlabel, horizontal, empty_text]
    key = hashlib.sha256(json.dumps(drawn, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    png = cache.get("charts", key)
    if png is None:
        png = _draw(categories, series, title=title, xlabel=xlabel, horizontal=horizontal, empty_text=empty_text)
        cache.put("charts", key, png)
    return png


def butterfly_png(
    categories: list[str],
    left: tuple[str, list[int]],
    right: tuple[str, list[int]],
    *,
    title: str,
    value_label: str,
    empty_text: str = "",
) -> bytes:
    """A butterfly chart: one row per category, its name in the middle, the ``left`` series'
    bar growing to the left and the ``right`` series' to the right (e.g. France | theme | Togo).

    ``left`` and ``right`` are (legend label, one count per category). Every count is printed,
    zeros included. At most half a page tall up to ``MAX_HALF_PAGE_ROWS`` categories.
    """
    for label, values in (left, right):
        if len(values) != len(categories):
            raise ValueError(f"series {label!r} has {len(values)} values, not {len(categories)}")
    from PIL import __version__ as pillow

    drawn = [CACHE_VERSION, pillow, "butterfly", categories, left, right, title, value_label, empty_text]
    key = hashlib.sha256(json.dumps(drawn, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    png = cache.get("charts", key)
    if png is None:
        if not categories:
            png = _draw([], {}, title=title, xlabel=value_label, horizontal=True, empty_text=empty_text)
        else:
            png = _draw_butterfly(categories, left, right, title=title, value_label=value_label)
        cache.put("charts", key, png)
    return png


def _draw_butterfly(
    categories: list[str], left: tuple[str, list[int]], right: tuple[str, list[int]], *, title: str, value_label: str
) -> bytes:
    # Measure the labels on a scratch canvas at full resolution, to size the picture: the first
    # layout that fits (half a page up to MAX_HALF_PAGE_ROWS themes, a page above) wins — a
    # wider middle column, then 8 pt labels, never smaller.
    probe = _Canvas.blank(WIDTH_IN, 1.0)
    head_in = 0.95 if title else 0.75  # title, series names, value axis and its name
    limit = HALF_PAGE_IN if len(categories) <= MAX_HALF_PAGE_ROWS else MAX_HEIGHT_IN
    for room, label_pt in ((0.36, LABEL_PT), (0.46, LABEL_PT), (0.46, 8.0)):
        labels = [probe.wrap(c, probe.width * room, label_pt) for c in categories]
        line_in = probe.size("Ag", label_pt)[1] / DPI
        rows_in = [max(0.22, (label.count("\n") + 1) * line_in * 1.18 + 0.07) for label in labels]
        if sum(rows_in) + head_in > limit:  # tighter rows, as long as the text still fits in them
            squeeze = (limit - head_in) / sum(rows_in)
            rows_in = [
                max(r * squeeze, (label.count("\n") + 1) * line_in + 0.03)
                for r, label in zip(rows_in, labels, strict=True)
            ]
        if sum(rows_in) + head_in <= limit:
            break
    canvas = _Canvas.blank(WIDTH_IN, head_in + sum(rows_in))
    px = canvas.px
    margin, gap, tick_mark = px(MARGIN_PT), px(GAP_PT), px(TICK_PT)
    line = max(1, px(LINE_PT))

    canvas.text((canvas.width / 2, margin), title, TITLE_PT, anchor="mt")  # none under a caption
    names_y = margin + (canvas.size(title, TITLE_PT)[1] + 2 * gap if title else 0)
    name_height = canvas.size("Ag", LABEL_PT)[1]
    top = names_y + name_height + 2 * gap
    value_height = canvas.size("0", VALUE_PT)[1]
    bottom = canvas.height - margin - 2 * name_height - 2 * gap - tick_mark
    label_width = max(canvas.size(label, label_pt)[0] for label in labels) + 2 * gap
    label_width = max(label_width, round(canvas.width * 0.2))
    middle = canvas.width / 2
    inner_left, inner_right = middle - label_width / 2, middle + label_width / 2
    number_room = canvas.size("000", VALUE_PT)[0] + gap
    outer = inner_left - margin - number_room  # the longest bar's length, each side
    most = max(1, *left[1], *right[1])
    ticks = list(range(0, most + 1, _step(most, 5)))

    def length(value: float) -> float:
        return outer * value / most

    # Series names above their side, in their colour's key, then the grid and value axis.
    for (name, _), colour, x, anchor in (
        (left, PALETTE[0], inner_left, "r"),
        (right, PALETTE[1], inner_right, "l"),
    ):
        square = px(LABEL_PT * 0.8)
        y = names_y + name_height / 2
        if anchor == "r":
            canvas.rectangle((x - square, y - square / 2, x, y + square / 2), colour)
            canvas.text((x - square - gap, y), name, LABEL_PT, anchor="rm")
        else:
            canvas.rectangle((x, y - square / 2, x + square, y + square / 2), colour)
            canvas.text((x + square + gap, y), name, LABEL_PT, anchor="lm")
    draw = canvas.draw
    heights = [(bottom - top) * r / sum(rows_in) for r in rows_in]
    starts = [top + sum(heights[:i]) for i in range(len(heights))]
    for index in range(0, len(labels), 2):  # a light band behind every other row: the eye follows it
        draw.rectangle((margin, round(starts[index]), canvas.width - margin, round(starts[index] + heights[index]) - 1),
                       fill="#EFEFEF")  # fmt: skip
    for tick in ticks:
        for x in (inner_left - length(tick), inner_right + length(tick)):
            draw.line([(x, top), (x, bottom)], fill=GRID, width=1)
            draw.line([(x, bottom), (x, bottom + tick_mark)], fill=TEXT, width=line)
            canvas.text((x, bottom + tick_mark + gap // 2), str(tick), VALUE_PT, anchor="mt")
    axis_name_y = bottom + tick_mark + gap + value_height + gap
    canvas.text((middle, axis_name_y), value_label, LABEL_PT, anchor="mt", fill=GREY)

    # One row per category: its name centred between the two bars, every count printed.
    for index, label in enumerate(labels):
        row = heights[index]
        centre = starts[index] + row / 2
        bar = min(row * 0.62, px(LABEL_PT * 1.5))
        canvas.text((middle, centre), label, label_pt, anchor="mm")
        sides = ((left[1], PALETTE[0], -1, inner_left), (right[1], PALETTE[1], 1, inner_right))
        for values, colour, sign, base in sides:
            value = values[index]
            end = base + sign * length(value)
            if value:
                canvas.rectangle((min(base, end), centre - bar / 2, max(base, end), centre + bar / 2), colour)
            anchor, fill = ("rm" if sign < 0 else "lm"), (TEXT if value else GREY)
            canvas.text((end + sign * px(2.5), centre), str(value), VALUE_PT, anchor=anchor, fill=fill)
    for base in (inner_left, inner_right):
        canvas.black_line([(base, top), (base, bottom)], line)
    return canvas.png()


def _draw(
    categories: list[str], series: dict[str, list[int]], *, title: str, xlabel: str, horizontal: bool, empty_text: str
) -> bytes:
    if not categories or not series:
        canvas = _Canvas.blank(WIDTH_IN, 1.4)
        canvas.text((canvas.width / 2, canvas.px(MARGIN_PT)), title, TITLE_PT, anchor="mt")
        canvas.text((canvas.width / 2, canvas.height * 0.6), empty_text, LABEL_PT, anchor="mm", fill=GREY)
        return canvas.png()
    return _Chart(categories, series, title, xlabel).draw(horizontal)


@functools.cache
def _font(size_px: float) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    from ess_coop.resources import data_file

    return ImageFont.truetype(str(data_file("fonts/LiberationSans-Regular.ttf")), size=size_px)


class _Canvas:
    """A picture drawn in points, at ``dpi`` pixels per inch: text and lines in greys, then
    coloured rectangles (bars, legend keys) and lines over them.

    Everything but the bars is grey (black text smoothed over white or light grey), so the
    picture is stored with a palette: the greys, then the colours. A PNG of one byte per
    pixel, not three, is three times smaller and faster to compress. Greys are kept to
    ``_GREYS`` levels, half a level apart at most: no eye tells the difference.
    """

    def __init__(self, image: Image.Image, dpi: float) -> None:
        from PIL import ImageDraw

        self.image, self.dpi = image, dpi
        self.draw = ImageDraw.Draw(image)
        self.width, self.height = image.size
        self.rectangles: list[tuple[tuple[int, int, int, int], str]] = []
        self.lines: list[tuple[list[tuple[float, float]], int]] = []  # black, over the rectangles

    @classmethod
    def blank(cls, width_in: float, height_in: float) -> _Canvas:
        """A white picture; one taller than a page is drawn with fewer pixels (it is printed smaller)."""
        from PIL import Image

        dpi = max(MIN_DPI, DPI * min(1.0, MAX_HEIGHT_IN / height_in))
        return cls(Image.new("L", (round(width_in * dpi), round(height_in * dpi)), 255), dpi)

    def px(self, points: float) -> int:
        return round(points * self.dpi / 72)

    def size(self, text: str, size_pt: float) -> tuple[int, int]:
        """Width and height in pixels of ``text`` (several lines allowed)."""
        if not text:
            return 0, 0
        font = _font(size_pt * self.dpi / 72)
        left, top, right, bottom = self.draw.multiline_textbbox((0, 0), text, font=font, spacing=self.px(2))
        return math.ceil(right - left), math.ceil(bottom - top)

    def text(self, xy: tuple[float, float], text: str, size_pt: float, *, anchor: str, fill: str = TEXT) -> None:
        """``text`` placed by ``anchor``: horizontal l/m/r, then vertical t/m/b (its first line's
        ascender, its middle, its last line's descender)."""
        if text:
            font = _font(size_pt * self.dpi / 72)
            pillow_anchor = anchor[0] + {"t": "a", "m": "m", "b": "d"}[anchor[1]]
            align = {"l": "left", "m": "center", "r": "right"}[anchor[0]]
            self.draw.text(xy, text, font=font, fill=fill, anchor=pillow_anchor, spacing=self.px(2), align=align)

    def vertical_text(self, left_middle: tuple[float, float], text: str, size_pt: float) -> None:
        """``text`` turned a quarter to the left, its left edge at ``left_middle``."""
        from PIL import Image

        if not text:
            return
        width, height = self.size(text, size_pt)
        label = _Canvas(Image.new("L", (width + 2, height + 2), 0), self.dpi)  # a mask, at our scale
        label.text((1, 1), text, size_pt, anchor="lt", fill="white")
        turned = label.image.rotate(90, expand=True)
        x, y = round(left_middle[0]), round(left_middle[1] - turned.height / 2)
        self.image.paste(0, (x, y, x + turned.width, y + turned.height), turned)

    def wrap(self, text: str, width_px: float, size_pt: float) -> str:
        """``text`` in lines no wider than ``width_px`` where its words allow (a long word stays whole)."""
        full = self.size(text, size_pt)[0]
        if full <= width_px:
            return text
        guess = int(len(text) * width_px / full) + 2  # characters per line, if all were as wide
        for break_words in (False, True):  # a word wider than the room is cut only as a last resort
            for chars in range(guess, 0, -1):
                wrapped = textwrap.fill(text, chars, break_long_words=break_words)
                if self.size(wrapped, size_pt)[0] <= width_px:
                    return wrapped
        return textwrap.fill(text, 1)  # narrower than a letter: one per line

    def rectangle(self, box: tuple[float, float, float, float], colour: str) -> None:
        """A rectangle in one of the ``PALETTE`` colours, over the greys."""
        x0, y0, x1, y1 = (round(v) for v in box)  # a bar thinner than a pixel may come reversed
        self.rectangles.append(((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), colour))

    def black_line(self, points: list[tuple[float, float]], width: int) -> None:
        """A black line over the rectangles (an axis over the bars' ends)."""
        self.lines.append((points, width))

    def png(self) -> bytes:
        from PIL import Image, ImageDraw

        shades = bytes(round(g * (_GREYS - 1) / 255) for g in range(256))  # grey → palette index
        picture = Image.frombytes("P", self.image.size, self.image.tobytes().translate(shades))
        greys = [round(i * 255 / (_GREYS - 1)) for i in range(_GREYS) for _ in range(3)]
        colours = [int(c[i : i + 2], 16) for c in PALETTE for i in (1, 3, 5)]
        picture.putpalette(greys + colours)
        draw = ImageDraw.Draw(picture)
        for box, colour in self.rectangles:
            draw.rectangle(box, fill=_GREYS + PALETTE.index(colour))
        for points, width in self.lines:
            draw.line(points, fill=0, width=width)
        out = io.BytesIO()
        picture.save(out, format="PNG", dpi=(self.dpi, self.dpi))  # Pillow writes no date nor software name
        return out.getvalue()


def _step(top: float, most: int = 8) -> int:
    """An integer tick step of 1, 2 or 5 times a power of ten giving at most ``most`` steps."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            if top / (factor * power) <= most:
                return factor * power
        power *= 10


@dataclass
class _Chart:
    categories: list[str]
    series: dict[str, list[int]]
    title: str
    value_label: str

    def draw(self, horizontal: bool) -> bytes:
        count, group = len(self.categories), len(self.series)
        group_in = 0.22 * group + 0.25  # the height (or width) of one category's bars
        if horizontal:
            canvas = _Canvas.blank(WIDTH_IN, 1.2 + count * group_in)
        else:
            canvas = _Canvas.blank(max(WIDTH_IN, 1.0 + count * group_in), 4.0)
        most = max(max(values, default=0) for values in self.series.values())
        limit = max(1, most) * 1.12  # room for the value labels
        ticks = list(range(0, math.floor(limit) + 1, _step(limit)))

        # The frame: title on top, legend at the bottom, axis texts around the plot.
        px = canvas.px
        margin, gap, tick_mark = px(MARGIN_PT), px(GAP_PT), px(TICK_PT)
        canvas.text((canvas.width / 2, margin), self.title, TITLE_PT, anchor="mt")
        top = margin + canvas.size(self.title, TITLE_PT)[1] + 2 * gap
        bottom = canvas.height - margin - self._legend(canvas, canvas.width / 2, canvas.height - margin) - 2 * gap
        tick_width = max(canvas.size(str(tick), LABEL_PT)[0] for tick in ticks)
        label_height = canvas.size("0", LABEL_PT)[1]
        name_height = canvas.size(self.value_label, LABEL_PT)[1]
        if horizontal:  # category names at most 42 % of the width, on the left
            labels = [canvas.wrap(c, canvas.width * 0.42, LABEL_PT) for c in self.categories]
            left = margin + max(canvas.size(label, LABEL_PT)[0] for label in labels) + gap
            right = canvas.width - margin - tick_width / 2
            bottom -= name_height + gap + label_height + gap + tick_mark
        else:  # category names under their bars, as wide as them
            left = margin + name_height + gap + tick_width + gap + tick_mark
            right = canvas.width - margin
            labels = [canvas.wrap(c, (right - left) / count * 0.95, LABEL_PT) for c in self.categories]
            bottom -= max(canvas.size(label, LABEL_PT)[1] for label in labels) + gap

        def value_at(value: float) -> float:  # pixels along the value axis
            if horizontal:
                return left + (right - left) * value / limit
            return bottom - (bottom - top) * value / limit

        # Grid and value axis, under the bars.
        draw, line = canvas.draw, max(1, px(LINE_PT))
        for tick in ticks:
            at = value_at(tick)
            if horizontal:
                draw.line([(at, top), (at, bottom)], fill=GRID, width=1)
                draw.line([(at, bottom), (at, bottom + tick_mark)], fill=TEXT, width=line)
                canvas.text((at, bottom + tick_mark + gap), str(tick), LABEL_PT, anchor="mt")
            else:
                draw.line([(left, at), (right, at)], fill=GRID, width=1)
                draw.line([(left - tick_mark, at), (left, at)], fill=TEXT, width=line)
                canvas.text((left - tick_mark - gap, at), str(tick), LABEL_PT, anchor="rm")
        if horizontal:
            below_ticks = bottom + tick_mark + 2 * gap + label_height
            canvas.text(((left + right) / 2, below_ticks), self.value_label, LABEL_PT, anchor="mt")
        else:
            canvas.vertical_text((margin, (top + bottom) / 2), self.value_label, LABEL_PT)

        # The bars, each category's group centred on its slot, and their values.
        slot = ((bottom - top) if horizontal else (right - left)) / count
        bar = slot * 0.8 / group
        for index, values in enumerate(self.series.values()):
            colour = PALETTE[index % len(PALETTE)]
            for position, value in enumerate(values):
                start = (top if horizontal else left) + slot * (position + 0.1) + bar * index
                end = value_at(value)
                if horizontal:
                    canvas.rectangle((left, start, end, round(start + bar) - 1), colour)
                    if value:
                        canvas.text((end + px(2), start + bar / 2), str(value), VALUE_PT, anchor="lm")
                else:
                    canvas.rectangle((start, end, round(start + bar) - 1, bottom), colour)
                    if value:
                        canvas.text((start + bar / 2, end - px(2)), str(value), VALUE_PT, anchor="mb")
        for position, label in enumerate(labels):
            middle = (top if horizontal else left) + slot * (position + 0.5)
            if horizontal:
                canvas.text((left - gap, middle), label, LABEL_PT, anchor="rm")
            else:
                canvas.text((middle, bottom + gap), label, LABEL_PT, anchor="mt")

        # The axes themselves, over the bars' ends.
        canvas.black_line([(left, top), (left, bottom)], line)
        canvas.black_line([(left, bottom), (right, bottom)], line)
        return canvas.png()

    def _legend(self, canvas: _Canvas, centre: float, bottom: float) -> int:
        """Coloured squares and series names, in centred rows as wide as the picture allows,
        above ``bottom``; their height."""
        square, gap = canvas.px(LABEL_PT * 0.8), canvas.px(GAP_PT)
        room = canvas.width - 2 * canvas.px(MARGIN_PT)
        rows: list[list[tuple[int, str, int]]] = [[]]  # (series index, name, entry width)
        used = 0
        for index, label in enumerate(self.series):
            width = square + gap + canvas.size(label, LABEL_PT)[0]
            if rows[-1] and used + 4 * gap + width > room:
                rows.append([])
                used = 0
            used += (4 * gap if rows[-1] else 0) + width
            rows[-1].append((index, label, width))
        row_height = max(square, canvas.size("Ag", LABEL_PT)[1])
        height = len(rows) * row_height + (len(rows) - 1) * gap
        for number, row in enumerate(rows):
            y = bottom - height + number * (row_height + gap) + row_height / 2
            x = centre - (sum(width for _, _, width in row) + 4 * gap * (len(row) - 1)) / 2
            for index, label, width in row:
                canvas.rectangle((x, y - square / 2, x + square, y + square / 2), PALETTE[index % len(PALETTE)])
                canvas.text((x + square + gap, y), label, LABEL_PT, anchor="lm")
                x += width + 4 * gap
        return height
