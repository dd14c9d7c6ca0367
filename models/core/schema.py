"""Imports every table so Base.metadata is complete (for migrations and tests)."""

# ruff: noqa: F401
from models.calls import call, callbacks, feedback, queue_history
from models.channels import citizen, codes, limits, registration_keys, whatsapp_chat, whatsapp_messages
from models.complaints import alerts, complaint, notes, requests, transfers
from models.complaints import explanations as explanation
from models.core import worker_jobs
from models.core.base import Base
from models.jandarshan import bulk_import
from models.jandarshan import hearings as jandarshan
from models.notifications import outbox
from models.people import audit, officers, phones, tokens, users
from models.reference import departments, holidays, places, version
from models.reports import grades, scope  # the grades table; the reports' indexes

metadata = Base.metadata
