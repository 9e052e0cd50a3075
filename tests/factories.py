"""factory_boy factories for every model tests need. Deterministic sequences, realistic
values, no fixtures dumped from a database."""

import datetime

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from network.base.models import Role, User
from network.programme.models import Hub, Network
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
    Trust,
)

PASSWORD = "correct-horse-battery-staple"


class TrustFactory(DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ["gias_uid"]

    name = factory.Sequence(lambda n: f"Northern Lights Academy Trust {n}")
    gias_uid = factory.Sequence(lambda n: str(5000 + n))
    region = "North West"


class AcademyFactory(DjangoModelFactory):
    class Meta:
        model = Academy
        skip_postgeneration_save = True

    urn = factory.Sequence(lambda n: 140000 + n)
    name = factory.Sequence(lambda n: f"Riverside Academy {n}")
    trust = factory.SubFactory(TrustFactory)
    region = "North West"
    local_authority = "Lancashire"
    community_type = CommunityType.URBAN
    pupils_on_roll = 900
    percent_fsm = 24.5

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create and self.trust_id:
            AcademyTrustMembership.objects.get_or_create(
                academy=self, left_on=None, defaults={"trust": self.trust, "joined_on": datetime.date(2020, 9, 1)}
            )


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Sam{n}")
    last_name = factory.Sequence(lambda n: f"Okafor{n}")
    email = factory.LazyAttribute(lambda p: f"{p.first_name}.{p.last_name}@school.example".lower())
    academy = factory.SubFactory(AcademyFactory)
    job_role = JobRole.HEAD_OF_SCIENCE


class DesignationFactory(DjangoModelFactory):
    class Meta:
        model = Designation
        django_get_or_create = ["name"]

    name = "Specialist Leader of Education (SLE)"


class ExpertiseTagFactory(DjangoModelFactory):
    class Meta:
        model = ExpertiseTag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Practical work {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class UserFactory(DjangoModelFactory):
    """A user with a verified email, able to sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@portal.example")
    full_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.LEADER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def trusts(self, create, extracted, **kwargs):
        if create and extracted:
            self.trusts.set(extracted)


# The tests' authenticator app: coordinators and trust executives must use two-step
# sign-in (network/base/mfa.py), so their factories enrol them with this secret, and
# `totp_code()` is what the app would show now.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_mfa(user, secret: str = TOTP_SECRET) -> User:
    """Turn on two-step sign-in for `user`: an authenticator app and recovery codes."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app with `secret` shows at `at` (default: now)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def coordinator(*, mfa: bool = True, **kwargs) -> User:
    """A network coordinator, enrolled in two-step sign-in unless `mfa=False`."""
    from network.base.services import user_apply_role

    user = UserFactory(role=Role.COORDINATOR, **kwargs)
    user_apply_role(user=user)
    return enrol_mfa(user) if mfa else user


def trust_executive(trust, *, mfa: bool = True, **kwargs) -> User:
    """A trust executive of `trust`, enrolled in two-step sign-in unless `mfa=False`."""
    user = UserFactory(role=Role.TRUST_EXECUTIVE, trusts=[trust], **kwargs)
    return enrol_mfa(user) if mfa else user


def leader(academy, **kwargs) -> User:
    person = PersonFactory(academy=academy)
    return UserFactory(role=Role.LEADER, person=person, **kwargs)


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["slug"]

    name = "Secondary Science Network"
    slug = "ssn"
    subject = "Science"


class HubFactory(DjangoModelFactory):
    class Meta:
        model = Hub

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Pennine Cluster {n}")


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    academy = factory.SubFactory(AcademyFactory)
    inspection_date = datetime.date(2023, 3, 14)
    grade = 2


class PerformanceResultFactory(DjangoModelFactory):
    class Meta:
        model = PerformanceResult

    academy = factory.SubFactory(AcademyFactory)
    academic_year = "2023-24"
    progress8 = 0.25
    percentile = 70


# -- Events (CPD events and bookings) -------------------------------------------------


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()


def _in_days(days: int, hour: int = 16) -> datetime.datetime:
    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class EventFactory(DjangoModelFactory):
    """A webinar three weeks ahead, open for booking now, 30 places."""

    class Meta:
        model = "events.Event"

    kind = "webinar"
    title = factory.Sequence(lambda n: f"Practical work in KS3 science {n}")
    network = factory.SubFactory(NetworkFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(21))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1, minutes=30))
    is_online = True
    joining_link = "https://meet.example/ssn-webinar"
    capacity = 30
    cpd_hours = 1.5


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = "events.Session"

    event = factory.SubFactory(EventFactory, kind="conference", is_online=False, joining_link="")
    title = factory.Sequence(lambda n: f"Workshop {n}: required practicals")
    capacity = 10
    starts_at = factory.LazyAttribute(lambda s: s.event.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.event.starts_at + datetime.timedelta(hours=1))


