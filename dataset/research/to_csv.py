#!/usr/bin/env python3
"""Convert the research notes (dataset/research/*.json) into the dataset's CSV files (dataset/public-record/).

Standard library only. Run from anywhere: `python3 dataset/research/to_csv.py`.
Deterministic (every file is sorted on stable keys) and idempotent (the files are rewritten whole).
The seed story of carriers/management/commands/load_sample_data.py is merged in with its own
quotes, notes and locations. At the end a checker verifies references, uniqueness keys and allowed
values, and prints the coverage counts; it exits non-zero when something is wrong.
"""

import collections
import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "public-record"
RESEARCH_FILES = [
    "asia-pacific.json",
    "north-atlantic.json",
    "north-east-europe.json",
    "western-europe.json",
    "deadlines-extra.json",  # deadline-only entries may name an existing restriction (`"restriction": slug`)
]
SEP = " | "

COLUMNS = {
    "countries": ["code", "name", "region"],
    "vendors": ["slug", "name", "headquarters", "aliases"],
    "initiatives": [
        "slug",
        "name",
        "sponsor",
        "kind",
        "launched_on",
        "ended_on",
        "led_by",
        "official_url",
        "targeted_vendors",
        "summary",
    ],
    "sources": ["key", "title", "publisher", "url", "published_on", "accessed_on", "archive_url", "notes"],
    "carriers": ["slug", "name", "country", "aliases", "website", "subscribers", "subscribers_as_of"],
    "restrictions": [
        "slug",
        "country",
        "title",
        "instrument",
        "vendors",
        "segments",
        "technologies",
        "kind",
        "status",
        "decided_on",
        "effective_on",
        "notes",
        "sources",
    ],
    "deadlines": ["restriction", "due", "milestone", "segments", "technologies", "description", "notes", "sources"],
    "events": [
        "slug",
        "name",
        "kind",
        "held_on",
        "countries",
        "initiatives",
        "restrictions",
        "participants",
        "summary",
        "sources",
    ],
    "equipment": [
        "carrier",
        "vendor",
        "segment",
        "technology",
        "status",
        "valid_from",
        "valid_to",
        "share_percent",
        "confidence",
        "notes",
        "sources",
    ],
    "labels": [
        "carrier",
        "initiative",
        "wording",
        "scope_segment",
        "scope_technology",
        "awarded_on",
        "withdrawn_on",
        "notes",
        "sources",
    ],
    "positions": [
        "country",
        "initiative",
        "stance",
        "stated_on",
        "stated_by",
        "statement",
        "event",
        "notes",
        "sources",
    ],
    "citations": ["fact_type", "fact", "source", "quote", "location", "note"],
}

# The columns that name a fact in citations.csv.
FACT_KEYS = {
    "equipment": ["carrier", "vendor", "segment", "technology", "valid_from"],
    "labels": ["carrier", "initiative", "scope_segment", "scope_technology", "awarded_on"],
    "positions": ["country", "initiative", "stance", "stated_on"],
    "events": ["slug"],
    "restrictions": ["slug"],
    "deadlines": ["restriction", "due", "description"],
}

COUNTRIES = {
    "AE": ("United Arab Emirates", "asia"),
    "AT": ("Austria", "europe"),
    "AU": ("Australia", "oceania"),
    "BE": ("Belgium", "europe"),
    "BR": ("Brazil", "americas"),
    "CA": ("Canada", "americas"),
    "CN": ("China", "asia"),
    "CZ": ("Czech Republic", "europe"),
    "DE": ("Germany", "europe"),
    "DK": ("Denmark", "europe"),
    "DO": ("Dominican Republic", "americas"),
    "EC": ("Ecuador", "americas"),
    "EE": ("Estonia", "europe"),
    "ES": ("Spain", "europe"),
    "EU": ("European Union", "europe"),
    "FI": ("Finland", "europe"),
    "FR": ("France", "europe"),
    "GB": ("United Kingdom", "europe"),
    "GR": ("Greece", "europe"),
    "HR": ("Croatia", "europe"),
    "IE": ("Ireland", "europe"),
    "IL": ("Israel", "asia"),
    "IN": ("India", "asia"),
    "IT": ("Italy", "europe"),
    "JP": ("Japan", "asia"),
    "KR": ("South Korea", "asia"),
    "LT": ("Lithuania", "europe"),
    "LV": ("Latvia", "europe"),
    "NL": ("Netherlands", "europe"),
    "NO": ("Norway", "europe"),
    "NZ": ("New Zealand", "oceania"),
    "PL": ("Poland", "europe"),
    "PT": ("Portugal", "europe"),
    "RO": ("Romania", "europe"),
    "SE": ("Sweden", "europe"),
    "SG": ("Singapore", "asia"),
    "US": ("United States", "americas"),
}

# Vendors: slug -> (name, headquarters, aliases). Rakuten Symphony's headquarters is left unknown.
VENDORS = {
    "huawei": ("Huawei", "CN", []),
    "zte": ("ZTE", "CN", []),
    "ericsson": ("Ericsson", "SE", []),
    "nokia": ("Nokia", "FI", []),
    "samsung": ("Samsung", "KR", []),
    "nec": ("NEC", "JP", []),
    "fujitsu": ("Fujitsu", "JP", []),
    "rakuten-symphony": ("Rakuten Symphony", "", []),
    "hytera": ("Hytera", "CN", []),
    "hikvision": ("Hikvision", "CN", []),
    "dahua": ("Dahua", "CN", []),
}

ALLOWED = {
    "region": {"africa", "americas", "asia", "europe", "oceania"},
    "initiative_kind": {"program", "law", "regulation", "guidance"},
    "instrument": {"law", "regulation", "licence-condition", "agreement", "guidance", "court-ruling", "statement"},
    "segment": ["ran", "core", "transport", "fixed-access", "other"],  # the order the app stores them in
    "technology": ["2g", "3g", "4g", "5g", "fixed"],
    "equipment_technology": {"2g", "3g", "4g", "5g", "fixed", "unknown"},
    "restriction_kind": {"ban-new", "removal", "share-cap", "exclusion-sensitive", "no-restriction"},
    "restriction_status": {"proposed", "in-force", "suspended", "repealed"},
    "event_kind": {"meeting", "announcement", "court-ruling", "other"},
    "equipment_status": {"planned", "in-use", "phasing-out", "removed", "unknown"},
    "confidence": {"confirmed", "reported", "disputed"},
    "stance": {"joined", "supports", "undecided", "declined", "withdrew"},
}

