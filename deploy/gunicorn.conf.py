"""gunicorn's settings for one web server: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Each value can be changed by the environment variable named beside it (or on the command line,
which wins). Several web servers behind the proxy each run this; they share nothing but
PostgreSQL, the bucket and (optionally) Redis, so any of them can serve any request.
README.md, "Deployment", says what else each machine needs."""

import multiprocessing
import os

# Behind the proxy on the same machine (or the private network): never on a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: each request holds one worker while it runs. Pages take well under a
# second; PDFs, big imports and exports are made by the task worker (run_worker), not in a request. Two per core
# and one more is gunicorn's usual rule; the Django app takes ~150 MB a worker.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request still running after this many seconds is killed (and its worker replaced): longer
# than the slowest page or upload should take, short enough that a stuck one frees its worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On SIGTERM (a deploy, systemctl stop), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Keep-alive with the proxy; keep it below the proxy's own upstream keep-alive timeout.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Workers are replaced after this many requests (with jitter, so not all at once), which bounds
# any slow growth in memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))

# The proxy's address, whose X-Forwarded-* headers gunicorn believes (the app reads
# X-Forwarded-Proto itself with BEHIND_TLS_PROXY=true, and the client's address from
# CLIENT_IP_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Limits on the request line and headers; the body's size is limited by the proxy
# (client_max_body_size) and by MAX_UPLOAD_BYTES.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Logs to standard error, for journald or the container's log. The access log names paths
# only (%(U)s), which hold no identifiers (no child's details are ever in a URL). Query strings
# are never logged: an invitation link's token is in one (/invitation/?t=...), so never use
# %(r)s (the request line), %(q)s (the query) or %(f)s (the Referer) here.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Load the app in each worker, not in the master: a worker replaced after max_requests then
# opens its own database connections cleanly.
preload_app = False
