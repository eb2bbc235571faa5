"""Progress bars for the long management commands (tqdm), drawn only when stderr is a terminal: tests,
CI logs and redirected output get none."""

from tqdm import tqdm


def progress_bar(command, **options):
    """A bar on `command`'s stderr; off the terminal a disabled one, whose updates do nothing."""
    # The wrapped stream itself: Django's OutputWrapper would end each redraw with a newline.
    stream = command.stderr._out
    return tqdm(file=stream, disable=not stream.isatty(), dynamic_ncols=True, **options)
