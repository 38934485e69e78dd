"""The command line: parse, call the library, render, and turn errors into exit codes (here only)."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefer._errors import (
    BrieferError,
    ConfigError,
    EndpointError,
    InputError,
    InvalidOutputError,
    RefusalError,
    ReplayError,
    TruncatedOutputError,
)
from briefer._escape import printable
from briefer._version import __version__

if TYPE_CHECKING:
    from briefer._config import Settings
    from briefer._render.files import Parts

__all__ = ["EXIT_CODES", "cli", "main", "run"]

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
PROMPTS_HELP = (
    "Folder of prompt templates (NAME/system.j2, NAME/user.j2) overriding the shipped ones [env: BRIEFER_PROMPTS]."
)
UPDATE_HELP = "With --record: keep what the existing recording answers, record only what it lacks, drop the unused."


def exit_code(error: BrieferError) -> int:
    """The exit code for a briefer error."""
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="briefer")
def cli() -> None:
    """Grounded news briefings: every published claim rests on its article's own sentences, checked by briefer."""


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
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    default=None,
    help="Fetch from loopback, private and link-local addresses (e.g. a server on this machine).",
)
@click.option("--update", is_flag=True, help=UPDATE_HELP)
@click.option("--prompts", type=click.Path(file_okay=False, path_type=Path), help=PROMPTS_HELP)
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
    allow_private_hosts: bool | None,
    update: bool,
    prompts: Path | None,
    verbose: int,
) -> None:
    """Brief one article: a file (.txt, .md, .html), an http(s) URL, or - for stdin.

    With no key or endpoint set, a recording beside the file (NAME.recording.yaml) is replayed.
    """
    _configure_logging(verbose)
    if replay and record:
        raise click.UsageError("--replay and --record cannot be used together")
    if out is not None:
        _check_out_file(out, force=force)
    from briefer._api import abrief, run_to_completion
    from briefer._config import resolve_settings
    from briefer._ingest import FetchPolicy, load_article
    from briefer._render import render

    settings = resolve_settings(
        config_file, model=model, base_url=base_url, allow_private_hosts=allow_private_hosts, prompts=_text(prompts)
    )
    article = load_article(source, policy=FetchPolicy.from_settings(settings))
    if record is None:
        replay = replay or _fallback_recording(source, settings)
    if update and not record:
        raise click.UsageError("--update needs --record")
    rerecord = f"briefer brief {source} --record {replay} --update"
    with (
        _cassette(replay, record, settings, update=update, rerecord=rerecord) as run_settings,
        _status(f"briefing with {run_settings.model}"),
    ):
        briefing = run_to_completion(abrief(article, settings=run_settings))
    _emit((render(briefing, fmt),), fmt, out)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--since", help='What counts as new: "24h", "2d", an ISO date. Default: since the last run.')
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="What to print on stdout (all three are written to the output folder unless --no-save).",
)
@click.option(
    "--out-dir",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the .md, .html and .json files [env: BRIEFER_OUTPUT_DIR; setting: out_dir].",
)
@click.option(
    "--save/--no-save",
    default=None,
    help="Write the .md, .html and .json files (default; setting: save), or only print.",
)
@click.option("--model", help="Model name [env: BRIEFER_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint [env: OPENAI_BASE_URL].")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), help="SQLite state file [env: BRIEFER_DB].")
@click.option("--max-articles", type=click.IntRange(min=1), help="Brief at most N articles (newest first).")
@click.option("--max-cost", type=click.FloatRange(min=0), help="Stop briefing before spending more than USD.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Requests in flight at once, whatever the stage.")
@click.option(
    "--keep-days",
    type=click.IntRange(min=0),
    help="The state file forgets what no run used for N days (default 30; 0: never) [env: BRIEFER_KEEP_DAYS].",
)
@click.option("--replay", type=click.Path(dir_okay=False, path_type=Path), help="Answer from a recording.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path), help="Record into a new CASSETTE.")
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    default=None,
    help="Fetch from loopback, private and link-local addresses (e.g. a feed server on this network).",
)
@click.option("--update", is_flag=True, help=UPDATE_HELP)
@click.option("--prompts", type=click.Path(file_okay=False, path_type=Path), help=PROMPTS_HELP)
@click.option("-v", "--verbose", count=True, help="Log retries and mode steps (-vv: debug).")
def morning(
    sources: tuple[str, ...],
    since: str | None,
    fmt: str,
    out_dir: Path | None,
    save: bool | None,
    model: str | None,
    base_url: str | None,
    config_file: Path | None,
    state: Path | None,
    max_articles: int | None,
    max_cost: float | None,
    concurrency: int | None,
    keep_days: int | None,
    replay: Path | None,
    record: Path | None,
    allow_private_hosts: bool | None,
    update: bool,
    prompts: Path | None,
    verbose: int,
) -> None:
    """The morning briefing of SOURCES: files, folders, URLs, RSS/Atom feeds, OPML, or a sources.toml.

    With no key or endpoint set, the recording a sources.toml names is replayed.
    """
    _configure_logging(verbose)
    if replay and record:
        raise click.UsageError("--replay and --record cannot be used together")

    from briefer._api import amorning, plan_sources, run_to_completion
    from briefer._config import output_dir, resolve_settings
    from briefer._render.files import output_folder, save_morning
    from briefer._render.morning import render_morning
    from briefer._terminal import BarProgress, run_summary

    settings = resolve_settings(
        config_file,
        model=model,
        base_url=base_url,
        allow_private_hosts=allow_private_hosts,
        prompts=_text(prompts),
        out_dir=_text(out_dir),
        save=save,
        concurrency=concurrency,
        keep_days=keep_days,
    )
    plan = plan_sources(list(sources))
    # checked before anything is paid for
    folder = output_folder(settings.out_dir or output_dir()) if settings.save else None
    if record is None and replay is None and not (settings.api_key or settings.base_url) and plan.recording:
        replay = _announce_replay(plan.recording)
    if update and not record:
        raise click.UsageError("--update needs --record")
    rerecord = f"briefer morning {' '.join(sources)} --state FRESH.sqlite3 --record {replay} --update"
    with (
        _cassette(replay, record, settings, update=update, rerecord=rerecord) as run_settings,
        BarProgress() as progress,
    ):
        briefing = run_to_completion(
            amorning(
                list(sources),
                since=since,
                settings=run_settings,
                state=state,
                max_articles=max_articles,
                max_cost=max_cost,
                progress=progress,
            )
        )
    click.echo(printable(run_summary(briefing)), err=True)
    texts: dict[str, list[str | bytes]] = {}
    if folder is None:
        click.echo("briefer: not saved (--no-save); printed as " + fmt, err=True)
    else:
        written, texts = save_morning(briefing, folder, keep=fmt)
        click.echo(printable(f"briefer: wrote {', '.join(str(path) for path in written)}"), err=True)
    _emit(texts.get(fmt) or (render_morning(briefing, fmt),), fmt, None)  # rendered once


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _check_out_file(out: Path, *, force: bool) -> None:
    """Refuse an --out FILE that could not be written, before anything is paid for."""
    try:
        if out.exists() and not force:
            raise InputError(f"{out} exists; pass --force to overwrite it")
        if out.is_dir():
            raise InputError(f"{out} is a folder; give the path of a file to write")
        folder = out.parent
        if not folder.is_dir():
            raise InputError(f"cannot write {out}: the folder {folder} does not exist; create it first")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {out}: permission denied in {folder}")


