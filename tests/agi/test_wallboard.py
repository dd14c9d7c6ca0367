"""The wallboard's reading of QueueStatus and CoreShowChannels (no Asterisk needed)."""

from __future__ import annotations

from ivr.ami.protocol import AmiMessage
from ivr.ami.wallboard import read_board


def message(*events: dict) -> AmiMessage:
    response = AmiMessage({"Response": "Success"})
    for fields in events:
        event = AmiMessage(fields)
        response.events.append(event)
    return response


def test_board_from_queue_status_and_channels():
    status = message(
        {"Event": "QueueParams", "Queue": "helpline", "Calls": "2", "Holdtime": "12", "TalkTime": "95",
         "Completed": "8", "Abandoned": "2", "ServiceLevel": "20", "ServicelevelPerf": "75.0"},
        {"Event": "QueueMember", "Queue": "helpline", "Name": "Asha", "Location": "PJSIP/asha-3",
         "Status": "1", "Paused": "0", "InCall": "0", "LastCall": "1795900000", "LoginTime": "1795890000",
         "CallsTaken": "5"},
        {"Event": "QueueMember", "Queue": "helpline", "Name": "Bhola", "Location": "PJSIP/bhola-4",
         "Status": "1", "Paused": "1", "PausedReason": "lunch", "LastPause": "1795901000", "InCall": "0"},
        {"Event": "QueueMember", "Queue": "helpline", "Name": "Chetan", "Location": "Local/agent9@agents/n",
         "Status": "1", "Paused": "0", "InCall": "1"},
        {"Event": "QueueEntry", "Queue": "helpline", "Wait": "31"},
        {"Event": "QueueEntry", "Queue": "helpline", "Wait": "4"},
        {"Event": "QueueEntry", "Queue": "other", "Wait": "400"},
    )
    channels = message({"Event": "CoreShowChannel", "Context": "helpline-inbound", "Application": "AGI"},
                       {"Event": "CoreShowChannel", "Context": "helpline-inbound", "Application": "Queue"},
                       {"Event": "CoreShowChannel", "Context": "agents", "Application": "Wait"})
    board = read_board(status, channels).as_json()
    assert (board["waiting"], board["longest_wait_s"], board["in_ivr"]) == (2, 31, 1)
    assert (board["answered"], board["abandoned"], board["service_level"]) == (8, 2, 75.0)
    agents = {a["name"]: a for a in board["agents"]}
    assert agents["Asha"]["state"] == "available" and agents["Asha"]["since"].startswith("2026-11-28")
    assert agents["Bhola"]["state"] == "paused" and agents["Bhola"]["paused_reason"] == "lunch"
    assert agents["Chetan"]["state"] == "on_call"


def test_an_unused_queue_has_no_service_level_yet():
    board = read_board(message({"Event": "QueueParams", "Queue": "helpline", "Completed": "0"}), message())
    assert board.service_level is None and board.waiting == 0 and board.agents == []
