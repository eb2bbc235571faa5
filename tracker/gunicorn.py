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
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
