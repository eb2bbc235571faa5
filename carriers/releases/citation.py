"""How to cite a release: a sentence for papers, and CITATION.cff (Citation File Format 1.2.0)."""

import json

from .package import AUTHOR, LICENCE, TITLE


def citation_text(release, url):
    year = release.created_at.year
    return (
        f"{AUTHOR} ({year}). {TITLE}, release {release.number} [Data set], "
        f"{release.created_at.date().isoformat()}. {LICENCE['name']}. {url} "
        f"(SHA-256 of {release.file_name}: {release.sha256})"
    )


def citation_cff(release, url):
    """CFF is YAML; every value is written as a JSON string, which YAML reads as the same string."""
    return "\n".join(
        [
            'cff-version: "1.2.0"',
            f"message: {json.dumps('If you use this data, please cite this release as below.')}",
            "type: dataset",
            f"title: {json.dumps(f'{TITLE}, release {release.number}')}",
            f"version: {json.dumps(str(release.number))}",
            f"date-released: {json.dumps(release.created_at.date().isoformat())}",
            "authors:",
            f"  - name: {json.dumps(AUTHOR)}",
            f"license: {json.dumps(LICENCE['name'])}",
            f"url: {json.dumps(url)}",
            "",
        ]
    )
