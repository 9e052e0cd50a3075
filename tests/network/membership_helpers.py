"""Trust B's membership objects for the access matrix (each returns URL kwargs)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from network.programme.membership.models import ApplicationEvidence, Membership, MembershipApplication, ReviewRun
from tests import factories as f


def b_membership(w, **kwargs):
    """Trust B's membership this year, in the state asked for. Builders may run one after
    another on the same world (the accessibility sweep visits every page), so an
    existing membership is brought to that state rather than duplicated."""
    year = f.MembershipYearFactory(network=w.network)
    values = {"status": "invited", **kwargs}
    existing = Membership.objects.filter(year=year, academy=w.academy_b).first()
    if existing:
        Membership.objects.filter(pk=existing.pk).update(**values)
        existing.refresh_from_db()
        return existing
    return f.MembershipFactory(year=year, academy=w.academy_b, **values)


def b_application(w, *, referred=True):
    membership = b_membership(w, status="under_review" if referred else "applied", source="application")
    if hasattr(membership, "application"):
        return membership.application
    return MembershipApplication.objects.create(
        membership=membership,
        source="application",
        evidence_text="Our results are improving.",
        meets_criteria=not referred,
        referred_at=timezone.now() if referred else None,
    )


def b_evidence(w, *, referred=True):
    application = b_application(w, referred=referred)
    evidence = ApplicationEvidence(application=application, name="results.pdf")
    evidence.file.save("results.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    return evidence


def b_run(w):
    """This year's review run (there is one per network and year: an existing one is
    reused, e.g. one the browser sweep gave proposals)."""
    year = f.MembershipYearFactory(network=w.network)
    run, _ = ReviewRun.objects.get_or_create(
        network=w.network, year=year, defaults={"trigger": "page", "data_as_of": timezone.localdate()}
    )
    return run


def membership_pk(w):
    return {"pk": b_membership(w).pk}


def referral_pk(w):
    return {"pk": b_application(w).pk}


def evidence_pk(w):
    return {"pk": b_evidence(w).pk}


def run_pk(w):
    return {"pk": b_run(w).pk}
