"""ess-coop: collect and synthesise partner interviews into a shared reference document.

The library returns data; the command line (``ess_coop.cli``) only renders it. The small
public API is :func:`check_workspace` and the models of :mod:`ess_coop.models`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ess-coop")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+checkout"

__all__ = ["__version__"]
