"""Build a demo network shaped like the Secondary Science Network, with fictional names.

    python manage.py seed_demo            # 10 trusts, ~125 academies, ~110,000 pupils
    python manage.py seed_demo --scale 10 # ten times the trusts, academies and people

Two halves, so both properties hold by construction:

- *planning* is pure Python driven by `random.Random`: the same seed plans the same
  network, byte for byte. Data is planned in blocks of ten trusts, each block with its
  own generator, so `--scale 10` starts with exactly the `--scale 1` network;
- *writing* looks up the natural keys already present (trust GIAS UID, academy URN,
  person email, hub name, user email) and bulk-creates only what is missing, in one
  transaction. A second run plans, finds everything there and writes nothing. An
  academy's memberships, inspections and results are created with the academy, never
  added to one that exists (which a coordinator may since have edited).

Then, relative to today, the membership year (`network.demo.membership`: the policy,
last year, this year, next year) and the CPD programme of three months either side
(`network.demo.events`: events, bookings, waitlists, approvals, attendance), each keyed
the same way and written with its year or event. Their services queue emails to
fictional people; the seed writes them inside `network.outbox.held(...)`, so they stay
in the outbox as "held" (readable in the admin) and none is handed to the broker or sent.

Names of trusts, academies and people are made up; local authorities are real, so the
regional picture reads true.
"""

import datetime
import math
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from network import outbox
from network.demo import events as demo_events
from network.demo import membership as demo_membership
from network.models import Hub, Network, OutboxMessage, Role, User
from network.services import user_apply_role
from trusts.importers.inspections import REPORT_CARD_AREAS
from trusts.importers.performance import percentile_ranks
from trusts.models import (
    Academy,
    AcademyTrustMembership,
    CommunityType,
    Designation,
    ExpertiseTag,
    Inspection,
    JobRole,
    PerformanceResult,
    Person,
    Phase,
    Region,
    SupportTier,
    Trust,
)

DEMO_PASSWORD = "demo-network-2026"  # noqa: S105  (printed for people trying the demo)
DEFAULT_SEED = 2026
NETWORK_SLUG = "ssn"
# Progress 8 stops at 2023-24: the DfE publishes none for 2024-25 and 2025-26, whose
# pupils have no KS2 results (the 2020 and 2021 tests were cancelled); it returns for
# 2026-27, published in the autumn of 2027. The review's window skips the missing years.
ACADEMIC_YEARS = ("2021-22", "2022-23", "2023-24")
# Ofsted stopped single-word judgements for inspections from September 2024, and moved
# to report cards under the renewed framework from 10 November 2025.
UNGRADED_FROM = datetime.date(2024, 9, 1)
REPORT_CARDS_FROM = datetime.date(2025, 11, 10)
PANDEMIC_PAUSE = (datetime.date(2020, 3, 17), datetime.date(2021, 9, 1))
# Planned dates never depend on today, so two runs on different days plan the same data.
CONSENT_DATE = datetime.datetime(2025, 9, 15, 9, 0, tzinfo=datetime.UTC)
SUPPORT_TIER_DATE = datetime.date(2025, 9, 1)
HISTORY_REASON = "Demo data (seed_demo)"

R = Region
# One block: ten trusts, each with a home region and a number of academies (125 in all).
BLOCK = [
    (R.NORTH_WEST, 20),
    (R.LONDON, 17),
    (R.SOUTH_EAST, 15),
    (R.WEST_MIDLANDS, 14),
    (R.YORKSHIRE, 13),
    (R.EAST, 12),
    (R.SOUTH_WEST, 11),
    (R.EAST_MIDLANDS, 10),
    (R.SOUTH_EAST, 7),
    (R.NORTH_EAST, 6),
]
PUPILS_PER_BLOCK = 110_000
MIN_PUPILS, MAX_PUPILS = 500, 1800
NEIGHBOURS = {
    R.NORTH_EAST: [R.YORKSHIRE, R.NORTH_WEST],
    R.NORTH_WEST: [R.YORKSHIRE, R.WEST_MIDLANDS, R.NORTH_EAST],
    R.YORKSHIRE: [R.NORTH_EAST, R.NORTH_WEST, R.EAST_MIDLANDS],
    R.EAST_MIDLANDS: [R.YORKSHIRE, R.WEST_MIDLANDS, R.EAST],
    R.WEST_MIDLANDS: [R.EAST_MIDLANDS, R.NORTH_WEST, R.SOUTH_WEST],
    R.EAST: [R.LONDON, R.EAST_MIDLANDS, R.SOUTH_EAST],
    R.LONDON: [R.SOUTH_EAST, R.EAST],
    R.SOUTH_EAST: [R.LONDON, R.SOUTH_WEST, R.EAST],
    R.SOUTH_WEST: [R.SOUTH_EAST, R.WEST_MIDLANDS],
}

