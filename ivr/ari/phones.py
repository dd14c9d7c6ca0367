"""Agents' phones as PJSIP objects: the auth, aor and endpoint that ARI writes into sorcery
(sorcery.conf keeps them in astdb). models/people/phones.py decides who has which phone."""

from __future__ import annotations

from ivr.ari.client import Ari

# Shared by both kinds: the agents' context, Hindi, and the number a queue call shows.
_COMMON = {
    "context": "agents", "disallow": "all", "allow": "ulaw,alaw", "direct_media": "no",
    "dtmf_mode": "rfc4733", "language": "hi", "device_state_busy_at": "1",
    "rtp_timeout": "30", "rtp_timeout_hold": "600",  # a phone that vanished mid-call: hang up
}
_SOFTPHONE = {"transport": "transport-sip", "rtp_symmetric": "yes", "force_rport": "yes",
              "rewrite_contact": "yes"}
# webrtc = yes: ICE, AVPF, rtcp-mux, DTLS-SRTP with a certificate Asterisk makes itself. Media stays
# on the address the browser reached Asterisk on (media_use_received_transport comes with it).
_BROWSER = {"transport": "transport-ws", "webrtc": "yes", "dtls_auto_generate_cert": "yes"}


def phone_objects(*, endpoint: str, kind: str, realm: str, md5_cred: str,
                  display_name: str = "") -> dict[str, dict[str, str]]:
    """The three sorcery objects of one phone, by type, in the order they must be created."""
    fields = {**_COMMON, **(_BROWSER if kind == "browser" else _SOFTPHONE),
              "auth": endpoint, "aors": endpoint,
              "callerid": f'"{display_name or endpoint}" <{endpoint}>'}
    return {
        "auth": {"auth_type": "digest", "username": endpoint, "realm": realm,
                 "password_digest": f"MD5:{md5_cred}"},
        "aor": {"max_contacts": "1", "remove_existing": "yes", "qualify_frequency": "0"},
        "endpoint": fields,
    }


def provision(ari: Ari, *, endpoint: str, kind: str, realm: str, md5_cred: str,
              display_name: str = "") -> None:
    """Create or replace the phone's objects in Asterisk; it can register at once."""
    objects = phone_objects(endpoint=endpoint, kind=kind, realm=realm, md5_cred=md5_cred,
                            display_name=display_name)
    for object_type, fields in objects.items():
        ari.put_object("res_pjsip", object_type, endpoint, fields)


def remove(ari: Ari, *, endpoint: str) -> None:
    for object_type in ("endpoint", "aor", "auth"):
        ari.delete_object("res_pjsip", object_type, endpoint)