# Each restriction status event becomes an event: (country, date) -> (name, kind). Names say only what
# the research description says.
STATUS_EVENTS = {
    ("JP", "2020-05"): (
        "Japan to extend avoidance of Chinese telecom equipment to 96 agencies and corporations",
        "announcement",
    ),
    ("IN", "2020-12-16"): (
        "Cabinet Committee on Security approves India's National Security Directive on Telecommunication Sector",
        "announcement",
    ),
    ("IN", "2021-07-01"): ("First half-yearly trusted-sources compliance letter due in India", "other"),
    ("IN", "2022-07-11"): (
        "India's DoT amends licences on network expansion with non-trusted equipment",
        "announcement",
    ),
    ("IN", "2020-07-01"): (
        "BSNL and MTNL 4G tenders cancelled; new tender with Make-in-India preference",
        "announcement",
    ),
    ("IN", "2021-04"): ("Huawei and ZTE likely kept out of BSNL's fresh 4G tender", "other"),
    ("AU", "2018-09-18"): ("Australia's Telecommunications Sector Security Reforms obligations commence", "other"),
    ("NZ", "2018-11"): ("Andrew Little: the GCSB decision on Spark is project-specific, not a ban", "announcement"),
    ("NZ", "2019-11"): ("Spark withdraws its 2018 Huawei application and launches 5G with Nokia", "announcement"),
    ("NZ", "2019-02"): ("Jacinda Ardern: door still open to Huawei, project-by-project vetting", "announcement"),
    ("AU", "2013-11"): ("New Abbott government keeps the NBN ban", "announcement"),
    ("US", "2020-05-01"): ("FCC bureau extends the timeframe for final Huawei and ZTE designations", "announcement"),
    ("US", "2020-06-30"): (
        "FCC bureau issues final designations of Huawei and ZTE as covered companies",
        "announcement",
    ),
    ("US", "2020-12"): ("Congress appropriates $1.9 billion for the reimbursement programme", "other"),
    ("US", "2021-10-29"): ("FCC reimbursement-program filing window opens", "announcement"),
    ("US", "2021-03-12"): ("FCC bureau publishes the statutory Covered List", "announcement"),
    ("US", "2022-07"): ("FCC final figures show a $3.08 billion reimbursement shortfall", "announcement"),
    ("US", "2024-12"): (
        "FCC chair reports 30 providers completed replacement; Congress authorises borrowing the shortfall",
        "other",
    ),
    ("US", "2025-04"): ("FCC makes the extra $3.08 billion available to reimbursement participants", "announcement"),
    ("US", "2022-10-14"): ("Reuters reports the FCC set to ban approvals of new Huawei and ZTE equipment", "other"),
    ("US", "2022-11-11"): ("Interim freeze on approving covered equipment takes effect", "other"),
    ("CA", "2021-09-28"): ("Trudeau: many Canadian telcos already started removing Huawei", "announcement"),
    ("CA", "2022-06"): ("Canadian government tables Bill C-26", "other"),
    ("CA", "2024"): ("Senate committee pauses clause-by-clause review of Bill C-26", "other"),
    ("CA", "2025-01"): ("Prorogation of Parliament kills Bill C-26", "other"),
    ("GB", "2020-07-14"): (
        "UK decides to ban new Huawei 5G purchases and remove Huawei 5G kit by 2027",
        "announcement",
    ),
    ("GB", "2022-10-13"): ("UK deadline written into the designated vendor direction", "other"),
    ("GB", "2024-07-17"): ("Huawei equipment still present at numerous UK mobile sites", "other"),
    ("GB", "2020-11-24"): ("Telecommunications (Security) Bill introduced to Parliament", "other"),
    ("GB", "2021-11"): ("Telecommunications (Security) Act 2021 comes into force", "other"),
    ("GB", "2022-02-18"): ("UK consultation on the draft designation notice and direction opens", "announcement"),
    ("GB", "2023-12-31"): ("UK core-removal deadline passes; some operators reported to miss it", "other"),
    ("IE", "2021-11"): ("Irish Cabinet decides to legislate for powers to assess 5G suppliers", "announcement"),
    ("IE", "2022-10"): ("High-risk vendor amendments added to Ireland's Communications Regulation Bill 2022", "other"),
    ("IE", "2023-02"): ("Irish Government replaces 'high-risk vendor' with 'relevant vendor' in the bill", "other"),
    ("IE", "2023-03"): ("Irish bill signed into law by the President", "other"),
    ("SE", "2020-11-09"): (
        "Stockholm Administrative Court suspends parts of the PTS 5G licence conditions",
        "court-ruling",
    ),
    ("SE", "2020-12-16"): (
        "Administrative Court of Appeal in Stockholm lifts the suspension of the PTS conditions",
        "court-ruling",
    ),
    ("SE", "2021-01-14"): ("Supreme Administrative Court dismisses Huawei's appeal as inadmissible", "court-ruling"),
    ("SE", "2021-01-20"): ("PTS grants the 5G licences with the security conditions attached", "announcement"),
    ("SE", "2021-06-22"): (
        "Stockholm Administrative Court rejects Huawei's appeals and upholds the PTS conditions",
        "court-ruling",
    ),
    ("SE", "2022-06-22"): ("Administrative Court of Appeal in Stockholm upholds the PTS decision", "court-ruling"),
    ("DK", "2020-06-08"): (
        "Trine Bramsen: Denmark wants to be able to exclude 5G suppliers from non-allied countries",
        "announcement",
    ),
    ("DK", "2020-09"): ("Danish government announces legislation on trustworthy 5G suppliers", "announcement"),
    ("FI", "2021-05"): ("Traficom issues its regulation on the critical parts of communications networks", "other"),
    ("FI", "2026-12-19"): ("Revised Traficom regulation on critical parts enters into force", "other"),
    ("EE", "2020-05-12"): ("Riigikogu approves security reviews of telecom gear (the 'Huawei law')", "other"),
    ("EE", "2020-10"): (
        "Estonia's draft regulation barring manufacturers outside the EU, NATO and OECD published",
        "announcement",
    ),
    ("EE", "2021-09-23"): ("Estonian government resubmits the amendment bill", "other"),
    ("EE", "2021-11"): ("Riigikogu passes the amendment", "other"),
    ("EE", "2022-12"): ("Elisa files a case at the Tallinn Administrative Court over replacement costs", "other"),
    ("LT", "2019-03-13"): (
        "Linas Linkevičius: Huawei may take part in tenders under existing legislation",
        "announcement",
    ),
    ("LT", "2021-03-05"): (
        "Seimas national security committee chair proposes listing unreliable technology providers",
        "announcement",
    ),
    ("CZ", "2019-01-08"): (
        "Czech government orders a risk analysis of Huawei and ZTE products by critical-infrastructure administrators",
        "announcement",
    ),
    ("RO", "2021-04-15"): ("Romanian government approves the US-backed bill", "other"),
    ("RO", "2021-06-07"): ("Romanian Senate adopts the bill", "other"),
    ("RO", "2021-06-11"): ("President Iohannis promulgates the law", "other"),
    ("RO", "2024-02-21"): ("CSAT rejects Huawei's request for authorisation", "announcement"),
    ("RO", "2024-04"): ("Huawei sues the Romanian state at the Bucharest Court of Appeal", "other"),
    ("EU", "2020-07-24"): ("First report on Member States' implementation of the 5G toolbox", "announcement"),
    ("EU", "2023-06-15"): (
        "Second toolbox progress report; Commission names Huawei and ZTE as materially higher risk",
        "announcement",
    ),
    ("DE", "2021-05-07"): ("Bundesrat endorses the act adopted by the Bundestag", "other"),
    ("DE", "2023"): ("German Interior Ministry opens a review of Huawei and ZTE critical components", "announcement"),
    ("FR", "2019-12-06"): ("French implementing decree n° 2019-1300 on prior authorisation adopted", "other"),
    ("FR", "2020-07"): ("Guillaume Poupard (ANSSI): no total ban on Huawei", "announcement"),
    ("FR", "2021-02-05"): ("Conseil constitutionnel upholds the French law", "court-ruling"),
    ("FR", "2023-09"): (
        "France reported to extend the replacement deadline for SFR and Bouygues Telecom in certain cities",
        "other",
    ),
    ("ES", "2024-02-23"): ("Spain reported to rule out a blacklist of high-risk 5G suppliers", "other"),
    ("PT", "2023-08-31"): (
        "Huawei Portugal's action against Deliberation 1/2023 enters the Lisbon Administrative Court",
        "other",
    ),
    ("PT", "2023-09-04"): ("Huawei Portugal confirms its action against deliberation 1/2023", "announcement"),
    ("PT", "2023-10-13"): ("Security Assessment Committee opposes public access to the Huawei case file", "other"),
    ("BE", "2021"): ("Belgian draft 5G security law notified to the EU", "other"),
    ("BE", "2022-02-17"): ("Belgian law of 17 February 2022 on additional security measures for 5G", "other"),
    ("BE", "2023-04-16"): ("Belgian royal decree on ministerial authorisation for 5G rollout promulgated", "other"),
    ("NL", "2019-07"): ("Dutch NCTV risk analysis: no Chinese vendor excluded", "announcement"),
    ("NL", "2021-05"): ("Dutch operators received classified decisions on required network changes", "other"),
    ("AT", "2021-10"): (
        "Austria adopts amended Telecommunications Act with a monitoring system for high-risk suppliers",
        "other",
    ),
    ("AT", "2023-03"): ("Austrian Finance Ministry asks the advisory board to examine Huawei and ZTE", "other"),
}

# ----------------------------------------------------------------------------------------------------------
# The seed story (carriers/management/commands/load_sample_data.py), with its own quotes, notes and locations.

