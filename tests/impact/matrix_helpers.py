"""Objects of trust B for the access matrix (tests/test_access_matrix.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from tests.impact.helpers import answer


def _b_survey(w):
    """A named survey answered by trust B's person (so its answers carry trust B)."""
    survey = f.SurveyFactory(network=w.network, anonymous=False)
    question = f.question(survey)
    answer(f.invitation(survey, w.person_b), {question: 4})
    return survey


def b_survey(w):
    return {"pk": _b_survey(w).pk}


def b_question(w):
    return {"pk": _b_survey(w).questions.get().pk}


def b_section(w):
    return {"pk": _b_survey(w).sections.get().pk}


def b_invitation(w):
    survey = f.SurveyFactory(network=w.network)
    f.question(survey)
    return {"pk": f.invitation(survey, w.person_b).pk}


def b_claim(w):
    return {"pk": f.ClaimFactory(academy=w.academy_b).pk}


def b_evidence_file(w):
    item = f.EvidenceItemFactory(claim=f.ClaimFactory(academy=w.academy_b))
    item.attachment = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report")
    item.attachment_name = "report.pdf"
    item.save()
    return {"pk": item.pk}
