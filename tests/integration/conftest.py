"""Fixtures shared by the integration tests."""

from tests.integration.notifier_harness import notifier  # noqa: F401 - a fixture
