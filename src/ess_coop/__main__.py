"""``python -m ess_coop``: the same command line as ``ess-coop``."""

from ess_coop.cli import main

main()
