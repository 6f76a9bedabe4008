"""The part of a Markdown page that a tool writes: the lines between ``<!-- BEGIN <name> -->`` and
``<!-- END <name> -->``, each alone on its line. ``make bench`` writes docs/performance.md that way and
``make faults`` docs/reliability.md; the rest of each page is written by hand and left as it is.
"""

import os
import tempfile


def markers(name):
    return "<!-- BEGIN %s -->" % name, "<!-- END %s -->" % name


def replace_section(path, name, text):
    """Put ``text`` between the markers ``name`` of the file ``path``.

    Returns (written, message): a missing file, a missing, repeated or misordered marker, or a file that cannot
    be read or written leaves the file as it was, and the message says so in one line.
    """
    begin, end = markers(name)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            lines = handle.read().splitlines(keepends=True)
    except FileNotFoundError:
        return False, "%s is missing: the figures of %s are not written there" % (path, name)
    except (OSError, UnicodeDecodeError) as error:
        return False, "%s cannot be read (%s): the figures of %s are not written there" % (path, error, name)
    starts = [i for i, line in enumerate(lines) if line.strip() == begin]
    ends = [i for i, line in enumerate(lines) if line.strip() == end]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        return False, "%s has no single %s ... %s pair of lines: the figures are not written there" % (
            path,
            begin,
            end,
        )
    newline = "\r\n" if lines[starts[0]].endswith("\r\n") else "\n"
    body = [line + newline for line in text.strip("\n").splitlines()]
    # A blank line on each side, so that a table or a list is never read as part of the comment's block.
    content = "".join(lines[: starts[0] + 1] + [newline] + body + [newline] + lines[ends[0] :])
    # Written beside the file and renamed over it: an interrupted run never leaves half a page.
    temporary = None
    try:
        mode = os.stat(path).st_mode & 0o7777
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=os.path.dirname(os.path.abspath(path)), delete=False
        ) as handle:
            temporary = handle.name
            handle.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        return False, "%s cannot be written (%s): the figures of %s are not written there" % (path, error, name)
    return True, "%s: the figures of %s replaced" % (path, name)
