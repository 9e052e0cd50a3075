"""`python manage.py seed_demo [--scale N] [--seed S]`: the demo network. The demo lives in
`network/demo/` (the one package allowed to import every room); see `network/demo/seed.py`."""

from network.demo.seed import Command  # noqa: F401
