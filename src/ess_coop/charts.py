"""Charts for the Word draft, as PNG bytes that are identical from run to run.

matplotlib is imported inside the function: it costs most of a second, and only the commands
that draw charts should pay it. A chart already drawn for the same data is taken from a cache
outside the workspace (the platform's cache folder, never the synced folder), so rebuilding
the draft does not import matplotlib at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import textwrap
from typing import TYPE_CHECKING

from ess_coop import cache

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 150
WIDTH_IN = 6.5  # 16.5 cm: the text width of an A4 page with 2.2 cm margins
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in grey print.
# Bump when the drawing code changes, so that cached charts are drawn again.
CACHE_VERSION = 1
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


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
    axis. With no category (or no series) the image only shows ``title`` and ``empty_text``.
    """
    for label, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"series {label!r} has {len(values)} values, not {len(categories)}")
    key = _cache_key(categories, series, title, xlabel, horizontal, empty_text)
    cached = cache.get("charts", key)
    if cached is not None:
        return cached
    png = _draw(categories, series, title=title, xlabel=xlabel, horizontal=horizontal, empty_text=empty_text)
    cache.put("charts", key, png)
    return png


def _cache_key(*parts: object) -> str:
    payload = json.dumps([CACHE_VERSION, *parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _draw(
    categories: list[str],
    series: dict[str, list[int]],
    *,
    title: str,
    xlabel: str,
    horizontal: bool,
    empty_text: str,
) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    # Matplotlib's defaults, not the user's matplotlibrc; "$" in a label is text, not math.
    with (
        plt.style.context("default"),
        matplotlib.rc_context({"text.parse_math": False, "font.size": 9, "axes.titlesize": 11}),
    ):
        if not categories or not series:
            fig = plt.figure(figsize=(WIDTH_IN, 1.4), layout="constrained")
            try:
                fig.suptitle(title)
                fig.text(0.5, 0.4, empty_text, ha="center", va="center", color="#555555")
                return _png(fig)
            finally:
                plt.close(fig)

        count, group = len(categories), len(series)
        bar = 0.8 / group
        group_inches = 0.22 * group + 0.25
        if horizontal:
            size = (WIDTH_IN, 1.2 + count * group_inches)
            labels = [textwrap.fill(c, 32) for c in categories]
        else:
            size = (max(WIDTH_IN, 1.0 + count * group_inches), 4.0)
            labels = [textwrap.fill(c, 14) for c in categories]
        fig, ax = plt.subplots(figsize=size, layout="constrained")
        try:
            for index, (label, values) in enumerate(series.items()):
                offsets = [i - 0.4 + bar * (index + 0.5) for i in range(count)]
                colour = PALETTE[index % len(PALETTE)]
                if horizontal:
                    bars = ax.barh(offsets, values, height=bar, label=label, color=colour)
                else:
                    bars = ax.bar(offsets, values, width=bar, label=label, color=colour)
                ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8)

            value_axis, category_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
            category_axis.set_ticks(range(count), labels)
            category_axis.set_tick_params(length=0)
            value_axis.set_major_locator(MaxNLocator(integer=True))
            top = max((max(v, default=0) for v in series.values()), default=0)
            limits = (0, max(1, top) * 1.12)  # room for the value labels
            if horizontal:
                ax.set_xlim(*limits)
                ax.set_xlabel(xlabel)
                ax.invert_yaxis()  # first category at the top
                ax.grid(axis="x", color="#DDDDDD")
            else:
                ax.set_ylim(*limits)
                ax.set_ylabel(xlabel)
                ax.grid(axis="y", color="#DDDDDD")
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            ax.set_title(title)
            fig.legend(loc="outside lower center", ncols=min(group, 4), frameon=False)
            return _png(fig)
        finally:
            plt.close(fig)


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    # No "Software" text chunk (it holds the matplotlib version); Agg adds no date.
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
