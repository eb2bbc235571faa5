"""Clean labels kept by PostgreSQL with their carrier's country and their whole periods.

"Carriers labelled clean on a date" is a count on the dashboard, the map and every country page, and a
filter of the carriers list. Per country that meant looking up every carrier's labels: at 40,000
carriers, 40,000 index probes (50 ms), most finding nothing. This table holds one narrow row per label
(its carrier, the carrier's country, its initiative, the first and last day it may be in force), so a
country's count is one index-only scan. Statement triggers rewrite a label's row whenever it is written
and a carrier's rows when it moves country.
"""

from django.db.models import F, IntegerField
from django.db.models.expressions import RawSQL

from ..pgcopy import inline_sql
from . import install, per_fact
from .uses import country_follows_carriers, in_force, whole_period

TABLE = "carriers_cleanlabelinforce"


def definition(labels_sql=None):
    """The SELECT of the rows of the labels `labels_sql` names (all without it)."""
    from ..models import CleanLabel

    labels = CleanLabel.objects.order_by()
    if labels_sql:
        labels = labels.filter(pk__in=RawSQL(labels_sql, ()))
    rows = labels.values_list(
        F("pk"),
        F("carrier_id"),
        F("carrier__country_id"),
        F("initiative_id"),
        *whole_period(CleanLabel._meta.db_table, "awarded_on", "withdrawn_on"),
    )
    return inline_sql(rows)


def statements():
    from ..models import CleanLabel

    yield f"DROP TABLE IF EXISTS {TABLE}"
    yield (
        f"CREATE TABLE {TABLE} (label_id bigint PRIMARY KEY, carrier_id bigint NOT NULL, "
        "country_id varchar(2) NOT NULL, initiative_id bigint NOT NULL, starts date NOT NULL, ends date NOT NULL)"
    )
    yield f"INSERT INTO {TABLE} {definition()}"
    yield f"CREATE INDEX {TABLE}_by_country ON {TABLE} (country_id, starts, ends, carrier_id)"
    yield f"CREATE INDEX {TABLE}_by_carrier ON {TABLE} (carrier_id)"
    yield f"ANALYZE {TABLE}"
    yield from per_fact(TABLE, CleanLabel._meta.db_table, lambda ids: definition(labels_sql=ids), "label_id")
    yield from country_follows_carriers(TABLE)
    yield f"COMMENT ON TABLE {TABLE} IS '{{digest}}'"


def keep(using):
    install(TABLE, statements(), using)


def carriers_labelled(on, initiative=None):
    """RawSQL of the ids of carriers labelled clean (by `initiative`, an id, when given) on `on`."""
    condition, params = in_force(on)
    if initiative is not None:
        condition, params = f"{condition} AND initiative_id = %s", [*params, initiative]
    return RawSQL(f"SELECT carrier_id FROM {TABLE} WHERE {condition}", params)


def carriers_labelled_in_country(country_column, on):
    """RawSQL: how many carriers of the country in the outer query's `country_column` are labelled clean."""
    condition, params = in_force(on)
    return RawSQL(
        f"SELECT COUNT(DISTINCT carrier_id) FROM {TABLE} WHERE country_id = {country_column} AND {condition}",
        params,
        output_field=IntegerField(),
    )
