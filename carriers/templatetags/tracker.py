from django import template
from django.utils.html import format_html

from carriers import importing
from carriers.charts import isolated as isolate_text
from carriers.models.dates import period

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column heading that sorts by `field`, and reverses the order when clicked again."""
    current = context["request"].GET.get("ordering", "")
    descending = current == field
    target = f"-{field}" if descending else field
    arrow = " ▲" if current == field else " ▼" if current == f"-{field}" else ""
    return format_html('<a href="{}">{}{}</a>', query_with(context, ordering=target, page=None), label, arrow)


@register.filter
def days_left_on(deadline, as_of):
    """Days from the page's date (the first day of its period) to the deadline; negative once passed."""
    return deadline.days_remaining(as_of.first)


@register.filter
def absolute(number):
    return abs(number)


@register.filter
def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


@register.filter
def import_problems(result):
    """(line, message) for everything wrong with an import, as the import_csv command lists them."""
    return importing.problems(result)


@register.filter
def would_change(result):
    return bool(result.totals["new"] or result.totals["update"])


@register.simple_tag
def state_on(start, end, date):
    """How a fact from `start` to `end` (PartialDates or None) stood on `date`: "ended", "not begun" or "in force".

    Read as `valid_on` reads dates, so a fact shown in force is one the lists' as_of keeps.
    """
    first, last = period(date)
    if end is not None and end.last < first:
        return "ended"
    if start is not None and start.first > last:
        return "not begun"
    return "in force"


@register.simple_tag
def active_filter_count(form):
    """How many of a filter form's filters the query sets (sorting is not one): the folded form's summary says it."""
    count = 0
    for field in form:
        values = field.value()
        values = values if isinstance(values, list | tuple) else [values]
        if field.name != "ordering" and any(value not in (None, "") for value in values):
            count += 1
    return count


@register.filter
def bdi(text):
    """Text from the data in running text, isolated: a stray direction mark in it cannot reorder what follows."""
    return format_html("<bdi>{}</bdi>", text)


@register.filter
def isolated(text):
    """`bdi` for SVG text and tooltips, which hold no markup."""
    return isolate_text(text)
