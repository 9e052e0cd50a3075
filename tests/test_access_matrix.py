"""Walk every named URL of the portal as every role, with objects of trust B, and check
the answer. A URL added to any of our rooms joins automatically: the test fails until
the table below says what each role should get (so nobody forgets to decide)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from tests.events import cpd_helpers as cpd
from tests.events import visit_helpers as vh
from tests.network import membership_helpers as mh

OUR_ROOMS = ("network.", "trusts.", "events.", "impact.")
ROLES = ("anonymous", "visitor", "leader_a", "executive_a", "coordinator", "steering")

# url name -> (kwargs from the world, expected status per role). Objects are trust B's,
# so for everyone but the coordinator they are out of scope: 404, never 403.
ANON = 302  # sent to the sign-in page
MATRIX = {
    "network:home": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    # The load balancer's probe: no login, nothing revealed but "ok".
    "network:healthz": (
        lambda w: {},
        dict(anonymous=200, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "network:directory": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "network:my_data": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "network:invitation_create": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # A made-up token: nobody learns anything from it, signed in or not.
    "network:invitation_accept": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=410, visitor=410, leader_a=410, executive_a=410, coordinator=410, steering=410),
    ),
    "trusts:trust_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "trusts:trust_detail": (
        lambda w: {"pk": w.trust_b.pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "trusts:academy_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "trusts:academy_detail": (
        lambda w: {"urn": w.academy_b.urn},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # Events: the programme is open to everyone signed in; bookings are trust B's person's.
    # State changes are POST-only (GET answers 405); POSTs to another trust's booking are
    # 404 (tests/events/test_views.py).
    "events:event_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:event_detail": (
        lambda w: {"pk": f.EventFactory(network=w.network).pk},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "events:event_book": (
        lambda w: {"pk": f.EventFactory(network=w.network).pk},
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:book_on_behalf": (
        lambda w: {"pk": f.EventFactory(network=w.network).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:my_bookings": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:booking_cancel": (
        lambda w: {"pk": f.BookingFactory(person=w.person_b).pk},
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:booking_confirm": (
        lambda w: {"pk": f.BookingFactory(person=w.person_b).pk},
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:booking_approve": (
        lambda w: {"pk": f.BookingFactory(person=w.person_b).pk},
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:booking_decline": (
        lambda w: {"pk": f.BookingFactory(person=w.person_b).pk},
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    # Heads of science and headteachers (leader_a is one) and coordinators decide requests.
    "events:approvals": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=200, steering=404),
    ),
    "events:approval_by_link": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=410, visitor=410, leader_a=410, executive_a=410, coordinator=410, steering=410),
    ),
    # Attendance (objects of trust B's person): the register and overrides are the
    # coordinator's (and the event's hub lead's); certificates and .ics files are their
    # person's own. Two pages need no sign-in: the certificate check (the code is printed
    # for anyone to check) and the calendar feed (its secret token is the credential).
    "events:event_register": (
        cpd.b_register,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:event_register_import": (
        cpd.b_register,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=302, steering=404),
    ),
    "events:attendance_override": (
        cpd.b_override,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:certificate_download": (
        cpd.b_certificate,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:certificate_verify_form": (
        lambda w: {},
        dict(anonymous=200, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:certificate_verify": (
        cpd.b_verification_code,
        dict(anonymous=200, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:my_cpd": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:my_cpd_csv": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "events:calendar_feed_manage": (
        lambda w: {},
        dict(anonymous=ANON, visitor=302, leader_a=302, executive_a=302, coordinator=302, steering=302),
    ),
    "events:calendar_feed": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=404, visitor=404, leader_a=404, executive_a=404, coordinator=404, steering=404),
    ),
    "events:booking_ics": (
        cpd.b_upcoming_booking,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:trust_cpd": (
        lambda w: {"pk": w.trust_b.pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # Membership year (objects of trust B). Members' pages are for leaders, executives
    # and coordinators; the review, invitations, growth and invoices are coordinators';
    # steering-group members reach referred applications (and their evidence) only.
    # State changes are POST-only: GET answers 405 to whoever may post.
    "network:membership_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:membership_outcomes": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:membership_academy": (
        lambda w: {"urn": w.academy_b.urn},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:membership_accept": (
        mh.membership_pk,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "network:membership_apply": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:membership_application_detail": (
        mh.referral_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=200),
    ),
    "network:membership_application_decide": (
        mh.referral_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=405),
    ),
    "network:membership_evidence_download": (
        mh.evidence_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=200),
    ),
    "network:steering_referrals": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=200),
    ),
    "network:membership_reviews": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:membership_review_start": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "network:membership_review_detail": (
        mh.run_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:membership_growth": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:membership_invite": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:membership_invoices_csv": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # -- Visits (events/visits): objects are trust B's (an agreed visit to academy B with
    # an open action). Everyone but the steering group has "My visits"; visitors cannot
    # request; brokering, the coverage planner and the annual visits are coordinators';
    # a trust's visits page is its executives' (B's is 404 to A's). State changes are
    # POST-only (GET 405); POSTs to B's visit are 404 (tests/events/test_visit_access.py).
    "events:visit_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "events:visit_request": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "events:visit_queue": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visits_annual": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "events:visit_coverage": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:trust_visits": (
        lambda w: {"pk": w.trust_b.pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_detail": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_broker": (
        vh.b_requested_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_report_edit": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_report_pdf": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_ics": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "events:visit_cancel": (
        vh.b_requested_pk,
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:visit_complete": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:visit_report_review": (
        vh.b_visit_pk,
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
    "events:visit_action_update": (
        vh.b_action_pk,
        dict(anonymous=ANON, visitor=405, leader_a=405, executive_a=405, coordinator=405, steering=405),
    ),
}


def _portal_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _portal_url_names(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "")
            if module.startswith(OUR_ROOMS):
                yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_portal_url_is_in_the_matrix():
    names = set(_portal_url_names())
    unknown = sorted(names - MATRIX.keys())
    assert not unknown, f"Add these URL names to MATRIX with the status each role should get: {unknown}"
    stale = sorted(MATRIX.keys() - names)
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(client, world, name, role):
    kwargs_for, expected = MATRIX[name]
    if role != "anonymous":
        client.force_login(getattr(world, role))
    response = client.get(reverse(name, kwargs=kwargs_for(world)))
    assert response.status_code == expected[role], f"{name} as {role}"
    if response.status_code == ANON and role == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "kwargs_for"),
    [
        ("trusts:trust_detail", lambda w: {"pk": w.trust_a.pk}),
        ("trusts:academy_detail", lambda w: {"urn": w.academy_a.urn}),
    ],
)
@pytest.mark.parametrize("role", ["leader_a", "executive_a"])
def test_own_trust_objects_are_visible(client, world, name, kwargs_for, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse(name, kwargs=kwargs_for(world))).status_code == 200
