"""ess-coop: collect and synthesise partner interviews into a shared reference document.

The library returns data; the command line (``ess_coop.cli``) only renders it. The small
public API is :func:`ess_coop.validation.check_workspace`, :func:`ess_coop.synthesis.synthesise`
and the models of :mod:`ess_coop.models`.
"""

# The single place the version is written (pyproject.toml reads it); a plain string, because
# importlib.metadata costs 60 ms at every start and --help must stay fast.
__version__ = "0.1.0"

__all__ = ["__version__"]