C = CommunityType
# Real local authorities by region and by the kind of community they mostly serve.
LOCAL_AUTHORITIES = {
    R.NORTH_EAST: {
        C.INNER_CITY: ["Newcastle upon Tyne", "Middlesbrough"],
        C.URBAN: ["Gateshead", "Durham", "Stockton-on-Tees", "Darlington"],
        C.COASTAL: ["Sunderland", "South Tyneside", "Hartlepool", "Redcar and Cleveland"],
        C.RURAL: ["Northumberland", "Durham"],
    },
    R.NORTH_WEST: {
        C.INNER_CITY: ["Manchester", "Liverpool", "Salford"],
        C.URBAN: ["Bolton", "Oldham", "Wigan", "Stockport", "Rochdale", "Warrington"],
        C.COASTAL: ["Blackpool", "Sefton", "Wirral", "Cumberland"],
        C.RURAL: ["Lancashire", "Cheshire East", "Westmorland and Furness"],
    },
    R.YORKSHIRE: {
        C.INNER_CITY: ["Leeds", "Bradford", "Sheffield"],
        C.URBAN: ["Kirklees", "Wakefield", "Doncaster", "Calderdale", "Rotherham", "Barnsley"],
        C.COASTAL: ["Kingston upon Hull, City of", "North East Lincolnshire", "North Yorkshire"],
        C.RURAL: ["North Yorkshire", "East Riding of Yorkshire"],
    },
    R.EAST_MIDLANDS: {
        C.INNER_CITY: ["Nottingham", "Leicester", "Derby"],
        C.URBAN: ["Nottinghamshire", "Derbyshire", "North Northamptonshire", "West Northamptonshire"],
        C.COASTAL: ["Lincolnshire"],
        C.RURAL: ["Lincolnshire", "Leicestershire", "Rutland", "Derbyshire"],
    },
    R.WEST_MIDLANDS: {
        C.INNER_CITY: ["Birmingham", "Sandwell", "Wolverhampton", "Coventry"],
        C.URBAN: ["Dudley", "Walsall", "Stoke-on-Trent", "Solihull", "Telford and Wrekin"],
        C.RURAL: ["Shropshire", "Herefordshire, County of", "Worcestershire", "Staffordshire", "Warwickshire"],
    },
    R.EAST: {
        C.INNER_CITY: ["Luton", "Peterborough"],
        C.URBAN: ["Hertfordshire", "Bedford", "Thurrock", "Cambridgeshire", "Central Bedfordshire"],
        C.COASTAL: ["Norfolk", "Suffolk", "Essex", "Southend-on-Sea"],
        C.RURAL: ["Norfolk", "Suffolk", "Cambridgeshire", "Essex"],
    },
    R.LONDON: {
        C.INNER_CITY: ["Tower Hamlets", "Hackney", "Newham", "Southwark", "Lambeth", "Islington", "Lewisham"],
        C.URBAN: ["Croydon", "Barnet", "Ealing", "Brent", "Enfield", "Redbridge", "Bromley", "Hounslow"],
    },
    R.SOUTH_EAST: {
        C.INNER_CITY: ["Southampton", "Portsmouth", "Reading", "Slough"],
        C.URBAN: ["Surrey", "Milton Keynes", "Hampshire", "Buckinghamshire", "Bracknell Forest"],
        C.COASTAL: ["Kent", "Medway", "Brighton and Hove", "Isle of Wight", "East Sussex", "West Sussex"],
        C.RURAL: ["Oxfordshire", "West Berkshire", "Hampshire", "Kent", "West Sussex"],
    },
    R.SOUTH_WEST: {
        C.INNER_CITY: ["Bristol, City of", "Plymouth"],
        C.URBAN: ["Swindon", "Gloucestershire", "South Gloucestershire", "Bath and North East Somerset"],
        C.COASTAL: ["Cornwall", "Torbay", "Devon", "Bournemouth, Christchurch and Poole", "Dorset"],
        C.RURAL: ["Somerset", "Wiltshire", "Devon", "Cornwall", "Dorset"],
    },
}
COMMUNITY_WEIGHTS = {C.INNER_CITY: 18, C.URBAN: 45, C.COASTAL: 15, C.RURAL: 22}
LONDON_COMMUNITY_WEIGHTS = {C.INNER_CITY: 60, C.URBAN: 40}
URBAN_RURAL = {
    C.INNER_CITY: ["Urban major conurbation"],
    C.URBAN: ["Urban city and town", "Urban minor conurbation", "Urban major conurbation"],
    C.COASTAL: ["Urban city and town", "Rural town and fringe"],
    C.RURAL: ["Rural town and fringe", "Rural village", "Rural hamlet and isolated dwellings"],
}
# Mean % free school meals: higher in inner-city and coastal communities.
FSM_MEAN = {C.INNER_CITY: 36, C.URBAN: 24, C.COASTAL: 31, C.RURAL: 14}

TRUST_PREFIXES = {
    R.NORTH_EAST: ["Cheviot", "Wear Valley", "Tees Valley", "Northumbrian", "Derwent"],
    R.NORTH_WEST: ["Pennine", "Mersey Vale", "Ribble Valley", "Irwell", "Bowland", "Lune Valley"],
    R.YORKSHIRE: ["Dales", "Humber", "Aire Valley", "Ridings", "Calder Vale", "Wharfedale"],
    R.EAST_MIDLANDS: ["Sherwood", "Trent Valley", "Peak", "Soar Valley", "Wolds"],
    R.WEST_MIDLANDS: ["Mercia", "Arden", "Black Country", "Severn Valley", "Malvern"],
    R.EAST: ["Fenland", "Anglian", "Broadland", "Stour Valley", "Ouse Valley"],
    R.LONDON: ["Thames Gateway", "Lea Valley", "Wandle", "Capital Schools", "Docklands"],
    R.SOUTH_EAST: ["Weald", "Downland", "Solent", "Chiltern", "Medway Valley", "Kennet"],
    R.SOUTH_WEST: ["Wessex", "Tamar", "Exe Valley", "Cotswold Edge", "Mendip"],
}
TRUST_SUFFIXES = ["Learning Trust", "Academy Trust", "Education Trust", "Schools Trust", "Learning Partnership"]

