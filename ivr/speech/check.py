"""`python -m ivr.speech.check hi`: report the words of each word list the deployed model lacks."""

from __future__ import annotations

import argparse
import logging
import sys

from ivr.speech.grammar import check_word_list, load_word_list, word_lists_dir
from ivr.speech.shared import configure_speech, get_model
from models.core.settings import get_settings

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("language", help="folder under config/speech, e.g. hi")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_speech(settings)
    model = get_model()
    directory = word_lists_dir(settings.config_dir)
    failures = 0
    for path in sorted((directory / args.language).glob("*.json")):
        word_list = load_word_list(path.stem, language=args.language, directory=directory)
        missing = check_word_list(word_list, model=model)
        failures += bool(missing)
        print(f"{path.stem}: {len(word_list.entries)} entries, "
              + (f"MISSING {len(missing)}: {' '.join(missing)}" if missing else "all words known"))
    print(f"model {model.path} (grammar mode {'supported' if model.supports_grammar else 'NOT supported'})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
