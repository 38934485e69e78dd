"""A small process that starts the bench's programs, so that their peak memory is their own.

Linux records a process's high-water mark at exec from the memory it had before, which for a forked child is
its parent's: a program started by a bench holding 179 MB reports at least 179 MB. Started before the bench
grows, this launcher stays at a Python interpreter's ~10 MB, and the programs it starts report their own peaks.

Protocol: one JSON object a line on stdin ({"command", "env", "cwd", "stdout"}: the program's output goes to
the file ``stdout``), one JSON object a line on stdout ({"wall", "cpu", "peak_mb", "exit"}) when it ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def _run(order: dict[str, object]) -> dict[str, float | int]:
    with open(str(order["stdout"]), "w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            order["command"],  # type: ignore[arg-type]  # a list of strings, as the bench sent it
            cwd=str(order["cwd"]),
            env=order["env"],  # type: ignore[arg-type]
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "exit": os.waitstatus_to_exitcode(status),
    }


def main() -> None:
    """Run each program the bench sends, one at a time, until stdin closes."""
    for line in sys.stdin:
        print(json.dumps(_run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
