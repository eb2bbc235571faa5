"""Load the project's sample data: the facts stated by the sources in shared/sources/.

Every record is keyed by its natural key, so running the command again changes nothing.
Nothing here goes beyond what the sources say: unknown URLs and dates stay empty.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from carriers.models import (
    Carrier,
    CleanLabel,
    Confidence,
    Country,
    CountryPosition,
    DatePrecision,
    EquipmentStatus,
    EquipmentUse,
    Event,
    EventKind,
    Initiative,
    InitiativeKind,
    Instrument,
    NetworkSegment,
    Region,
    Restriction,
    RestrictionKind,
    RestrictionStatus,
    Source,
    Stance,
    Technology,
    Vendor,
)
from carriers.models.aliases import parse as parse_aliases

ARTICLE_TITLE = "South Korea Refuses To Join The US Drive Against Huawei"

SOURCES = {
    "article": {
        "title": ARTICLE_TITLE,
        "publisher": "Android Headlines",
        "notes": "No URL and no publication date appear in the text; they are left unknown.",
    },
    "us-fact-sheet": {
        "title": "U.S. and ROK Advance Economic Cooperation at the 5th Senior Economic Dialogue",
        "publisher": "US Department of State (US Embassy Seoul)",
        "url": "https://kr.usembassy.gov/101620-the-united-states-and-the-republic-of-korea-advance-economic-"
        "cooperation-at-the-5th-senior-economic-dialogue/",
        "published_on": datetime.date(2020, 10, 16),
        "published_on_precision": DatePrecision.DAY,
    },
    "mofa-press-release": {
        "title": "5th ROK-U.S. Senior Economic Dialogue (SED) Takes Place (Oct. 14)",
        "publisher": "Republic of Korea Ministry of Foreign Affairs",
        "url": "http://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=321277",
        "published_on": datetime.date(2020, 10, 16),
        "published_on_precision": DatePrecision.DAY,
    },
    "clean-network-page": {
        "title": "The Clean Network",
        "publisher": "US Department of State",
        "url": "https://2017-2021.state.gov/the-clean-network/index.html",
        "notes": "Archived 2017–2021 State Department site.",
    },
}

COUNTRIES = [
    ("KR", "South Korea", Region.ASIA),
    ("US", "United States", Region.AMERICAS),
    ("CN", "China", Region.ASIA),
]

VENDORS = [("huawei", "Huawei", "CN"), ("zte", "ZTE", "CN")]

CARRIERS = [
    ("sk-telecom", "SK Telecom", "SK Telecom Co."),
    ("kt", "KT", "KT Corp."),
    ("lg-uplus", "LG Uplus", "LG Uplus Co."),
]


class Command(BaseCommand):
    help = "Load the sample data taken from shared/sources (safe to run again: it changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        sources = {
            key: upsert(Source, title=fields["title"], publisher=fields["publisher"], defaults=fields)[0]
            for key, fields in SOURCES.items()
        }
        countries = {
            code: upsert(Country, code=code, defaults={"name": name, "region": region})[0]
            for code, name, region in COUNTRIES
        }
        vendors = {
            slug: upsert(Vendor, slug=slug, defaults={"name": name, "headquarters": countries[headquarters]})[0]
            for slug, name, headquarters in VENDORS
        }
        carriers = {
            slug: upsert(
                Carrier, slug=slug, defaults={"name": name, "country": countries["KR"], "aliases": parse_aliases(alias)}
            )[0]
            for slug, name, alias in CARRIERS
        }
        clean_network, _ = upsert(
            Initiative,
            slug="clean-network",
            defaults={
                "name": "Clean Network",
                "sponsor": countries["US"],
                "kind": InitiativeKind.PROGRAM,
                "launched_on": datetime.date(2020, 8, 5),
                "launched_on_precision": DatePrecision.DAY,
                "led_by": "Mike Pompeo, US Secretary of State",
                "summary": "A US drive to keep untrusted Chinese equipment suppliers out of telecom infrastructure "
                "(pillars: clean carrier, clean store, clean apps, clean cloud, clean cable). Its 5G Clean Path "
                "names Huawei and ZTE as untrusted vendors.",
                "official_url": SOURCES["clean-network-page"]["url"],
            },
        )
        clean_network.targeted_vendors.set([vendors["huawei"], vendors["zte"]])
        upsert(
            Initiative,
            slug="economic-prosperity-network",
            defaults={
                "name": "Economic Prosperity Network",
                "sponsor": countries["US"],
                "kind": InitiativeKind.PROGRAM,
                "summary": "A US initiative to shift global supply chains away from China.",
            },
        )

        dialogue, _ = upsert(
            Event,
            slug="fifth-us-rok-senior-economic-dialogue",
            defaults={
                "name": "Fifth US–South Korea Senior Economic Dialogue",
                "kind": EventKind.MEETING,
                "held_on": datetime.date(2020, 10, 1),
                "held_on_precision": DatePrecision.MONTH,
                "participants": "Keith Krach, US Under Secretary of State\n"
                "Lee Tae-ho, South Korea's 2nd Vice Foreign Minister",
                "summary": "Held virtually. South Korea rejected the US proposal to ban Huawei from its telecom "
                "infrastructure; the Economic Prosperity Network was not discussed; both sides agreed to hold "
                "the fourth annual public-private economic talks later that month.",
                "notes": "The US fact sheet dates the dialogue 13 October 2020 (US date), the Korean foreign "
                "ministry 14 October 2020 (Korean date). Both are cited; the day is left open.",
            },
        )
        dialogue.countries.set([countries["US"], countries["KR"]])
        dialogue.initiatives.set([clean_network])
        cite(
            dialogue,
            sources["article"],
            "paragraph 2",
            quote="During the recently concluded fifth Senior Economic Dialogue between the US and South Korea, "
            "Lee Tae-ho, South Korea's second vice foreign minister, sternly rejected the US proposal to ban "
            "Huawei from the country's telecom infrastructure.",
        )
        cite(
            dialogue,
            sources["us-fact-sheet"],
            "",
            note="Held in a virtual format on 13 October 2020 (US date), led by Under Secretary Keith Krach and "
            "2nd Vice Foreign Minister Lee Tae-ho.",
        )
        cite(
            dialogue,
            sources["mofa-press-release"],
            "title",
            quote="5th ROK-U.S. Senior Economic Dialogue (SED) Takes Place (Oct. 14)",
            note="Held virtually on 14 October 2020 (Korean date).",
        )

        no_ban, _ = upsert(
            Restriction,
            slug="kr-declines-huawei-ban-2020",
            defaults={
                "country": countries["KR"],
                "title": "South Korea declines the US proposal to ban Huawei",
                "instrument": Instrument.STATEMENT,
                "kind": RestrictionKind.NO_RESTRICTION,
                "status": RestrictionStatus.IN_FORCE,
                "decided_on": datetime.date(2020, 10, 1),
                "decided_on_precision": DatePrecision.MONTH,
                "notes": "Stated at the fifth Senior Economic Dialogue: whether a private carrier uses a vendor's "
                "equipment is for the carrier to decide.",
            },
        )
        no_ban.vendors.set([vendors["huawei"]])
        dialogue.restrictions.set([no_ban])
        cite(
            no_ban,
            sources["article"],
            "paragraph 2",
            quote="Lee Tae-ho, South Korea's second vice foreign minister, sternly rejected the US proposal to ban "
            "Huawei from the country's telecom infrastructure.",
        )

        position, _ = upsert(
            CountryPosition,
            country=countries["KR"],
            initiative=clean_network,
            stance=Stance.DECLINED,
            stated_on=datetime.date(2020, 10, 1),
            defaults={
                "stated_on_precision": DatePrecision.MONTH,
                "stated_by": "Lee Tae-ho, 2nd Vice Foreign Minister, at the dialogue; "
                "explained afterwards by an unnamed foreign ministry official",
                "statement": "We made it clear that whether a private telecom company uses the equipment of a "
                "specific enterprise is up to that company to decide.",
                "event": dialogue,
                "notes": "South Korea rejected the US proposal to ban Huawei; dated by the dialogue where it was "
                "stated.",
            },
        )
        cite(
            position,
            sources["article"],
            "paragraph 2",
            quote="Lee Tae-ho, South Korea's second vice foreign minister, sternly rejected the US proposal to ban "
            "Huawei from the country's telecom infrastructure.",
        )
        cite(
            position,
            sources["article"],
            "paragraph 3",
            quote="We made it clear that whether a private telecom company uses the equipment of a specific "
            "enterprise is up to that company to decide.",
        )

        for slug in ("sk-telecom", "kt"):
            label, _ = upsert(
                CleanLabel,
                carrier=carriers[slug],
                initiative=clean_network,
                scope_segment="",
                scope_technology="",
                awarded_on=datetime.date(2020, 6, 24),
                defaults={
                    "wording": "clean telco",
                    "awarded_on_precision": DatePrecision.DAY,
                    "notes": "The article calls SK Telecom and KT “clean” telecommunication firms that do not use "
                    "Huawei equipment; the State Department named both among its “clean telcos” on "
                    "24 June 2020, before the program's August 2020 launch.",
                },
            )
            cite(
                label,
                sources["article"],
                "paragraph 6",
                quote="The US has labeled the two major South Korean mobile carriers – SK Telecom Co. and KT Corp. – "
                "that do not use Huawei equipment as “clean” telecommunication firms.",
            )
            cite(
                label,
                sources["clean-network-page"],
                "",
                note="On 24 June 2020 the State Department named SK and KT among its “clean telcos”.",
            )

        lg_uplus_huawei, _ = upsert(
            EquipmentUse,
            carrier=carriers["lg-uplus"],
            vendor=vendors["huawei"],
            segment=NetworkSegment.OTHER,
            technology=Technology.UNKNOWN,
            valid_from=None,
            defaults={
                "status": EquipmentStatus.IN_USE,
                "confidence": Confidence.REPORTED,
                "notes": "The article says LG Uplus still uses Huawei equipment, without naming the part of the "
                "network or when the use began; the US wants Seoul to press it to stop.",
            },
        )
        cite(
            lg_uplus_huawei,
            sources["article"],
            "paragraph 6",
            quote="However, LG Uplus Co. still does and America wants Seoul officials to pressurize the carrier to "
            "cease relations with Huawei.",
        )
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS("Sample data loaded from 4 sources."))


def upsert(model, defaults, **lookup):
    """update_or_create that saves only what differs, so a second run writes no new history."""
    record = model.objects.filter(**lookup).first()
    if record is None:
        return model.objects.create(**{**defaults, **lookup}), True
    changed = [name for name, value in defaults.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, defaults[name])
        record.save()
    return record, False


def cite(fact, source, location, quote="", note=""):
    citation_model = fact.citations.model
    upsert(citation_model, {"quote": quote, "note": note}, fact=fact, source=source, location=location)
