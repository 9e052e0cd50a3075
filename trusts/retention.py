"""How long the trusts room keeps personal data (network/base/privacy/retention.py): a person's entry
is kept while they take part, and replaced when they are erased."""

from network.base.privacy.retention import Rule

RULES = [
    Rule(
        key="person",
        what="Your entry in the network: name, work email, academy or trust, job role, designations",
        why="To invite you, book you on CPD, and show your academy and hubs who is who",
        who_sees="The network's coordinators; your trust's executives; people at your academy",
        period_text="While you work in the network; replaced by an anonymous entry when you are erased",
        order=20,
    ),
    Rule(
        key="directory",
        what="Your expertise and a sentence about it, if you agreed to be in the expertise directory",
        why="So colleagues across the network can find you (only with your agreement, and when you gave it)",
        who_sees="Everyone signed in to the portal, while you agree",
        period_text="While you agree; a coordinator removes it when you ask",
        order=30,
    ),
]
