"""Who may do what in the impact room (see network/base/rules.py for the idea).
Which rows each role sees is the access door's (network/base/access.py)."""
