"""`Bounded`: what a process works out once and keeps, for values that depend on nothing
but their key (a written select, the main menu for a set of answers, a static file's
URL). Kept for the process's life, bounded, and cleared when full: a key space that runs
wild costs the work again, never memory."""


class Bounded(dict):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def keep(self, key, make):
        """The value kept for `key`, made by `make()` the first time. A key that cannot
        be hashed raises TypeError, as a dict does; what `make` raises is not kept."""
        try:
            return self[key]
        except KeyError:
            pass
        value = make()
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
