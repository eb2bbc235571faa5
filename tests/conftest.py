import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_cache():
    # Each test rolls its edits back, so data-version numbers repeat across tests with different data.
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample_data(db):
    call_command("load_sample_data", verbosity=0)


def pytest_addoption(parser):
    parser.addoption(
        "--round-trip-scale",
        default="tiny",
        choices=["tiny", "batches", "world"],
        help="Size of the generated world that test_round_trip exports and imports back (default tiny).",
    )
