FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ocop_portal.settings_production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core gettext curl postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=build python manage.py compilemessages -i .venv \
    && SECRET_KEY=build ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home ocop && mkdir -p /data/media && chown -R ocop /data
USER ocop
EXPOSE 8000
# Bind, workers and timeout, and a neutral Server header, come from ocop_portal/gunicorn_conf.py.
CMD ["gunicorn", "-c", "ocop_portal/gunicorn_conf.py", "ocop_portal.wsgi:application"]