ARTICLE = "South Korea Refuses To Join The US Drive Against Huawei"
SEED_ARTICLE_QUOTE_P2 = (
    "Lee Tae-ho, South Korea's second vice foreign minister, sternly rejected the US proposal to ban Huawei from "
    "the country's telecom infrastructure."
)
SEED_SOURCES = {
    # research key it merges with (same page) -> seed fields that stay as in the seed
    "androidheadlines-2020-10": {"title": ARTICLE, "publisher": "Android Headlines"},
    "usembassy-2020-10-16": {
        "title": "U.S. and ROK Advance Economic Cooperation at the 5th Senior Economic Dialogue",
        "publisher": "US Department of State (US Embassy Seoul)",
    },
    "state-clean-network-archive": {
        "title": "The Clean Network",
        "publisher": "US Department of State",
        "notes": "Archived 2017–2021 State Department site.",
    },
}
SEED_ONLY_SOURCES = [
    {
        "key": "mofa-kr-5th-sed-2020-10-16",
        "title": "5th ROK-U.S. Senior Economic Dialogue (SED) Takes Place (Oct. 14)",
        "publisher": "Republic of Korea Ministry of Foreign Affairs",
        "url": "http://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=321277",
        "published_on": "2020-10-16",
        "accessed_on": "",
        "archive_url": "",
        "notes": "From the project's seed sources (shared/sources); not re-read by the research groups.",
    }
]
SEED_EVENT = {
    "slug": "fifth-us-rok-senior-economic-dialogue",
    "name": "Fifth US–South Korea Senior Economic Dialogue",
    "kind": "meeting",
    "held_on": "2020-10",
    "countries": ["US", "KR"],
    "initiatives": ["clean-network"],
    "restrictions": ["kr-declines-huawei-ban-2020"],
    "participants": "Keith Krach, US Under Secretary of State\nLee Tae-ho, South Korea's 2nd Vice Foreign Minister",
    "summary": "Held virtually. South Korea rejected the US proposal to ban Huawei from its telecom "
    "infrastructure; the Economic Prosperity Network was not discussed; both sides agreed to hold "
    "the fourth annual public-private economic talks later that month.",
    "citations": [
        {
            "source": "androidheadlines-2020-10",
            "location": "paragraph 2",
            "note": "",
            "quote": "During the recently concluded fifth Senior Economic Dialogue between the US and South Korea, "
            + SEED_ARTICLE_QUOTE_P2,
        },
        {
            "source": "usembassy-2020-10-16",
            "location": "",
            "quote": "",
            "note": "Held in a virtual format on 13 October 2020 (US date), led by Under Secretary Keith Krach and "
            "2nd Vice Foreign Minister Lee Tae-ho.",
        },
        {
            "source": "mofa-kr-5th-sed-2020-10-16",
            "location": "title",
            "quote": "5th ROK-U.S. Senior Economic Dialogue (SED) Takes Place (Oct. 14)",
            "note": "Held virtually on 14 October 2020 (Korean date).",
        },
    ],
}
SEED_EVENT_NOTES = (
    "The US fact sheet dates the dialogue 13 October 2020 (US date), the Korean foreign ministry 14 October 2020 "
    "(Korean date). Both are cited; the day is left open."
)
SEED_RESTRICTION = {
    "slug": "kr-declines-huawei-ban-2020",
    "country": "KR",
    "title": "South Korea declines the US proposal to ban Huawei",
    "instrument": "statement",
    "vendors": ["huawei"],
    "segments": [],
    "technologies": [],
    "kind": "no-restriction",
    "status": "in-force",
    "decided_on": "2020-10",
    "effective_on": "",
    "notes": "Stated at the fifth Senior Economic Dialogue: whether a private carrier uses a vendor's equipment is "
    "for the carrier to decide.",
    "citations": [
        {"source": "androidheadlines-2020-10", "location": "paragraph 2", "quote": SEED_ARTICLE_QUOTE_P2, "note": ""}
    ],
}
SEED_POSITION = {
    "country": "KR",
    "initiative": "clean-network",
    "stance": "declined",
    "stated_on": "2020-10",
    "stated_by": "Lee Tae-ho, 2nd Vice Foreign Minister, at the dialogue; explained afterwards by an unnamed foreign "
    "ministry official",
    "statement": "We made it clear that whether a private telecom company uses the equipment of a specific "
    "enterprise is up to that company to decide.",
    "event": "fifth-us-rok-senior-economic-dialogue",
    "notes": "South Korea rejected the US proposal to ban Huawei; dated by the dialogue where it was stated.",
    "citations": [
        {"source": "androidheadlines-2020-10", "location": "paragraph 2", "quote": SEED_ARTICLE_QUOTE_P2, "note": ""},
        {
            "source": "androidheadlines-2020-10",
            "location": "paragraph 3",
            "note": "",
            "quote": "We made it clear that whether a private telecom company uses the equipment of a specific "
            "enterprise is up to that company to decide.",
        },
    ],
}
SEED_LABEL_NOTES = (
    "The article calls SK Telecom and KT “clean” telecommunication firms that do not use Huawei equipment; the State "
    "Department named both among its “clean telcos” on 24 June 2020, before the program's August 2020 launch."
)
SEED_LABEL_CITATIONS = [
    {
        "source": "androidheadlines-2020-10",
        "location": "paragraph 6",
        "note": "",
        "quote": "The US has labeled the two major South Korean mobile carriers – SK Telecom Co. and KT Corp. – "
        "that do not use Huawei equipment as “clean” telecommunication firms.",
    },
    {
        "source": "state-clean-network-archive",
        "location": "",
        "quote": "",
        "note": "On 24 June 2020 the State Department named SK and KT among its “clean telcos”.",
    },
]
SEED_EQUIPMENT = {
    "carrier": "lg-uplus",
    "vendor": "huawei",
    "segment": "other",
    "technology": "unknown",
    "status": "in-use",
    "valid_from": "",
    "valid_to": "",
    "share_percent": "",
    "confidence": "reported",
    "notes": "The article says LG Uplus still uses Huawei equipment, without naming the part of the network or when "
    "the use began; the US wants Seoul to press it to stop.",
    "citations": [
        {
            "source": "androidheadlines-2020-10",
            "location": "paragraph 6",
            "note": "",
            "quote": "However, LG Uplus Co. still does and America wants Seoul officials to pressurize the "
            "carrier to cease relations with Huawei.",
        }
    ],
}
# The language of each alias whose words say which (BCP 47 tags); any other, a brand name such as "LGU+", is
# left undetermined. The CSV writes an alias's tag after it in brackets: "LG유플러스 [ko]".
ALIAS_LANGUAGES = {
    "ko": ["LG유플러스", "SK텔레콤"],
    "ja": ["NTT ドコモ", "ソフトバンク", "楽天"],
    "en": [
        "Korea Telecom", "Three Sweden", "3 Sweden", "Orange Poland", "T-Mobile Poland", "Iliad Italy",
        "Vodafone Italy", "Telia Lithuania", "Telia Sweden", "Telefonica UK", "Telefónica UK", "Telefónica Spain",
        "Telefonica Spain", "Vodafone Netherlands", "T-Mobile Netherlands", "Finnish Shared Networks",
        "Elisa Finland", "DNA Finland", "Vodafone Australia", "Vodafone New Zealand", "One New Zealand",
        "O2 Germany", "Two Degrees",
    ],
    "de": ["Telekom Deutschland", "Telefónica Deutschland", "Telefonica Deutschland", "Vodafone Deutschland"],
    "nl": ["Koninklijke KPN", "T-Mobile Nederland"],
    "pt": ["NOS Comunicações"],
    "lv": ["Latvijas Mobilais Telefons", "Bite Latvija"],
    "et": ["Telia Eesti", "Tele2 Eesti", "Elisa Eesti"],
    "no": ["Telenor Norge", "Telia Norge"],
    "sv": ["Telia Sverige AB", "Tele2 Sverige", "Telenor Sverige"],
    "da": ["Telia Company Danmark"],
    "es": ["Orange España", "Vodafone España"],
}
LANGUAGE_OF_ALIAS = {alias: tag for tag, aliases in ALIAS_LANGUAGES.items() for alias in aliases}


def alias_lines(aliases):
    """A cell of aliases, one a line, each followed by its language tag where one is known."""
    return "\n".join(
        f"{alias} [{LANGUAGE_OF_ALIAS[alias]}]" if alias in LANGUAGE_OF_ALIAS else alias for alias in aliases
    )


SEED_CARRIER_ALIASES = {"sk-telecom": "SK Telecom Co.", "kt": "KT Corp.", "lg-uplus": "LG Uplus Co."}
INITIATIVES = [
    {
        "slug": "clean-network",
        "name": "Clean Network",
        "sponsor": "US",
        "kind": "program",
        "launched_on": "2020-08-05",
        "ended_on": "",
        "led_by": "Mike Pompeo, US Secretary of State",
        "official_url": "https://2017-2021.state.gov/the-clean-network/index.html",
        "targeted_vendors": ["huawei", "zte"],
        "summary": "A US drive to keep untrusted Chinese equipment suppliers out of telecom infrastructure "
        "(pillars: clean carrier, clean store, clean apps, clean cloud, clean cable). Its 5G Clean Path names "
        "Huawei and ZTE as untrusted vendors.",
    },
    {
        "slug": "economic-prosperity-network",
        "name": "Economic Prosperity Network",
        "sponsor": "US",
        "kind": "program",
        "launched_on": "",
        "ended_on": "",
        "led_by": "",
        "official_url": "",
        "targeted_vendors": [],
        "summary": "A US initiative to shift global supply chains away from China.",
    },
    {
        "slug": "eu-5g-toolbox",
        "name": "EU 5G Toolbox",
        "sponsor": "EU",
        "kind": "guidance",
        "launched_on": "",
        "ended_on": "",
        "led_by": "",
        "official_url": "",
        "targeted_vendors": [],
        "summary": "",
    },
    {
        "slug": "prague-proposals",
        "name": "Prague Proposals",
        "sponsor": "CZ",
        "kind": "guidance",
        "launched_on": "",
        "ended_on": "",
        "led_by": "",
        "official_url": "",
        "targeted_vendors": [],
        "summary": "",
    },
]

# ----------------------------------------------------------------------------------------------------------


# What each deadline asks for by its date (removal, no-new, share-cap, other), read from its
# description: a classification of what the source says, not a new fact. Keyed by restriction,
# due date and the description's first 40 characters; a deadline missing here is "other".
MILESTONES = {
    ("be-high-risk-vendors-5g-exclusion-sensitive", "2028"): "removal",
    ("be-high-risk-vendors-5g-share-cap", "2028"): "share-cap",
    ("ca-huawei-zte-4g-5g-removal-2022", "2022-09-01"): "no-new",
    ("ca-huawei-zte-4g-5g-removal-2022", "2024-06-28"): "removal",
    ("ca-huawei-zte-4g-5g-removal-2022", "2027-12-31"): "removal",
    ("de-huawei-zte-5g-removal-2023", "2026-01-01"): "removal",
    ("de-huawei-zte-5g-removal-2023", "2026-10-01"): "share-cap",
    ("de-huawei-zte-5g-removal-2024", "2026"): "removal",
    ("de-huawei-zte-5g-removal-2024", "2029"): "removal",
    ("ee-huawei-4g-5g-removal-2021", "2025"): "removal",
    ("ee-huawei-4g-5g-removal-2021", "2025-12-31"): "removal",
    ("ee-huawei-4g-5g-removal-2021", "2029"): "removal",
    ("ee-huawei-4g-5g-removal-2021", "2029-12-31"): "removal",
    ("fr-huawei-5g-removal-2019", "2023"): "removal",
    ("fr-huawei-5g-removal-2019", "2025"): "removal",
    ("fr-huawei-5g-removal-2019", "2028"): "removal",
    ("fr-huawei-5g-removal-2019", "2031"): "removal",
    ("gb-huawei-5g-ban-new-2020", "2020-12-31"): "no-new",
    ("gb-huawei-5g-fixed-removal-2022", "2022-10-13"): "no-new",
    ("gb-huawei-5g-fixed-removal-2022", "2023-01-28"): "removal",
    ("gb-huawei-5g-fixed-removal-2022", "2023-07"): "share-cap",
    ("gb-huawei-5g-fixed-removal-2022", "2023-10-31"): "share-cap",
    ("gb-huawei-5g-fixed-removal-2022", "2023-12-31"): "removal",
    ("gb-huawei-5g-fixed-removal-2022", "2027-12-31"): "removal",
    ("gb-huawei-5g-removal-2020", "2027"): "removal",
    ("in-huawei-zte-4g-5g-ban-new-2021", "2021-06-15"): "no-new",
    ("se-huawei-zte-5g-ban-new-2020", "2025-01-01", "Huawei and ZTE products in existing infr"): "removal",
    ("us-huawei-zte-hytera-hikvision-dahua-ban-new-2022", "2023-02-06"): "no-new",
}


