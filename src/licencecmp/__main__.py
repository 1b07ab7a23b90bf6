"""``python -m licencecmp``."""

from .cli import main

main()
