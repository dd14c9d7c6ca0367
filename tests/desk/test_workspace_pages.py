"""The workspace's pages for an officer who both holds complaints and oversees a jurisdiction
(held by me OR my district's): every page equals that page of the whole list sorted by time left,
with complaints in both parts listed and counted once, one of no district among them (both
databases)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.complaints.complaint import Complaint
from models.complaints.jurisdiction import scope
from models.complaints.status import OPEN
from models.complaints.workspace import Filters, workspace
from models.core.base import utcnow
from tests.factories import make_complaint
from tests.officer_actors import officer_actor

WORD = "पृष्ठक्रम"


def test_each_page_is_that_page_of_the_whole_sorted_list(session):
    l2 = officer_actor(session, "REV-L2-RPR")
    now, made = utcnow(), []
    for district, block in (("RPR", "RPR-ABH"),) * 5 + (("BSP", "BSP-KOT"),) * 4:
        made.append(make_complaint(session, description=f"{WORD} नामांतरण का आवेदन लंबित है",
                                   district_code=district, block=block))
    # Held by the L2 officer: two outside their district, one inside (in both parts); due times with
    # a tie and none at all.
    for complaint, holder, due in zip(made, [l2.officer_id, None, None, None, None, l2.officer_id, l2.officer_id,
                                             None, None], [3, 1, 1, None, 2, 1, None, 5, 4]):
        if holder:
            complaint.officer_id = holder
        complaint.due_at = None if due is None else now + timedelta(hours=due)
    made[6].district_code = None  # held, of no district: the total's "not in my district" is true of it too
    session.flush()
    want = [c.id for c in session.scalars(
        select(Complaint).where(scope(l2), Complaint.status.in_(sorted(OPEN)), Complaint.description.like(f"%{WORD}%"))
        .order_by(Complaint.due_at.asc().nulls_last(), Complaint.id))]
    assert len(want) == 7  # the five of Raipur, the two held in Bilaspur; not the other two of Bilaspur
    for per_page in (1, 3, 5):
        pages, page = [], 1
        while True:
            rows, total = workspace(session=session, actor=l2, filters=Filters(text=WORD), now=now,
                                    page=page, per_page=per_page)
            assert total == len(want)
            if not rows:
                break
            pages += [c.id for c in rows]
            page += 1
        assert pages == want, per_page
