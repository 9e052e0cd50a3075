"""Walk every named URL of the portal as every role, with objects of trust B, and check
the answer. A URL added to any of our rooms joins automatically: the test fails until
the table below says what each role should get (so nobody forgets to decide)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from tests.events import cpd_helpers as cpd
from tests.events import visit_helpers as vh
from tests.impact import matrix_helpers as impact
from tests.network import membership_helpers as mh
from tests.network import programme_helpers as ph

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
    # The icon, for agents that ask /favicon.ico rather than read the page's link.
    "network:favicon": (
        lambda w: {},
        dict(anonymous=301, visitor=301, leader_a=301, executive_a=301, coordinator=301, steering=301),
    ),
    "network:directory": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    # A directory profile: someone of a trust outside every network of A's people (so
    # outside their directory) who has agreed to be listed. People of the same network
    # are visible (tests/network/test_directory_profile.py).
    "network:directory_person": (
        lambda w: {"pk": f.PersonFactory(directory_consent=True).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:my_data": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    # The privacy notice is public: people read it before they have a login.
    "network:privacy": (
        lambda w: {},
        dict(anonymous=200, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    # Two-step sign-in: why and how (required for coordinators and executives).
    "network:mfa_required": (
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
    # Cancelling asks first: GET shows what would happen, to whoever may change the
    # booking (a coordinator, here); the booking changes only on a confirmed POST.
    "events:booking_cancel": (
        lambda w: {"pk": f.BookingFactory(person=w.person_b).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
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
    # -- Speed (issue 14) ----------------------------------------------------------------
    # The benchmark's floor: session and user only, for anyone signed in.
    "network:healthz_session": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    # -- Impact: surveys and the evidence log (issue 11) ---------------------------------
    # Building and sending surveys is the coordinators'; results are coordinators' and
    # executives' (a survey with only trust B's answers is not found for trust A's); a
    # person answers their own invitations (signed in) or any by the emailed link (a
    # made-up token: 410 for everyone). The evidence log is for coordinators, executives
    # and leaders; trust B's claims and files are not found for trust A's people.
    # State changes are POST-only: GET answers 405 to whoever passes the gate.
    "impact:survey_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=200, coordinator=200, steering=404),
    ),
    "impact:survey_create": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:my_surveys": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "impact:answer_mine": (
        impact.b_invitation,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=404, steering=404),
    ),
    "impact:answer_by_link": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=410, visitor=410, leader_a=410, executive_a=410, coordinator=410, steering=410),
    ),
    "impact:survey_builder": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_settings": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:survey_status": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:section_add": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:section_move": (
        impact.b_section,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:question_add": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:question_edit": (
        impact.b_question,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:question_move": (
        impact.b_question,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:question_delete": (
        impact.b_question,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:question_archive": (
        impact.b_question,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "impact:survey_preview": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_dispatch": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_results": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_results_csv": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_text_csv": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:survey_attach": (
        impact.b_survey,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=405, coordinator=405, steering=404),
    ),
    "impact:evidence_log": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "impact:claim_create": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "impact:claim_detail": (
        impact.b_claim,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:evidence_add": (
        impact.b_claim,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "impact:grant_outcome_attach": (
        impact.b_claim,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "impact:visit_report_attach": (
        impact.b_claim,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "impact:evidence_attachment": (
        impact.b_evidence_file,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # -- end of impact: surveys and the evidence log -------------------------------------
    # -- The network programme (issue 13). Trust B's bids, reviews, reports, hubs,
    # resources and connections answer 404 to trust A; rounds, roles, hubs and the radar
    # archive are open to members; the outcomes library to *current* members only (the
    # world has no memberships, so its leader and executive get 404: members only is
    # tested in tests/network/test_grants_pages.py). POST-only URLs answer 405.
    "network:grant_rounds": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:grant_round_detail": (
        ph.b_round,
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:grant_bid_create": (
        ph.b_round,
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "network:grant_bid_detail": (
        ph.b_bid,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:grant_bid_edit": (
        ph.b_bid,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=404, steering=404),
    ),
    "network:grant_bid_assign": (
        ph.b_bid,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "network:grant_bid_decide": (
        ph.b_bid,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "network:grant_report": (
        ph.b_bid_report,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=404, steering=404),
    ),
    "network:grant_endorse": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=410, visitor=410, leader_a=410, executive_a=410, coordinator=410, steering=410),
    ),
    "network:grant_reviews": (
        lambda w: {},
        dict(anonymous=ANON, visitor=200, leader_a=200, executive_a=200, coordinator=200, steering=200),
    ),
    "network:grant_review": (
        ph.b_review,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:grant_outcomes": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:grant_outcome_detail": (
        ph.b_published,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:grant_finance_csv": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:role_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:succession_risks": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=200, coordinator=200, steering=404),
    ),
    "network:hub_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:hub_detail": (
        ph.b_hub,
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:hub_join": (
        ph.b_hub,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "network:cluster_propose": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "network:cluster_approve": (
        ph.b_proposed_hub,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    "network:hub_resource_add": (
        ph.b_hub,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:hub_meeting_notes": (
        ph.b_hub_meeting,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:hub_join_decide": (
        ph.b_hub_membership,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=405, coordinator=405, steering=404),
    ),
    "network:hub_resource_download": (
        ph.b_resource,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # The directory's people may be asked by any leader of the network (that is its point).
    "network:connection_request": (
        ph.b_person,
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "network:my_connections": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "network:connection_withdraw": (
        ph.b_connection,
        dict(anonymous=ANON, visitor=404, leader_a=405, executive_a=404, coordinator=404, steering=404),
    ),
    "network:connection_respond": (
        lambda w: {"token": "not-a-real-token"},
        dict(anonymous=410, visitor=410, leader_a=410, executive_a=410, coordinator=410, steering=410),
    ),
    "network:programme_preferences": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=404, coordinator=404, steering=404),
    ),
    "network:contribution_ledger": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=200, coordinator=200, steering=404),
    ),
    "network:radar_list": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=200, executive_a=200, coordinator=200, steering=404),
    ),
    "network:radar_compose": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    # A draft issue: only coordinators see drafts.
    "network:radar_detail": (
        ph.b_radar,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:radar_edit": (
        ph.b_radar,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:radar_preview": (
        ph.b_radar,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "network:radar_send": (
        ph.b_radar,
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=404),
    ),
    # -- end of the network programme (issue 13) --
    # -- Impact: dashboards, KPIs, the six-lens review and the report (issue 12) ---------
    # The menu's dashboard link sends an executive to their own trust and a coordinator
    # to the network; trust B's dashboard (any filter or CSV: tests/impact/) is the
    # coordinator's alone. Network pages name every trust: coordinators only. The
    # six-lens review is read and commented on by the steering group too.
    "impact:dashboard": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=302, coordinator=302, steering=404),
    ),
    "impact:trust_dashboard": (
        lambda w: {"pk": w.trust_b.pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:network_dashboard": (
        lambda w: {"slug": w.network.slug},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:objectives": (
        lambda w: {"slug": w.network.slug},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:lens_reviews": (
        lambda w: {"slug": w.network.slug},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=200),
    ),
    "impact:lens_review_home": (
        lambda w: {},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=302, steering=302),
    ),
    "impact:lens_review_detail": (
        lambda w: {"pk": _lens_review(w).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=200),
    ),
    "impact:lens_review_edit": (
        lambda w: {"pk": _lens_review(w).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:lens_review_comment": (
        lambda w: {"pk": _lens_review(w).pk},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=405, steering=405),
    ),
    "impact:report": (
        lambda w: {"slug": w.network.slug},
        dict(anonymous=ANON, visitor=404, leader_a=404, executive_a=404, coordinator=200, steering=404),
    ),
    "impact:report_download": (
        lambda w: {"slug": w.network.slug, "fmt": "json"},
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


def _lens_review(w):
    from impact.reviews.models import LensReview
    from impact.reviews.services import lens_review_create

    # Once per world: the hypothesis sweep builds every URL of the matrix in one test.
    existing = LensReview.objects.filter(network=w.network, year_label="2024-25", hub=None).first()
    return existing or lens_review_create(network=w.network, year_label="2024-25", by=w.coordinator)


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
