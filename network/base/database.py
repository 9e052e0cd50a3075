"""What each new PostgreSQL connection is told before its first query.

`random_page_cost` (settings.PG_RANDOM_PAGE_COST): the planner's cost of a random read.
Sent with SET when the connection opens rather than as a libpq startup option, which
PgBouncer and some managed connection poolers refuse; one statement per connection,
and connections live for CONN_MAX_AGE."""

from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created)
def plan_for_the_storage(sender, connection, **kwargs):
    cost = getattr(settings, "PG_RANDOM_PAGE_COST", None)
    if connection.vendor != "postgresql" or cost is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET random_page_cost = %s", [cost])
