from tests.documents.conftest import _media, demand  # noqa: F401 — the same fixtures for the sheets tests
