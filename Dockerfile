# The monitor job as an image: `docker compose run --rm monitor check ...` or `... demo --scenario NAME`.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY exporter ./exporter
# The README's install, with the PostgreSQL driver extra the compose warehouse needs.
RUN pip install --no-cache-dir '.[postgresql]'
USER nobody
ENTRYPOINT ["daily-metrics-monitor"]
CMD ["demo"]
