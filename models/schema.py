"""Imports every table so Base.metadata is complete (for migrations and tests)."""

from models.base import Base
from models import (  # noqa: F401
    bulk_import, call, complaint, departments, explanation, jandarshan, officers, outbox, places,
    tokens, users,
)

metadata = Base.metadata
