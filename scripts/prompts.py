"""IVR prompts: `helpline prompts build` and where the call flows find the audio."""

from __future__ import annotations

import argparse
import logging

from ivr.prompts.build import BuildReport, build_prompts
from ivr.prompts.catalogue import CATALOGUE_DIR, LANGUAGES, load_all, load_catalogue
from models.core.settings import get_settings

log = logging.getLogger(__name__)

__all__ = ["BuildReport", "CATALOGUE_DIR", "LANGUAGES", "build_prompts", "cli", "load_all",
           "load_catalogue"]


def cli(args: argparse.Namespace) -> int:
    """`helpline prompts build [--force]`."""
    if args.action != "build":
        raise ValueError(f"unknown prompts action {args.action!r}")
    settings = get_settings()
    report = build_prompts(prompts_dir=settings.prompts_dir, force=bool(getattr(args, "force", False)))
    print(f"prompts in {settings.prompts_dir}: {len(report.rendered)} rendered, "
          f"{len(report.recorded)} from recordings, {report.unchanged} unchanged")
    return 0
