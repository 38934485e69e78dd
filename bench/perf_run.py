"""Running one program of the performance bench as its own process, with the simulated server's counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["Runner"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTRUCTOR = Path("/work/bench-venvs/instructor/bin/python")


class Runner:
    """The simulated server (a child process) and the commands that run briefer and the peers against it."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self._states = 0
        self._config: dict[str, Any] = {}
        # first, while this process is small: every program is started by it (bench/perf_launch.py says why)
        self.launcher = subprocess.Popen(
            [sys.executable, "-m", "bench.perf_launch"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.server = subprocess.Popen(
            [sys.executable, "-m", "bench.perf_server"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        self.base_url = (self.server.stdout.readline() if self.server.stdout else "").strip()
        self.instructor, self.instructor_note = _find_instructor()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)
        if self.launcher.stdin:
            self.launcher.stdin.close()
        self.launcher.wait(timeout=10)

    def measure(self, command: list[str], env: dict[str, str], stdout: Path) -> dict[str, Any]:
        """Run ``command`` through the launcher: the kernel's CPU and peak memory of it, wall time, its output."""
        assert self.launcher.stdin is not None
        assert self.launcher.stdout is not None
        order = {"command": command, "env": env, "cwd": str(ROOT), "stdout": str(stdout)}
        self.launcher.stdin.write(json.dumps(order) + "\n")
        self.launcher.stdin.flush()
        measured: dict[str, Any] = json.loads(self.launcher.stdout.readline())
        measured["stdout"] = stdout.read_text(encoding="utf-8")
        return measured

    def configure(self, **config: Any) -> None:
        """Set the server's latency, limit and announcement (counters restart at every run)."""
        self._config = config
        self._post("/_config", config)

    def fresh_state(self) -> Path:
        self._states += 1
        return self.scratch / f"state-{self._states}.sqlite3"

    def run_system(
        self,
        system: str,
        folder: Path,
        *,
        state: Path | None = None,
        since: str = "3650d",
        config: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run ``system`` over ``folder``: its CPU, wall, peak memory, failures, and what the server counted."""
        self._post("/_config", self._config)  # counters from zero
        if system == "briefer":
            command, env = self._briefer(folder, state or self.fresh_state(), since, config or {})
        else:
            python = self.instructor if system == "instructor" else Path(sys.executable)
            command = [
                str(python),
                str(ROOT / "bench" / "perf_peers.py"),
                system,
                str(folder),
                "--base-url",
                self.base_url,
            ]
            env = dict(os.environ)
        measured = self.measure(command, env, self.scratch / "stdout.txt")
        counted = self._get("/_stats")
        kept = ("prompt_chars", "schema_chars", "most_in_flight", "refused_429", "by_schema", "chars_by_schema")
        measured |= {key: counted[key] for key in kept}
        measured["requests"] = counted["requests"]
        measured["requests_answered"] = counted["answered"]
        measured["failed"] = _failures(system, measured.pop("stdout"))
        return measured

    def _briefer(
        self, folder: Path, state: Path, since: str, config: dict[str, Any]
    ) -> tuple[list[str], dict[str, str]]:
        settings = self.scratch / "config.toml"
        settings.write_text("".join(f"{key} = {value}\n" for key, value in config.items()), encoding="utf-8")
        env = dict(os.environ) | {
            "OPENAI_BASE_URL": self.base_url,
            "OPENAI_API_KEY": "sk-bench",
            "BRIEFER_MODEL": "simulated",
            "BRIEFER_CONFIG": str(settings),
            "BRIEFER_CACHE_DIR": str(self.scratch / "cache"),
            "BRIEFER_OUTPUT_DIR": str(self.scratch / "out"),
            "BRIEFER_PRICES": str(self.scratch / "no-prices.toml"),
        }
        command = [sys.executable, "-m", "briefer", "morning", str(folder), "--state", str(state)]
        return [*command, "--since", since, "--format", "json"], env

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base_url.removesuffix("/v1") + path, data=json.dumps(body).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def _get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base_url.removesuffix("/v1") + path, timeout=10) as answer:
            return json.loads(answer.read())


def _failures(system: str, stdout: str) -> int:
    """Articles that failed, as the program itself reports them (-1: it printed nothing readable)."""
    try:
        data = json.loads(stdout.strip().splitlines()[-1] if system != "briefer" else stdout)
    except (ValueError, IndexError):
        return -1
    if system == "briefer":
        return int(data["summary"]["failed"])
    return int(data["failed"])


def _find_instructor() -> tuple[Path | None, str]:
    python = Path(os.environ.get("INSTRUCTOR_PYTHON", DEFAULT_INSTRUCTOR))
    if not python.exists():
        return None, f"skipped: no {python} (python -m venv DIR && DIR/bin/pip install instructor)"
    check = subprocess.run(
        [str(python), "-c", "import instructor; print(instructor.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        return None, f"skipped: {python} cannot import instructor"
    return python, f"instructor {check.stdout.strip()} from {python}"
