"""An equipment use's `cited_sources` column is the database's own summary of its citations, always right."""

import pytest
from django.db import connection

from carriers.exports import cited_sources
from carriers.models import EquipmentUse, Source
from tests.factories import EquipmentUseFactory, SourceFactory


def stored(use):
    return EquipmentUse.objects.values_list("cited_sources", flat=True).get(pk=use.pk)


def expected(use):
    return cited_sources(EquipmentUse.objects.prefetch_related("citations__source").get(pk=use.pk))


@pytest.fixture
def use(db):
    first = SourceFactory(key="first-source")
    use = EquipmentUseFactory(cited=first)
    use.citations.create(source=SourceFactory(key="second-source"), quote="Also.", location="p. 2")
    use.citations.create(source=first, quote="Again.", location="p. 9")
    return use


def test_it_lists_each_source_once_in_citing_order(use):
    assert stored(use) == expected(use) == "first-source | second-source"


def test_removed_and_changed_citations_and_renamed_sources_are_followed(use):
    use.citations.get(source__key="first-source", location="").delete()
    assert stored(use) == expected(use) == "second-source | first-source"
    use.citations.filter(source__key="second-source").update(source=SourceFactory(key="third-source"))
    assert stored(use) == expected(use) == "third-source | first-source"
    Source.objects.filter(key="third-source").update(key="renamed-source")
    assert stored(use) == expected(use) == "renamed-source | first-source"
    use.citations.all().delete()
    assert stored(use) == ""


def test_no_save_or_update_can_write_another_value(use):
    use.cited_sources = "forged"
    use.notes = "Saved with a stale summary."
    use.save()
    assert stored(use) == "first-source | second-source"
    EquipmentUse.objects.filter(pk=use.pk).update(cited_sources="forged again")
    assert stored(use) == "first-source | second-source"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE carriers_equipmentuse SET cited_sources = 'raw' WHERE id = %s", [use.pk])
    assert stored(use) == "first-source | second-source"


def test_a_new_fact_starts_with_no_sources_whatever_it_is_created_with(db):
    use = EquipmentUseFactory()
    use.delete()  # with its citation; the same fact is then added again, claiming sources it has not
    use.cited_sources = "forged"
    use.save()
    assert not use.citations.exists()
    assert stored(use) == ""
