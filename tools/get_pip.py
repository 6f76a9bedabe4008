"""Offline stand-in for the get-pip.py script that ansible-test downloads.

ansible-test bootstraps pip into each virtual environment it creates by running
``~/.ansible/test/cache/get_pip_<version>.py``; its download host is not reachable
from every CI machine.  This script gives pip the same way from the standard library's
``ensurepip`` and then upgrades it to the requested version from the package index.
"""

from __future__ import annotations

import subprocess
import sys

# get-pip.py options that pip install does not understand.
GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main() -> None:
    """Install pip, then pip install the requested packages."""
    ensure = subprocess.run(
        [sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL, check=False
    )
    if ensure.returncode:
        sys.exit(ensure.returncode)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    sys.exit(subprocess.run([sys.executable, "-m", "pip", "install"] + args, check=False).returncode)


if __name__ == "__main__":
    main()
