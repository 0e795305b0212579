"""Alternating measurement of ours vs a floor; results as one-line summaries and JSON."""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


@dataclass
class Result:
    name: str
    ours_ms: float
    floor_ms: float | None = None
    budget: str = ""
    ok: bool | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.floor_ms in (None, 0):
            return None
        return self.ours_ms / self.floor_ms  # type: ignore[operator]

    def line(self) -> str:
        ratio = f"ratio {self.ratio:5.2f}x" if self.ratio is not None else " " * 12
        floor = f"floor {self.floor_ms:8.2f} ms" if self.floor_ms is not None else " " * 17
        verdict = {True: "OK  ", False: "OVER", None: "    "}[self.ok]
        extra = "  ".join(f"{k}={v}" for k, v in self.extra.items())
        return (
            f"{verdict} {self.name:<38} ours {self.ours_ms:8.2f} ms  {floor}  {ratio}  "
            f"[{self.budget}] {extra}"
        )


def alternate(
    ours: Callable[[], float | None],
    floor: Callable[[], float | None],
    rounds: int,
) -> tuple[float, float, float]:
    """Run ours and floor alternately; each returns seconds (or None to time the call itself).

    Returns (median ours ms, median floor ms, median of per-round ratios).
    """
    a, b, ratios = [], [], []
    for _ in range(rounds):
        x, y = _timed(ours), _timed(floor)
        a.append(x)
        b.append(y)
        ratios.append(x / y if y else float("nan"))
    return statistics.median(a) * 1000, statistics.median(b) * 1000, statistics.median(ratios)


def _timed(fn: Callable[[], float | None]) -> float:
    # Collect the garbage of the previous call first, so that its collection is not charged to
    # whichever of ours and the floor happens to run next.
    gc.collect()
    t0 = time.perf_counter()
    reported = fn()
    elapsed = time.perf_counter() - t0
    # A callable may time itself (e.g. up to a signal) and return seconds as a float.
    return reported if isinstance(reported, float) else elapsed


def median_ms(fn: Callable[[], float | None], rounds: int) -> float:
    return statistics.median(_timed(fn) for _ in range(rounds)) * 1000


def machine() -> dict[str, object]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def save(results: list[Result], name: str = "latest.json") -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    payload = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "results": [{**asdict(r), "ratio": r.ratio} for r in results],
    }
    path.write_text(json.dumps(payload, indent=1))
    return path


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM). Unlike ru_maxrss it starts afresh at exec,
    so a benchmark child does not inherit its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
