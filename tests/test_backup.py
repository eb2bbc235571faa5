"""A SQLite backup holds every table's rows with their times to the microsecond, and no rows of database views,
which restore could not write."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from carriers.models import EquipmentUse
from tests.factories import EquipmentUseFactory, SourceFactory


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL backs up with pg_dump; drills/run restores it")
def test_a_sqlite_backup_holds_citations_but_not_the_citations_view(db, tmp_path):
    citation = EquipmentUseFactory().citations.create(source=SourceFactory(), quote="Huawei gear in the LTE network.")
    output = tmp_path / "tracker.json"
    call_command("backup", output=output, stdout=io.StringIO())
    rows = json.loads(output.read_text())
    assert "carriers.citationentry" not in {row["model"] for row in rows}
    use = next(row for row in rows if row["model"] == "carriers.equipmentuse")
    # To the microsecond, as the CSVs' `changed` column shows it.
    assert use["fields"]["updated_at"].startswith(EquipmentUse.objects.get().updated_at.isoformat()[:26])
    assert citation.quote in [row["fields"]["quote"] for row in rows if row["model"] == "carriers.equipmentusecitation"]
