"""gunicorn settings for production-like serving: `gunicorn -c tracker/gunicorn.py tracker.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers keep answering the arbiter's heartbeat while a thread streams a long CSV,
# so a million-row download is not killed by the worker timeout as a sync worker would be.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The request line holds the method, path and protocol besides the query string: room for them, so that a
# query string over the app's limit gets its readable 414 (carriers/middleware.py), not gunicorn's bare one.
limit_request_line = 8190  # the most gunicorn allows
if int(os.environ.get("DJANGO_MAX_QUERY_STRING_BYTES", "8000")) > limit_request_line - 190:
    raise SystemExit("Behind gunicorn, DJANGO_MAX_QUERY_STRING_BYTES can be at most 8000.")
