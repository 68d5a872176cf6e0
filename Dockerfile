# The portal's image: web (gunicorn), Celery worker and beat share it (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# gettext compiles the catalogs; Pango and the Noto fonts let WeasyPrint lay out Arabic PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-noto-core fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0

# bin/web collects the static files again at each start (only what changed is compressed again).
RUN useradd --create-home ogp && mkdir -p /app/var && chown -R ogp /app/var /app/staticfiles
USER ogp
EXPOSE 8000
# The processes (docker-compose.yml): bin/web (the default), bin/worker, bin/beat.
CMD ["bin/web"]
