"""Public pages of the releases: the list, each release's changelog, its zip and its CITATION.cff."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from carriers.models import Release

from . import changelog
from .citation import citation_cff, citation_text


def described(request, release):
    """The release with what its pages show: change totals and how to cite it."""
    url = request.build_absolute_uri(release.get_absolute_url())
    release.added, release.removed, release.changed = changelog.totals(release.changelog)
    release.citation = citation_text(release, url)
    return release


@require_safe
def release_list(request):
    releases = [described(request, release) for release in Release.objects.all()]
    return render(request, "carriers/release_list.html", {"releases": releases})


@require_safe
def release_detail(request, number):
    release = described(request, get_object_or_404(Release, number=number))
    changes = [
        {"table": table, "title": release.tables.get(table, {}).get("title", table), **rows}
        for table, rows in release.changelog.items()
    ]
    return render(request, "carriers/release_detail.html", {"release": release, "changes": changes})


@require_safe
def release_download(request, number):
    release = get_object_or_404(Release, number=number)
    try:
        stream = open(release.path, "rb")  # noqa: SIM115 -- FileResponse closes it once sent
    except FileNotFoundError as error:
        raise Http404("This release's file is missing from the releases folder.") from error
    return FileResponse(stream, as_attachment=True, filename=release.file_name, content_type="application/zip")


@require_safe
def release_citation(request, number):
    release = get_object_or_404(Release, number=number)
    text = citation_cff(release, request.build_absolute_uri(release.get_absolute_url()))
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="CITATION.cff"'
    return response
