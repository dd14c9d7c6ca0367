"""The grading formula's configuration: weights and thresholds from config/grades.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

COMPONENTS = ("satisfied", "old_resolved", "low_quality", "not_attended")


@dataclass(frozen=True)
class Grading:
    weights: dict[str, float]
    thresholds: dict[str, float]   # grade -> lowest score, for A, B, C (D below)
    old_days: int = 30

    def score(self, components: dict[str, float | None]) -> float | None:
        """The weighted mean × 100 of the components that have something to judge; None if none."""
        judged = [(self.weights[name], value) for name, value in components.items()
                  if value is not None and self.weights.get(name)]
        total = sum(weight for weight, _ in judged)
        return round(100 * sum(w * v for w, v in judged) / total, 1) if total else None

    def grade(self, score: float | None) -> str | None:
        if score is None:
            return None
        for letter in ("A", "B", "C"):
            if score >= self.thresholds[letter]:
                return letter
        return "D"


def load_grading(path: Path) -> Grading:
    """The formula from `path`; ValueError naming what is missing or wrong."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    weights = {name: float(data.get("weights", {}).get(name, 0)) for name in COMPONENTS}
    if sum(weights.values()) <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError(f"{path}: [weights] must be positive numbers for {', '.join(COMPONENTS)}")
    thresholds = {k: float(v) for k, v in data.get("thresholds", {}).items()}
    if set(thresholds) != {"A", "B", "C"} or not thresholds["A"] >= thresholds["B"] >= thresholds["C"]:
        raise ValueError(f"{path}: [thresholds] needs A >= B >= C")
    return Grading(weights=weights, thresholds=thresholds, old_days=int(data.get("old_days", 30)))
