"""The Celery app. Periodic jobs are sweeps: they run often, do whatever is due, and are
safe to run twice. Nothing is scheduled days ahead with `eta`/`countdown`, because Redis
redelivers any task whose ETA is further away than its visibility timeout."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings")

app = Celery("network")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each room registers its own tasks: `<app>.tasks` for every installed app, and the
# network app's parts (the platform's outbox, the membership year) in their own packages,
# so the outbox knows nothing of membership.
app.autodiscover_tasks()
app.autodiscover_tasks(["network.base", "network.programme.membership"])
# -- The network programme's sweeps: grants, roles, the radar (issue 13) --
app.autodiscover_tasks(["network.programme"])

app.conf.beat_schedule = {
    "outbox-sweep": {"task": "network.sweep_outbox", "schedule": 60.0},
    "import-jobs-sweep": {"task": "network.sweep_import_jobs", "schedule": 60.0},
    # Personal data past its retention period (unanswered invitations, email bodies,
    # attendance detail...; network/base/privacy/retention.py), removed and logged, once a day.
    "retention-sweep": {"task": "network.retention_sweep", "schedule": crontab(hour=3, minute=10)},
    # Events: reminders (7 days, 1 day, the joining link an hour before) and offer expiry,
    # every five minutes, so the joining link arrives 55-60 minutes before the start.
    "events-reminders": {"task": "events.send_reminders", "schedule": 300.0},
    "events-expire-offers": {"task": "events.expire_offers", "schedule": 300.0},
    "events-expire-requests": {"task": "events.expire_requests", "schedule": 300.0},
    "events-surveys-due": {"task": "events.mark_surveys_due", "schedule": crontab(minute=20)},
    # Membership year: the annual review runs on the first sweep on or after each
    # network's review date (once: a unique row per network and year); stale
    # invitations lapse nightly.
    "membership-annual-review": {"task": "network.sweep_annual_reviews", "schedule": crontab(minute=40)},
    "membership-lapse-invitations": {
        "task": "network.lapse_membership_invitations",
        "schedule": crontab(hour=3, minute=25),
    },
    # -- Impact: surveys (issue 11) -------------------------------------------------------
    # Hourly, after events.mark_surveys_due (minute 20): evaluation and follow-up
    # invitations, the one reminder after 7 days, surveys closing on their date.
    "impact-surveys": {"task": "impact.sweep_surveys", "schedule": crontab(minute=30)},
    # -- end of impact: surveys ------------------------------------------------------------
    # -- The network programme (issue 13): grant report reminders and role review
    # reminders daily (once each, by outbox key); radar issues marked for sending are
    # written every five minutes (and straight after "Send").
    "programme-grant-report-reminders": {
        "task": "network.send_grant_report_reminders",
        "schedule": crontab(hour=7, minute=5),
    },
    "programme-role-review-reminders": {
        "task": "network.send_role_review_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "programme-radar-send": {"task": "network.send_radar_issues", "schedule": 300.0},
    # -- end of the network programme (issue 13) --
    # Visits: reminders 7 days and 1 day before, the joining link an hour before
    # (every five minutes, as for events), reports not written or agreed, actions
    # overdue; each message once (outbox keys).
    "events-visits-sweep": {"task": "events.sweep_visits", "schedule": 300.0},
}