ACADEMY_FIRST = [
    "Moor", "River", "High", "Oak", "Ash", "Elm", "Brook", "Church", "Castle", "Hill", "Lake", "Park",
    "Green", "Stone", "Thorn", "Wood", "Bay", "Cliff", "Fern", "Heath", "Mill", "Bridge", "Holly", "Beech",
    "Willow", "Kings", "Queens", "Hazel", "Marsh", "North", "South", "West", "East", "Orchard", "Copper",
    "Birch", "Cedar", "Raven", "Swan", "Meadow",
]  # fmt: skip
ACADEMY_SECOND = [
    "side", "field", "wood", "dale", "bank", "lands", "brook", "gate", "mount", "view", "ley", "hurst",
    "croft", "combe", "ford", "well", "moor", "hill", "wick", "ton",
]  # fmt: skip
ACADEMY_SUFFIXES = ["Academy", "Academy", "Academy", "School", "High School", "College", "Community Academy"]
SAINTS = ["Aidan", "Bede", "Hilda", "Chad", "Cuthbert", "Alban", "Wilfrid", "Anselm", "Edmund", "Oswald"]

FIRST_NAMES = [
    "Aisha", "Amelia", "Amir", "Anna", "Ben", "Bethan", "Callum", "Chloe", "Chidi", "Daniel", "Deepa",
    "Eleanor", "Ellie", "Emeka", "Farah", "Fiona", "George", "Grace", "Hannah", "Harvey", "Imran", "Isla",
    "Jack", "Jamal", "James", "Jasmine", "Joanna", "Kate", "Kwame", "Laura", "Leon", "Lucy", "Mariam",
    "Mark", "Megan", "Mohammed", "Naomi", "Niamh", "Oliver", "Olivia", "Owen", "Priya", "Rachel", "Rhys",
    "Rosa", "Ruth", "Sam", "Sana", "Sarah", "Simon", "Sophie", "Tariq", "Tom", "Tomasz", "Yasmin", "Zara",
    "Zoe", "Adam", "Catherine", "David", "Emma", "Helen", "Joseph", "Kieran", "Nadia", "Paul", "Ravi",
    "Siobhan", "Victoria", "Wei",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Ali", "Appleby", "Bailey", "Begum", "Bennett", "Brennan", "Campbell", "Chen", "Clarke",
    "Collins", "Davies", "Dawson", "Edwards", "Evans", "Fletcher", "Foster", "Gallagher", "Grant", "Green",
    "Hall", "Harris", "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan",
    "Kowalski", "Lewis", "Lloyd", "Malik", "Marsh", "Mensah", "Mitchell", "Morgan", "Murphy", "Nowak",
    "Okafor", "Osei", "Owen", "Palmer", "Parker", "Patel", "Price", "Quinn", "Reid", "Roberts", "Robinson",
    "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "Williams",
    "Wilson", "Wright", "Yusuf", "Adeyemi", "Baxter", "Doherty", "Fraser",
]  # fmt: skip

SLE = "Specialist Leader of Education (SLE)"
LEAD_PRACTITIONER = "Lead Practitioner"
AWARD = "Science teaching award winner"
CSCITEACH = "Chartered Science Teacher"
DESIGNATIONS = [SLE, LEAD_PRACTITIONER, AWARD, CSCITEACH]
TAGS = [
    "Practical work", "Required practicals", "Physics for non-specialists", "Literacy in science",
    "Disciplinary knowledge", "Curriculum design", "Assessment", "ECT mentoring", "Separate sciences",
    "Science capital", "SEND in science", "Oracy",
]  # fmt: skip
SPECIALISMS = ["biology", "chemistry", "physics"]

CLUSTERS = [
    ("Northern Cluster", R.NORTH_EAST, {R.NORTH_EAST, R.YORKSHIRE}),
    ("Pennine Cluster", R.NORTH_WEST, {R.NORTH_WEST}),
    ("Midlands Cluster", R.WEST_MIDLANDS, {R.WEST_MIDLANDS, R.EAST_MIDLANDS}),
    ("Thames Cluster", R.LONDON, {R.LONDON, R.SOUTH_EAST, R.EAST}),
    ("Wessex Cluster", R.SOUTH_WEST, {R.SOUTH_WEST}),
]
CURRICULUM_HUBS = [("Physics Curriculum Hub", "physics"), ("Chemistry Curriculum Hub", "chemistry"),
                   ("Biology Curriculum Hub", "biology")]  # fmt: skip

DEMO_USERS = [
    ("coordinator@demo.network", Role.COORDINATOR),
    ("ceo@demo.network", Role.TRUST_EXECUTIVE),
    ("leader@demo.network", Role.LEADER),
    ("visitor@demo.network", Role.VISITOR),
]


# -- The plan ---------------------------------------------------------------------------


@dataclass
class PlannedPerson:
    first_name: str
    last_name: str
    email: str
    job_role: str
    academy_urn: int | None
    trust_uid: str
    specialism: str = ""
    designations: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    consent: bool = False
    summary: str = ""


@dataclass
class PlannedAcademy:
    urn: int
    name: str
    trust_uid: str
    region: str
    local_authority: str
    community_type: str
    urban_rural: str
    pupils: int
    fsm: float
    sixth_form: bool
    quality: float  # latent: drives inspections, Progress 8 and support
    memberships: list[tuple[str, datetime.date, datetime.date | None]] = field(default_factory=list)
    inspections: list[dict] = field(default_factory=list)
    results: dict[str, float | None] = field(default_factory=dict)
    support_tier: str = ""


