"""What changed between two releases: rows added, removed and changed per table, matched by natural key."""

from django.urls import reverse

from carriers.models import Source

# A row's identity in each table; the other columns are what can change.
NATURAL_KEYS = {
    "carriers": ["slug"],
    "equipment": ["carrier", "vendor", "segment", "technology", "valid_from"],
    "labels": ["carrier", "initiative", "scope_segment", "scope_technology", "awarded_on"],
    "positions": ["country", "initiative", "stance", "stated_on"],
    "events": ["slug"],
    "restrictions": ["slug"],
    "deadlines": ["restriction", "due", "description"],
    "sources": ["key"],
    "countries": ["code"],
    "vendors": ["slug"],
    "initiatives": ["slug"],
}

# Not changes of the row itself: days_remaining depends on the day the release was made, and the counts
# follow rows of other tables, whose changes are listed there.
IGNORED = {
    "deadlines": {"days_remaining"},
    "carriers": {"equipment_uses", "clean_labels"},
    "countries": {"carriers"},
    "restrictions": {"deadlines"},
}
# A fact's `changed` moment moves with any change of the row (listed) or of its quotes (listed under citations).
IGNORED_EVERYWHERE = {"changed"}


def compare(before, after):
    """{table: {"added": [...], "removed": [...], "changed": [...]}} for the tables that differ.

    `before` and `after` map table names to lists of row dicts. Each entry is {"key": [...], "link": url or ""},
    and changed rows also name their changed "columns". A table new in `after` counts every row as added.
    """
    changes = {}
    for table in after.keys() | before.keys():
        found = compare_table(table, before.get(table, []), after.get(table, []))
        if any(found.values()):
            changes[table] = found
    return dict(sorted(changes.items()))


def compare_table(table, before, after):
    key_columns = natural_key(table, after or before)
    old = {tuple(row[column] for column in key_columns): row for row in before}
    new = {tuple(row[column] for column in key_columns): row for row in after}
    ignored = IGNORED.get(table, set()) | IGNORED_EVERYWHERE
    links = Links(table, [new[key] for key in new])
    changed = []
    for key in new.keys() & old.keys():
        columns = [column for column in new[key] if column not in ignored and new[key][column] != old[key].get(column)]
        if columns:
            changed.append({"key": list(key), "link": links.of(new[key]), "columns": columns})
    return {
        "added": [{"key": list(key), "link": links.of(new[key])} for key in sorted(new.keys() - old.keys())],
        "removed": [{"key": list(key), "link": ""} for key in sorted(old.keys() - new.keys())],
        "changed": sorted(changed, key=lambda row: row["key"]),
    }


def natural_key(table, rows):
    """The table's natural key; a table without one (say, a future citations file) is keyed by whole rows."""
    if table in NATURAL_KEYS:
        return NATURAL_KEYS[table]
    return list(rows[0]) if rows else []


class Links:
    """The public page of a row of the current release, where there is one: the record's, else its parent's."""

    def __init__(self, table, rows):
        self.table = table
        self.source_pks = {}
        if table == "sources":
            keys = [row["key"] for row in rows]
            self.source_pks = dict(Source.objects.filter(key__in=keys).values_list("key", "pk"))

    def of(self, row):
        table = self.table
        if table in ("carriers", "equipment", "labels"):
            return reverse("carriers:carrier-detail", args=[row.get("slug") or row["carrier"]])
        if table in ("countries", "positions"):
            return reverse("carriers:country-detail", args=[row.get("code") or row["country"]])
        if table in ("vendors", "initiatives"):
            return reverse(f"carriers:{table[:-1]}-detail", args=[row["slug"]])
        if table == "events":
            return reverse("carriers:event-list") + f"#{row['slug']}"
        if table in ("restrictions", "deadlines"):
            slug = row.get("restriction") or row["slug"]
            return reverse("carriers:restriction-list") + f"?country={row['country']}#{slug}"
        if table == "sources" and row["key"] in self.source_pks:
            return reverse("carriers:source-detail", args=[self.source_pks[row["key"]]])
        return ""


def totals(changes):
    """(added, removed, changed) over every table."""
    return tuple(sum(len(table[kind]) for table in changes.values()) for kind in ("added", "removed", "changed"))
