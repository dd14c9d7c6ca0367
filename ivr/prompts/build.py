"""`helpline prompts build`: render every catalogue entry, only when its text or recording changed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ivr.prompts.catalogue import CATALOGUE_DIR, VOICES, load_all
from ivr.prompts.render import convert, require_tools, synthesise

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RENDER_VERSION = "espeak-ng/s150/sox-8k-v1"  # bump to re-render everything after a change here


@dataclass
class BuildReport:
    rendered: list[str] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class _Job:
    name: str           # "hi/welcome"
    fingerprint: str
    dest: Path
    text: str
    voice: str
    recorded: Path | None


def _fingerprint(text: str, voice: str, recorded: Path | None) -> str:
    digest = hashlib.sha256()
    if recorded is not None:
        digest.update(b"recorded\0" + recorded.read_bytes())
    else:
        digest.update(f"{RENDER_VERSION}\0{voice}\0{text}".encode())
    return digest.hexdigest()


def plan(prompts_dir: Path, catalogue_dir: Path = CATALOGUE_DIR) -> list[_Job]:
    """Every prompt of every language with what it would be built from."""
    jobs = []
    for lang, table in load_all(catalogue_dir).items():
        for key, text in table.items():
            recorded = catalogue_dir / "recorded" / lang / f"{key}.wav"
            source = recorded if recorded.is_file() else None
            voice = VOICES.get(lang, lang)
            jobs.append(_Job(f"{lang}/{key}", _fingerprint(text, voice, source),
                             prompts_dir / lang / f"{key}.wav", text, voice, source))
    return jobs


def build_prompts(*, prompts_dir: Path, catalogue_dir: Path = CATALOGUE_DIR,
                  force: bool = False, jobs: int | None = None) -> BuildReport:
    """Render what changed since the last build into prompts_dir/<lang>/<key>.wav."""
    require_tools()
    prompts_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = prompts_dir / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    everything = plan(prompts_dir, catalogue_dir)
    todo = [j for j in everything
            if force or manifest.get(j.name) != j.fingerprint or not j.dest.exists()]
    report = BuildReport(unchanged=len(everything) - len(todo))
    try:
        with ThreadPoolExecutor(jobs or os.cpu_count() or 2) as pool:
            for job in pool.map(_render, todo):
                manifest[job.name] = job.fingerprint
                (report.recorded if job.recorded else report.rendered).append(job.name)
    finally:
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False))
    log.info("prompts: %d rendered, %d recorded, %d unchanged",
             len(report.rendered), len(report.recorded), report.unchanged)
    return report


def _render(job: _Job) -> _Job:
    if job.recorded is not None:
        convert(job.recorded, job.dest)
    else:
        synthesise(job.text, job.voice, job.dest)
    return job