@dataclass
class PlannedTrust:
    gias_uid: str
    name: str
    region: str
    companies_house_number: str
    ceo: PlannedPerson | None = None


@dataclass
class PlannedHub:
    name: str
    kind: str
    region: str
    academy_urns: list[int]
    lead_email: str
    deputy_email: str


@dataclass
class Plan:
    trusts: list[PlannedTrust] = field(default_factory=list)
    academies: list[PlannedAcademy] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)
    hubs: list[PlannedHub] = field(default_factory=list)
    percentiles: dict[tuple[int, str], float] = field(default_factory=dict)
    leader_email: str = ""


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _term_day(rng: random.Random, academic_year_start: int) -> datetime.date:
    """A plausible inspection day: a Tuesday to Thursday in term time."""
    month = rng.choice([9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7])
    year = academic_year_start if month >= 9 else academic_year_start + 1
    day = datetime.date(year, month, rng.randint(3, 24))
    while day.weekday() not in (1, 2, 3):
        day += datetime.timedelta(days=1)
    if PANDEMIC_PAUSE[0] <= day < PANDEMIC_PAUSE[1]:  # no routine inspections then
        return _term_day(rng, academic_year_start - 1)
    return day


class Planner:
    """Plans the network block by block. Names, URNs and emails already used are shared
    across blocks, so block k is the same whatever the scale."""

    def __init__(self, seed: int):
        self.seed = seed
        self.used_trust_names: set[str] = set()
        self.used_academy_names: set[str] = set()
        self.used_domains: set[str] = set()
        self.used_emails: set[str] = set()

    def plan(self, scale: int) -> Plan:
        plan = Plan()
        for block in range(scale):
            self._plan_block(plan, block)
        self._plan_percentiles(plan)
        self._plan_hubs(plan, random.Random(f"{self.seed}:hubs:{scale}"))
        first_trust = plan.trusts[0].gias_uid
        in_hubs = {urn for hub in plan.hubs for urn in hub.academy_urns}
        candidates = [
            p
            for p in plan.people
            if p.job_role == JobRole.HEAD_OF_SCIENCE and p.trust_uid == first_trust and p.academy_urn in in_hubs
        ] or [p for p in plan.people if p.job_role == JobRole.HEAD_OF_SCIENCE and p.trust_uid == first_trust]
        plan.leader_email = candidates[0].email
        return plan

    # Trusts and academies ---------------------------------------------------------

    def _plan_block(self, plan: Plan, block: int):
        rng = random.Random(f"{self.seed}:block:{block}")
        uids = sorted(rng.sample(range(2100 + block * 900, 3000 + block * 900), len(BLOCK)))
        urns = rng.sample(range(137000 + block * 1000, 137000 + (block + 1) * 1000), sum(n for _, n in BLOCK))
        academies: list[PlannedAcademy] = []
        for index, ((region, size), uid) in enumerate(zip(BLOCK, uids, strict=True)):
            trust = PlannedTrust(
                gias_uid=str(uid),
                name=self._trust_name(rng, region, first=(block == 0 and index == 0)),
                region=region,
                companies_house_number=f"{rng.randint(7_000_000, 13_999_999):08d}",
            )
            plan.trusts.append(trust)
            for _ in range(size):
                academies.append(self._academy(rng, trust, urns.pop()))
            domain = self._domain(trust.name, "org.example")
            trust.ceo = self._person(rng, domain, JobRole.CEO, None, trust.gias_uid)
            plan.people.append(trust.ceo)
            plan.people.append(self._person(rng, domain, JobRole.TRUST_SCIENCE_LEAD, None, trust.gias_uid))
        self._scale_pupils(academies)
        self._plan_moves(rng, plan.trusts[-len(BLOCK) :], academies)
        for academy in academies:
            self._plan_inspections(rng, academy)
            self._plan_results(rng, academy)
            self._plan_people(rng, plan, academy)
        plan.academies.extend(academies)

    def _trust_name(self, rng, region, *, first=False) -> str:
        if first:
            name = "Pennine Learning Trust"
        else:
            name = f"{rng.choice(TRUST_PREFIXES[region])} {rng.choice(TRUST_SUFFIXES)}"
            while name in self.used_trust_names:
                prefix = rng.choice([p for prefixes in TRUST_PREFIXES.values() for p in prefixes])
                name = f"{prefix} {rng.choice(TRUST_SUFFIXES)}"
        self.used_trust_names.add(name)
        return name

    def _academy_name(self, rng) -> str:
        while True:
            if rng.random() < 0.08:
                church = rng.choice(["Church of England Academy", "Catholic Academy", "CofE High School"])
                name = f"St {rng.choice(SAINTS)}'s {church}"
            else:
                first, second = rng.choice(ACADEMY_FIRST), rng.choice(ACADEMY_SECOND)
                if first[-1] == second[0] or second in first.lower():  # no "Brookbrook", "Hillley"
                    continue
                place = first + second
                name = f"{place} {rng.choice(ACADEMY_SUFFIXES)}"
            if name not in self.used_academy_names:
                self.used_academy_names.add(name)
                return name

    def _domain(self, name: str, tld: str) -> str:
        base = slugify(name.replace("'", ""))
        domain, n = f"{base}.{tld}", 1
        while domain in self.used_domains:
            n += 1
            domain = f"{base}{n}.{tld}"
        self.used_domains.add(domain)
        return domain

    def _academy(self, rng, trust: PlannedTrust, urn: int) -> PlannedAcademy:
        region = trust.region if rng.random() < 0.7 else rng.choice(NEIGHBOURS[trust.region])
        authorities = LOCAL_AUTHORITIES[region]
        weights = LONDON_COMMUNITY_WEIGHTS if region == R.LONDON else COMMUNITY_WEIGHTS
        community = _weighted(rng, {c: w for c, w in weights.items() if c in authorities})
        fsm = min(55.0, max(5.0, rng.gauss(FSM_MEAN[community], 8)))
        raw_pupils = rng.lognormvariate(math.log(850), 0.35)
        return PlannedAcademy(
            urn=urn,
            name=self._academy_name(rng),
            trust_uid=trust.gias_uid,
            region=region,
            local_authority=rng.choice(authorities[community]),
            community_type=community,
            urban_rural=rng.choice(URBAN_RURAL[community]),
            pupils=int(raw_pupils),
            fsm=round(fsm, 1),
            sixth_form=rng.random() < (0.45 if raw_pupils < 800 else 0.72),
            quality=rng.gauss(0, 1) - (fsm - 25) / 40,
        )

    @staticmethod
    def _scale_pupils(academies: list[PlannedAcademy]):
        """Scale a block's rolls to total ~110,000, keeping each within 500-1,800."""
        for _ in range(5):
            total = sum(a.pupils for a in academies)
            factor = PUPILS_PER_BLOCK * len(academies) / sum(n for _, n in BLOCK) / total
            for a in academies:
                a.pupils = min(MAX_PUPILS, max(MIN_PUPILS, round(a.pupils * factor)))

    def _plan_moves(self, rng, trusts: list[PlannedTrust], academies: list[PlannedAcademy]):
        """Every academy converted into a trust; two per block moved trust once since."""
        for a in academies:
            year = rng.randint(2011, 2021)
            joined = datetime.date(year, rng.choice([1, 4, 9]), 1)
            a.memberships = [(a.trust_uid, joined, None)]
        movers = rng.sample([a for a in academies if a.memberships[0][1].year <= 2018], 2)
        for a in movers:
            previous = rng.choice([t.gias_uid for t in trusts if t.gias_uid != a.trust_uid])
            first_joined = a.memberships[0][1]
            moved_on = datetime.date(rng.randint(max(first_joined.year + 2, 2019), 2024), 9, 1)
            a.memberships = [
                (previous, first_joined, moved_on - datetime.timedelta(days=1)),
                (a.trust_uid, moved_on, None),
            ]

    # Inspections, results, support --------------------------------------------------

    def _plan_inspections(self, rng, a: PlannedAcademy):
        latest_year = _weighted(rng, {2021: 18, 2022: 25, 2023: 35, 2024: 12, 2025: 10})
        years = [latest_year]
        for _ in range(rng.choice([1, 2, 2])):
            years.append(years[-1] - rng.randint(3, 5))
        dates = sorted({_term_day(rng, y) for y in years})
        grade = 2
        for day in dates:
            score = a.quality + rng.gauss(0, 0.6)
            grade = 1 if score > 1.4 else 2 if score > -0.6 else 3 if score > -1.8 else 4
            inspection = {"date": day, "grade": grade, "outcome": "", "report_card": {}}
            if day >= UNGRADED_FROM:
                inspection.update(grade=None, outcome="Not judged", report_card=self._report_card(rng, a, day, grade))
            a.inspections.append(inspection)
        concern = grade  # the latest judgement, published or not
        if (concern == 4 and rng.random() < 0.6) or (concern == 3 and rng.random() < 0.2):
            a.support_tier = SupportTier.STABILISE if concern == 4 else SupportTier.IMPROVE
        elif rng.random() < 0.03:
            a.support_tier = SupportTier.SUSTAIN if a.quality > 0 else SupportTier.IMPROVE

    @staticmethod
    def _report_card(rng, a: PlannedAcademy, day: datetime.date, grade: int) -> dict:
        """Area → outcome, the shape the Ofsted importer writes (safeguarding is an area).
        The random draws are the same as ever, so the rest of the network is unchanged."""
        if day >= REPORT_CARDS_FROM:
            scale = ["Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement"]
            # Ofsted's own area names, as the importer reads them (one list, not two).
            areas = [*REPORT_CARD_AREAS[:6]] + (["Sixth form in schools"] if a.sixth_form else [])
            card = {area: scale[min(4, max(0, grade + rng.choice([-1, 0, 0, 0, 1])))] for area in areas}
            card["Safeguarding"] = "Met" if grade < 4 or rng.random() < 0.5 else "Not met"
            return card
        scale = ["", "Outstanding", "Good", "Requires improvement", "Inadequate"]
        areas = ["Quality of education", "Behaviour and attitudes", "Personal development", "Leadership and management"]
        areas += ["Sixth-form provision"] if a.sixth_form else []
        card = {area: scale[min(4, max(1, grade + rng.choice([-1, 0, 0, 0, 1])))] for area in areas}
        card["Safeguarding"] = "Effective" if grade < 4 or rng.random() < 0.5 else "Not effective"
        return card

    @staticmethod
    def _plan_results(rng, a: PlannedAcademy):
        for year in ACADEMIC_YEARS:
            if rng.random() < 0.015:
                a.results[year] = None  # suppressed (too few pupils at the end of KS4)
            else:
                a.results[year] = round(max(-2.0, min(1.8, 0.38 * a.quality + rng.gauss(0, 0.18))), 2)

    @staticmethod
    def _plan_percentiles(plan: Plan):
        """Percentile of each score among all academies' scores that year, by the
        performance importer's rule (`percentile_ranks`: the share with a lower score,
        ties counted half), so seeded and imported years are computed alike."""
        for year in ACADEMIC_YEARS:
            scored = [a for a in plan.academies if a.results[year] is not None]
            ranks = percentile_ranks([Decimal(str(a.results[year])) for a in scored])
            for a in scored:
                plan.percentiles[(a.urn, year)] = ranks[Decimal(str(a.results[year]))]

    # People ---------------------------------------------------------------------------

    def _person(self, rng, domain, job_role, academy_urn, trust_uid, specialism="") -> PlannedPerson:
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first}.{last}@{domain}".lower()
            if email not in self.used_emails:
                self.used_emails.add(email)
                break
        person = PlannedPerson(first, last, email, job_role, academy_urn, trust_uid, specialism=specialism)
        self._plan_expertise(rng, person)
        return person

    def _plan_people(self, rng, plan: Plan, a: PlannedAcademy):
        domain = self._domain(a.name, "sch.example")
        specialisms = rng.sample(SPECIALISMS, 3)
        staff = [JobRole.SUBJECT_LEAD, JobRole.SUBJECT_LEAD, JobRole.TEACHER, JobRole.TEACHER, JobRole.ECT]
        rng.shuffle(staff)
        roles = [JobRole.HEADTEACHER, JobRole.HEAD_OF_SCIENCE, *staff[: rng.randint(2, 4)], JobRole.TECHNICIAN]
        for role in roles:
            specialism = ""
            if role == JobRole.SUBJECT_LEAD:
                specialism = specialisms.pop() if specialisms else rng.choice(SPECIALISMS)
            elif role in (JobRole.HEAD_OF_SCIENCE, JobRole.TEACHER, JobRole.ECT):
                specialism = rng.choice(SPECIALISMS)
            plan.people.append(self._person(rng, domain, role, a.urn, a.trust_uid, specialism))

    @staticmethod
    def _plan_expertise(rng, p: PlannedPerson):
        role = p.job_role
        if role == JobRole.TECHNICIAN:
            p.tags = rng.sample(["Practical work", "Required practicals"], rng.randint(1, 2))
            consent = 0.5
        elif role in (JobRole.HEADTEACHER, JobRole.CEO):
            p.tags = rng.sample(["Curriculum design", "Science capital"], rng.randint(0, 1))
            consent = 0.25
        else:
            lo, hi = (2, 4) if role in (JobRole.HEAD_OF_SCIENCE, JobRole.TRUST_SCIENCE_LEAD) else (1, 3)
            p.tags = rng.sample(TAGS, rng.randint(lo, hi))
            if p.specialism == "physics" and "Physics for non-specialists" not in p.tags and rng.random() < 0.4:
                p.tags.append("Physics for non-specialists")
            senior = role in (JobRole.HEAD_OF_SCIENCE, JobRole.SUBJECT_LEAD, JobRole.TRUST_SCIENCE_LEAD)
            if role != JobRole.ECT:
                for name, chance in ((SLE, 0.16 if senior else 0.03), (LEAD_PRACTITIONER, 0.12 if senior else 0.05),
                                     (CSCITEACH, 0.1), (AWARD, 0.04)):  # fmt: skip
                    if rng.random() < chance:
                        p.designations.append(name)
            consent = 0.9 if role == JobRole.TRUST_SCIENCE_LEAD else 0.55
        p.consent = rng.random() < consent
        if p.consent:
            subject = f"{p.specialism} specialist" if p.specialism else "science"
            topics = " and ".join(t.lower() if t not in ("ECT mentoring", "SEND in science") else t for t in p.tags[:2])
            years = rng.randint(2, 25) if role != JobRole.ECT else rng.randint(1, 2)
            p.summary = (
                f"{JobRole(role).label}, {subject}, {years} year{'s' if years > 1 else ''} in science education. "
                + (f"Happy to help with {topics}." if topics else "Happy to talk about science across a school.")
            )

    # Hubs -----------------------------------------------------------------------------

    def _plan_hubs(self, plan: Plan, rng: random.Random):
        heads = {p.academy_urn: p for p in plan.people if p.job_role == JobRole.HEAD_OF_SCIENCE}
        leads = {}
        for p in plan.people:
            if p.job_role == JobRole.SUBJECT_LEAD:
                leads.setdefault(p.specialism, []).append(p)
        for name, region, regions in CLUSTERS:
            in_regions = [a.urn for a in plan.academies if a.region in regions]
            members = sorted(urn for urn in in_regions if rng.random() < 0.4) or sorted(in_regions[:2])
            lead, deputy = rng.sample(members, 2)
            plan.hubs.append(
                PlannedHub(name, Hub.Kind.CLUSTER, region, members, heads[lead].email, heads[deputy].email)
            )
        for name, specialism in CURRICULUM_HUBS:
            members = sorted(a.urn for a in plan.academies if rng.random() < 0.09)
            specialists = [p for p in leads[specialism] if p.academy_urn in members]
            lead, deputy = rng.sample(specialists, 2) if len(specialists) >= 2 else rng.sample(leads[specialism], 2)
            members = sorted(set(members) | {lead.academy_urn, deputy.academy_urn})
            plan.hubs.append(PlannedHub(name, Hub.Kind.CURRICULUM, "", members, lead.email, deputy.email))


