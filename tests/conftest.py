import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from carriers.models import Source
from tests.browser_pages import PAGE_TYPES


@pytest.fixture(autouse=True)
def empty_cache():
    # Each test rolls its edits back, so data-version numbers repeat across tests with different data.
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_in_group(django_user_model, group_name):
    """A staff member of one of the groups `setup_roles` makes, named after it."""
    call_command("setup_roles", stdout=io.StringIO())
    user = django_user_model.objects.create_user(username=group_name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def researcher(db, django_user_model):
    return staff_in_group(django_user_model, "Researcher")


@pytest.fixture
def editor(db, django_user_model):
    return staff_in_group(django_user_model, "Editor")


@pytest.fixture
def researcher_client(researcher):
    return logged_in(researcher)


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def sample_data(db):
    call_command("load_sample_data", verbosity=0)


@pytest.fixture
def every_page_type(transactional_db, settings, tmp_path):
    """The sample data and a first release, committed for the live server; gives a page type's path (browser_pages)."""
    settings.RELEASES_DIR = tmp_path / "releases"
    call_command("load_sample_data", verbosity=0)
    call_command("release", stdout=io.StringIO())
    source = Source.objects.order_by("pk").first().pk
    return lambda name: PAGE_TYPES[name].format(source=source)


def pytest_addoption(parser):
    parser.addoption(
        "--round-trip-scale",
        default="tiny",
        choices=["tiny", "batches", "world"],
        help="Size of the generated world that test_round_trip exports and imports back (default tiny).",
    )
