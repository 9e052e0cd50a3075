"""The demo network (`manage.py seed_demo`): the only package allowed to import every room.

- `vocabulary`: made-up names, real local authorities, demo logins;
- `plan` and `write`: trusts, academies, people and hubs (planned from a seed, written
  once by natural key);
- `membership`, `events`: the membership year and the CPD programme around today;
- `seed`: the command's body, which runs them in one transaction with emails held.

Nothing imports it (an import contract holds that).
"""
