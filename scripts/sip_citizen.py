"""A citizen on a real SIP phone: SIPp calls the helpline's trunk over UDP, keys RFC 4733 DTMF
and speaks recorded audio, as a handset on a carrier's line would (tests, `helpline call --sip`).

Steps, as for the Local/ citizen (scripts/demo_citizen.py): `wN` wait N seconds, `dDIGITS` key
digits (RFC 4733 events from SIPp's own packet captures), `pFILE` speak a WAV file (any rate;
converted to 8 kHz G.711 mu-law and followed by silence, as a line keeps sending audio),
`h` hang up. Without `h` the phone waits for the helpline to hang up.

SIPp sends media by replaying packet captures. Its own DTMF captures carry fixed RTP timestamps,
and a receiver takes a second event with the timestamp of the first as a retransmission (the
second `1` of `1 1` is lost); its `rtp_stream` audio has another SSRC than the captures, which
makes the receiver see each end-of-key packet as a new key. So every packet of a call is written
here, in captures that share one RTP stream (one SSRC, one sequence, one clock) as a handset's
do: G.711 mu-law audio every 20 ms, and RFC 4733 telephone-events (the end sent three times).
"""

from __future__ import annotations

import logging
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SIPP = "sipp"
EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}  # RFC 4733 event codes
KEY_MS, GAP_MS, PACKET_MS = 240, 200, 20
TELEPHONE_EVENT_PT = 101
TRAILING_SILENCE_S = 8
PCMU_PT, SAMPLES_PER_PACKET = 0, 160
SSRC = 0x48454C50

_HEADERS = """From: [from_display]<sip:[caller]@[from_host]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>"""

_INVITE = """  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      {headers}
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:citizen@[local_ip]:[local_port]>
      Max-Forwards: 70{privacy}
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=citizen 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
      a=sendrecv

    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      {headers_ack}
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:citizen@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
"""

_HANG_UP = """  <send retrans="500">
    <![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      {headers_ack}
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200" crlf="true"/>
"""

_HUNG_UP = """  <recv request="BYE" timeout="{timeout_ms}"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
"""


class SipPhoneUnavailable(RuntimeError):
    """SIPp (Debian's sip-tester) is not installed."""


@dataclass
class SipCall:
    returncode: int
    output: str
    scenario: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class RtpStream:
    """One call's RTP stream: the sequence number and clock carry on from capture to capture."""

    def __init__(self, folder: Path):
        self.folder, self.seq, self.timestamp, self._files = folder, 1000, 160_000, 0

    def _packet(self, payload_type: int, payload: bytes, *, marker: bool = False,
                timestamp: int | None = None) -> bytes:
        header = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | payload_type, self.seq & 0xFFFF,
                             (self.timestamp if timestamp is None else timestamp) & 0xFFFFFFFF, SSRC)
        self.seq += 1
        return header + payload

    def _capture(self, name: str, packets: list[bytes]) -> tuple[Path, int]:
        self._files += 1
        path = write_pcap(self.folder / f"{self._files:03d}-{name}.pcap", packets)
        return path, len(packets) * PACKET_MS

    def key(self, digit: str) -> tuple[Path, int]:
        """One key press (RFC 4733): duration growing every 20 ms, the end sent three times."""
        if digit not in EVENTS:
            raise ValueError(f"not a phone key: {digit!r}")
        steps, start = KEY_MS // PACKET_MS, self.timestamp
        packets = []
        for i in range(steps + 3):
            duration = SAMPLES_PER_PACKET * min(i + 1, steps)
            payload = struct.pack("!BBH", EVENTS[digit], (0x80 if i >= steps else 0) | 10, duration)
            packets.append(self._packet(TELEPHONE_EVENT_PT, payload, marker=i == 0, timestamp=start))
        self.timestamp += 8 * (KEY_MS + GAP_MS)
        return self._capture(f"key-{EVENTS[digit]}", packets)

    def audio(self, ulaw: bytes) -> tuple[Path, int]:
        """8 kHz mu-law audio as 20 ms packets."""
        packets = []
        for offset in range(0, len(ulaw) - SAMPLES_PER_PACKET + 1, SAMPLES_PER_PACKET):
            packets.append(self._packet(PCMU_PT, ulaw[offset:offset + SAMPLES_PER_PACKET]))
            self.timestamp += SAMPLES_PER_PACKET
        return self._capture("speech", packets)


