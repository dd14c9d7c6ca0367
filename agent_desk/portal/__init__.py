"""The citizens' portal's own catalogue of Hindi and English texts (the desk's catalogue stays the
staff's): `t("English text")` gives the text in the page's language."""

from __future__ import annotations

from pathlib import Path

from flask_babel import Domain

DOMAIN = Domain(translation_directories=str(Path(__file__).resolve().parent / "translations"),
                domain="portal")


def t(message: str, **values) -> str:
    return DOMAIN.gettext(message, **values)
