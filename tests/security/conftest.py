"""Fixtures of the security tests: the small province and users of tests/web."""

from tests.reports.conftest import move  # noqa: F401 - shared fixtures
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures
