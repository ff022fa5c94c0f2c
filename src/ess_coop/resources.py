"""Package data: the bundled example workspace, the default guide and themes.

The repository's root *is* the example workspace; the wheel carries a copy of it under
``ess_coop/example`` (see pyproject.toml). From a checkout (editable install), we read the
repository root instead.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from ess_coop.workspace import PROJECT_FILE


@cache
def example_workspace() -> Path:
    """The folder of the bundled Bretagne–Togo workspace."""
    packaged = Path(str(files("ess_coop").joinpath("example")))
    if (packaged / PROJECT_FILE).is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / PROJECT_FILE).is_file():
        return checkout
    raise FileNotFoundError("the bundled example workspace is missing from this installation")


def data_file(name: str) -> Path:
    """A file of ``ess_coop/data`` (Word styles...)."""
    return Path(str(files("ess_coop").joinpath("data").joinpath(name)))


def format_guide(lang: str) -> Path:
    """The guide to the file format in ``lang``: ``data/format.<lang>.md`` in a wheel (copied there
    from ``docs/`` when it is built), ``docs/`` itself in a checkout."""
    from ess_coop.errors import UserError

    packaged = data_file(f"format.{lang}.md")
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "docs" / ("format.md" if lang == "en" else f"format.{lang}.md")
    if checkout.is_file():
        return checkout
    raise UserError("help.errors.docs-missing")
