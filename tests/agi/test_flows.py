"""The call flows end to end: the real server and database, Asterisk's side simulated."""

from __future__ import annotations

import itertools
import re
import wave
from pathlib import Path

import pytest
from agi_support import journey_of, place_calls
from factories import feedback_try, make_complaint, next_mobile

from ivr.agi.simulator import SimulatedCall
from models.complaints import complaint_id
from models.complaints import service as complaints
from models.core.db import unit_of_work

_ids = itertools.count(1)
RAIPUR = ["2", "7"]  # Raipur is number 27 on the list (config/data/cg_districts.csv)


def call(inputs, script="ivr", caller=None, **kw) -> SimulatedCall:
    return SimulatedCall(uniqueid=f"1764363{next(_ids):03d}.{next(_ids)}", script=script,
                         caller=caller or next_mobile(), inputs=inputs, **kw)


def steps(journey, kind=None):
    return [(s["kind"], s["name"], s["value"]) for s in journey["steps"] if kind in (None, s["kind"])]


def draft_of(public_id):
    with unit_of_work() as uow:
        c = complaints.get_by_public_id(session=uow.session, public_id=public_id)
        return dict(status=c.status.value, district=c.district_code, mobile=c.mobile,
                    recording=c.recording_path, callback=c.callback_requested, id=c.id)


def test_new_complaint_makes_draft_and_queues(ivr_settings):
    c = call(["1", "1", *RAIPUR], caller="+919812345670")  # speaks, then silence ends the recording
    place_calls(ivr_settings, c)
    assert c.variables["HELPLINE_NEXT"] == "queue"
    assert c.variables["__HELPLINE_CALL"] == c.headers["agi_uniqueid"]
    public_id = c.variables["__HELPLINE_DRAFT"]
    assert complaint_id.is_valid(public_id)
    draft = draft_of(public_id)
    assert draft["status"] == "draft" and draft["district"] == "RPR" and draft["mobile"] == "9812345670"
    recording = Path(draft["recording"])
    assert recording == ivr_settings.recordings_dir / f"{c.headers['agi_uniqueid']}.wav"
    assert recording.stat().st_size > 1000
    records = [cmd for cmd in c.commands if cmd.startswith("RECORD FILE")]
    assert records[0].endswith(" 1000 BEEP")  # the beep, then a second heard for the first word
    assert records[-1].endswith(" 8000 s=4")  # the rest appended, with the silence limit
    j = journey_of(c.headers["agi_uniqueid"])
    assert j["complaint_id"] == public_id and j["disposition"] == "queued" and j["ended_at"]
    assert ("prompt", "welcome", None) in steps(j) and ("input", "main_menu", "1") in steps(j)
    assert ("input", "district", "27") in steps(j)
    assert ("recording", "description", str(recording)) in steps(j)
    assert c.played()[-1].endswith("/hi/recording_saved")


def test_hangup_during_recording_keeps_draft_recording_and_record(ivr_settings):
    c = call(["1", "1", *RAIPUR, "hangup"])
    place_calls(ivr_settings, c)
    j = journey_of(c.headers["agi_uniqueid"])
    assert j["disposition"] == "hangup" and j["ended_at"]
    assert j["complaint_id"] is not None
    draft = draft_of(j["complaint_id"])
    assert Path(draft["recording"]).stat().st_size > 1000
    assert ("event", "hangup", None) in steps(j)


def test_district_list_and_hash_ends_entry(ivr_settings):
    listed = call(["1", "1", "*", "~5", "#", "#"])     # hears the list, then keys 5 #
    early = call(["1", "1", "3", "#", "#"])            # 3 then # : Balrampur, no wait
    place_calls(ivr_settings, listed, early)
    played = listed.played()
    assert any(p.endswith("/hi/district_list_intro") for p in played)
    assert any(p.endswith("/hi/division_Bastar") for p in played)
    names = [p.rsplit("/", 1)[-1] for p in played]
    listed_names = names[:names.index("district_chosen")]
    assert sum(bool(re.fullmatch(r"district_[A-Z]{3}", n)) for n in listed_names) == 33
    assert draft_of(listed.variables["__HELPLINE_DRAFT"])["district"] == "BMT"
    assert draft_of(early.variables["__HELPLINE_DRAFT"])["district"] == "BRP"


