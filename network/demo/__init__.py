"""The demo network's parts beyond trusts, academies and people, called by
`manage.py seed_demo`: the membership year (`membership`) and CPD events with bookings
and attendance (`events`), both relative to today.

The demo builds every room, so it sits above them all: it may import `events` as well as
`trusts`, and nothing imports it.
"""
