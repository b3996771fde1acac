# The monitor job as an image: `docker compose run --rm monitor check ...` or `... demo --scenario NAME`.
FROM python:3.11-slim
WORKDIR /app
# Dependencies first, pinned, in a layer of their own: a change of the code does not reinstall them.
COPY deploy/image-requirements.txt ./
RUN pip install --no-cache-dir --requirement image-requirements.txt
# Then the package itself; its dependencies and the PostgreSQL driver the compose warehouse needs are in place.
COPY pyproject.toml README.md LICENSE ./
COPY exporter ./exporter
RUN pip install --no-cache-dir --no-deps .
USER 65534:65534
ENTRYPOINT ["daily-metrics-monitor"]
CMD ["demo"]
