"""Speech recognition for the IVR with Vosk: one shared model, a recogniser per utterance."""

from ivr.speech.errors import MissingWords, SpeechUnavailable
from ivr.speech.follower import follow_in_thread, follow_recording
from ivr.speech.grammar import (
    WordList,
    check_word_list,
    grammar_json,
    load_word_list,
    word_lists_dir,
)
from ivr.speech.jobs import follow_call_recording, transcribe_call_recording
from ivr.speech.listener import VoskListener
from ivr.speech.model import SpeechModel, load_model
from ivr.speech.recognise import recognise_file, recognise_samples
from ivr.speech.shared import (
    configure_speech,
    get_model,
    reset_model,
    speech_available,
    speech_status,
)
from ivr.speech.store import store_transcript, storing_to
from ivr.speech.transcriber import Transcriber
from ivr.speech.transcript import Transcript, Word

__all__ = [
    "MissingWords", "SpeechModel", "SpeechUnavailable", "Transcriber", "Transcript", "VoskListener",
    "Word", "WordList", "check_word_list", "configure_speech", "follow_call_recording", "follow_in_thread", "follow_recording", "get_model",
    "grammar_json", "load_model", "load_word_list", "recognise_file", "recognise_samples",
    "reset_model", "speech_available", "speech_status", "store_transcript", "storing_to",
    "transcribe_call_recording", "word_lists_dir",
]
