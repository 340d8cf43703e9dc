"""Assertions shared by the page tests (NetBox-style view battery)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_login_required(client, url):
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:  # a streamed body runs its queries as it is read
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def assert_constant_queries(client, url, add_rows, small=10, large=100):
    """The page costs the same number of queries with ``small`` and with ``large`` rows.

    ``add_rows(n)`` creates n more rows that the page shows.
    """
    add_rows(small)
    few = count_queries(client, url)
    add_rows(large - small)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with {small} rows, {many} with {large}"
    return many