def write_pcap(path: Path, payloads: list[bytes], *, interval_ms: int = PACKET_MS) -> Path:
    """UDP payloads in a classic pcap (Ethernet/IPv4/UDP), `interval_ms` apart; SIPp sends the payloads."""
    with path.open("wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, payload in enumerate(payloads):
            udp = struct.pack("!HHHH", 10000, 10000, 8 + len(payload), 0) + payload
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n & 0xFFFF, 0, 64, 17, 0,
                             bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            frame = b"\x00" * 12 + b"\x08\x00" + ip
            usec = n * interval_ms * 1000
            f.write(struct.pack("<IIII", usec // 1_000_000, usec % 1_000_000, len(frame), len(frame)))
            f.write(frame)
    return path


def speech_for_line(wav: Path) -> bytes:
    """`wav` as a handset sends it: 8 kHz mu-law, with the line's silence after it."""
    return subprocess.run(["sox", str(wav), "-r", "8000", "-c", "1", "-t", "ul", "-",
                           "pad", "0", str(TRAILING_SILENCE_S)], check=True, capture_output=True).stdout


def scenario(steps: list[str], *, folder: Path, withheld: bool = False, hangup_wait_s: float = 120) -> str:
    """The SIPp XML scenario that plays `steps`."""
    headers = _HEADERS
    privacy = "\n      Privacy: id" if withheld else ""
    body = [_INVITE.format(headers=headers, headers_ack=headers + "[peer_tag_param]", privacy=privacy)]
    hung_up = False
    rtp = RtpStream(folder)

    def play(capture: tuple[Path, int]) -> None:
        path, duration_ms = capture
        body.append(f'  <nop><action><exec play_pcap_audio="{path}"/></action></nop>')
        body.append(f'  <pause milliseconds="{duration_ms + 20}"/>')

    for step in steps:
        op, arg = step[:1], step[1:]
        if op == "w":
            body.append(f'  <pause milliseconds="{int(float(arg) * 1000)}"/>')
        elif op == "d":
            for digit in arg:
                play(rtp.key(digit))
                body.append(f'  <pause milliseconds="{GAP_MS}"/>')
        elif op == "p":
            play(rtp.audio(speech_for_line(Path(arg))))
        elif op == "h":
            body.append(_HANG_UP.format(headers_ack=headers + "[peer_tag_param]"))
            hung_up = True
            break
        else:
            raise ValueError(f"unknown step {step!r}")
    if not hung_up:
        body.append(_HUNG_UP.format(timeout_ms=int(hangup_wait_s * 1000)))
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="helpline citizen">\n'
            + "\n".join(body) + "\n</scenario>\n")


def place_sip_call(*, caller: str, steps: list[str], target: str = "127.0.0.1:5160",
                   local_ip: str = "127.0.0.1", local_port: int = 5170, media_port: int = 16000,
                   service: str = "1100", withheld: bool = False, timeout: float = 180) -> SipCall:
    """Call `service` at `target` from `caller` (a number, or withheld) and play `steps`; wait for the end."""
    if not shutil.which(SIPP):
        raise SipPhoneUnavailable("SIPp is missing: apt-get install sip-tester")
    folder = Path(tempfile.mkdtemp(prefix="helpline-sip-"))
    path = folder / "citizen.xml"
    path.write_text(scenario(steps, folder=folder, withheld=withheld, hangup_wait_s=timeout))
    display, user, host = ('"Anonymous" ', "anonymous", "anonymous.invalid") if withheld \
        else ("", caller, f"{local_ip}:{local_port}")
    cmd = [SIPP, target, "-sf", str(path), "-m", "1", "-s", service, "-i", local_ip,
           "-p", str(local_port), "-mp", str(media_port), "-key", "caller", user,
           "-key", "from_host", host, "-key", "from_display", display,
           "-timeout", f"{int(timeout)}s", "-timeout_error", "-nostdin", "-trace_err",
           "-error_file", str(folder / "errors.log")]
    log.info("SIP call from %s: %s", "withheld" if withheld else caller, " ".join(steps))
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30, cwd=folder)
    errors = (folder / "errors.log").read_text() if (folder / "errors.log").exists() else ""
    return SipCall(result.returncode, result.stdout[-4000:] + result.stderr[-2000:] + errors, path)
