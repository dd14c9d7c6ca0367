"""Imports every table so Base.metadata is complete (for migrations and tests)."""

# ruff: noqa: F401
from models.core.base import Base
from models.jandarshan import bulk_import
from models.calls import call
from models.complaints import complaint
from models.reference import departments
from models.complaints import explanations as explanation
from models.jandarshan import hearings as jandarshan
from models.people import officers
from models.notifications import outbox
from models.reference import places
from models.people import tokens
from models.people import users

metadata = Base.metadata
