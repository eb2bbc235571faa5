"""PostgreSQL keeps the clean labels with their carriers' countries and whole periods (carriers.kept.labels):
whatever writes the labels or moves a carrier, the labelled carriers, per initiative and per country, are
those the labels' own definition (ValidityQuerySet.valid_on) gives."""

import datetime
import random

import pytest
from django.db import connection
from django.http import QueryDict

from carriers.filters import CarrierFilter
from carriers.kept import labels as kept_labels
from carriers.kept import uses as kept_uses
from carriers.models import Carrier, CleanLabel, Country, DatePrecision, Initiative
from tests.factories import CarrierFactory, CleanLabelFactory, CountryFactory, InitiativeFactory
from tests.test_kept_rows import assert_install_rebuilds_only_when_the_definition_changed, assert_truncating_empties
from tests.test_kept_uses import DATES, a_period_start

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps them; CI runs this there")


@pytest.fixture
def labels(transactional_db):
    rng = random.Random(11)
    america, korea = CountryFactory(code="US", name="United States"), CountryFactory(code="KR", name="South Korea")
    initiatives = [InitiativeFactory(sponsor=america), InitiativeFactory(sponsor=korea)]
    carriers = [CarrierFactory(country=rng.choice([america, korea])) for _ in range(10)]
    for number in range(40):
        (start, start_precision), (end, end_precision) = sorted([a_period_start(rng), a_period_start(rng)])
        carrier, initiative = carriers[number % len(carriers)], initiatives[number % 2]
        awarded = None if number % 7 == 0 else start
        if CleanLabel.objects.filter(carrier=carrier, initiative=initiative, awarded_on=awarded).exists():
            continue  # one label per carrier, initiative, scope and award date
        CleanLabelFactory(
            carrier=carrier,
            initiative=initiative,
            awarded_on=awarded,
            awarded_on_precision=start_precision,
            withdrawn_on=None if number % 3 == 0 else end,
            withdrawn_on_precision=end_precision,
        )
    return {"carriers": carriers, "initiatives": initiatives, "korea": korea}


def labelled_without_a_label(on):
    data = QueryDict("label=no", mutable=True)
    if on is not None:
        data["as_of"] = on.isoformat()
    filterset = CarrierFilter(data, queryset=Carrier.objects.public_list())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("slug", flat=True))


def read(on):
    return (
        set(Carrier.objects.labelled(on=on).values_list("slug", flat=True)),
        {
            initiative.slug: set(Carrier.objects.labelled(initiative, on=on).values_list("slug", flat=True))
            for initiative in Initiative.objects.all()
        },
        dict(Country.objects.with_exposure(on=on).values_list("code", "labelled_carrier_count")),
        labelled_without_a_label(on),
    )


def assert_kept_labels_are_the_labels(monkeypatch):
    told_apart = False
    for on in DATES:
        kept = read(on)
        with monkeypatch.context() as patched:
            patched.setattr(kept_uses, "kept", lambda using: False)
            computed = read(on)
        assert kept == computed, on
        told_apart |= bool(kept[0]) and bool(kept[3])  # some carriers labelled on that date, some not
    assert told_apart


def test_the_kept_labels_give_the_labelled_carriers_on_any_date(labels, monkeypatch):
    assert_kept_labels_are_the_labels(monkeypatch)
    assert kept_labels.TABLE in str(Carrier.objects.labelled(on=DATES[2]).query)
    assert kept_labels.TABLE in str(Country.objects.with_exposure(on=DATES[2]).query)


def test_the_kept_labels_follow_every_way_of_writing_labels_and_moving_carriers(labels, monkeypatch):
    label = CleanLabel.objects.filter(withdrawn_on__isnull=False).first()
    label.withdrawn_on = None
    label.save()
    assert_kept_labels_are_the_labels(monkeypatch)

    CleanLabel.objects.filter(withdrawn_on__isnull=False).update(withdrawn_on_precision=DatePrecision.DAY)
    CleanLabel.objects.filter(initiative=labels["initiatives"][0]).update(withdrawn_on=None)
    assert_kept_labels_are_the_labels(monkeypatch)

    CleanLabel.objects.bulk_create(
        [
            CleanLabel(carrier=carrier, initiative=labels["initiatives"][0], awarded_on=datetime.date(2020, 3, 15))
            for carrier in labels["carriers"][:3]
        ]
    )
    CleanLabel.objects.filter(carrier=labels["carriers"][4]).delete()
    assert_kept_labels_are_the_labels(monkeypatch)

    Carrier.objects.filter(pk__in=[carrier.pk for carrier in labels["carriers"][:5]]).update(country=labels["korea"])
    assert_kept_labels_are_the_labels(monkeypatch)

    assert_truncating_empties(CleanLabel, kept_labels.TABLE)


def test_install_rebuilds_only_when_the_definition_changed(labels, monkeypatch):
    assert_install_rebuilds_only_when_the_definition_changed(kept_labels.TABLE, lambda: kept_labels.keep("default"))
    assert_kept_labels_are_the_labels(monkeypatch)
