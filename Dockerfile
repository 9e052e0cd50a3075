# The portal's production image: gunicorn serves the site; the same image runs the Celery
# worker and beat (see docker-compose.yml). Static files are collected at build time with
# cache-busting names (STATIC_MANIFEST=1) and served by WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=network.settings \
    STATIC_MANIFEST=1 \
    WEB_CONCURRENCY=3

WORKDIR /app
RUN useradd --system --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin portal

# WeasyPrint (the annual report's PDF) needs Pango, HarfBuzz and a font from Debian.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them. Every wheel is prebuilt
# (psycopg2-binary included): no compiler in the image.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# var/ holds collected static files and uploads (a volume in compose); the app user owns
# it, and nothing else in /app is writable by that user.
RUN mkdir -p var/media && chown -R portal:portal var
USER portal

# Settings need no secrets to collect static files; the build has no database.
RUN python manage.py collectstatic --noinput

EXPOSE 8000
# gunicorn.conf.py: port 8000, access log, the TLS proxy's X-Forwarded-Proto trusted, no
# Server banner. WEB_CONCURRENCY sets the worker count.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "network.wsgi:application"]
