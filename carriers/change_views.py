"""The public list of recent changes: what was added, changed, removed or restored, and when."""

from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .caching import CachedCountPaginator, UntilNextEdit, page_cached_until_next_edit
from .change_filters import ChangeFilter
from .changes import describe
from .views import PagingForm, csv_query


@require_safe
@page_cached_until_next_edit
def change_list(request):
    filterset = ChangeFilter(request.GET, request=request)
    paging = PagingForm(request.GET)
    query = csv_query(request)
    context = {
        "filter": filterset,
        "paging": paging,
        "page_obj": None,
        "changes": [],
        "feed_url": reverse("carriers:change-feed"),
        "feed_query": query,
    }
    if not (filterset.is_valid() & paging.is_valid()):
        return render(request, "carriers/change_list.html", context, status=400)
    paginator = CachedCountPaginator(
        filterset.changes(), paging.cleaned_data["page_size"], UntilNextEdit(request, request.path, query)
    )
    try:
        context["page_obj"] = paginator.page(paging.cleaned_data["page"])
    except EmptyPage as error:
        raise Http404("No such page.") from error
    context["changes"] = describe(context["page_obj"].object_list)
    return render(request, "carriers/change_list.html", context)
