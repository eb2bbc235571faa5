import pytest
from django.core.management import call_command


@pytest.fixture
def sample_data(db):
    call_command("load_sample_data", verbosity=0)
