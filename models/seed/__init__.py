"""`helpline seed`: reference data always, demo data on request; twice in a row changes nothing."""

from __future__ import annotations

from models.core.db import unit_of_work
from models.seed.demo import DEFAULT_DEMO_PASSWORD, seed_complaints, seed_officers, seed_users
from models.seed.reference import seed_reference


def seed(*, demo: bool, demo_password: str = DEFAULT_DEMO_PASSWORD) -> dict[str, int]:
    """Load the seed data in one transaction; returns how many rows of each kind were added."""
    with unit_of_work() as uow:
        counts = seed_reference(session=uow.session)
        if demo:
            counts["officers"] = seed_officers(session=uow.session)
            counts["users"] = seed_users(session=uow.session, password=demo_password)
            counts["complaints"] = seed_complaints(session=uow.session)
        uow.commit()
    return counts
