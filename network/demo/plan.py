"""Planning the demo network: pure Python driven by `random.Random`, so the same seed
plans the same network byte for byte; blocks of ten trusts, each with its own generator,
so `--scale 10` starts with exactly the `--scale 1` network."""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from network.demo.vocabulary import (
    ACADEMIC_YEARS,
    ACADEMY_FIRST,
    ACADEMY_SECOND,
    ACADEMY_SUFFIXES,
    AWARD,
    BLOCK,
    CLUSTERS,
    COMMUNITY_WEIGHTS,
    CSCITEACH,
    CURRICULUM_HUBS,
    DEFAULT_SEED,
    FIRST_NAMES,
    FSM_MEAN,
    LAST_NAMES,
    LEAD_PRACTITIONER,
    LOCAL_AUTHORITIES,
    LONDON_COMMUNITY_WEIGHTS,
    MAX_PUPILS,
    MIN_PUPILS,
    NEIGHBOURS,
    PANDEMIC_PAUSE,
    PUPILS_PER_BLOCK,
    REPORT_CARDS_FROM,
    SAINTS,
    SLE,
    SPECIALISMS,
    TAGS,
    TRUST_PREFIXES,
    TRUST_SUFFIXES,
    UNGRADED_FROM,
    URBAN_RURAL,
    R,
)
from network.programme.models import Hub
from trusts.importers.inspections import REPORT_CARD_AREAS
from trusts.importers.performance import percentile_ranks
from trusts.models import (
    JobRole,
    SupportTier,
)


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
                # As the Ofsted importer writes them: "Not judged" with the area
                # judgements until November 2025, then a report card.
                outcome = "Report card" if day >= REPORT_CARDS_FROM else "Not judged"
                inspection.update(grade=None, outcome=outcome, report_card=self._report_card(rng, a, day, grade))
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


def plan_network(*, seed: int = DEFAULT_SEED, scale: int = 1) -> Plan:
    return Planner(seed).plan(scale)
