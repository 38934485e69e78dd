"""``python -m briefer``: the same as the ``briefer`` command."""

from briefer._cli import run

run()
