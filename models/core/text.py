"""Text as the helpline keeps it: every field a citizen, an agent, an officer or another system
hands in passes through `clean_text` at the domain's edge.

The rule (docs/desk.md, "Text as stored"):
- Unicode NFC, so one Devanagari letter has one spelling (क़ typed as one character or as क + ़);
- zero-width spaces, the byte-order mark, word joiners, soft hyphens, bidirectional overrides and
  every control character are removed (a tab becomes a space; a multi-line field keeps its line
  breaks, as "\n");
- the zero-width joiner and non-joiner (ZWJ U+200D, ZWNJ U+200C) are kept only between two
  Devanagari characters, where they choose a half form or stop a conjunct (क्‍ष, क्‌ष); elsewhere
  they are removed;
- lone surrogates are removed (no database stores them);
- leading and trailing whitespace is trimmed; a one-line field's runs of spaces become one;
- then (models/complaints/intake.py: clean_text) the length cap, an InvalidField naming the field.
Mixed scripts (Hindi with English words, Chhattisgarhi in Devanagari with Latin digits) are kept
as written.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ, ZWJ = "\u200c", "\u200d"
DROPPED = {"\u200b", "\ufeff", "\u2060", "\u00ad", "\u180e", "\u200e", "\u200f"}  # ZWSP, BOM, WJ, SHY, MVS, LRM, RLM
_SPACES = re.compile(r"[^\S\n]+")


def _devanagari(char: str) -> bool:
    return "\u0900" <= char <= "\u097f" or "\ua8e0" <= char <= "\ua8ff"


def _kept(text: str, i: int, multiline: bool) -> str:
    """What stays of text[i]: itself, a space, a line break, or nothing."""
    char = text[i]
    if char in (ZWJ, ZWNJ):
        joins = 0 < i < len(text) - 1 and _devanagari(text[i - 1]) and _devanagari(text[i + 1])
        return char if joins else ""
    if char in DROPPED:
        return ""
    if char == "\n":
        return "\n" if multiline else " "
    if char == "\t" or unicodedata.category(char) == "Zs":
        return " "
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Zl", "Zp"):
        return "\n" if multiline and category in ("Zl", "Zp") else ""
    if category == "Cf" and char not in (ZWJ, ZWNJ) and not ("\u0600" <= char <= "\u06ff"):
        return ""  # bidirectional overrides and isolates, invisible operators, tags
    return char


def normalise_text(value: str | None, *, multiline: bool = False) -> str:
    """`value` as the helpline keeps it (the rule above), without the length cap."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = text.split("\n") if multiline else [text]
    if not all(line.isprintable() for line in lines):  # else every character is kept as it is
        text = "".join(_kept(text, i, multiline) for i in range(len(text)))
        text = unicodedata.normalize("NFC", text)  # a removed character may have split a composable pair
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    else:
        text = _SPACES.sub(" ", text)
    return text.strip()

