"""The built-in survey templates. Each network gets its own copy to edit in the builder
(`services.builtin_surveys_ensure` for the evaluation and follow-ups that the sweeps
send; `services.survey_from_template` for a pre/post pair or the annual survey).

The follow-up asks what changed and "What role did the network play in supporting this
change?" rather than whether the CPD *caused* it: the network is one influence among
many, and people answer the contribution question honestly.
"""

from impact.surveys.models import CONTRIBUTION_LABELS, Question, Survey

K = Question.Kind
USEFUL = ["Not at all useful", "Slightly useful", "Moderately useful", "Very useful", "Extremely useful"]
CONFIDENT = ["Not at all confident", "Slightly confident", "Fairly confident", "Confident", "Very confident"]
OFTEN = ["Never", "Rarely", "Sometimes", "Often", "Every lesson"]
FOLLOW_UP_MONTHS = (3, 12)


def q(text, kind=K.LIKERT, *, key="", required=True, labels=(), choices=(), help_text=""):
    return {
        "text": text,
        "kind": kind,
        "key": key,
        "required": required,
        "scale_labels": list(labels),
        "choices": list(choices),
        "help_text": help_text,
    }


EVALUATION = {
    "title": "Event evaluation",
    "kind": Survey.Kind.EVALUATION,
    "anonymous": True,
    "introduction": "Thank you for coming. Five minutes of your time helps us make the next event better.",
    "sections": [
        (
            "About the event",
            [
                q("How useful was {event} for your teaching?", key="impact", labels=USEFUL),
                q("The content was relevant to my school's context.", key="relevance"),
                q("How confident are you to use what you learnt?", key="confidence", labels=CONFIDENT),
                q(
                    "How much of the event did you take part in?",
                    K.SINGLE,
                    key="attendance",
                    choices=["All of it", "Most of it", "Some of it"],
                ),
            ],
        ),
        (
            "What next",
            [
                q("What will you do differently as a result?", K.LONG_TEXT, key="next-step"),
                q("What could we improve?", K.LONG_TEXT, key="improve", required=False),
            ],
        ),
    ],
}


def follow_up(months: int) -> dict:
    return {
        "title": f"{months}-month follow-up",
        "kind": Survey.Kind.FOLLOW_UP,
        "anonymous": True,
        "follow_up_months": months,
        "introduction": (
            f"About {months} months ago you took part in {{event}}. Changes in practice take time: "
            "we would like to hear what, if anything, has changed since."
        ),
        "sections": [
            (
                "Since the event",
                [
                    q("What have you changed in your practice since {event}?", K.LONG_TEXT, key="change"),
                    q(
                        "What role did the network play in supporting this change?",
                        key="contribution",
                        labels=CONTRIBUTION_LABELS,
                    ),
                    q(
                        "Please give an example.",
                        K.LONG_TEXT,
                        key="example",
                        required=False,
                        help_text="A lesson, a unit or a piece of pupils' work that shows the change.",
                    ),
                ],
            ),
        ],
    }


PRE_POST_QUESTIONS = [
    (
        "Your practice now",
        [
            q("How confident are you to teach the required practicals?", key="confidence-practicals", labels=CONFIDENT),
            q("How confident are you to explain forces and energy?", key="confidence-physics", labels=CONFIDENT),
            q("How often do pupils plan their own investigations?", key="pupil-planning", labels=OFTEN),
            q(
                "How many required practicals did your classes carry out last half-term?",
                K.NUMBER,
                key="practicals-run",
            ),
        ],
    ),
]

PRE = {
    "title": "Before the programme",
    "kind": Survey.Kind.PRE,
    "anonymous": False,
    "introduction": "Before we start: where are you now? We ask the same questions at the end.",
    "sections": PRE_POST_QUESTIONS,
}
POST = {
    "title": "After the programme",
    "kind": Survey.Kind.POST,
    "anonymous": False,
    "introduction": "The same questions as at the start, so we can see what has changed.",
    "sections": PRE_POST_QUESTIONS,
}

ANNUAL = {
    "title": "Annual member survey",
    "kind": Survey.Kind.ANNUAL,
    "anonymous": True,
    "introduction": "Once a year we ask every member academy how the network is doing.",
    "sections": [
        (
            "Your year with the network",
            [
                q("How valuable is membership of the network to your department?", key="value", labels=USEFUL),
                q(
                    "Which parts of the network did you use this year?",
                    K.MULTIPLE,
                    key="used",
                    choices=[
                        "CPD webinars",
                        "Hub meetings",
                        "The national conference",
                        "Academy visits",
                        "The directory",
                    ],
                ),
                q("How many CPD events did your department attend this year?", K.NUMBER, key="events-attended"),
                q(
                    "What role did the network play in improving science at your academy?",
                    key="contribution",
                    labels=CONTRIBUTION_LABELS,
                ),
                q("What should the network do more of?", K.LONG_TEXT, key="more-of", required=False),
            ],
        ),
    ],
}

# What a coordinator can start a new survey from (the pair makes two surveys).
STARTERS = {
    "blank": ("A blank survey", None),
    "annual": ("Annual member survey", ANNUAL),
    "pre_post": ("Pre/post pair (the same questions before and after a programme)", None),
}