def test_bad_district_three_times_goes_to_agents(ivr_settings):
    c = call(["1", "1", "9", "9", "#", "timeout", "0", "#"])
    place_calls(ivr_settings, c)
    assert c.variables["HELPLINE_NEXT"] == "queue" and "__HELPLINE_DRAFT" not in c.variables
    assert ("event", "too_many_tries", "district") in steps(journey_of(c.headers["agi_uniqueid"]))


@pytest.mark.parametrize("inputs, next_, reason", [
    (["1", "0"], "queue", "agent_requested"),
    (["1", "9", "8", "timeout"], "queue", "no_menu_choice"),
])
def test_main_menu_agent_and_three_tries(ivr_settings, inputs, next_, reason):
    c = call(inputs)
    place_calls(ivr_settings, c)
    assert c.variables["HELPLINE_NEXT"] == next_
    assert ("queue", "to_agents", reason) in steps(journey_of(c.headers["agi_uniqueid"]))


def test_star_repeats_menu_and_language_defaults(ivr_settings):
    hindi = call(["timeout", "*", "0"])
    english = call(["2", "0"])
    place_calls(ivr_settings, hindi, english)
    assert [p.rsplit("/", 2)[-2:] for p in hindi.played()].count(["hi", "main_menu"]) == 2
    assert english.played()[-1].endswith("/en/transfer_agent")
    assert english.variables["__HELPLINE_LANG"] == "en"


def seeded(mobile=None):
    with unit_of_work() as uow:
        c = make_complaint(uow.session, **({"mobile": mobile} if mobile else {}))
        uow.commit()
        return c.public_id


def test_status_by_keyed_id_reads_status_level_officer_date(ivr_settings):
    public_id = seeded()
    c = call(["1", "2", *public_id, "timeout"])
    place_calls(ivr_settings, c)
    names = [p.rsplit("/", 1)[-1] for p in c.played()]
    assert names[names.index("status_of_complaint") + 1:][:10] == [f"digit_{d}" for d in public_id]
    assert "status_assigned" in names and "level_1" in names and "officer_is" in names
    assert "month_" in " ".join(names[names.index("last_action_on"):])
    assert any(p.split("/")[-2] == "dyn" for p in c.played())  # the designation, rendered once
    assert (ivr_settings.prompts_dir / "hi" / "dyn").is_dir()
    j = journey_of(c.headers["agi_uniqueid"])
    assert ("lookup", "complaint", f"{public_id} found") in steps(j)
    assert c.variables["HELPLINE_NEXT"] == "hangup" and j["disposition"] == "completed"


def test_wrong_check_digit_three_times_goes_to_agents_without_lookup(ivr_settings):
    good = seeded()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    c = call(["1", "2", *bad, *bad, *bad])
    place_calls(ivr_settings, c)
    j = journey_of(c.headers["agi_uniqueid"])
    assert c.variables["HELPLINE_NEXT"] == "queue"
    assert [s for s in steps(j) if s[0] == "lookup"] == []
    assert steps(j, "event").count(("event", "invalid_id", bad)) == 3
    assert ("queue", "to_agents", "status_id_not_keyed") in steps(j)


def test_caller_with_open_complaints_picks_one(ivr_settings):
    mobile = next_mobile()
    first, second = seeded(mobile), seeded(mobile)
    c = call(["1", "2", "~2", "0"], caller=mobile)  # hears both offered, picks 2, then 0
    place_calls(ivr_settings, c)
    names = [p.rsplit("/", 1)[-1] for p in c.played()]
    assert names[:8] == ["welcome", "main_menu", "status_you_have", "num_2",
                         "status_open_complaints", "option", "num_1", "complaint_ending_in"]
    assert names[8:12] == [f"digit_{d}" for d in second[-4:]]  # newest first
    assert "status_pick" in names
    looked_up = [s for s in steps(journey_of(c.headers["agi_uniqueid"])) if s[0] == "lookup"]
    assert looked_up == [("lookup", "complaint", f"{first} found")]
    assert c.variables["HELPLINE_NEXT"] == "queue"  # 0 during the read-out: an agent