def _announce_replay(recording: Path) -> Path:
    click.echo(
        f"briefer: no OPENAI_API_KEY or OPENAI_BASE_URL set; replaying the recorded responses in "
        f"{recording} (set one to run live)",
        err=True,
    )
    return recording


def _fallback_recording(source: str, settings: Settings) -> Path | None:
    """The recording beside SOURCE, used only when no key or endpoint is configured."""
    from briefer._ingest import looks_like_url

    if settings.api_key or settings.base_url or source == "-" or looks_like_url(source):
        return None
    try:
        candidate = Path(source).with_suffix(RECORDING_SUFFIX)
        found = candidate.is_file()
    except (OSError, ValueError):  # a name no recording can sit beside
        return None
    return _announce_replay(candidate) if found else None


@contextlib.contextmanager
def _cassette(
    replay: Path | None, record: Path | None, settings: Settings, *, update: bool = False, rerecord: str = ""
) -> Iterator[Settings]:
    """Live, replayed from a recording, or recorded into a new one; yields the settings to run with."""
    from briefer import _replay as cassettes

    if replay is not None:
        with cassettes.replaying(replay, settings=settings, rerecord=rerecord) as recorded:
            yield recorded
        return
    if not (settings.api_key or settings.base_url):
        raise ConfigError(
            "no model endpoint configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
            "(a local server such as llama.cpp or Ollama), pass --base-url, or --replay a recording"
        )
    if record is not None:
        from dataclasses import replace

        # a remembered output mode would hide the ladder's steps from the recording
        with cassettes.recording(record, update=update):
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


