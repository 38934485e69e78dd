"""The command line: parse, call the library, render, and turn errors into exit codes (here only)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefer._version import __version__
from briefer.errors import (
    BrieferError,
    ConfigError,
    EndpointError,
    InputError,
    InvalidOutputError,
    RefusalError,
    ReplayError,
    TruncatedOutputError,
)

if TYPE_CHECKING:
    from briefer.config import Settings

__all__ = ["EXIT_CODES", "cli", "main"]

# One table, most specific class first: the exit code a script can branch on.
EXIT_CODES: tuple[tuple[type[BrieferError], int], ...] = (
    (ConfigError, 3),
    (InputError, 4),
    (EndpointError, 5),
    (TruncatedOutputError, 6),
    (RefusalError, 6),
    (InvalidOutputError, 6),
    (ReplayError, 7),
    (BrieferError, 1),
)
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
RECORDING_SUFFIX = ".recording.yaml"


def exit_code(error: BrieferError) -> int:
    """The exit code for a briefer error."""
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="briefer")
def cli() -> None:
    """Grounded news briefings: every published claim carries a quote verified in its article."""


@cli.command()
@click.argument("source")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True, help="Output format."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite --out FILE if it exists.")
@click.option("--model", help="Model name [env: BRIEFER_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 [env: OPENAI_BASE_URL].")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file [env: BRIEFER_CONFIG].",
)
@click.option(
    "--replay",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answer from recorded responses in CASSETTE: no key, no network.",
)
@click.option(
    "--record",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the model's responses into a new CASSETTE, for --replay later (e.g. in CI).",
)
@click.option("-v", "--verbose", count=True, help="Log retries and mode steps (-vv: debug).")
def brief(
    source: str,
    fmt: str,
    out: Path | None,
    force: bool,
    model: str | None,
    base_url: str | None,
    config_file: Path | None,
    replay: Path | None,
    record: Path | None,
    verbose: int,
) -> None:
    """Brief one article: a file (.txt, .md, .html), an http(s) URL, or - for stdin.

    With no key or endpoint set, a recording beside the file (NAME.recording.yaml) is replayed.
    """
    _configure_logging(verbose)
    if out is not None and out.exists() and not force:
        raise InputError(f"{out} exists; pass --force to overwrite it")
    from briefer.api import abrief
    from briefer.config import resolve_settings
    from briefer.ingest import load_article
    from briefer.render import render

    if replay and record:
        raise click.UsageError("--replay and --record cannot be used together")
    article = load_article(source)
    settings = resolve_settings(config_file, model=model, base_url=base_url)
    if record is None:
        replay = replay or _fallback_recording(source, settings)
    with _cassette(replay, record, settings) as run_settings, _status(f"briefing with {run_settings.model}"):
        import asyncio

        briefing = asyncio.run(abrief(article, settings=run_settings))
    _emit(render(briefing, fmt), fmt, out)


def _fallback_recording(source: str, settings: Settings) -> Path | None:
    """The recording beside SOURCE, used only when no key or endpoint is configured."""
    if settings.api_key or settings.base_url:
        return None
    candidate = Path(source).with_suffix(RECORDING_SUFFIX)
    if source != "-" and candidate.is_file():
        click.echo(
            f"briefer: no OPENAI_API_KEY or OPENAI_BASE_URL set; replaying the recorded responses in "
            f"{candidate} (set one to run live)",
            err=True,
        )
        return candidate
    return None


@contextlib.contextmanager
def _cassette(replay: Path | None, record: Path | None, settings: Settings) -> Iterator[Settings]:
    """Live, replayed from a recording, or recorded into a new one; yields the settings to run with."""
    from briefer import replay as cassettes

    if replay is not None:
        with cassettes.replaying(replay) as recorded:
            yield recorded
    elif record is not None:
        from dataclasses import replace

        # a remembered output mode would hide the ladder's steps from the recording
        with cassettes.recording(record):
            yield replace(settings, remember_modes=False)
    else:
        yield settings


@contextlib.contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner on stderr while the model works, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def _emit(text: str, fmt: str, out: Path | None) -> None:
    if out is not None:
        _write_atomically(out, text)
        click.echo(f"briefer: wrote {out}", err=True)
    elif fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file so a failed run never leaves a half-written FILE."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="briefer: %(message)s", stream=sys.stderr)
    if verbose < 2:
        for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai", "vcr", "trafilatura"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, print errors as one line, exit with the error's code."""
    try:
        cli.main(args=argv, prog_name="briefer", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("briefer: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        click.echo(f"briefer: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else 1)
    except BrieferError as exc:
        click.echo(f"briefer: {exc}", err=True)
        sys.exit(exit_code(exc))
    except KeyboardInterrupt:
        click.echo("briefer: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(0)