def test_queue_timeout_tells_id_and_records_callback(ivr_settings):
    first = call(["1", "1", *RAIPUR, "#"])
    place_calls(ivr_settings, first)
    draft = first.variables["__HELPLINE_DRAFT"]
    later = SimulatedCall(uniqueid=first.headers["agi_uniqueid"], script="queue-timeout",
                          inputs=["~1"], variables={"HELPLINE_DRAFT": draft, "HELPLINE_LANG": "hi"})
    place_calls(ivr_settings, later)
    names = [p.rsplit("/", 1)[-1] for p in later.played()]
    i = names.index("complaint_id_is")
    assert names[i + 1:i + 11] == [f"digit_{d}" for d in draft]
    assert names[-12:-1] == ["complaint_id_is", *[f"digit_{d}" for d in draft]]  # told again
    assert draft_of(draft)["callback"] is True
    assert later.variables["HELPLINE_NEXT"] == "hangup"
    j = journey_of(first.headers["agi_uniqueid"])
    assert ("queue", "timeout", draft) in steps(j) and ("event", "callback_requested", draft) in steps(j)


def test_queue_timeout_key_skips_to_offer(ivr_settings):
    first = call(["1", "1", *RAIPUR, "#"])
    place_calls(ivr_settings, first)
    draft = first.variables["__HELPLINE_DRAFT"]
    impatient = SimulatedCall(uniqueid=first.headers["agi_uniqueid"], script="queue-timeout",
                              inputs=["2", "2"], variables={"HELPLINE_DRAFT": draft})
    place_calls(ivr_settings, impatient)
    names = [p.rsplit("/", 1)[-1] for p in impatient.played()]
    assert names[:2] == ["queue_timeout", "callback_offer"]
    assert "callback_declined" in names and draft_of(draft)["callback"] is False


def resolved_with_try():
    """A resolved complaint and the satisfaction call's try filed for it: (public id, try id)."""
    from models.complaints.lifecycle import resolve

    with unit_of_work() as uow:
        c = make_complaint(uow.session)
        resolve(session=uow.session, complaint=c, actor="user:officer", resolution="हैंडपंप ठीक कर दिया गया")
        attempt = feedback_try(uow.session, c)
        uow.commit()
        return c.public_id, attempt.id


def test_feedback_call_reads_out_and_records_the_answer(ivr_settings):
    public_id, attempt = resolved_with_try()
    c = call(["timeout", "*", "2"], script="feedback",
             variables={"HELPLINE_COMPLAINT": public_id, "HELPLINE_FEEDBACK_ATTEMPT": str(attempt)})
    place_calls(ivr_settings, c)
    names = [p.rsplit("/", 1)[-1] for p in c.played()]
    assert names.count("feedback_intro") == 2, names  # '*' heard it all again
    first = names.index("feedback_intro")
    assert names[first + 1:first + 11] == [f"digit_{d}" for d in public_id]
    assert "feedback_resolution" in names and any(p.split("/")[-2] == "dyn" for p in c.played())
    assert ("event", "feedback", "not_satisfied (pressed 2)") in steps(journey_of(c.headers["agi_uniqueid"]))
    assert draft_of(public_id)["status"] == "reopened"


def test_a_feedback_call_hung_up_is_a_try_without_an_answer(ivr_settings):
    public_id, attempt = resolved_with_try()
    c = call(["hangup"], script="feedback", variables={"HELPLINE_FEEDBACK_ATTEMPT": str(attempt)})
    place_calls(ivr_settings, c)
    assert ("event", "feedback", "no_answer (hung up)") in steps(journey_of(c.headers["agi_uniqueid"]))
    assert draft_of(public_id)["status"] == "resolved"


def test_fifty_calls_at_once_all_complete(ivr_settings):
    many = [call(["1", "1", *RAIPUR, "#"], think_s=0.01) for _ in range(50)]
    place_calls(ivr_settings, *many)
    drafts = {c.variables.get("__HELPLINE_DRAFT") for c in many}
    assert None not in drafts and len(drafts) == 50
    assert all(journey_of(c.headers["agi_uniqueid"])["ended_at"] for c in many)


class RecordingListener:
    """Stands in for ivr/speech's recogniser at the seam; records what it was asked."""

    def __init__(self, answer):
        self.answer, self.asked = answer, []

    async def recognise_district(self, path, *, language, districts):
        self.asked.append((path, language, len(districts)))
        return self.answer


