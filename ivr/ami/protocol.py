"""The AMI wire format: actions out, messages in (pure functions, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping

# Headers that may repeat in one message; their values are joined with newlines.
REPEATABLE = ("Output", "ChanVariable", "DestChanVariable", "Variable")


class AmiMessage(dict):
    """One response or event: header name -> value; `.events` holds a list action's events."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.events: list[AmiMessage] = []

    @property
    def ok(self) -> bool:
        return self.get("Response") in ("Success", "Goodbye")

    @property
    def name(self) -> str:
        return self.get("Event", "")


def encode_action(action: Mapping[str, object]) -> bytes:
    """Key: value lines and a blank line; a list value repeats its key (Variable: a=1 ...)."""
    lines = []
    for key, value in action.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = str(item)
            if "\r" in text or "\n" in text:
                raise ValueError(f"AMI header {key} must be one line")
            lines.append(f"{key}: {text}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def parse_message(block: bytes) -> AmiMessage:
    """A message's lines (without the blank line) -> AmiMessage."""
    message = AmiMessage()
    for raw in block.decode("utf-8", "replace").split("\r\n"):
        if not raw:
            continue
        key, sep, value = raw.partition(":")
        if not sep:
            message.setdefault("Output", "")
            message["Output"] = (message["Output"] + "\n" + raw).lstrip("\n")
            continue
        key, value = key.strip(), value.lstrip(" ")
        if key in message and key in REPEATABLE:
            message[key] = message[key] + "\n" + value
        else:
            message[key] = value
    return message


def chan_variables(message: Mapping[str, str], header: str = "ChanVariable") -> dict[str, str]:
    """`ChanVariable: NAME=value` headers (manager.conf channelvars) as a dict."""
    found = {}
    for line in message.get(header, "").split("\n"):
        name, sep, value = line.partition("=")
        if sep:
            found[name] = value
    return found
