"""Load the recorded AGI exchanges in tests/agi/exchanges/*.txt."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent / "exchanges"


@dataclass
class Turn:
    command: str
    reply: list[str] = field(default_factory=list)
    expect: str = ""


@dataclass
class Exchange:
    name: str
    headers: dict[str, str]
    turns: list[Turn]


def load(path: Path) -> Exchange:
    """Headers up to the first blank line, then `>`, `<` and `=` lines."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    headers = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        headers[key.strip()] = value.strip()
    turns: list[Turn] = []
    for line in body.splitlines():
        if line.startswith("> "):
            turns.append(Turn(command=line[2:]))
        elif line.startswith("< "):
            turns[-1].reply.append(line[2:])
        elif line.startswith("= "):
            turns[-1].expect = line[2:]
    return Exchange(name=path.stem, headers=headers, turns=turns)


def all_exchanges() -> list[Exchange]:
    return [load(p) for p in sorted(HERE.glob("*.txt"))]


def expected_fields(expect: str) -> dict[str, str]:
    """`ok result=2 data=timeout endpos=9` -> {'result': '2', 'data': 'timeout', 'endpos': '9'}."""
    words = expect.split(" ", 1)[1] if " " in expect else ""
    fields: dict[str, str] = {}
    for key in ("result", "data", "endpos"):
        marker = f"{key}="
        if marker in words:
            start = words.index(marker) + len(marker)
            ends = [words.find(f" {k}=", start) for k in ("data", "endpos")]
            ends = [e for e in ends if e != -1]
            fields[key] = words[start:min(ends) if ends else len(words)]
    return fields
