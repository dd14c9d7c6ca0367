"""Imports every table so Base.metadata is complete (for migrations and tests)."""

from models.base import Base
from models import call, complaint, departments, officers, places, tokens, users  # noqa: F401

metadata = Base.metadata
