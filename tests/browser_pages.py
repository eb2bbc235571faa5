"""Every type of public page, once, for the browser tests that visit them all (layout, accessibility).

Add a page type here and both visit it (the `every_page_type` fixture gives its path). A path may name
`{source}`, the sample data's first source.
"""

# The lists: each has its filters and a table of results.
LIST_PAGES = {
    "countries": "/countries/",
    "carriers": "/carriers/",
    "vendors": "/vendors/",
    "initiatives": "/initiatives/",
    "equipment": "/equipment/",
    "labels": "/labels/",
    "positions": "/positions/",
    "events": "/events/",
    "sources": "/sources/",
    "restrictions": "/restrictions/",
    "deadlines": "/deadlines/",
    "citations": "/citations/",
    "changes": "/changes/",
}
PAGE_TYPES = {
    "dashboard": "/",
    **LIST_PAGES,
    "country": "/countries/KR/",
    "carrier": "/carriers/lg-uplus/",
    "vendor": "/vendors/huawei/",
    "initiative": "/initiatives/clean-network/",
    "source": "/sources/{source}/",
    "deadline exposure": "/deadlines/exposure/",
    "coverage": "/about/coverage/",
    "data dictionary": "/about/data/",
    "releases": "/releases/",
    "release": "/releases/1/",
    "API docs": "/api/v1/",
    "map": "/map/",
    "search": "/search/?q=huawei",
}
