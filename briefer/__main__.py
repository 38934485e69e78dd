"""``python -m briefer``: the same as the ``briefer`` command."""

from briefer.cli import main

main()