# -- Writing ----------------------------------------------------------------------------


class Writer:
    """Creates what the plan holds and the database lacks, by natural key."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.created: dict[str, int] = {}

    def _bulk(self, model, objs, *, history=False) -> list:
        if not objs:
            return []
        self.created[model._meta.verbose_name_plural] = len(objs)
        if history:
            return bulk_create_with_history(objs, model, batch_size=500, default_change_reason=HISTORY_REASON)
        return model.objects.bulk_create(objs, batch_size=500)

    @transaction.atomic
    def write(self) -> Network:
        plan = self.plan
        designations = {name: Designation.objects.get_or_create(name=name)[0].pk for name in DESIGNATIONS}
        tags = {name: ExpertiseTag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0].pk
                for name in TAGS}  # fmt: skip
        network, _ = Network.objects.get_or_create(
            slug=NETWORK_SLUG,
            defaults={
                "name": "Secondary Science Network",
                "subject": "Science",
                "phase": "secondary",
                "description": "Science leaders from secondary academies across England improving science "
                "teaching together: hub meetings, CPD, visits and a shared expertise directory.",
            },
        )

        ceos = {t.gias_uid: t.ceo for t in plan.trusts}
        existing = set(Trust.objects.filter(gias_uid__isnull=False).values_list("gias_uid", flat=True))
        self._bulk(
            Trust,
            [
                Trust(
                    gias_uid=t.gias_uid,
                    name=t.name,
                    region=t.region,
                    companies_house_number=t.companies_house_number,
                    ceo_name=f"{ceos[t.gias_uid].first_name} {ceos[t.gias_uid].last_name}",
                    ceo_email=ceos[t.gias_uid].email,
                )
                for t in plan.trusts
                if t.gias_uid not in existing
            ],
            history=True,
        )
        trust_ids = dict(
            Trust.objects.filter(gias_uid__in=[t.gias_uid for t in plan.trusts]).values_list("gias_uid", "pk")
        )
        network.member_trusts.add(*trust_ids.values())

        existing = set(Academy.objects.values_list("urn", flat=True))
        new_academies = [a for a in plan.academies if a.urn not in existing]
        self._bulk(
            Academy,
            [
                Academy(
                    urn=a.urn,
                    name=a.name,
                    trust_id=trust_ids[a.trust_uid],
                    phase=Phase.SECONDARY,
                    local_authority=a.local_authority,
                    region=a.region,
                    urban_rural=a.urban_rural,
                    community_type=a.community_type,
                    pupils_on_roll=a.pupils,
                    percent_fsm=a.fsm,
                    has_sixth_form=a.sixth_form,
                    support_tier=a.support_tier,
                    support_tier_set_on=SUPPORT_TIER_DATE if a.support_tier else None,
                )
                for a in new_academies
            ],
            history=True,
        )
        academy_ids = dict(Academy.objects.values_list("urn", "pk"))
        self._write_academy_history(new_academies, academy_ids, trust_ids)
        self._write_people(academy_ids, trust_ids, designations, tags)
        self._write_hubs(network, academy_ids)
        self._write_users(trust_ids)
        return network

    def _write_academy_history(self, academies, academy_ids, trust_ids):
        memberships, inspections, results = [], [], []
        for a in academies:
            pk = academy_ids[a.urn]
            for uid, joined, left in a.memberships:
                memberships.append(
                    AcademyTrustMembership(academy_id=pk, trust_id=trust_ids[uid], joined_on=joined, left_on=left)
                )
            for i in a.inspections:
                inspections.append(
                    Inspection(
                        academy_id=pk,
                        inspection_date=i["date"],
                        grade=i["grade"],
                        outcome_text=i["outcome"],
                        report_card=i["report_card"],
                        source=Inspection.Source.OFSTED_MI,
                    )
                )
            for year, score in a.results.items():
                results.append(
                    PerformanceResult(
                        academy_id=pk,
                        academic_year=year,
                        progress8=score,
                        percentile=self.plan.percentiles.get((a.urn, year)),
                        suppressed="" if score is not None else "SUPP",
                    )
                )
        self._bulk(AcademyTrustMembership, memberships)
        self._bulk(Inspection, inspections)
        self._bulk(PerformanceResult, results)

    def _write_people(self, academy_ids, trust_ids, designations, tags):
        existing = {e.lower() for e in Person.objects.values_list("email", flat=True)}
        new = [p for p in self.plan.people if p.email not in existing]
        created = self._bulk(
            Person,
            [
                Person(
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=p.email,
                    academy_id=academy_ids[p.academy_urn] if p.academy_urn else None,
                    trust_id=trust_ids[p.trust_uid],
                    job_role=p.job_role,
                    expertise_summary=p.summary,
                    directory_consent=p.consent,
                    directory_consent_at=CONSENT_DATE if p.consent else None,
                )
                for p in new
            ],
            history=True,
        )
        person_ids = {obj.email: obj.pk for obj in created}
        self._bulk(
            Person.designations.through,
            [
                Person.designations.through(person_id=person_ids[p.email], designation_id=designations[d])
                for p in new
                for d in p.designations
            ],
        )
        self._bulk(
            Person.expertise.through,
            [
                Person.expertise.through(person_id=person_ids[p.email], expertisetag_id=tags[t])
                for p in new
                for t in p.tags
            ],
        )

    def _write_hubs(self, network, academy_ids):
        existing = set(network.hubs.values_list("name", flat=True))
        new = [h for h in self.plan.hubs if h.name not in existing]
        if not new:
            return
        emails = {e for h in new for e in (h.lead_email, h.deputy_email)}
        person_ids = {e.lower(): pk for e, pk in Person.objects.filter(email__in=emails).values_list("email", "pk")}
        hubs = [
            Hub(
                network=network,
                name=h.name,
                kind=h.kind,
                region=h.region,
                lead_id=person_ids.get(h.lead_email),
                deputy_lead_id=person_ids.get(h.deputy_email),
            )
            for h in new
        ]
        hubs = self._bulk(Hub, hubs)
        self._bulk(
            Hub.academies.through,
            [
                Hub.academies.through(hub_id=hub.pk, academy_id=academy_ids[urn])
                for hub, h in zip(hubs, new, strict=True)
                for urn in h.academy_urns
            ],
        )

    def _write_users(self, trust_ids):
        existing = set(User.objects.filter(email__in=[e for e, _ in DEMO_USERS]).values_list("email", flat=True))
        first_trust = self.plan.trusts[0]
        # One hash for the four logins: they share the (printed) demo password, and each
        # hash takes a deliberate third of a second.
        password = make_password(DEMO_PASSWORD)
        for email, role in DEMO_USERS:
            if email in existing:
                continue
            user = User(email=email, role=role)
            if role == Role.COORDINATOR:
                user.full_name = "Demo Coordinator"
            elif role == Role.TRUST_EXECUTIVE:
                user.person = Person.objects.get(email=first_trust.ceo.email)
            elif role == Role.LEADER:
                user.person = Person.objects.get(email=self.plan.leader_email)
            else:
                user.full_name = "Demo Visitor"
            if user.person:
                user.full_name = user.person.full_name
            user.password = password
            user.save()
            if role == Role.TRUST_EXECUTIVE:
                user.trusts.set([trust_ids[first_trust.gias_uid]])
            user_apply_role(user=user)
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            self.created["demo logins"] = self.created.get("demo logins", 0) + 1


# -- The command ------------------------------------------------------------------------


def plan_network(*, seed: int = DEFAULT_SEED, scale: int = 1) -> Plan:
    return Planner(seed).plan(scale)


NOT_SENT = "Not sent: written by seed_demo with the demo data."


class Command(BaseCommand):
    help = "Build (or top up) a demo network shaped like the Secondary Science Network. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply trusts, academies and people (default 1).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same network).")

    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        started = time.perf_counter()
        today = timezone.localdate()
        plan = plan_network(seed=seed, scale=scale)
        writer = Writer(plan)
        held_before = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count()
        with outbox.held(NOT_SENT), transaction.atomic():
            network = writer.write()
            logins = {
                u.email: u for u in User.objects.filter(email__in=[e for e, _ in DEMO_USERS]).select_related("person")
            }
            coordinator, executive, leader = (logins.get(email) for email, _ in DEMO_USERS[:3])
            membership = demo_membership.MembershipSeeder(
                network=network, seed=seed, today=today, coordinator=coordinator, executive=executive, leader=leader
            ).write()
            programme = demo_events.EventSeeder(
                network=network, seed=seed, today=today, coordinator=coordinator, leader=leader
            ).write()
        elapsed = time.perf_counter() - started
        kept = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count() - held_before

        created = {**writer.created}
        for part in (membership.created, programme.created):
            for what, n in part.items():
                created[what] = created.get(what, 0) + n
        if created:
            made = ", ".join(f"{n} {what}" for what, n in created.items())
            note = f" ({kept} emails kept in the outbox as not sent)" if kept else ""
            self.stdout.write(self.style.SUCCESS(f"Created {made} in {elapsed:.1f}s{note}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Nothing to create: the demo network is already there ({elapsed:.1f}s).")
            )
        self._print_counts(network, membership.labels)
        self._print_logins(plan)

    def _print_counts(self, network, labels):
        trusts = network.member_trusts.all()
        academies = Academy.objects.filter(trust__in=trusts, is_open=True)
        pupils = academies.aggregate(total=Sum("pupils_on_roll"))["total"] or 0
        people = Person.objects.filter(trust__in=trusts)
        rows = [
            ("Trusts", trusts.count()),
            ("Academies", academies.count()),
            ("Pupils", pupils),
            ("People", people.count()),
            ("In the directory", people.filter(directory_consent=True).count()),
            ("Hubs", network.hubs.count()),
            *demo_membership.counts(network, labels).items(),
            *demo_events.counts(network, timezone.now()).items(),
        ]
        self.stdout.write(f"\n{network.name} ({timezone.localdate():%d/%m/%Y})")
        for label, n in rows:
            self.stdout.write(f"  {label:<17}{n:>9,}")

    def _print_logins(self, plan):
        trust = plan.trusts[0].name
        leader = next(p for p in plan.people if p.email == plan.leader_email)
        academy = next(a.name for a in plan.academies if a.urn == leader.academy_urn)
        rows = [
            ("Email", "Password", "Role", "What they see"),
            ("coordinator@demo.network", DEMO_PASSWORD, "Network coordinator",
             "the whole network; the admin back office (coordinators group, not a superuser)"),
            ("ceo@demo.network", DEMO_PASSWORD, "Trust executive",
             f"{trust} only: its academies, people, memberships, CPD participation"),
            ("leader@demo.network", DEMO_PASSWORD, "Science leader",
             f"{academy} (head of science): own academy, hubs, bookings, CPD record, approvals; the directory"),
            ("visitor@demo.network", DEMO_PASSWORD, "Visitor / consultant",
             "the CPD programme, certificate checks (no trust: no directory; visits are not in the portal yet)"),
        ]  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("\nDemo logins (sign in at /accounts/login/):")
        for i, row in enumerate(rows):
            self.stdout.write("  " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "-+-".join("-" * w for w in widths))
