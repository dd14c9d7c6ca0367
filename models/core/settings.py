"""Settings from the environment, with typed defaults, in one place."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
"""The repository root: config/, dialplans/ and var/ are found beside the packages."""


class Secret(str):
    """A string whose repr hides it, so secrets never land in logs or tracebacks."""

    def __repr__(self) -> str:
        return "Secret('********')"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from exc


def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    """`key=value,key=value` pairs, in order."""
    raw = os.environ.get(name, "")
    pairs = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{name} must be key=value pairs separated by commas, not {item!r}")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default).strip().lower() or default
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


# Days a complaint's clock may stay paused, per reason (HELPLINE_PAUSE_CAP_<REASON>).
PAUSE_CAP_DAYS = {"awaiting_citizen": 15, "sub_judice": 90, "budget_decision": 60}


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    http_host: str
    http_port: int
    agi_host: str
    agi_port: int
    vosk_model: str
    vosk_decoder: str
    ami_host: str
    ami_port: int
    ami_user: str
    ami_secret: Secret
    secret_key: Secret
    recordings_dir: Path
    asterisk_recordings_dir: str
    prompts_dir: Path
    asterisk_prompts_dir: str
    ivr_speech: bool
    agi_stats_file: Path | None
    demo_password: Secret
    asterisk_root: Path
    sip_bind: str
    carrier_host: str
    carrier_user: str
    carrier_secret: Secret
    carrier_caller_id: str
    asterisk_http: str
    phone_ws_url: str
    config_dir: Path = field(default=ROOT / "config")
    # The SMS gateway (docs/notifications.md); with no URL, messages are only logged.
    sms_url: str = ""
    sms_key: Secret = Secret("")
    sms_sender: str = "CMHLCG"  # the DLT-registered sender id (header)
    sms_template_ids: tuple[tuple[str, str], ...] = ()  # ("registered.hi", "1107…"), …
    sms_max_attempts: int = 6
    sms_backoff_s: int = 60
    sms_timeout_s: int = 10
    # The officers' workflow (docs/officers.md).
    transfer_cap: int = 3
    pause_cap_days: dict = field(default_factory=lambda: dict(PAUSE_CAP_DAYS))
    l3_to_l4: str = "auto"
    explanation_days: int = 3
    more_time_max_days: int = 30
    attachments_dir: Path = field(default=ROOT / "var" / "attachments")
    attachment_max_bytes: int = 5 * 1024 * 1024
    # The WhatsApp Cloud API (docs/citizens.md): the webhook's handshake token and the app secret
    # that signs every delivery; the access token and phone number id send replies.
    whatsapp_verify_token: Secret = Secret("")
    whatsapp_app_secret: Secret = Secret("")
    whatsapp_token: Secret = Secret("")
    whatsapp_phone_number_id: str = ""
    whatsapp_api_url: str = "https://graph.facebook.com/v21.0"
    # The calls the helpline places (docs/asterisk.md): the dial string, with {number}.
    outbound_channel: str = "PJSIP/{number}@trunk"
    # Satisfaction calls: tries per resolution, over how many days, how many at once.
    feedback_tries: int = 3
    feedback_days: int = 3
    feedback_concurrent: int = 2
    # The wallboard's service level: the share of calls answered within this many seconds.
    service_level_s: int = 20
    # How long the caller-agent conversations are kept (the complaint's own recording stays).
    recording_retention_days: int = 365
    # Asterisk's queue_log, which the worker imports into the call centre's history.
    queue_log: Path = field(default=ROOT / "var" / "asterisk" / "log" / "queue_log")
    # Security (docs/RELIABILITY.md): "development" or "production" (which requires HELPLINE_SECRET_KEY
    # and sends cookies only over TLS), an idle desk session's end, and the login lock-out.
    env: str = "development"
    secure_cookies: bool = False
    session_idle_minutes: int = 60
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    login_max_failures_per_address: int = 100
    # Reverse proxies in front of the desk whose X-Forwarded-For and -Proto to believe (werkzeug's
    # ProxyFix), so the login and /track limits count the client's address: 0 (default) trusts none.
    trusted_proxies: int = 0
    # The worker's job engine (docs/jobs.md): jobs run at once per worker process, a job's schedule
    # overridden ("sla-sweep=30,call-backs=5", seconds), and a failing job's retries and back-off;
    # a worker silent this long is taken as dead and its running jobs as stalled (heartbeats every third).
    worker_concurrency: int = 4
    job_every: tuple[tuple[str, str], ...] = ()
    job_retries: int = 3
    job_retry_wait_s: int = 5
    job_stalled_s: int = 30
    # The SLA sweep on PostgreSQL runs in this many parts at once, each on its own connection (rows
    # split by SKIP LOCKED): one part's Python overlaps another's PostgreSQL work. SQLite: one part.
    sweep_parts: int = 2
    # FastAGI (docs/RELIABILITY.md): how long a peer may take over its header block, over one reply,
    # and over a whole call before the server cuts it (seconds).
    agi_headers_limit_s: int = 10
    agi_reply_limit_s: int = 300
    agi_call_limit_s: int = 1800

    @property
    def development(self) -> bool:
        return self.env == "development"

    @classmethod
    def from_env(cls) -> "Settings":
        var_dir = Path(_env("HELPLINE_VAR_DIR", str(ROOT / "var")))
        recordings = Path(_env("HELPLINE_RECORDINGS_DIR", str(var_dir / "recordings")))
        prompts = Path(_env("HELPLINE_PROMPTS_DIR", str(var_dir / "prompts")))
        stats_file = _env("HELPLINE_AGI_STATS_FILE", "")
        env = _env_choice("HELPLINE_ENV", "development", ("development", "production"))
        # Production never falls back to the development key that `helpline serve` makes under var/.
        secret = os.environ.get("HELPLINE_SECRET_KEY") or (read_dev_secret(var_dir) if env == "development" else "")
        asterisk_http = _env("HELPLINE_ASTERISK_HTTP", "127.0.0.1:8088")
        return cls(
            var_dir=var_dir,
            database_url=_env("HELPLINE_DATABASE_URL", f"sqlite:///{var_dir / 'helpline.db'}"),
            http_host=_env("HELPLINE_HTTP_HOST", "127.0.0.1"),
            http_port=_env_int("HELPLINE_HTTP_PORT", 8080),
            agi_host=_env("HELPLINE_AGI_HOST", "127.0.0.1"),
            agi_port=_env_int("HELPLINE_AGI_PORT", 4573),
            vosk_model=_env("HELPLINE_VOSK_MODEL", ""),
            vosk_decoder=_env("HELPLINE_VOSK_DECODER", ""),  # "max-active=1000,beam=8"
            ami_host=_env("HELPLINE_AMI_HOST", "127.0.0.1"),
            ami_port=_env_int("HELPLINE_AMI_PORT", 5038),
            ami_user=_env("HELPLINE_AMI_USER", "helpline"),
            ami_secret=Secret(_env("HELPLINE_AMI_SECRET", "helpline-dev-only")),
            secret_key=Secret(secret),
            recordings_dir=recordings,
            # Where Asterisk itself writes recordings; differs from recordings_dir under chroot.
            asterisk_recordings_dir=_env("HELPLINE_ASTERISK_RECORDINGS_DIR", str(recordings)),
            prompts_dir=prompts,
            # Where Asterisk itself opens the prompts; differs from prompts_dir under chroot.
            asterisk_prompts_dir=_env("HELPLINE_ASTERISK_PROMPTS_DIR", str(prompts)),
            ivr_speech=_env("HELPLINE_IVR_SPEECH", "on").lower() not in {"off", "0", "no"},
            agi_stats_file=Path(stats_file) if stats_file else None,
            demo_password=Secret(_env("HELPLINE_DEMO_PASSWORD", "Helpline@2026")),
            # The Debian sid root `helpline asterisk up` builds when no Asterisk is installed.
            asterisk_root=Path(_env("HELPLINE_ASTERISK_ROOT", "/var/cache/helpline/asterisk-sid")),
            # Where Asterisk listens for SIP (UDP); loopback in development.
            sip_bind=_env("HELPLINE_SIP_BIND", "127.0.0.1:5160"),
            # The SIP carrier (host[:port]), its login, and the helpline's number it shows.
            carrier_host=_env("HELPLINE_CARRIER_HOST", ""),
            carrier_user=_env("HELPLINE_CARRIER_USER", ""),
            carrier_secret=Secret(_env("HELPLINE_CARRIER_SECRET", "")),
            carrier_caller_id=_env("HELPLINE_CARRIER_CALLER_ID", ""),
            sms_url=_env("HELPLINE_SMS_URL", ""),
            sms_key=Secret(_env("HELPLINE_SMS_KEY", "")),
            sms_sender=_env("HELPLINE_SMS_SENDER", "CMHLCG"),
            sms_template_ids=_pairs("HELPLINE_SMS_TEMPLATE_IDS"),  # "registered.hi=1107…,…"
            sms_max_attempts=_env_int("HELPLINE_SMS_MAX_ATTEMPTS", 6),
            sms_backoff_s=_env_int("HELPLINE_SMS_BACKOFF_S", 60),
            sms_timeout_s=_env_int("HELPLINE_SMS_TIMEOUT_S", 10),
            transfer_cap=_env_int("HELPLINE_TRANSFER_CAP", 3),
            pause_cap_days={reason: _env_int(f"HELPLINE_PAUSE_CAP_{reason.upper()}", days)
                            for reason, days in PAUSE_CAP_DAYS.items()},
            l3_to_l4=_env_choice("HELPLINE_L3_TO_L4", "auto", ("auto", "manual")),
            explanation_days=_env_int("HELPLINE_EXPLANATION_DAYS", 3),
            more_time_max_days=_env_int("HELPLINE_MORE_TIME_MAX_DAYS", 30),
            attachments_dir=Path(_env("HELPLINE_ATTACHMENTS_DIR", str(var_dir / "attachments"))),
            attachment_max_bytes=_env_int("HELPLINE_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024),
            whatsapp_verify_token=Secret(_env("HELPLINE_WHATSAPP_VERIFY_TOKEN", "")),
            whatsapp_app_secret=Secret(_env("HELPLINE_WHATSAPP_APP_SECRET", "")),
            whatsapp_token=Secret(_env("HELPLINE_WHATSAPP_TOKEN", "")),
            whatsapp_phone_number_id=_env("HELPLINE_WHATSAPP_PHONE_NUMBER_ID", ""),
            whatsapp_api_url=_env("HELPLINE_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"),
            outbound_channel=_env("HELPLINE_OUTBOUND_CHANNEL", "PJSIP/{number}@trunk"),
            feedback_tries=_env_int("HELPLINE_FEEDBACK_TRIES", 3),
            feedback_days=_env_int("HELPLINE_FEEDBACK_DAYS", 3),
            feedback_concurrent=_env_int("HELPLINE_FEEDBACK_CONCURRENT", 2),
            service_level_s=_env_int("HELPLINE_SERVICE_LEVEL_S", 20),
            recording_retention_days=_env_int("HELPLINE_RECORDING_RETENTION_DAYS", 365),
            queue_log=Path(_env("HELPLINE_QUEUE_LOG", str(var_dir / "asterisk" / "log" / "queue_log"))),
            # Asterisk's HTTP server (host:port): ARI for the desk, the browser phones' WebSocket.
            asterisk_http=asterisk_http,
            # The address the agents' browsers register to: wss://… behind TLS in a deployment.
            phone_ws_url=_env("HELPLINE_PHONE_WS_URL", f"ws://{asterisk_http}/ws"),
            env=env,
            secure_cookies=_env("HELPLINE_SECURE_COOKIES", "off" if env == "development" else "on"
                                ).lower() not in {"off", "0", "no", ""},
            session_idle_minutes=_env_int("HELPLINE_SESSION_IDLE_MINUTES", 60),
            login_max_failures=_env_int("HELPLINE_LOGIN_MAX_FAILURES", 5),
            login_lockout_minutes=_env_int("HELPLINE_LOGIN_LOCKOUT_MINUTES", 15),
            login_max_failures_per_address=_env_int("HELPLINE_LOGIN_MAX_FAILURES_PER_ADDRESS", 100),
            trusted_proxies=_env_int("HELPLINE_TRUSTED_PROXIES", 0),
            worker_concurrency=_env_int("HELPLINE_WORKER_CONCURRENCY", 4),
            job_every=_pairs("HELPLINE_JOB_EVERY"),
            job_retries=_env_int("HELPLINE_JOB_RETRIES", 3),
            job_retry_wait_s=_env_int("HELPLINE_JOB_RETRY_WAIT_S", 5),
            job_stalled_s=_env_int("HELPLINE_JOB_STALLED_S", 30),
            sweep_parts=_env_int("HELPLINE_SWEEP_PARTS", 2),
            agi_headers_limit_s=_env_int("HELPLINE_AGI_HEADERS_LIMIT_S", 10),
            agi_reply_limit_s=_env_int("HELPLINE_AGI_REPLY_LIMIT_S", 300),
            agi_call_limit_s=_env_int("HELPLINE_AGI_CALL_LIMIT_S", 1800),
        )


def dev_secret_path(var_dir: Path) -> Path:
    return var_dir / "secret_key"


def read_dev_secret(var_dir: Path) -> str:
    """The development key `helpline serve|desk` made under var/ when none was set ("" if none)."""
    path = dev_secret_path(var_dir)
    return path.read_text().strip() if path.exists() else ""


def get_settings() -> Settings:
    return Settings.from_env()
