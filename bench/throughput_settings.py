"""Settings of the throughput benchmark's server: the project's, plus the minimal list view
(``bench/urls.py``) that is the floor of a list page on the same server and data."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
