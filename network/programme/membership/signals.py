"""The membership year listens to the trusts room: a new latest inspection that makes a
current member ineligible on its own (a grade 3 or 4, or a report card with urgent
improvement or safeguarding not met) flags its membership at risk, whichever way the
inspection arrived (Ofsted import, GIAS import, typed into the admin)."""

from django.dispatch import receiver

from network.programme.membership.services.at_risk import membership_flag_after_inspection
from trusts.signals import inspection_recorded


@receiver(inspection_recorded)
def flag_member_at_risk(sender, inspection, **kwargs) -> int:
    return len(membership_flag_after_inspection(inspection=inspection))