class BookingFactory(DjangoModelFactory):
    """A confirmed booking made directly (tests of services go through the services)."""

    class Meta:
        model = "events.Booking"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = "confirmed"
    trust_at_booking = factory.LazyAttribute(
        lambda b: b.person.academy.trust if b.person.academy_id else b.person.trust
    )
    academy_at_booking = factory.LazyAttribute(lambda b: b.person.academy)
    confirmed_at = factory.LazyFunction(lambda: _now())


# -- Membership year ----------------------------------------------------------------


class MembershipPolicyFactory(DjangoModelFactory):
    class Meta:
        model = "network.MembershipPolicy"
        django_get_or_create = ["network"]

    network = factory.SubFactory(NetworkFactory)


class MembershipYearFactory(DjangoModelFactory):
    """2025-26: 1 April 2025 to 31 March 2026, reviewed on 1 March 2026."""

    class Meta:
        model = "network.MembershipYear"
        django_get_or_create = ["network", "label"]

    network = factory.SubFactory(NetworkFactory)
    label = "2025-26"
    starts_on = datetime.date(2025, 4, 1)
    ends_on = datetime.date(2026, 3, 31)
    review_on = datetime.date(2026, 3, 1)
    fee_net = 1600
    vat_rate = 20


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = "network.Membership"

    year = factory.SubFactory(MembershipYearFactory)
    academy = factory.SubFactory(AcademyFactory)
    trust = factory.LazyAttribute(lambda m: m.academy.trust)
    status = "active"
    source = "invitation"


def steering_member(**kwargs) -> User:
    return UserFactory(role=Role.STEERING, **kwargs)


# -- Impact: surveys and the evidence log (issue 11) ------------------------------------


class SurveyFactory(DjangoModelFactory):
    """An open, anonymous survey with no questions (add them with `question`)."""

    class Meta:
        model = "impact.Survey"

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Survey {n}")
    kind = "custom"
    anonymous = True
    status = "open"
    opened_at = factory.LazyFunction(lambda: _now())


def question(survey, text="How useful was it?", kind="likert", *, key="", required=True, choices=(), section=None):
    from impact.models import Question, Section

    if section is None:
        section = survey.sections.first() or Section.objects.create(survey=survey, title="Questions")
    return Question.objects.create(
        survey=survey,
        section=section,
        text=text,
        kind=kind,
        key=key,
        required=required,
        choices=list(choices),
        position=section.questions.count(),
    )


def invitation(survey, person, *, event=None, days_valid=42, **kwargs):
    from impact.models import SurveyInvitation

    trust = person.academy.trust if person.academy_id else person.trust
    booking = kwargs.get("booking")
    kwargs.setdefault("academy_id", (booking.academy_at_booking_id if booking else None) or person.academy_id)
    kwargs.setdefault("invited_at", _now())
    return SurveyInvitation.objects.create(
        survey=survey,
        person=person,
        event=event,
        trust=trust,
        anonymous=survey.anonymous,
        expires_at=_now() + datetime.timedelta(days=days_valid),
        **kwargs,
    )


class ClaimFactory(DjangoModelFactory):
    class Meta:
        model = "impact.Claim"

    statement = factory.Sequence(lambda n: f"Year 9 practical write-ups improved ({n})")
    academy = factory.SubFactory(AcademyFactory)
    initiative_kind = "event_series"
    event_series = "Required practicals that work"
    initiative_label = "Required practicals that work"
    guskey_level = 4
    cpd_on = datetime.date(2025, 10, 7)


class EvidenceItemFactory(DjangoModelFactory):
    class Meta:
        model = "impact.EvidenceItem"

    claim = factory.SubFactory(ClaimFactory)
    source_type = "teacher_voice"
    observed_on = datetime.date(2026, 1, 20)
    summary = "The head of science reports fuller method sections."


# -- end of impact: surveys and the evidence log ----------------------------------------
