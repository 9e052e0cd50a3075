"""`network.base.memo.Bounded`, what the written selects, the main menu and the static
storages keep: made once a key, cleared when full, a failure never kept."""

import pytest

from network.base.memo import Bounded


def test_made_once_a_key_and_cleared_when_full():
    made = []
    kept = Bounded(2)
    make = lambda key: lambda: made.append(key) or key.upper()  # noqa: E731
    assert [kept.keep(k, make(k)) for k in ("a", "a", "b", "b")] == ["A", "A", "B", "B"]
    assert made == ["a", "b"]
    assert kept.keep("c", make("c")) == "C" and dict(kept) == {"c": "C"}  # full: cleared first
    assert kept.keep("a", make("a")) == "A" and made == ["a", "b", "c", "a"]


def test_a_failure_is_not_kept_and_an_unhashable_key_raises():
    kept = Bounded(4)

    def fails():
        raise ValueError("missing")

    for _ in range(2):
        with pytest.raises(ValueError):
            kept.keep("x", fails)
    assert "x" not in kept
    with pytest.raises(TypeError):
        kept.keep(["a list"], lambda: 1)
