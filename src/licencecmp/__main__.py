"""``python -m licencecmp``."""

from licencecmp.cli import main

main()
