import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The round_ fixture makes sixteen users; the production hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
