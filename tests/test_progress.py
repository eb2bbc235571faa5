"""Long commands draw a progress bar on a terminal's stderr, and nothing where stderr is a file or a log."""

import io

import pytest
from django.core.management import call_command

from tests.factories import SourceFactory
from tests.test_import import EQUIPMENT_HEADER, csv_file, good_rows


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, as a researcher's shell is."""

    def isatty(self):
        return True


def run(command, *args, stderr, **options):
    call_command(command, *args, stdout=io.StringIO(), stderr=stderr, **options)
    return stderr.getvalue()


def test_import_csv_draws_a_progress_bar_of_the_files_rows_on_a_terminal(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    drawn = run("import_csv", "equipment", str(path), stderr=Terminal())
    assert "import.csv:   0%|" in drawn and "0/3 [" in drawn


def test_import_csv_writes_no_progress_off_a_terminal(sample_data, tmp_path):
    path = csv_file(tmp_path, EQUIPMENT_HEADER, *good_rows())
    assert run("import_csv", "equipment", str(path), stderr=io.StringIO()) == ""


@pytest.mark.django_db
@pytest.mark.parametrize("stderr, drawn", [(Terminal, True), (io.StringIO, False)])
def test_generate_dataset_draws_its_steps_only_on_a_terminal(stderr, drawn):
    written = run("generate_dataset", scale="tiny", verbosity=0, stderr=stderr())
    assert ("tiny scale:   0%|" in written) is drawn
    assert bool(written) is drawn


@pytest.mark.django_db
@pytest.mark.parametrize("stderr, drawn", [(Terminal, True), (io.StringIO, False)])
def test_backup_draws_its_progress_only_on_a_terminal(stderr, drawn, tmp_path):
    SourceFactory.create_batch(3)
    written = run("backup", output=tmp_path / "tracker.backup", stderr=stderr())
    # pg_dump's tables on PostgreSQL; dumpdata's own bar elsewhere.
    assert ("pg_dump:   0%|" in written or "[......" in written) is drawn
    assert bool(written) is drawn
