"""Print the process ID of the program that runs this ansible-playbook (ansible-test, or a shell).

The simulator exits once that process has ended, so that it lives exactly as long as the test run:
started by the first target that needs it and shared by the next ones, each of which is a separate
ansible-playbook run. Walks up from this process: past the module's own processes, past ansible-playbook
and its forked workers, to the first ancestor that is not ansible-playbook.
"""

import os
import subprocess
import sys


def parent_and_command(pid):
    """(parent pid, command line) of ``pid``, from /proc where there is one, else from ps."""
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            stat = handle.read()
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        # The command name in stat is in parentheses and may itself hold spaces or parentheses.
        return int(stat.rsplit(")", 1)[1].split()[1]), command
    except FileNotFoundError:
        out = subprocess.run(
            ["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], capture_output=True, text=True, check=True
        ).stdout
        ppid, dummy, command = out.strip().partition(" ")
        return int(ppid), command.strip()


def main():
    pid = os.getpid()
    seen_playbook = False
    while pid > 1:
        ppid, command = parent_and_command(pid)
        is_playbook = "ansible-playbook" in command
        if seen_playbook and not is_playbook:
            print(pid)
            return 0
        seen_playbook = seen_playbook or is_playbook
        pid = ppid
    sys.stderr.write("no ansible-playbook process among the ancestors of process %d\n" % os.getpid())
    return 1


if __name__ == "__main__":
    sys.exit(main())
