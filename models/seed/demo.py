"""Demo officers, users and a few hundred complaints, so a newcomer's desk is not empty."""

from __future__ import annotations

import logging
import random
import tomllib
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.complaints.complaint import Channel, ComplaintEvent
from models.complaints.intake import ComplaintInput
from models.complaints.lifecycle import AlreadyAtTopLevel, escalate
from models.complaints.service import register, transition
from models.complaints.status import Action
from models.core.base import utcnow
from models.core.settings import ROOT
from models.people.officers import Officer
from models.people.users import Role, User, add_user
from models.reference.departments import Category, Department
from models.reference.places import Block, District

log = logging.getLogger(__name__)
DEMO_ACTOR = "seed:demo"
DEFAULT_DEMO_PASSWORD = "Helpline@2026"


def _designations(config: dict, dept: str, key: str) -> tuple[str, str]:
    en, hi = config.get(dept, {}).get(key) or config["default"][key]
    return en, hi


def seed_officers(*, session: Session) -> int:
    """The demo officer hierarchy of every department; returns how many were added."""
    with (ROOT / "config" / "officers_demo.toml").open("rb") as fh:
        config = tomllib.load(fh)
    existing = set(session.scalars(select(Officer.code)))
    districts = list(session.scalars(select(District).order_by(District.keypad)))
    blocks_by_district: dict[str, list[Block]] = {}
    for block in session.scalars(select(Block).order_by(Block.code)):
        blocks_by_district.setdefault(block.district_code, []).append(block)
    added = 0

    def add(code: str, key: str, dept: Department, level: int, place=None, **fields) -> None:
        nonlocal added
        if code in existing:
            return
        en, hi = _designations(config, dept.code, key)
        names = dict(dept=dept.name_en, dept_hi=dept.name_hi,
                     place=place.name_en if place else "", place_hi=place.name_hi if place else "")
        session.add(Officer(code=code, name=f"Demo officer {code}", level=level,
                            designation_en=en.format(**names), designation_hi=hi.format(**names),
                            department_code=dept.code, **fields))
        added += 1

    for dept in session.scalars(select(Department).order_by(Department.code)):
        add(f"{dept.code}-L4", "L4", dept, 4)
        add(f"{dept.code}-L3", "L3", dept, 3)
        add(f"{dept.code}-NODAL", "nodal", dept, 3, receives_complaints=False)
        for n in (1, 2):
            add(f"{dept.code}-ANODAL-{n}", "assistant_nodal", dept, 3, receives_complaints=False)
        for district in districts:
            add(f"{dept.code}-L2-{district.code}", "L2", dept, 2, district, district_code=district.code)
            blocks = blocks_by_district.get(district.code, [])
            if not blocks:
                add(f"{dept.code}-L1-{district.code}", "L1", dept, 1, district,
                    district_code=district.code)
            for block in blocks:
                add(f"{dept.code}-L1-{block.code}", "L1", dept, 1, block,
                    district_code=district.code, block_id=block.id)
    session.flush()
    by_code = {o.code: o for o in session.scalars(select(Officer).where(Officer.level >= 3))}
    for dept in session.scalars(select(Department)):
        dept.secretary_id = by_code[f"{dept.code}-L4"].id
        dept.nodal_officer_id = by_code[f"{dept.code}-NODAL"].id
        assistants = [by_code[f"{dept.code}-ANODAL-{n}"] for n in (1, 2)]
        if {o.id for o in dept.assistant_nodal_officers} != {o.id for o in assistants}:
            dept.assistant_nodal_officers = assistants
    session.flush()
    return added


DEMO_USERS = [
    # username, role, full name, extra fields (officer code / department / district / phone)
    ("admin", Role.ADMIN, "Helpline Administrator", {}),
    ("agent1", Role.AGENT, "Agent One / एजेंट एक", {"phone_interface": "Local/agent1@agents"}),
    ("agent2", Role.AGENT, "Agent Two / एजेंट दो", {"phone_interface": "Local/agent2@agents"}),
    ("supervisor", Role.SUPERVISOR, "Shift Supervisor / पर्यवेक्षक", {}),
    ("tehsildar.abhanpur", Role.OFFICER, "Tehsildar Abhanpur / तहसीलदार अभनपुर",
     {"officer": "REV-L1-RPR-ABH"}),
    ("collector.raipur", Role.OFFICER, "Collector Raipur / कलेक्टर रायपुर", {"officer": "REV-L2-RPR"}),
    ("nodal.rev", Role.NODAL_OFFICER, "Nodal Officer, Revenue / नोडल अधिकारी, राजस्व",
     {"officer": "REV-NODAL", "department_code": "REV"}),
    ("secretary.rev", Role.SECRETARY, "Secretary, Revenue / सचिव, राजस्व",
     {"officer": "REV-L4", "department_code": "REV"}),
    ("jandarshan.raipur", Role.JANDARSHAN_OPERATOR, "Jandarshan Operator Raipur / जनदर्शन ऑपरेटर",
     {"district_code": "RPR"}),
    ("goodgov", Role.GOOD_GOVERNANCE, "Good Governance Department / सुशासन विभाग", {}),
]


