import datetime

import factory

from carriers import models


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Country
        django_get_or_create = ["code"]

    code = "KR"
    name = factory.LazyAttribute(lambda country: f"Country {country.code}")
    region = models.Region.ASIA


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")
    headquarters = factory.SubFactory(CountryFactory, code="CN")


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Carrier

    name = factory.Sequence(lambda n: f"Carrier {n}")
    slug = factory.Sequence(lambda n: f"carrier-{n}")
    country = factory.SubFactory(CountryFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Example Press"
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Initiative

    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    sponsor = factory.SubFactory(CountryFactory, code="US")
    kind = models.InitiativeKind.PROGRAM
    launched_on = datetime.date(2020, 8, 1)
    launched_on_precision = models.DatePrecision.MONTH


class CitedFactory(factory.django.DjangoModelFactory):
    """A fact that cites one fresh source, as every fact must."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def cited(fact, create, extracted, **kwargs):
        if create:
            fact.citations.create(source=extracted or SourceFactory(), quote="As reported.")


class EquipmentUseFactory(CitedFactory):
    class Meta:
        model = models.EquipmentUse

    carrier = factory.SubFactory(CarrierFactory)
    vendor = factory.SubFactory(VendorFactory)
    segment = models.NetworkSegment.RADIO_ACCESS
    technology = models.Technology.G5
    status = models.EquipmentStatus.IN_USE
    valid_from = datetime.date(2019, 4, 3)
    confidence = models.Confidence.CONFIRMED


class CleanLabelFactory(CitedFactory):
    class Meta:
        model = models.CleanLabel

    carrier = factory.SubFactory(CarrierFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    wording = "clean telco"
    awarded_on = datetime.date(2020, 6, 24)


class EventFactory(CitedFactory):
    class Meta:
        model = models.Event

    name = factory.Sequence(lambda n: f"Summit {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    held_on = datetime.date(2020, 10, 13)


class CountryPositionFactory(CitedFactory):
    class Meta:
        model = models.CountryPosition

    country = factory.SubFactory(CountryFactory)
    initiative = factory.SubFactory(InitiativeFactory)
    stance = models.Stance.DECLINED
    stated_on = datetime.date(2020, 10, 14)


class RestrictionFactory(CitedFactory):
    class Meta:
        model = models.Restriction

    country = factory.SubFactory(CountryFactory, code="GB")
    title = factory.Sequence(lambda n: f"Restriction {n}")
    slug = factory.Sequence(lambda n: f"restriction-{n}")
    instrument = models.Instrument.LAW
    kind = models.RestrictionKind.REMOVAL
    status = models.RestrictionStatus.IN_FORCE
    segments = factory.LazyFunction(lambda: [models.NetworkSegment.RADIO_ACCESS])
    technologies = factory.LazyFunction(lambda: [models.Technology.G5])
    decided_on = datetime.date(2020, 7, 14)


class DeadlineFactory(CitedFactory):
    class Meta:
        model = models.Deadline

    restriction = factory.SubFactory(RestrictionFactory)
    due = datetime.date(2027, 1, 1)
    due_precision = models.DatePrecision.YEAR
    milestone = models.Milestone.REMOVAL
    description = factory.Sequence(lambda n: f"Milestone {n}")
