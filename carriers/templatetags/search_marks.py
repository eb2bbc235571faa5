from django import template

from .. import search

register = template.Library()


@register.filter
def highlight(value, text):
    return search.highlight(value, text)


@register.filter
def matching_aliases(record, text):
    return search.matching_aliases(record, text)
