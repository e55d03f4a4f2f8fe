"""The service's own settings (production: DEBUG off, as the environment gives), with one more URL:
the bare page `make bench` compares every page with (tests/bench/urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
