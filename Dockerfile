# Podium's production image: gunicorn serving podium.wsgi:app, the same image runs the mail
# worker and the migrations (see compose.yaml and docs/deployment.md).
#
#   docker build -t podium:local .                      # BuildKit or the classic builder
#   docker build --build-arg PIP_INDEX_URL=https://mirror.example/simple -t podium:local .
#
# Stages, so that a change to Podium's code rebuilds only the last two small layers:
#   requirements  pyproject.toml -> requirements.txt (only [project].dependencies), plus the
#                 pinned versions in requirements.lock, so every build installs the same ones
#   build-tools   pip, setuptools and installer in /opt/build (never shipped)
#   deps          virtualenv /opt/venv with the dependencies; cached while the list is unchanged
#   app           Podium itself, built as a wheel from src/ and installed under /staging
#   runtime       deps' virtualenv + Podium's files + migrations, run as the unprivileged podium
#
# No secret is needed to build and none ends up in a layer: SECRET_KEY, DATABASE_URL and SMTP
# credentials come from the environment or *_FILE variables at run time. PIP_INDEX_URL is a plain
# build argument (it is recorded in the image history, so never put credentials in it).

# Pinned to a Python minor version and a Debian release; pin a digest (name@sha256:...) in
# production to make rebuilds byte-for-byte reproducible.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS requirements
WORKDIR /src
COPY pyproject.toml requirements.lock ./
# Only the dependency list goes on: editing ruff or pytest settings in pyproject.toml yields the
# same requirements.txt, so COPY --from below stays cached and no dependency is reinstalled.
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('requirements.txt', 'w').write('\n'.join(deps) + '\n')"

FROM ${PYTHON_IMAGE} AS build-tools
ARG PIP_INDEX_URL=https://pypi.org/simple
# ENV, not only ARG, so the deps and app stages built on this one use the same index; the
# runtime stage starts from the base image again and inherits none of it.
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DEFAULT_TIMEOUT=120 \
    PIP_INDEX_URL=${PIP_INDEX_URL}
# pip, the build backend and the wheel installer live in /opt/build, outside the virtualenv that
# ships: the runtime image carries none of them (about 25 MB less); pip drives /opt/venv
# through --python.
RUN python -m venv /opt/build \
    && /opt/build/bin/pip install setuptools==80.9.0 installer==0.7.0

FROM build-tools AS deps
RUN python -m venv --without-pip /opt/venv
COPY --from=requirements /src/requirements.txt /src/requirements.lock /tmp/
# --prefer-binary: the slim base has no compiler, and every dependency ships manylinux wheels.
# --constraint: the versions tested with this commit, not whatever is newest on build day.
# compileall -o 2: the bytecode gunicorn's workers load (they run with -OO, see
# docker/entrypoint.sh); pip wrote only level 0, and without .opt-2.pyc files every worker
# would compile all its dependencies from source at each start. Except numpy and scipy (37 MB
# of bytecode, the image would pass 500 MB): only the reviewer assignment imports them, and
# compiling what it uses costs that worker 0.7 s once. Their own test suites (81 MB) go.
RUN /opt/build/bin/pip --python /opt/venv/bin/python install --prefer-binary \
        --requirement /tmp/requirements.txt --constraint /tmp/requirements.lock \
    && find /opt/venv/lib/python3*/site-packages/numpy /opt/venv/lib/python3*/site-packages/scipy \
        -type d -name tests -prune -exec rm -rf {} + \
    && /opt/venv/bin/python -m compileall -q -j 0 -o 2 -x '/site-packages/(numpy|scipy)/' \
        /opt/venv/lib >/dev/null

FROM deps AS app
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Build Podium's wheel with setuptools directly and unpack it with `installer` under /staging,
# so the runtime stage copies only Podium's own files (package, metadata, `podium` script) on
# top of the cached dependency layer. Neither step touches the network, and skipping pip's
# start-up (twice) is most of what keeps a code-only rebuild within a few seconds.
# installer runs under /opt/venv's Python, so paths and the script's #! line are the venv's;
# it writes bytecode for level 0 (the CLI) and level 2 (gunicorn's -OO workers), 0.4 s.
# The message catalogues are compiled here (.po -> .mo with Babel, already in /opt/venv): the
# .mo files are build output and never committed.
RUN /opt/venv/bin/pybabel --quiet compile -d src/podium/translations \
    && /opt/build/bin/python -c "from setuptools import build_meta; build_meta.build_wheel('/dist')" >/dev/null \
    && PYTHONPATH="$(/opt/build/bin/python -c 'import installer, pathlib; print(pathlib.Path(installer.__file__).parents[1])')" \
        /opt/venv/bin/python -m installer --compile-bytecode 0 --compile-bytecode 2 \
            --destdir /staging /dist/*.whl

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PODIUM_ENV=production \
    PODIUM_INSTANCE_PATH=/var/lib/podium/instance \
    PODIUM_UPLOAD_FOLDER=/var/lib/podium/uploads \
    PODIUM_MIGRATIONS_DIR=/app/migrations \
    GUNICORN_WORKERS=2

# A fixed UID/GID (10001) lets operators chown bind mounts without looking inside the image.
RUN groupadd --system --gid 10001 podium \
    && useradd --system --uid 10001 --gid podium --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin podium \
    && install -d -o podium -g podium -m 0750 \
        /var/lib/podium /var/lib/podium/instance /var/lib/podium/uploads

COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY docker/entrypoint.sh docker/gunicorn.conf.py docker/healthcheck.py /app/docker/

# Run-time settings come before the code: with the classic builder each of these lines is a
# build step of its own, and placed after the code they would all rerun on every code change.
# (USER does not affect COPY: the copied files stay root's, so the app cannot modify itself.)
# Numeric, so that runtimes enforcing runAsNonRoot can check it without /etc/passwd.
USER 10001:10001
EXPOSE 8000
# /healthz answers without touching the database, so a database outage does not get every web
# container restarted; /readyz is for load balancers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "podium.wsgi:app"]

COPY migrations /app/migrations
COPY --from=app /staging/ /