def milestone(slug, due, description):
    return MILESTONES.get((slug, due, description[:40])) or MILESTONES.get((slug, due), "other")


def slugify(text):
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("ß", "ss").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def unique_slug(base, taken, limit=100):
    base = base[:limit].strip("-")
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def date_cell(value):
    return value or ""


def join(values):
    return SEP.join(values)


def scope(values, allowed):
    """Research segments/technologies as an ordered list of allowed values ('unknown' dropped: not narrowed)."""
    return [value for value in allowed if value in set(values or [])]


FORMULA_TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"
LEADING_WHITESPACE = " \t\r\n\u00a0\u3000"


def escape(value):
    """As carriers/spreadsheet.py: a cell a spreadsheet could run gets a leading apostrophe (the import strips it)."""
    text = "" if value is None else str(value)
    looked = text.lstrip("'")
    first, visible = looked[:1], looked.lstrip(LEADING_WHITESPACE)[:1]
    if any(character and character in FORMULA_TRIGGERS for character in (first, visible)):
        return "'" + text
    return text


class Report:
    def __init__(self):
        self.dropped = []  # (what, why)
        self.merged = []
        self.problems = []
        self.dropped_paths = set()

    def drop(self, what, why):
        self.dropped.append((what, why))


def load():
    groups = []
    for name in RESEARCH_FILES:
        with open(HERE / name, encoding="utf-8") as handle:
            groups.append((name, json.load(handle)))
    with open(HERE / "verification.json", encoding="utf-8") as handle:
        verification = json.load(handle)
    # Later checks (recheck-*.json, same format) add their verdicts; a citation's newest verdict counts.
    for path in sorted(HERE.glob("recheck-*.json")):
        with open(path, encoding="utf-8") as handle:
            verification["checked"] += json.load(handle)["checked"]
    return groups, verification


# Passages a second check (2026-12-04) could not re-find in the stored page, or which do not state
# their fact: left out. Each fact they supported keeps its other citations.
RECHECKED_OUT = {
    ("latribune-2021-02", "Pour SFR et Bouygues Telecom, c'est la douche froide."),  # does not state the ruling
    ("kildarestreet-seanad-2023-02-08", "In respect of the amendments relating to high-risk vendors"),  # not re-found
    ("welt-2019-11", "Vodafone und die Deutsche Telekom setzen dabei Technik von Huawei ein"),  # not re-found
}


def cited(fact):
    """Every citation of a research fact with its path in the file (as verification.json names it)."""
    for j, citation in enumerate(fact.get("citations", [])):
        if any(citation["source"] == key and citation["quote"].startswith(start) for key, start in RECHECKED_OUT):
            continue
        yield f"citations[{j}]", citation