def seed_users(*, session: Session, password: str = DEFAULT_DEMO_PASSWORD) -> int:
    """The demo logins listed in the README, all with `password` (the setting HELPLINE_DEMO_PASSWORD)."""
    existing = set(session.scalars(select(User.username)))
    added = 0
    for username, role, full_name, extra in DEMO_USERS:
        if username in existing:
            continue
        fields = dict(extra)
        officer_code = fields.pop("officer", None)
        if officer_code:
            fields["officer_id"] = session.scalars(
                select(Officer.id).where(Officer.code == officer_code)).one()
        add_user(session=session, username=username, password=password, role=role,
                 full_name=full_name, **fields)
        added += 1
    return added


NAMES = ["रामेश्वर साहू", "सुनीता वर्मा", "मनोज पटेल", "कमला यादव", "अजय निषाद", "गीता ध्रुव",
         "संतोष कश्यप", "लक्ष्मी मरकाम", "दिनेश सोनी", "पूजा नेताम", "Ravi Sharma", "Anita Das"]
CHANNELS = [Channel.PHONE] * 5 + [Channel.WHATSAPP] * 2 + [Channel.PORTAL] * 2 + [
    Channel.CM_JANDARSHAN, Channel.COLLECTOR_JANDARSHAN]
# Where a demo complaint ends up, and how often.
OUTCOMES = ["assigned"] * 4 + ["in_progress"] * 3 + ["escalated"] * 3 + ["resolved"] * 3 + [
    "closed"] * 4 + ["reopened", "rejected", "force_closed", "returned"]


def seed_complaints(*, session: Session, count: int = 300) -> int:
    """`count` demo complaints with history, once; later runs add nothing."""
    if session.scalar(select(func.count()).select_from(ComplaintEvent)
                      .where(ComplaintEvent.actor == DEMO_ACTOR)):
        return 0
    rng = random.Random(20260227)  # the press note's date: the same demo data on every machine
    categories = list(session.scalars(select(Category).order_by(Category.code)))
    districts = list(session.scalars(select(District).order_by(District.keypad)))
    blocks = {}
    for block in session.scalars(select(Block)):
        blocks.setdefault(block.district_code, []).append(block)
    now = utcnow()
    for n in range(count):
        category = rng.choice(categories)
        # Half the demo complaints come from the districts that have demo blocks.
        district = rng.choice([d for d in districts if d.code in blocks] if n % 2 else districts)
        block = rng.choice(blocks[district.code]) if district.code in blocks else None
        at = now - timedelta(days=rng.uniform(0, 40), minutes=rng.randint(0, 600))
        data = ComplaintInput(
            mobile=f"9{rng.randint(100000000, 999999999)}", channel=rng.choice(CHANNELS),
            citizen_name=rng.choice(NAMES), district_code=district.code,
            block=block.code if block else None, category_code=category.code,
            description=f"{category.name_hi}: {district.name_hi} में समस्या, कृपया शीघ्र निराकरण करें। "
                        f"({category.name_en}, {district.name_en})",
            address=f"वार्ड {rng.randint(1, 40)}, {district.name_hi}")
        complaint = register(session=session, data=data, actor=DEMO_ACTOR, at=at)
        _play_out(session, complaint, rng.choice(OUTCOMES), at, rng)
    return count


def _play_out(session: Session, complaint, outcome: str, at, rng: random.Random) -> None:
    step = timedelta(hours=rng.randint(2, 30))

    def act(action: Action, note: str = "", **changes):
        nonlocal at
        at = at + step
        transition(session=session, complaint=complaint, action=action, actor=DEMO_ACTOR,
                   channel="desk", at=at, note=note, **changes)

    if outcome == "assigned":
        return
    if outcome == "returned":
        return act(Action.RETURN, "not in this jurisdiction", officer_id=None, due_at=None)
    if outcome in ("escalated", "resolved", "closed", "reopened") and rng.random() < 0.6:
        for _ in range(rng.randint(1, 3)):
            try:
                at = at + step
                escalate(session=session, complaint=complaint, actor=DEMO_ACTOR, at=at)
            except AlreadyAtTopLevel:
                break
        if outcome == "escalated":
            return
    elif outcome == "escalated":
        at = at + step
        escalate(session=session, complaint=complaint, actor=DEMO_ACTOR, at=at)
        return
    if outcome == "rejected":
        act(Action.RETURN, "duplicate of an earlier application", officer_id=None, due_at=None)
        return act(Action.REJECT, "duplicate application")
    if outcome == "force_closed":
        return act(Action.FORCE_CLOSE, "special closure: matter sub judice")
    if complaint.status.value == "assigned":
        act(Action.START, "site visit planned")
    if outcome == "in_progress":
        return
    act(Action.RESOLVE, "समस्या का निराकरण कर दिया गया है।", resolution="समस्या का निराकरण कर दिया गया है।",
        resolved_level=complaint.level)
    if outcome == "closed":
        act(Action.CLOSE, "citizen satisfied")
    elif outcome == "reopened":
        act(Action.REOPEN, "citizen not satisfied")
