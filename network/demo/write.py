"""Writing the planned network: look up the natural keys already present (trust GIAS
UID, academy URN, person email, hub name, user email) and bulk-create only what is
missing, in the caller's transaction. A second run finds everything and writes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from network.base.models import Role, User
from network.base.privacy.erasure import erased_emails
from network.base.services import user_apply_role
from network.demo.plan import Plan
from network.demo.vocabulary import (
    CONSENT_DATE,
    DEMO_PASSWORD,
    DEMO_USERS,
    DESIGNATIONS,
    HISTORY_REASON,
    NETWORK_SLUG,
    SUPPORT_TIER_DATE,
    TAGS,
)
from network.programme.models import Hub, Network
from trusts.models import (
    Academy,
    AcademyTrustMembership,
    Designation,
    ExpertiseTag,
    Inspection,
    PerformanceResult,
    Person,
    Phase,
    Trust,
)


class Writer:
    """Creates what the plan holds and the database lacks, by natural key."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.created: dict[str, int] = {}
        # People (and demo logins) whose personal data a coordinator erased are never
        # written again: their email matches an erased identity's fingerprint.
        self.erased = erased_emails([p.email for p in plan.people] + [email for email, _ in DEMO_USERS])

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
                    ceo_name=""
                    if ceos[t.gias_uid].email in self.erased
                    else f"{ceos[t.gias_uid].first_name} {ceos[t.gias_uid].last_name}",
                    ceo_email="" if ceos[t.gias_uid].email in self.erased else ceos[t.gias_uid].email,
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
        new = [p for p in self.plan.people if p.email not in existing and p.email not in self.erased]
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
            if email in existing or email in self.erased:
                continue
            user = User(email=email, role=role)
            if role == Role.COORDINATOR:
                user.full_name = "Demo Coordinator"
            elif role == Role.TRUST_EXECUTIVE:
                user.person = Person.objects.filter(email=first_trust.ceo.email).first()
            elif role == Role.LEADER:
                user.person = Person.objects.filter(email=self.plan.leader_email).first()
            else:
                user.full_name = "Demo Visitor"
            if role in (Role.TRUST_EXECUTIVE, Role.LEADER) and user.person is None:
                continue  # their person was erased: no login is made for nobody
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
