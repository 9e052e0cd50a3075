"""CSV makers for survey results: they only format what the selectors give them (small
numbers already suppressed), through the formula-safe `network.base.web.csv_response`."""

from django.utils.text import slugify

from impact.surveys import scoring
from network.base.web import csv_response

RESULTS_HEADER = ["Section", "Question", "Kind", "Answer", "Count", "Share", "Mean", "n"]
TEXT_HEADER = ["Question", "Answer", "Event", "Term"]


def _name(survey, what: str) -> str:
    return f"{slugify(survey.title) or 'survey'}-{what}.csv"


def results_csv(results):
    """One row per scale point or option (count and share), and one per question with
    its mean and n; suppressed questions say "fewer than 5"."""

    def rows():
        if results.hidden:
            yield ["", "All questions", "", "", scoring.FEWER_THAN, "", "", scoring.FEWER_THAN]
            return
        for r in results.questions:
            q = r.question
            base = [q.section.title, q.text, q.get_kind_display()]
            if r.suppressed:
                yield [*base, "", scoring.FEWER_THAN, "", "", scoring.FEWER_THAN]
                continue
            for label, count, share in r.rows:
                yield [*base, label, count, share, "", ""]
            yield [*base, "(all answers)", r.n, "", r.mean if r.mean is not None else "", r.n]
        for c in results.changes:
            base = ["Change (after minus before)", c.question.text, "Change per person"]
            if c.suppressed:
                yield [*base, "", "", "", "", scoring.FEWER_THAN]
            else:
                yield [*base, "share improved", "", c.change.percent_improved, c.change.mean_change, c.change.n]

    return csv_response(_name(results.survey, "results"), RESULTS_HEADER, rows())


def text_csv(survey, answers):
    rows = (
        [
            a.question.text,
            a.text,
            a.response.event.title if a.response.event_id else "",
            scoring.term_of(a.response.month),
        ]
        for a in answers
    )
    return csv_response(_name(survey, "written-answers"), TEXT_HEADER, rows)