def _emit(parts: Parts, fmt: str, out: Path | None) -> None:
    """Write a render to --out, or print it with every control character escaped (on a terminal or not)."""
    if out is not None:
        from briefer._render.files import write_atomically

        write_atomically(out, parts)
        click.echo(printable(f"briefer: wrote {out}"), err=True)
        return
    from briefer._escape import for_stdout
    from briefer._render.files import text_slices

    if fmt == "md" and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(for_stdout("".join(text_slices(parts)), fmt)))
        return
    # a slice at a time, so a large briefing is never held a second time (escaped, or encoded for the terminal)
    for text in text_slices(parts):
        sys.stdout.write(for_stdout(text, fmt))
    sys.stdout.flush()


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PrintableFormatter("briefer: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    if verbose < 2:
        for noisy in ("httpx", "httpx2", "httpcore", "httpcore2", "openai", "vcr", "trafilatura"):
            logging.getLogger(noisy).setLevel(logging.WARNING)


class _PrintableFormatter(logging.Formatter):
    """Log lines quote paths, URLs and endpoint answers: their control characters are shown escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


_YOUNG_OBJECTS = 20_000


def run() -> NoReturn:
    """The ``briefer`` command: ``main()``, then leave without tearing the heap down object by object.

    Freeing a morning's briefings, caches and parsed texts at interpreter exit took 0.15 s of a 1.1 s rerun of
    200 articles. The state file, the output files and the lock are closed by then, so the process ends as soon
    as its output is flushed, as mypy does. ``main()`` itself exits normally: tests and callers embed it.
    """
    try:
        main()
        code: object = 0  # not reached: main() always exits
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what sys.exit("text") would have printed
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (briefer ... | head) takes nothing more
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, print errors as one line, exit with the error's code."""
    # A morning allocates millions of short-lived objects that reference counting frees; at Python's default (a
    # cycle collection every 700 net allocations) the collector ran ~1,000 times for 1,000 articles, its full
    # passes walking every briefing held: 4% of the CPU at 1,000 articles, 6% at 5,000. A process of its own can
    # afford the larger young generation.
    gc.set_threshold(_YOUNG_OBJECTS, 10, 10)
    try:
        cli.main(args=argv, prog_name="briefer", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("briefer: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)  # the help itself, as click prints it: briefer's own text
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(f"briefer: {printable(exc.format_message(), newlines=False)}", err=True)
        sys.exit(EXIT_USAGE if isinstance(exc, click.UsageError) else 1)
    except BrieferError as exc:
        # messages quote file names, URLs and article text: no control character reaches the terminal;
        # a replay miss keeps its lines, since they are the diff of the request
        click.echo(f"briefer: {printable(exc, newlines=isinstance(exc, ReplayError))}", err=True)
        sys.exit(exit_code(exc))
    except KeyboardInterrupt:
        click.echo("briefer: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(0)
