"""The periods in which a carrier uses a vendor, kept by PostgreSQL from the kept facts in use (uses.py).

"Carriers using a vendor" counts carriers, not facts: at 1,000,000 facts a country's or a vendor's count
made distinct some 650,000 kept facts in use. A carrier uses a vendor through several facts at once (one
per segment and technology); merged per carrier and vendor into periods that do not overlap, the same
answers come from about 100,000 rows. A trigger on the kept facts in use recomputes the periods of the
carrier and vendor pairs that each statement touched there, whatever the reason (a fact written, a
carrier moving country, an initiative targeting a vendor), so this table follows that one.
"""

from . import trigger

TABLE = "carriers_carriervendorperiod"


def merged(uses, pairs_sql=None):
    """The SELECT of each carrier and vendor pair's periods from the kept facts in use `uses` (the pairs
    `pairs_sql` selects, all without it): a fact starting after every earlier one of its pair has ended
    starts a new period (gaps and islands)."""
    chosen = f"WHERE (carrier_id, vendor_id) IN ({pairs_sql})" if pairs_sql else ""
    pair = "PARTITION BY carrier_id, vendor_id ORDER BY starts, ends"
    return (
        "SELECT carrier_id, vendor_id, country_id, targeted, MIN(starts) AS starts, MAX(ends) AS ends FROM ("
        f"SELECT *, COUNT(*) FILTER (WHERE starts > reached) OVER ({pair} ROWS UNBOUNDED PRECEDING) AS period "
        "FROM (SELECT carrier_id, vendor_id, country_id, targeted, starts, ends, "
        f"MAX(ends) OVER ({pair} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached FROM {uses} {chosen}"
        ") AS ordered) AS numbered GROUP BY carrier_id, vendor_id, country_id, targeted, period"
    )


def statements(uses):
    """Build the table from the kept facts in use `uses` and keep it following them."""
    yield f"DROP TABLE IF EXISTS {TABLE}"
    yield (
        f"CREATE TABLE {TABLE} (carrier_id bigint NOT NULL, vendor_id bigint NOT NULL, "
        "country_id varchar(2) NOT NULL, targeted boolean NOT NULL, starts date NOT NULL, ends date NOT NULL)"
    )
    yield f"INSERT INTO {TABLE} {merged(uses)}"
    yield f"CREATE INDEX {TABLE}_targeted ON {TABLE} (country_id, starts, ends, carrier_id) WHERE targeted"
    yield f"CREATE INDEX {TABLE}_by_vendor ON {TABLE} (vendor_id, starts, ends, carrier_id)"
    yield f"CREATE INDEX {TABLE}_by_pair ON {TABLE} (carrier_id, vendor_id)"
    yield f"ANALYZE {TABLE}"
    touched = {
        "insert": ("NEW TABLE AS new_uses", "SELECT carrier_id, vendor_id FROM new_uses"),
        "delete": ("OLD TABLE AS old_uses", "SELECT carrier_id, vendor_id FROM old_uses"),
        "update": (
            "OLD TABLE AS old_uses NEW TABLE AS new_uses",
            "SELECT carrier_id, vendor_id FROM old_uses UNION SELECT carrier_id, vendor_id FROM new_uses",
        ),
    }
    for event, (transition_tables, pairs) in touched.items():
        # EXECUTE plans each time, for the rows this statement touched: a plan cached for the first few
        # (a nested loop over a table then nearly empty) took quadratic time over a bulk load's statements.
        yield f"""CREATE OR REPLACE FUNCTION {TABLE}_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE $sql$ DELETE FROM {TABLE} WHERE (carrier_id, vendor_id) IN ({pairs}) $sql$;
          EXECUTE $sql$ INSERT INTO {TABLE} {merged(uses, pairs)} $sql$;
          RETURN NULL;
        END $$"""
        yield trigger(uses, f"{TABLE}_{event}", event.upper(), f"{TABLE}_{event}", transition_tables)
    yield f"""CREATE OR REPLACE FUNCTION {TABLE}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN TRUNCATE {TABLE}; RETURN NULL; END $$"""
    yield trigger(uses, f"{TABLE}_truncate", "TRUNCATE", f"{TABLE}_empty")
    yield f"COMMENT ON TABLE {TABLE} IS '{{digest}}'"
