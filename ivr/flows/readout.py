"""Numbers, digits and dates as sequences of our own prompt keys (Asterisk has no Hindi)."""

from __future__ import annotations

import logging
from datetime import datetime

from models.reference.calendar import to_local

log = logging.getLogger(__name__)


def digit_keys(text: str) -> list[str]:
    """Each digit of `text` on its own: 2600012345 -> digit_2, digit_6, …"""
    return [f"digit_{ch}" for ch in text if ch.isdigit()]


def number_keys(n: int) -> list[str]:
    """0 ≤ n ≤ 9999 as words: 2026 -> num_2 num_thousand num_26; 305 -> num_3 num_hundred num_5."""
    if not 0 <= n <= 9999:
        raise ValueError(f"cannot read {n}")
    if n < 100:
        return [f"num_{n}"]
    keys: list[str] = []
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    if thousands:
        keys += [f"num_{thousands}", "num_thousand"]
    if hundreds:
        keys += [f"num_{hundreds}", "num_hundred"]
    if rest:
        keys.append(f"num_{rest}")
    return keys


def date_keys(when: datetime) -> list[str]:
    """The India-time date: day, month name, year (28 November 2026)."""
    local = to_local(when)
    return [*number_keys(local.day), f"month_{local.month}", *number_keys(local.year)]