def build():
    report = Report()
    groups, verification = load()
    newest = {(item["file"], item["where"]): item for item in verification["checked"]}
    flagged = {where: item for where, item in newest.items() if item["verdict"] != "exact"}

    # ---- sources: merged by key, then by URL (the same page under several keys) ----
    sources, alias_key, by_url = {}, {}, {}
    for _name, data in groups:
        for source in data["sources"]:
            key = source["key"]
            if key in alias_key:
                continue
            url = source["url"].strip()
            if url in by_url:
                alias_key[key] = by_url[url]
                report.merged.append(f"source {key} is the same page as {by_url[url]}")
                continue
            precision = source["published_precision"]
            published = source["published_on"] or ""
            if precision == "unknown":
                published = ""
            elif published:
                published = published[: {"year": 4, "month": 7, "day": 10}[precision]]
            notes = source["notes"] or ""
            if source["published_on"] and precision == "unknown":
                notes += f" Stored date {source['published_on']} treated as unreliable; publication date left empty."
            record = {
                "key": key,
                "title": source["title"],
                "publisher": source["publisher"],
                "url": url,
                "published_on": published,
                "accessed_on": source["accessed_on"] or "",
                "archive_url": "",
                "notes": notes.strip(),
            }
            if key in SEED_SOURCES:
                record.update(SEED_SOURCES[key])
                if key == "state-clean-network-archive":
                    record["notes"] = SEED_SOURCES[key]["notes"] + " " + (source["notes"] or "")
            sources[key] = record
            alias_key[key] = key
            by_url[url] = key
    report.alias_key = alias_key
    for record in SEED_ONLY_SOURCES:
        sources[record["key"]] = dict(record)
        alias_key[record["key"]] = record["key"]

    def source_key(key):
        if key not in alias_key:
            report.problems.append(f"citation names unknown source {key}")
            return key
        return alias_key[key]

    # ---- carriers: one per group of entries of the same country where one's name is the other's name or alias ----
    entries = [(file_name, carrier) for file_name, data in groups for carrier in data["carriers"]]
    parent = list(range(len(entries)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (_, a) in enumerate(entries):
        for j, (_, b) in enumerate(entries[:i]):
            if a["country"] != b["country"]:
                continue
            a_names = {a["name"].lower(), *(x.lower() for x in a["aliases"])}
            b_names = {b["name"].lower(), *(x.lower() for x in b["aliases"])}
            if a["name"].lower() in b_names or b["name"].lower() in a_names:
                parent[root(i)] = root(j)
    grouped = collections.defaultdict(list)
    for i in range(len(entries)):
        grouped[root(i)].append(entries[i])
    carriers, per_file_carrier, taken_slugs = {}, {}, set()
    for members in grouped.values():
        # The most specific name (the longest; first seen on a tie) names the carrier.
        name = max((carrier["name"] for _, carrier in members), key=len)
        slug = unique_slug(slugify(name), taken_slugs)
        aliases = []
        for _, carrier in members:
            for alias in [carrier["name"], *carrier["aliases"]]:
                if alias.lower() != name.lower() and alias.lower() not in {a.lower() for a in aliases}:
                    aliases.append(alias)
        carriers[slug] = {"slug": slug, "name": name, "country": members[0][1]["country"], "aliases": aliases}
        for file_name, carrier in members:
            per_file_carrier[(file_name, carrier["name"])] = slug
        if len({carrier["name"] for _, carrier in members}) > 1:
            report.merged.append(f"carrier {slug}: " + ", ".join(sorted({c["name"] for _, c in members})))
    for slug, alias in SEED_CARRIER_ALIASES.items():
        if alias not in carriers[slug]["aliases"]:
            carriers[slug]["aliases"].append(alias)

    vendor_slug = {record[0].lower(): slug for slug, record in VENDORS.items()}

    def vendor(name):
        slug = vendor_slug.get(name.lower())
        if slug is None:
            report.problems.append(f"unknown vendor {name}")
        return slug

    # ---- facts ----
    facts = {kind: {} for kind in FACT_KEYS}  # kind -> key tuple -> record (with "citations")
    order = collections.Counter()

    def add_citations(record, citations, file_name, fact_path, what):
        for path, citation in citations:
            item = flagged.get((file_name, f"{fact_path}.{path}"))
            if item:  # a passage a check could not find word for word, or that does not state the fact, is left out
                report.drop(f"citation {citation['source']} ({citation['location']}) on {what}", item["verdict"])
                continue
            entry = {
                "source": source_key(citation["source"]),
                "quote": citation["quote"] or "",
                "location": citation["location"] or "",
                "note": citation["note"] or "",
            }
            record["citations"].append(entry)

    def usable(citations, file_name, fact_path):
        """False when every citation of the fact is flagged by verification.json."""
        paths = [f"{fact_path}.{path}" for path, _ in citations]
        return not paths or not all((file_name, path) in flagged for path in paths)

    def merge(kind, key, record, what):
        if key in facts[kind]:
            existing = facts[kind][key]
            report.merged.append(f"{kind}: {what} stated twice; citations merged")
            existing["citations"].extend(record["citations"])
            for column, value in record.items():
                if column != "citations" and not existing.get(column) and value:
                    existing[column] = value
            return existing
        order[kind] += 1
        record["_order"] = order[kind]
        facts[kind][key] = record
        return record

    restriction_slugs, event_slugs = set(), set()
    restriction_by_title = {}

    # Seed facts first, so their cells win over research duplicates.
    seed_restriction = dict(SEED_RESTRICTION)
    restriction_slugs.add(seed_restriction["slug"])
    restriction_by_title[(seed_restriction["country"], seed_restriction["title"])] = seed_restriction["slug"]
    merge("restrictions", (seed_restriction["slug"],), seed_restriction, "seed restriction")
    seed_event = dict(SEED_EVENT, citations=list(SEED_EVENT["citations"]))
    event_slugs.add(seed_event["slug"])
    merge("events", (seed_event["slug"],), seed_event, "seed event")
    merge(
        "positions",
        ("KR", "clean-network", "declined", "2020-10"),
        dict(SEED_POSITION, citations=list(SEED_POSITION["citations"])),
        "seed position",
    )
    for slug in ("sk-telecom", "kt"):
        merge(
            "labels",
            (slug, "clean-network", "", "", "2020-06-24"),
            {
                "carrier": slug,
                "initiative": "clean-network",
                "wording": "clean telco",
                "scope_segment": "",
                "scope_technology": "",
                "awarded_on": "2020-06-24",
                "withdrawn_on": "",
                "notes": SEED_LABEL_NOTES,
                "citations": list(SEED_LABEL_CITATIONS),
            },
            "seed label",
        )
    seed_equipment = dict(SEED_EQUIPMENT, citations=list(SEED_EQUIPMENT["citations"]))
    merge("equipment", ("lg-uplus", "huawei", "other", "unknown", ""), seed_equipment, "seed equipment")

    def add_deadlines(fact, title, slug, segments, technologies, file_name, path):
        """The deadlines of a research restriction fact, on the restriction `slug`."""
        for k, deadline in enumerate(fact.get("deadlines", [])):
            dpath = f"{path}.deadlines[{k}]"
            dcitations = list(cited(deadline))
            dwhat = f"deadline {deadline['due'] or '(no date)'} of {title}"
            if not usable(dcitations, file_name, dpath):
                report.drop(dwhat, "its only citation is flagged in verification.json")
                continue
            if not deadline["due"]:
                report.drop(dwhat + ": " + deadline["description"], "no due date stated")
                continue
            dsegments = scope(deadline.get("segments"), ALLOWED["segment"])
            dtechnologies = scope(deadline.get("technologies"), ALLOWED["technology"])
            drecord = {
                "restriction": slug,
                "due": deadline["due"],
                "milestone": milestone(slug, deadline["due"], deadline["description"]),
                "segments": [] if dsegments == segments else dsegments,
                "technologies": [] if dtechnologies == technologies else dtechnologies,
                "description": deadline["description"].replace(" | ", "; "),
                "notes": deadline.get("notes") or "",
                "citations": [],
            }
            add_citations(drecord, dcitations, file_name, dpath, dwhat)
            merge("deadlines", tuple(drecord[c] for c in FACT_KEYS["deadlines"]), drecord, dwhat)

    for file_name, data in groups:
        for i, fact in enumerate(data["facts"]):
            path = f"facts[{i}]"
            kind = fact["type"]
            citations = list(cited(fact))
            what = f"{file_name} {path} ({kind})"
            if not usable(citations, file_name, path):
                reason = {flagged[(file_name, f"{path}.{p}")]["verdict"] for p, _ in citations}
                report.dropped_paths.add((file_name, path))
                report.drop(
                    describe(fact), f"its only citation is marked “{', '.join(sorted(reason))}” in verification.json"
                )
                continue
            if kind == "equipment_use":
                carrier = per_file_carrier.get((file_name, fact["carrier"]))
                if carrier is None:
                    carrier = resolve_alias(carriers, fact["carrier"], report, file_name, data)
                record = {
                    "carrier": carrier,
                    "vendor": vendor(fact["vendor"]),
                    "segment": fact["segment"],
                    "technology": fact["technology"],
                    "status": fact["status"],
                    "valid_from": date_cell(fact["valid_from"]),
                    "valid_to": date_cell(fact["valid_to"]),
                    "share_percent": "" if fact["share_percent"] is None else f"{fact['share_percent']:g}",
                    "confidence": fact["confidence"],
                    "notes": fact.get("notes") or "",
                    "citations": [],
                }
                add_citations(record, citations, file_name, path, what)
                key = tuple(record[c] for c in FACT_KEYS["equipment"])
                if key in facts["equipment"]:
                    existing = facts["equipment"][key]
                    differing = [
                        c
                        for c in ("status", "valid_to", "share_percent", "confidence")
                        if existing[c] != record[c] and record[c]
                    ]
                    if differing and existing is not seed_equipment:
                        report.merged.append(
                            f"equipment {key}: two research facts differ on {differing}; merged as disputed"
                        )
                        existing["confidence"] = "disputed"
                        existing["notes"] = (
                            existing["notes"]
                            + " Another research fact on the same key says: "
                            + ", ".join(f"{c} {record[c] or 'empty'}" for c in differing)
                            + ". "
                            + record["notes"]
                        ).strip()
                merge("equipment", key, record, what)
            elif kind == "clean_label":
                carrier = per_file_carrier.get((file_name, fact["carrier"])) or resolve_alias(
                    carriers, fact["carrier"], report, file_name, data
                )
                record = {
                    "carrier": carrier,
                    "initiative": fact["initiative"],
                    "wording": fact["wording"],
                    "scope_segment": "",
                    "scope_technology": "",
                    "awarded_on": date_cell(fact["awarded_on"]),
                    "withdrawn_on": "",
                    "notes": fact.get("notes") or "",
                    "citations": [],
                }
                add_citations(record, citations, file_name, path, what)
                merge("labels", tuple(record[c] for c in FACT_KEYS["labels"]), record, what)
            elif kind == "position":
                if not fact["stated_on"]:
                    report.drop(describe(fact), "no source dates it, and a position needs a date (stated_on)")
                    continue
                record = {
                    "country": fact["country"],
                    "initiative": fact["initiative"],
                    "stance": fact["stance"],
                    "stated_on": fact["stated_on"],
                    "stated_by": fact.get("stated_by") or "",
                    "statement": fact.get("statement") or "",
                    "event": "",
                    "notes": fact.get("notes") or "",
                    "citations": [],
                }
                add_citations(record, citations, file_name, path, what)
                merge("positions", tuple(record[c] for c in FACT_KEYS["positions"]), record, what)
            elif kind == "event":
                if not fact["held_on"]:
                    report.drop(describe(fact), "no source dates it, and an event needs a date (held_on)")
                    continue
                if fact["name"].startswith("5th ROK-U.S. Senior Economic Dialogue"):
                    record = {"citations": []}
                    add_citations(record, citations, file_name, path, what)
                    seed_event["citations"].extend(record["citations"])
                    seed_event["research_summary"] = fact["summary"]
                    report.merged.append(f"event “{fact['name']}” ({fact['held_on']}) merged into the seed event")
                    continue
                slug = unique_slug(slugify(fact["name"]), event_slugs)
                record = {
                    "slug": slug,
                    "name": fact["name"],
                    "kind": fact["kind"],
                    "held_on": fact["held_on"],
                    "countries": list(fact["countries"]),
                    "initiatives": list(fact["initiatives"]),
                    "restrictions": [],
                    "participants": "",
                    "summary": fact.get("summary") or "",
                    "citations": [],
                }
                add_citations(record, citations, file_name, path, what)
                merge("events", (slug,), record, what)
            elif kind == "restriction" and fact.get("restriction"):
                # Deadlines added to a restriction another research file already records (named by its slug).
                existing = facts["restrictions"].get((fact["restriction"],))
                if existing is None:
                    report.problems.append(f"{what}: names unknown restriction {fact['restriction']}")
                    continue
                add_deadlines(
                    fact,
                    existing["title"],
                    existing["slug"],
                    existing["segments"],
                    existing["technologies"],
                    file_name,
                    path,
                )
            elif kind == "restriction":
                technologies = scope(fact["technologies"], ALLOWED["technology"])
                segments = scope(fact["segments"], ALLOWED["segment"])
                vendors = [vendor(v) for v in fact["vendors"]]
                year = (fact["decided_on"] or fact["effective_on"] or "")[:4]
                base = "-".join(
                    filter(
                        None,
                        [
                            fact["country"].lower(),
                            "-".join(vendors) or "high-risk-vendors",
                            "-".join(technologies),
                            fact["kind"],
                            year,
                        ],
                    )
                )
                slug = unique_slug(base, restriction_slugs)
                notes = fact.get("notes") or ""
                if "unknown" in fact["technologies"] and technologies:
                    notes = (
                        notes + " The research also marks the technology as unknown; only the named "
                        "technologies are kept."
                    ).strip()
                record = {
                    "slug": slug,
                    "country": fact["country"],
                    "title": fact["title"],
                    "instrument": fact["instrument"],
                    "vendors": vendors,
                    "segments": segments,
                    "technologies": technologies,
                    "kind": fact["kind"],
                    "status": fact["status"],
                    "decided_on": date_cell(fact["decided_on"]),
                    "effective_on": date_cell(fact["effective_on"]),
                    "notes": notes,
                    "citations": [],
                }
                add_citations(record, citations, file_name, path, what)
                if (fact["country"], fact["title"]) in restriction_by_title:
                    report.problems.append(f"restriction title repeated: {fact['title']}")
                restriction_by_title[(fact["country"], fact["title"])] = slug
                merge("restrictions", (slug,), record, what)
                add_deadlines(fact, fact["title"], slug, segments, technologies, file_name, path)
                for k, change in enumerate(fact.get("status_events", [])):
                    epath = f"{path}.status_events[{k}]"
                    ecitations = list(cited(change))
                    ewhat = f"status event {change['date']} of {fact['title']}: {change['description']}"
                    if not change["date"]:
                        report.drop(
                            f"{fact['country']} status event “{change['description']}”",
                            "no source dates it, and an event needs a date (held_on)",
                        )
                        continue
                    if not usable(ecitations, file_name, epath):
                        report.drop(ewhat, "its only citation is flagged in verification.json")
                        continue
                    name, ekind = STATUS_EVENTS[(fact["country"], change["date"])]
                    eslug = unique_slug(slugify(name), event_slugs)
                    erecord = {
                        "slug": eslug,
                        "name": name,
                        "kind": ekind,
                        "held_on": change["date"],
                        "countries": [fact["country"]],
                        "initiatives": [],
                        "restrictions": [slug],
                        "participants": "",
                        "summary": change["description"],
                        "citations": [],
                    }
                    add_citations(erecord, ecitations, file_name, epath, ewhat)
                    merge("events", (eslug,), erecord, ewhat)
            else:
                report.problems.append(f"unknown fact type {kind}")

    # The seed event's summary and notes stay as the seed has them.
    seed_event.pop("research_summary", None)
    seed_event["notes"] = SEED_EVENT_NOTES

    # Drop facts left without citations.
    for kind, table in facts.items():
        for key in [k for k, record in table.items() if not record["citations"]]:
            report.drop(f"{kind} {key}", "no citation left")
            del table[key]

    # Citations: one per (fact, source, location); identical repeats collapse, different quotes get a numbered location.
    for table in facts.values():
        for record in table.values():
            seen, kept = {}, []
            for citation in record["citations"]:
                key = (citation["source"], citation["location"])
                if key in seen:
                    previous = seen[key]
                    if (previous["quote"], previous["note"]) == (citation["quote"], citation["note"]) or (
                        bare(citation["quote"]) == bare(previous["quote"]) and not citation["note"]
                    ):
                        continue
                    if citation["quote"] == previous["quote"] and not previous["note"]:
                        previous["note"] = citation["note"]
                        continue
                    number = 2
                    while (citation["source"], f"{citation['location']} ({number})") in seen:
                        number += 1
                    citation = dict(citation, location=f"{citation['location']} ({number})".strip())
                    key = (citation["source"], citation["location"])
                seen[key] = citation
                kept.append(citation)
            record["citations"] = kept

    return report, groups, sources, carriers, facts


def bare(quote):
    """A quote without the quotation marks around it, to recognise the same words quoted twice."""
    return quote.strip().strip('"“”').strip()


def describe(fact):
    kind = fact["type"]
    if kind == "equipment_use":
        return (
            f"equipment: {fact['carrier']} – {fact['vendor']} {fact['segment']}/{fact['technology']} "
            f"{fact['status']} from {fact['valid_from'] or '?'}"
        )
    if kind == "clean_label":
        return f"label: {fact['carrier']} “{fact['wording']}” ({fact['initiative']}) {fact['awarded_on'] or 'undated'}"
    if kind == "position":
        return f"position: {fact['country']} {fact['stance']} {fact['initiative']} (stated by {fact.get('stated_by')})"
    if kind == "event":
        return f"event: {fact['name']}"
    return f"{kind}: {fact.get('title')}"


def resolve_alias(carriers, name, report, file_name, data):
    countries = {carrier["country"] for carrier in data["carriers"]}
    matches = [
        slug
        for slug, record in carriers.items()
        if record["country"] in countries
        and name.lower() in {record["name"].lower(), *(a.lower() for a in record["aliases"])}
    ]
    if len(matches) != 1:
        report.problems.append(f"{file_name}: carrier {name} resolves to {matches}")
        return matches[0] if matches else slugify(name)
    return matches[0]


# ----------------------------------------------------------------------------------------------------------


def rows(report, sources, carriers, facts):
    out = {}
    out["initiatives"] = [
        {**initiative, "targeted_vendors": join(initiative["targeted_vendors"])}
        for initiative in sorted(INITIATIVES, key=lambda record: record["slug"])
    ]

    def cell_sources(record):
        keys = []
        for citation in record["citations"]:
            if citation["source"] not in keys:
                keys.append(citation["source"])
        return join(keys)

    citation_rows = []
    for kind in FACT_KEYS:
        table = facts[kind]
        records = sorted(table.values(), key=lambda record: sort_key(kind, record))
        result = []
        for record in records:
            row = {column: record.get(column, "") for column in COLUMNS[kind]}
            for column in ("vendors", "segments", "technologies", "countries", "initiatives", "restrictions"):
                if column in row and isinstance(row[column], list):
                    row[column] = join(row[column])
            row["sources"] = cell_sources(record)
            result.append(row)
            fact = join(str(row[column]) for column in FACT_KEYS[kind])
            for citation in record["citations"]:
                citation_rows.append(
                    {
                        "fact_type": kind,
                        "fact": fact,
                        **{c: citation[c] for c in ("source", "quote", "location", "note")},
                    }
                )
        out[kind] = result
    out["citations"] = citation_rows

    used_sources = {row["source"] for row in citation_rows}
    out["sources"] = [sources[key] for key in sorted(used_sources) if key in sources]

    named_carriers = {row["carrier"] for kind in ("equipment", "labels") for row in out[kind]}
    out["carriers"] = [
        {
            "slug": record["slug"],
            "name": record["name"],
            "country": record["country"],
            "aliases": alias_lines(record["aliases"]),
            "website": "",
            "subscribers": "",
            "subscribers_as_of": "",
        }
        for record in sorted(carriers.values(), key=lambda r: r["slug"])
    ]
    report.unnamed_carriers = sorted(set(carriers) - named_carriers)

    out["vendors"] = [
        {"slug": slug, "name": name, "headquarters": hq, "aliases": alias_lines(aliases)}
        for slug, (name, hq, aliases) in sorted(VENDORS.items())
    ]
    used_countries = set()
    for row in out["carriers"]:
        used_countries.add(row["country"])
    for row in out["vendors"]:
        if row["headquarters"]:
            used_countries.add(row["headquarters"])
    for row in out["initiatives"]:
        used_countries.add(row["sponsor"])
    for kind in ("restrictions", "positions"):
        used_countries.update(row["country"] for row in out[kind])
    for row in out["events"]:
        used_countries.update(row["countries"].split(SEP))
    out["countries"] = [
        {"code": code, "name": COUNTRIES[code][0], "region": COUNTRIES[code][1]}
        for code in sorted(used_countries)
        if code in COUNTRIES
    ]
    missing = used_countries - set(COUNTRIES)
    if missing:
        report.problems.append(f"no country record for {sorted(missing)}")
    return out


def sort_key(kind, record):
    if kind == "events":
        return (record["held_on"], record["name"], record["slug"])
    if kind == "restrictions":
        return (record["country"], record["slug"])
    if kind == "deadlines":
        return (record["restriction"], record["due"], record["description"])
    return tuple(str(record[column]) for column in FACT_KEYS[kind])


def write(out):
    OUT.mkdir(parents=True, exist_ok=True)
    for name, columns in COLUMNS.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in out[name]:
            writer.writerow([escape(row.get(column, "")) for column in columns])
        path = OUT / f"{name}.csv"
        data = buffer.getvalue().encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


# ----------------------------------------------------------------------------------------------------------


DATE = re.compile(r"^(\d{4})(-(\d{2}))?(-(\d{2}))?$")


def valid_date(text):
    match = DATE.match(text)
    if not match:
        return False
    year = int(match.group(1))
    month = int(match.group(3) or 1)
    day = int(match.group(5) or 1)
    return 1980 <= year <= 2056 and 1 <= month <= 12 and 1 <= day <= 31


def period_end(text):
    import calendar

    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return (parts[0], 12, 31)
    if len(parts) == 2:
        return (parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return tuple(parts)


def period_start(text):
    parts = [int(p) for p in text.split("-")]
    return tuple(parts + [1] * (3 - len(parts)))


def check(out, disagreements):
    problems = []

    def bad(message):
        problems.append(message)

    keys = {
        "countries": {row["code"] for row in out["countries"]},
        "vendors": {row["slug"] for row in out["vendors"]},
        "initiatives": {row["slug"] for row in out["initiatives"]},
        "carriers": {row["slug"] for row in out["carriers"]},
        "events": {row["slug"] for row in out["events"]},
        "restrictions": {row["slug"] for row in out["restrictions"]},
        "sources": {row["key"] for row in out["sources"]},
    }

    def ref(kind, value, where):
        if value and value not in keys[kind]:
            bad(f"{where}: unknown {kind} key “{value}”")

    def refs(kind, cell, where, required=False):
        values = [v for v in cell.split(SEP) if v] if cell else []
        if required and not values:
            bad(f"{where}: needs at least one {kind}")
        for value in values:
            ref(kind, value, where)

    def unique(name, columns, case_insensitive=False):
        seen = collections.Counter(
            tuple((row[c].lower() if case_insensitive else row[c]) for c in columns) for row in out[name]
        )
        for key, count in seen.items():
            if count > 1:
                bad(f"{name}: {columns} repeated: {key}")

    def allowed(value, kind, where, empty_ok=False):
        if empty_ok and value == "":
            return
        if value not in set(ALLOWED[kind]):
            bad(f"{where}: “{value}” not allowed for {kind}")

    def dates(row, columns, where, required=()):
        for column in columns:
            if row[column] and not valid_date(row[column]):
                bad(f"{where}: bad date {column}={row[column]}")
            if column in required and not row[column]:
                bad(f"{where}: {column} required")

    def ends_after(row, start, end, where):
        if (
            row[start]
            and row[end]
            and valid_date(row[start])
            and valid_date(row[end])
            and period_end(row[end]) < period_start(row[start])
        ):
            bad(f"{where}: {end} {row[end]} before {start} {row[start]}")

    for name, columns in COLUMNS.items():
        for row in out[name]:
            if set(row) - set(columns) - {"_order", "citations"}:
                pass
    for row in out["countries"]:
        if not re.fullmatch(r"[A-Z]{2}", row["code"]):
            bad(f"country code {row['code']}")
        allowed(row["region"], "region", f"country {row['code']}")
    unique("countries", ["code"])
    unique("countries", ["name"])
    for row in out["vendors"]:
        ref("countries", row["headquarters"], f"vendor {row['slug']}")
    unique("vendors", ["slug"])
    unique("vendors", ["name"])
    for row in out["initiatives"]:
        w = f"initiative {row['slug']}"
        ref("countries", row["sponsor"], w)
        allowed(row["kind"], "initiative_kind", w)
        refs("vendors", row["targeted_vendors"], w)
        dates(row, ["launched_on", "ended_on"], w)
    for row in out["sources"]:
        w = f"source {row['key']}"
        dates(row, ["published_on"], w)
        if row["accessed_on"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["accessed_on"]):
            bad(f"{w}: accessed_on")
        if (
            row["published_on"]
            and row["accessed_on"]
            and period_start(row["accessed_on"]) < period_start(row["published_on"])
        ):
            bad(f"{w}: accessed before published")
        if not row["url"] and not row["notes"].startswith("Offline"):
            bad(f"{w}: no URL and not marked offline")
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", row["key"]) or len(row["key"]) > 100:
            bad(f"{w}: key is not a slug")
        if len(row["title"]) > 300 or len(row["publisher"]) > 200:
            bad(f"{w}: title/publisher too long")
    unique("sources", ["key"])
    unique("sources", ["title", "publisher"])
    unique("sources", ["url"])
    for row in out["carriers"]:
        w = f"carrier {row['slug']}"
        ref("countries", row["country"], w)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["slug"]):
            bad(f"{w}: slug")
    unique("carriers", ["slug"])
    unique("carriers", ["country", "name"], case_insensitive=True)
    for row in out["restrictions"]:
        w = f"restriction {row['slug']}"
        ref("countries", row["country"], w)
        allowed(row["instrument"], "instrument", w)
        refs("vendors", row["vendors"], w)
        for value in filter(None, row["segments"].split(SEP)):
            allowed(value, "segment", w)
        for value in filter(None, row["technologies"].split(SEP)):
            allowed(value, "technology", w)
        allowed(row["kind"], "restriction_kind", w)
        allowed(row["status"], "restriction_status", w)
        dates(row, ["decided_on", "effective_on"], w)
        if len(row["title"]) > 300:
            bad(f"{w}: title too long")
    unique("restrictions", ["slug"])
    unique("restrictions", ["country", "title"])
    for row in out["deadlines"]:
        w = f"deadline {row['restriction']} {row['due']}"
        ref("restrictions", row["restriction"], w)
        dates(row, ["due"], w, required=["due"])
        for value in filter(None, row["segments"].split(SEP)):
            allowed(value, "segment", w)
        for value in filter(None, row["technologies"].split(SEP)):
            allowed(value, "technology", w)
        if SEP in row["description"] or not row["description"]:
            bad(f"{w}: description empty or holds the separator")
    unique("deadlines", ["restriction", "due", "description"])
    for row in out["events"]:
        w = f"event {row['slug']}"
        allowed(row["kind"], "event_kind", w)
        dates(row, ["held_on"], w, required=["held_on"])
        refs("countries", row["countries"], w, required=True)
        refs("initiatives", row["initiatives"], w)
        refs("restrictions", row["restrictions"], w)
        if len(row["name"]) > 300:
            bad(f"{w}: name too long")
    unique("events", ["slug"])
    unique("events", ["name", "held_on"], case_insensitive=True)
    for row in out["equipment"]:
        w = f"equipment {row['carrier']}/{row['vendor']}/{row['segment']}/{row['technology']}/{row['valid_from']}"
        ref("carriers", row["carrier"], w)
        ref("vendors", row["vendor"], w)
        allowed(row["segment"], "segment", w)
        allowed(row["technology"], "equipment_technology", w)
        allowed(row["status"], "equipment_status", w)
        allowed(row["confidence"], "confidence", w)
        dates(row, ["valid_from", "valid_to"], w)
        ends_after(row, "valid_from", "valid_to", w)
        if row["share_percent"] and not 0 <= float(row["share_percent"]) <= 100:
            bad(f"{w}: share")
    unique("equipment", FACT_KEYS["equipment"])
    for row in out["labels"]:
        w = f"label {row['carrier']}/{row['awarded_on']}"
        ref("carriers", row["carrier"], w)
        ref("initiatives", row["initiative"], w)
        allowed(row["scope_segment"], "segment", w, empty_ok=True)
        allowed(row["scope_technology"], "equipment_technology", w, empty_ok=True)
        dates(row, ["awarded_on", "withdrawn_on"], w)
        ends_after(row, "awarded_on", "withdrawn_on", w)
        if not row["wording"]:
            bad(f"{w}: wording")
    unique("labels", FACT_KEYS["labels"])
    for row in out["positions"]:
        w = f"position {row['country']}/{row['initiative']}/{row['stance']}/{row['stated_on']}"
        ref("countries", row["country"], w)
        ref("initiatives", row["initiative"], w)
        allowed(row["stance"], "stance", w)
        ref("events", row["event"], w)
        dates(row, ["stated_on"], w, required=["stated_on"])
        if len(row["stated_by"]) > 300:
            bad(f"{w}: stated_by too long")
    unique("positions", FACT_KEYS["positions"])
    facts_named = {kind: {join(row[c] for c in FACT_KEYS[kind]) for row in out[kind]} for kind in FACT_KEYS}
    cited_facts = collections.defaultdict(set)
    for row in out["citations"]:
        w = f"citation {row['fact_type']} {row['fact']} {row['source']}"
        if row["fact_type"] not in FACT_KEYS:
            bad(f"{w}: fact_type")
            continue
        if row["fact"] not in facts_named[row["fact_type"]]:
            bad(f"{w}: names no fact")
        ref("sources", row["source"], w)
        if not row["quote"].strip() and not row["note"].strip():
            bad(f"{w}: neither quote nor note")
        if len(row["location"]) > 200 or len(row["note"]) > 500:
            bad(f"{w}: location or note too long ({len(row['location'])}, {len(row['note'])})")
        cited_facts[row["fact_type"]].add(row["fact"])
    unique("citations", ["fact_type", "fact", "source", "location"])
    for kind in FACT_KEYS:
        for fact in facts_named[kind] - cited_facts[kind]:
            bad(f"{kind} {fact}: no citation")
        for row in out[kind]:
            listed = [s for s in row["sources"].split(SEP) if s]
            if not listed:
                bad(f"{kind} {join(row[c] for c in FACT_KEYS[kind])}: empty sources")
    cited_sources = {row["source"] for row in out["citations"]}
    for key in keys["sources"] - cited_sources:
        bad(f"source {key} is cited by no citation")

    # Coverage.
    carrier_country = {row["slug"]: row["country"] for row in out["carriers"]}
    with_fact = set()
    with_fact.update(carrier_country[row["carrier"]] for kind in ("equipment", "labels") for row in out[kind])
    with_fact.update(row["country"] for kind in ("positions", "restrictions") for row in out[kind])
    for row in out["events"]:
        with_fact.update(row["countries"].split(SEP))
    with_policy = {row["country"] for kind in ("positions", "restrictions") for row in out[kind]}
    with_fact.discard("EU")
    with_policy.discard("EU")
    counts = {
        "countries with at least one fact": (len(with_fact), 30),
        "countries with a position or restriction": (len(with_policy), 25),
        "carriers": (len(out["carriers"]), 60),
        "equipment facts": (len(out["equipment"]), 120),
        "restrictions": (len(out["restrictions"]), 20),
        "deadlines": (len(out["deadlines"]), 30),
        "clean labels": (len(out["labels"]), None),
        "positions": (len(out["positions"]), None),
        "events": (len(out["events"]), None),
        "sources": (len(out["sources"]), 80),
        "citations": (len(out["citations"]), 250),
        "disagreements": (disagreements, 5),
    }
    required = [
        "KR",
        "JP",
        "IN",
        "AU",
        "NZ",
        "CA",
        "US",
        "GB",
        "DE",
        "FR",
        "IT",
        "ES",
        "PT",
        "SE",
        "DK",
        "NO",
        "FI",
        "BE",
        "NL",
        "PL",
        "CZ",
        "RO",
        "EE",
        "LV",
        "LT",
        "AT",
        "IE",
    ]
    missing = [code for code in required if code not in with_fact]
    return problems, counts, missing, sorted(with_fact), sorted(with_policy)


# ----------------------------------------------------------------------------------------------------------
# README.md of the dataset: the prose below, then the counts, the dropped facts, the disagreements and the
# research's `not_sourced` lists, all generated so they stay true when the CSVs are regenerated.

README_INTRO = """# Public record: Huawei/ZTE in telecom networks, restrictions and positions

The real, public record the tracker loads (issue 13): which carriers run or chose which vendors, who was
called “clean”, which governments restrict which vendors with which deadlines, and where each country stood on
the US Clean Network, the EU 5G Toolbox and the Prague Proposals. Every fact cites at least one source with the
source's own words.

**Generated — do not edit the CSV files or this README by hand.** They are written by
`python3 dataset/research/to_csv.py` from the research notes in `dataset/research/*.json` (format and rules of
evidence in `dataset/research/FORMAT.md`) and from the seed story of
`carriers/management/commands/load_sample_data.py`. The converter is deterministic and idempotent, and it ends
with a checker (references, uniqueness keys, allowed values, dates) that prints the counts below. Load the folder
with `python manage.py load_dataset dataset/public-record` (dry-run validation, then all or nothing; loading it
again changes nothing).

## Files

`countries.csv`, `vendors.csv`, `initiatives.csv`, `sources.csv`, `carriers.csv`, `restrictions.csv`,
`deadlines.csv`, `events.csv`, `equipment.csv`, `labels.csv`, `positions.csv`, `citations.csv`, in the columns of
the public CSV downloads. Lists inside a cell are separated by ` | `; aliases and participants are one per line
inside the cell, an alias followed by its language tag where its words say which (`LG유플러스 [ko]`);
dates are ISO at their precision (`2027` means “in/by the end of 2027”); an empty cell is
unknown. Empty `segments`/`technologies` on a restriction mean “not narrowed”; on a deadline, “the restriction's
scope”. `citations.csv` names each fact by its identifying cells joined by ` | `. As in the app's exports, a
cell that a spreadsheet could run as a formula would get a leading apostrophe, which the import removes.

## Licence

The data (the CSV files and this README) is licensed under
[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Quotes in `citations.csv` (and the `statement` of
positions) are short excerpts used under fair use / fair dealing for the purpose of citation, and remain the
work of their publishers, named in `sources.csv` with the address of the page.

## Method

- Four research groups (asia-pacific, north-atlantic, north-east-europe, western-europe) read stored copies of
  public pages and recorded each fact with verbatim quotes, the page's URL as the search tool gave it, the
  publisher, the publication date at the precision the page gives, and the date read (all 2026-12-04). A later
  pass (`deadlines-extra.json`) adds dated deadlines the same way; where the restriction is already recorded, it
  names the restriction's slug and adds only deadlines to it.
- The conversion adds nothing: every fact, date and quote comes from the research JSON or the seed file; quotes
  are copied character for character. Paraphrases stay in citation notes.
- Sources recorded under several keys for the same URL are merged under the first key; a publication date the
  research marks as of unknown precision (unreliable stored header) is left empty and said so in the notes.
  Only sources that some citation uses are listed.
- Carriers recorded by several groups are merged when they are in the same country and one's name is the other's
  name or alias (e.g. “NTT” → NTT Docomo, “Orange” → Orange France); the longest name names the carrier.
- The seed story stays as it was: its sources, the fifth US–South Korea Senior Economic Dialogue
  (`fifth-us-rok-senior-economic-dialogue`, October 2020), South Korea's declined position on the Clean
  Network, the SK Telecom and KT “clean telco” labels of 24 June 2020, LG Uplus on Huawei (segment other,
  technology unknown, no start date) and `kr-declines-huawei-ban-2020`, with the seed's own quotes, notes and
  locations. Where the research holds the same fact, its citations are added to the seed's row; the seed's
  cells win. The Android Headlines article, which the seed recorded without URL, has the URL the research
  found for it (same title and publisher), so it is not an offline source. The Korean foreign ministry's
  release at mofa.go.kr is cited only by the seed (the research read a consulate-site copy, `mofa-5th-sed`).
- Each dated `status_events` entry of a research restriction is an event linked to its restriction, named
  briefly from its description (the description is its summary); court decisions are of kind court-ruling.
- Restriction technologies recorded as “unknown” are left empty (not narrowed); a deadline whose scope equals its
  restriction's has empty segments/technologies.
- A research fact citing the same source twice at the same location with different passages keeps both: the
  second location gets a number, e.g. `paragraph 3 (2)`.
- Independent verification (`dataset/research/verification.json`, a random sample of 60 citations): a citation
  marked “does not state the fact” is removed from its fact; a fact whose only citations are marked “not
  re-found” or “does not state the fact” is dropped; a “not re-found” citation on a fact that has other
  citations is kept, with a note saying so.
"""


def readme(out, counts, missing, with_fact, with_policy, report, groups, alias_key):
    lines = [README_INTRO, "## Coverage", ""]
    for label, (count, target) in counts.items():
        met = "" if target is None else f" (target {target}: {'met' if count >= target else 'not met'})"
        lines.append(f"- {label}: **{count}**{met}")
    names = {row["code"]: row["name"] for row in out["countries"]}
    lines += [
        "",
        "Countries with at least one fact (not counting the EU): " + ", ".join(names[c] for c in with_fact) + ".",
        "",
        "Countries with a position or a restriction: " + ", ".join(names[c] for c in with_policy) + ".",
        "",
    ]
    if missing:
        lines += ["Required countries without any fact: " + ", ".join(missing) + ".", ""]
    deadlines = counts["deadlines"][0]
    if deadlines < 30:
        deadline_gap = (
            f"- **Deadlines: {deadlines}, short of the 30 asked for.** The research records 31 deadlines; those "
            "without a calendar date (relative deadlines such as “within five years” of a law) cannot be "
            "recorded as dated milestones and are listed below. Nothing was added to reach the target."
        )
    else:
        deadline_gap = (
            f"- Deadlines: {deadlines}. Deadlines without a calendar date (relative deadlines such as “within five "
            "years” of a law) cannot be recorded as dated milestones and are listed below. Some recorded deadlines "
            "come from proposals, drafts or a single carrier's permit; their notes say so."
        )
    lines += [
        "## Known gaps",
        "",
        deadline_gap,
        "- Positions and events need a date in the tracker. Research positions and events that no source dates are "
        "left out (listed below) — among them most of the US-side claims that countries “joined” or "
        "“supported” the Clean Network (techdiplomacy.org, Pompeo's statements), so the Clean Network positions of "
        "Japan (joined), Australia, New Zealand, India, Canada, South Korea (joined, a Wikipedia mirror) and the "
        "European countries Pompeo named are not in `positions.csv`. Their sources and quotes remain in the "
        "research JSON.",
        "- The initiatives' own records (launch dates, URLs) are filled only where a source states them: the EU 5G "
        "Toolbox and the Prague Proposals have no launch date or official URL here.",
        "- Carriers have no website or subscriber counts: no research source was recorded for them.",
        "- Vendors' headquarters are reference data (Rakuten Symphony's is left empty).",
        "",
        "- Verification (`verification.json`): the Caixin citation on KDDI–Huawei and the Mobile World Live "
        "sentence on Vodafone UK–Samsung do not state their facts and are removed (both facts keep other "
        "citations); the Czech “supports the Clean Network” position (Pompeo's claim, via Yahoo/AAP) does not "
        "state a Czech position and is out anyway for lack of a date; the undated Plus “Clean Telcos” label rests "
        "only on a page not re-found and is dropped (Plus keeps its dated label of 17 October 2020).",
        "",
        "### Facts and citations left out",
        "",
    ]
    for what, why in report.dropped:
        lines.append(f"- {what} — {why}.")
    lines += [
        "",
        "### Citations kept although the verification did not re-find them",
        "",
        "The independent check could not re-find these pages within two searches (not proof of error); each sits "
        "on a fact with other citations, and its note says so:",
        "",
    ]
    with open(HERE / "verification.json", encoding="utf-8") as handle:
        verification = json.load(handle)
    quotes = {bare(row["quote"]) for row in out["citations"]}
    for item in verification["checked"]:
        dropped = (item["file"], item["where"].split(".")[0]) in report.dropped_paths
        if item["verdict"] == "not re-found" and not dropped:
            lines.append(f"- `{item['source']}` on {item['fact_summary'][:160]} ({item['file']})")
    lines += [
        "",
        "## Disagreements kept",
        "",
        "Where sources disagree, both versions are kept as facts or citations (marked `disputed` where it is the "
        "equipment fact itself that is in doubt). “In the CSVs” says whether the version's quote is among the "
        "citations; a version whose fact had to be left out (for lack of a date) is kept here only.",
        "",
    ]
    quotes = {bare(row["quote"]) for row in out["citations"]}
    number = 0
    for file_name, data in groups:
        for item in data["disagreements"]:
            number += 1
            lines.append(f"{number}. **{item['about']}** ({file_name})")
            for version in item["versions"]:
                key = alias_key.get(version["source"], version["source"])
                kept = "in the CSVs" if bare(version["quote"]) in quotes else "not in the CSVs"
                lines.append(f"   - {version['claim']} — `{key}`, {kept}")
    number += 1
    lines += [
        f"{number}. **Does KDDI use Huawei equipment?** (asia-pacific.json) The fact “KDDI uses Huawei (other, 4G)” "
        "is kept as `disputed`; the contrary report below was attached to it as a citation, which the verification "
        "found does not state the fact, so it is recorded here instead:",
        "   - KDDI has not used Huawei/ZTE products in its key facilities — `caixin-2018-12-11`: “Docomo has not "
        "used products made by either Huawei or Chinese firm ZTE Corp. in its 4G system, while KDDI has not used "
        "their products in its key facilities, according to the report.”",
        "",
        "## Looked for and not sourced",
        "",
        "What the research groups looked for in the pages they read and could not find stated:",
        "",
    ]
    for file_name, data in groups:
        lines.append(f"### {file_name}")
        lines.append("")
        for item in data["not_sourced"]:
            lines.append(f"- {item}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main():
    report, groups, sources, carriers, facts = build()
    out = rows(report, sources, carriers, facts)
    disagreements = sum(len(data["disagreements"]) for _, data in groups)
    write(out)
    problems, counts, missing, with_fact, with_policy = check(out, disagreements + 1)
    text = readme(out, counts, missing, with_fact, with_policy, report, groups, report.alias_key)
    path = OUT / "README.md"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    problems = report.problems + problems
    for what, why in report.dropped:
        print(f"dropped: {what} — {why}")
    print()
    for label, (count, target) in counts.items():
        status = "" if target is None else (f"  (target {target}: {'met' if count >= target else 'MISSED'})")
        print(f"{label}: {count}{status}")
    print("countries with a fact:", " ".join(with_fact))
    print("countries with a position or restriction:", " ".join(with_policy))
    if missing:
        print("required countries without a fact:", " ".join(missing))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for problem in problems:
            print("  " + problem)
        return 1
    print("\nAll checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