def test_district_by_voice_through_the_listener_seam(ivr_settings):
    listener = RecordingListener("DRG")
    c = call(["1", "1", "timeout", "timeout", "#"])  # keys nothing at the district prompt
    place_calls(ivr_settings, c, listener=listener)
    path, language, choices = listener.asked[0]
    assert path == ivr_settings.recordings_dir / f"{c.headers['agi_uniqueid']}-district.wav"
    assert path.stat().st_size > 1000 and (language, choices) == ("hi", 33)
    assert draft_of(c.variables["__HELPLINE_DRAFT"])["district"] == "DRG"
    assert ("speech", "district", "DRG") in steps(journey_of(c.headers["agi_uniqueid"]))


def test_caller_number_from_the_network_is_filed_as_ten_digits(ivr_settings):
    c = call(["1", "1", *RAIPUR, "#"], caller="+919812300001")
    place_calls(ivr_settings, c)
    j = journey_of(c.headers["agi_uniqueid"])
    assert j["caller"] == "9812300001" and draft_of(j["complaint_id"])["mobile"] == "9812300001"
    assert not any(p.endswith("/hi/mobile_enter") for p in c.played())


def test_withheld_number_is_keyed_read_back_and_used(ivr_settings):
    c = call(["1", *"9876500001", "~1", "1", *RAIPUR, "#"], caller="anonymous")  # ~: after the read-back
    place_calls(ivr_settings, c)
    names = [p.rsplit("/", 1)[-1] for p in c.played()]
    heard = names[names.index("mobile_you_entered") + 1:][:10]
    assert heard == [f"digit_{d}" for d in "9876500001"]  # read back digit by digit
    j = journey_of(c.headers["agi_uniqueid"])
    assert ("event", "caller_withheld", "anonymous") in steps(j)
    assert ("event", "mobile_keyed", "9876500001") in steps(j)
    assert j["caller"] == "9876500001"
    assert draft_of(j["complaint_id"])["mobile"] == "9876500001"


def test_withheld_number_wrong_then_keyed_again(ivr_settings):
    c = call(["1", *"12345", "#", *"9876500002", "2", *"9876500003", "1", "0"], caller="unknown")
    place_calls(ivr_settings, c)
    j = journey_of(c.headers["agi_uniqueid"])
    assert ("event", "mobile_invalid", "12345") in steps(j)
    assert ("event", "mobile_keyed", "9876500003") in steps(j) and j["caller"] == "9876500003"
    assert c.variables["HELPLINE_NEXT"] == "queue"  # 0: to an agent, who sees the keyed number


def test_caller_who_waits_before_speaking_is_not_cut_off(ivr_settings):
    c = call(["1", "1", *RAIPUR], silent_pieces=4)  # four seconds of silence after the beep
    place_calls(ivr_settings, c)
    records = [cmd for cmd in c.commands if cmd.startswith("RECORD FILE")]
    assert len(records) == 6 and "s=" not in "".join(records[:5])  # no silence limit before the first word
    assert records[-1].endswith(" 40000 s=4")
    j = journey_of(c.headers["agi_uniqueid"])
    assert ("event", "speech_started", "4000 ms") in steps(j)
    with wave.open(draft_of(j["complaint_id"])["recording"]) as w:
        assert w.getnframes() == 6 * 8000  # silence, the first word and the rest: one file


def test_caller_who_never_speaks_still_leaves_a_draft(ivr_settings):
    c = call(["1", "1", *RAIPUR], silent_pieces=99)
    place_calls(ivr_settings, c)
    j = journey_of(c.headers["agi_uniqueid"])
    assert ("event", "no_speech", "10000 ms") in steps(j)
    assert j["complaint_id"] and c.variables["HELPLINE_NEXT"] == "queue"


def test_district_name_after_a_pause_is_heard(ivr_settings):
    """A caller silent for 3 s after the district's beep, then naming it: the recording the
    listener gets holds the name (no silence limit before the first word; it was 2 s from the beep)."""
    from ivr.flows.recording import has_speech

    listener = RecordingListener("DRG")
    c = call(["1", "1", "timeout", "timeout"], silent_pieces=3)
    place_calls(ivr_settings, c, listener=listener)
    path = listener.asked[0][0]
    district = [cmd for cmd in c.commands if cmd.startswith("RECORD FILE") and "-district" in cmd]
    assert len(district) == 5 and "s=" not in "".join(district[:4]) and district[-1].endswith("s=2")
    assert has_speech(path, from_sample=3 * 8000), "the name after the pause is in what the listener heard"
    assert draft_of(c.variables["__HELPLINE_DRAFT"])["district"] == "DRG"
