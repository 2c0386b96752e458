"""gunicorn configuration for the portal: `gunicorn -c ocop_portal/gunicorn_conf.py ocop_portal.wsgi:application`.

Used by the Dockerfile and docker-compose.yml. Each value can be overridden from the environment.
"""
import os

import gunicorn.http.wsgi

# gunicorn writes "Server: gunicorn" on every response, naming the software to anyone who asks. Its
# Response class reads the name from gunicorn.http.wsgi.SERVER when it is created; this file runs in the
# master before the workers fork, so every worker answers with this neutral name instead.
gunicorn.http.wsgi.SERVER = "OCOP"

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two sync workers were the fastest on two cores (measured with wrk; more were slower).
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
