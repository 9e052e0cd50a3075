"""The membership year and the annual eligibility review: a part of the `network`
programme kept in its own package (models, the pure eligibility policy, the review,
services, selectors, pages). Its models belong to the `network` app: they are
imported at the bottom of `network/models.py`."""
