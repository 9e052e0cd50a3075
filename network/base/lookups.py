"""`field__in_ids=[…]`: a column among a list of ids, the list sent as one parameter.

Django's `__in` prepares, normalises and binds every value on its own: for a reader of
the directory, whose networks hold a hundred trusts, the door's two `trust_id__in`
conditions were about 8,000 Python calls a query, a quarter of the directory search's
CPU in Python (speed, issue 14). On PostgreSQL this is `column = ANY(%s)` with the ids
as one array (the planner reads `IN (…)` as the same thing); elsewhere (SQLite) it is
the plain `IN (…)` list. Only for ids the portal itself read (ints): a value is made an
int, never quoted as text, and an empty list matches nothing, as `__in` does."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class InIds(Lookup):
    lookup_name = "in_ids"
    prepare_rhs = False

    def get_prep_lookup(self):
        if not isinstance(self.rhs, (list, tuple, set, frozenset)):
            raise TypeError("in_ids takes a list of ids (a queryset is __in's, as a subquery)")
        return [int(value) for value in self.rhs if value is not None]  # as __in drops None

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if not ids:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, ids)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


# A foreign key's lookups are its own (ForeignObject does not inherit a field's).
Field.register_lookup(InIds)
ForeignObject.register_lookup(InIds)
