"""The call centre's history from a scripted queue_log: each number of the day's report equals a
count made here by plain loops over the script; lines read twice count once; a rotated file is
read from its start; the call records get their queue outcome and wait."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from models.calls import queue_history
from models.calls.call import Call
from models.reference.calendar import IST

DAY = date(2026, 12, 7)


def scripted_day(seed: int = 7) -> tuple[list[str], list[dict]]:
    """Queue-log lines of a day as Asterisk writes them, and the calls they describe."""
    rng = random.Random(seed)
    lines, calls = [], []
    start = datetime.combine(DAY, datetime.min.time(), tzinfo=IST)
    for n in range(120):
        at = start + timedelta(hours=rng.randint(8, 21), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
        epoch, callid = int(at.timestamp()), f"1795{n:06d}.{n}"
        outcome = rng.choice(["answered", "answered", "answered", "abandoned", "timeout"])
        wait, talk, agent = rng.randint(0, 90), rng.randint(20, 400), rng.choice(["Asha", "Bhola"])
        lines.append(f"{epoch}|{callid}|helpline|NONE|ENTERQUEUE||98765{n:05d}|1")
        if outcome == "answered":
            lines.append(f"{epoch + wait}|{callid}|helpline|{agent}|CONNECT|{wait}|{callid}.2|3")
            lines.append(f"{epoch + wait + talk}|{callid}|helpline|{agent}|COMPLETECALLER|{wait}|{talk}|1")
        elif outcome == "abandoned":
            lines.append(f"{epoch + wait}|{callid}|helpline|NONE|ABANDON|1|1|{wait}")
        else:
            lines.append(f"{epoch + 60}|{callid}|helpline|NONE|EXITWITHTIMEOUT|1|1|60")
        calls.append(dict(at=at, callid=callid, outcome=outcome, wait=wait if outcome != "timeout" else 60,
                          talk=talk, agent=agent))
    pause = int((start + timedelta(hours=13)).timestamp())
    lines += [f"{pause}|NONE|helpline|Asha|PAUSE|lunch", f"{pause + 1800}|NONE|helpline|Asha|UNPAUSE|",
              f"{pause + 2000}|NONE|helpline|Bhola|PAUSE|break", f"{pause + 2300}|NONE|helpline|Bhola|UNPAUSE|"]
    lines.sort(key=lambda line: int(line.split("|")[0]))
    return lines, calls


def test_the_days_report_equals_counts_made_independently(session):
    lines, calls = scripted_day()
    assert queue_history.import_lines(session=session, lines=lines) == len(lines)
    report = queue_history.day_report(session=session, day=DAY, service_level_s=20)
    for hour in report.hours:
        mine = [c for c in calls if c["at"].hour == hour.hour]
        answered = [c for c in mine if c["outcome"] == "answered"]
        abandoned = [c for c in mine if c["outcome"] == "abandoned"]
        assert hour.offered == len(mine)
        assert hour.answered == len(answered)
        assert hour.abandoned == len(abandoned)
        assert hour.timed_out == len([c for c in mine if c["outcome"] == "timeout"])
        assert hour.answered_in_sl == len([c for c in answered if c["wait"] <= 20])
        assert hour.wait_s == sum(c["wait"] for c in answered)
        assert hour.abandoned_wait_s == sum(c["wait"] for c in abandoned)
    assert report.total.offered == len(calls)
    for agent in report.agents:
        theirs = [c for c in calls if c["outcome"] == "answered" and c["agent"] == agent.agent]
        assert (agent.handled, agent.talk_s) == (len(theirs), sum(c["talk"] for c in theirs))
    pauses = {a.agent: a.pause_s for a in report.agents}
    assert pauses["Asha"] == {"lunch": 1800} and pauses["Bhola"] == {"break": 300}


def test_the_file_is_read_on_from_where_it_stopped_and_nothing_counts_twice(session, tmp_path):
    lines, calls = scripted_day(seed=3)
    path = tmp_path / "queue_log"
    half = len(lines) // 2
    path.write_text("\n".join(lines[:half]) + "\n" + lines[half][:10])  # Asterisk mid-line
    assert queue_history.import_file(session=session, path=path) == half
    path.write_text("\n".join(lines) + "\n")
    assert queue_history.import_file(session=session, path=path) == len(lines) - half
    assert queue_history.import_file(session=session, path=path) == 0
    path.write_text("\n".join(lines[:5]) + "\n")  # rotated: a shorter file, lines already filed
    assert queue_history.import_file(session=session, path=path) == 0
    assert queue_history.day_report(session=session, day=DAY).total.offered == len(calls)


def test_calls_get_their_queue_outcome_and_wait(session):
    answered = Call(uniqueid="1800000001.1", caller_number="9876500001")
    gave_up = Call(uniqueid="1800000002.2", caller_number="9876500002")
    session.add_all([answered, gave_up])
    session.flush()
    epoch = int(datetime(2026, 12, 7, 6, 0, tzinfo=UTC).timestamp())
    queue_history.import_lines(session=session, lines=[
        f"{epoch}|1800000001.1|helpline|NONE|ENTERQUEUE||9876500001|1",
        f"{epoch + 12}|1800000001.1|helpline|Asha|CONNECT|12|1800000001.5|2",
        f"{epoch}|1800000002.2|helpline|NONE|ENTERQUEUE||9876500002|2",
        f"{epoch + 40}|1800000002.2|helpline|NONE|ABANDON|2|2|40",
        "garbage without fields"])
    assert (answered.queue_outcome, answered.queue_wait_seconds) == ("answered", 12.0)
    assert (gave_up.queue_outcome, gave_up.queue_wait_seconds) == ("abandoned", 40.0)
