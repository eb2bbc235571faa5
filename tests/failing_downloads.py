"""The app as gunicorn serves it, except that every CSV download fails after its first lines.

Only test_download_failures serves it: a drill for a database or disk failing midway through a
download, which no request can provoke on purpose.
"""

from tracker.wsgi import application

from carriers import exports  # isort: skip (after Django is set up by the line above)

LINES_BEFORE_FAILURE = 2
streamed_lines = exports.Export.lines


def lines_then_failure(self, queryset, *args, **kwargs):
    for number, line in enumerate(streamed_lines(self, queryset, *args, **kwargs)):
        if number == LINES_BEFORE_FAILURE:
            break
        yield line
    raise OSError("storage failed midway (drill)")


exports.Export.lines = lines_then_failure
__all__ = ["application"]
