"""Fixtures of the platform checks: the real streaming replica (tests/platform/replica.py)."""

from tests.platform.replica import on_replica, streaming_pair  # noqa: F401 (fixtures)
