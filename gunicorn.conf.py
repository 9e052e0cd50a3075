"""gunicorn's configuration for the portal's image (Dockerfile, docker-compose.yml):
`gunicorn -c gunicorn.conf.py network.wsgi:application`.

Settings here are gunicorn's (https://docs.gunicorn.org/en/stable/settings.html); the
worker count comes from WEB_CONCURRENCY, which gunicorn reads itself.
"""

import gunicorn.http.wsgi

bind = "0.0.0.0:8000"  # noqa: S104  (inside the container; compose publishes it on 127.0.0.1)
accesslog = "-"
# The TLS proxy in front sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = "*"

# No `Server: gunicorn` banner: it tells a scanner which server (and so which advisories)
# to try, and nobody else needs it. gunicorn writes the header itself, below Django, so no
# middleware can remove it, and it has no setting for it: filter it out of the headers
# its responses start with. tests/integration/test_gunicorn.py checks a real gunicorn.
_default_headers = gunicorn.http.wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


gunicorn.http.wsgi.Response.default_headers = _default_headers_without_server
