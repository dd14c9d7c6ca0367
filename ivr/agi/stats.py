"""Server-side turnaround: from an AGI reply arriving to our next command leaving."""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

MAX_SAMPLES = 500_000


class TurnStats:
    """Samples in seconds; `snapshot()` gives percentiles in milliseconds and starts afresh."""

    def __init__(self) -> None:
        self.turns: list[float] = []
        self.setups: list[float] = []

    def turn(self, seconds: float) -> None:
        if len(self.turns) < MAX_SAMPLES:
            self.turns.append(seconds)

    def setup(self, seconds: float) -> None:
        if len(self.setups) < MAX_SAMPLES:
            self.setups.append(seconds)

    def snapshot(self) -> dict[str, float]:
        turns, setups = sorted(self.turns), sorted(self.setups)
        self.turns, self.setups = [], []
        return {"turns": len(turns), "p50_ms": _pct(turns, 0.5), "p99_ms": _pct(turns, 0.99),
                "max_ms": _pct(turns, 1.0), "setups": len(setups), "setup_p50_ms": _pct(setups, 0.5)}

    def dump(self, path: Path | None = None) -> None:
        """Log a snapshot, and write it to `path` when given (the benchmark sends SIGUSR1 for this)."""
        data = self.snapshot()
        if path is not None:
            path.write_text(json.dumps(data))
        log.info("FastAGI turnaround: %s", data)


def _pct(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


STATS = TurnStats()
