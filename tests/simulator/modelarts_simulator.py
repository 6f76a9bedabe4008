"""A ModelArts API simulator: a real HTTP(S) server on loopback for tests and demos.

It serves the notebook calls of ``/v1/{project_id}/notebooks`` (show, update, list, start, stop, create,
delete, lease, tags, flavors, switchable flavors) and ``/v1/{project_id}/images`` with the status machine
and the rules of the API reference, Huawei's ``SDK-HMAC-SHA256`` signature check, recorded requests and
injectable faults, plus an unsigned control API under ``/_sim/``. Standard library only; see README.md
next to this file.

This file is the command line (``python tests/simulator/modelarts_simulator.py --port 0``) and the names the
tests import; the simulator itself is the package ``modelarts_sim`` next to it.
"""

import argparse
import json
import os
import signal
import sys
import threading

# The names the tests, the benchmarks and the fault sweep import from here.
# pylint: disable=unused-import
from modelarts_catalog import (  # noqa: F401
    DEFAULT_FLAVORS,
    DEFAULT_IMAGES,
    FLAVOR_CATALOG,
    FLAVOR_CATEGORIES,
    FLAVOR_TYPES,
    IMAGE_CATALOG,
    IMAGE_SERVICE_TYPES,
    IMAGE_TYPES,
    INSTANCE_IMAGE_KEYS,
    image_details,
    normalize_flavor,
)
from modelarts_sim.catalog import (  # noqa: F401
    ASCEND_FLAVOR_TYPES,
    FLAVOR_FEATURES,
    FLAVOR_SORT_KEYS,
    IMAGE_SORT_KEYS,
    MAX_IMAGE_LIMIT,
    Catalog,
)
from modelarts_sim.endpoints import ENDPOINT_SPELLINGS  # noqa: F401
from modelarts_sim.errors import ServiceError  # noqa: F401
from modelarts_sim.faults import Fault  # noqa: F401
from modelarts_sim.lease import (  # noqa: F401
    DEFAULT_LEASE_MS,
    LEASE_FIELDS,
    LEASE_TYPES,
    MAX_LEASE_MS,
    MIN_LEASE_MS,
    NO_LEASE,
    lease_settings,
)
from modelarts_sim.notebook_rules import (  # noqa: F401
    CREATE_FIELDS,
    CREATE_REQUIRED,
    DEFAULT_CAPACITY,
    DESCRIPTION_FORBIDDEN,
    ENDPOINT_FIELDS,
    HOOK_CONFIG_FIELDS,
    MAX_ALLOWED_IPS,
    MAX_CAPACITY,
    NAME_RE,
    NOTEBOOK_FEATURES,
    UPDATE_FIELDS,
    VOLUME_CATEGORIES,
    VOLUME_FIELDS,
    VOLUME_OWNERSHIPS,
    WORKSPACE_ID_RE,
)
from modelarts_sim.notebooks import (  # noqa: F401
    FAILED,
    LIST_LIMITS,
    NATURAL_END,
    SORT_KEYS,
    STABLE,
    STATUSES,
    TRANSITIONAL,
    NotebookStore,
)
from modelarts_sim.records import Headers, RecordedRequest  # noqa: F401
from modelarts_sim.signature import SDK_DATE_FORMAT, SignatureVerifier  # noqa: F401
from modelarts_sim.simulator import (  # noqa: F401
    DEFAULT_ACCESS_KEY,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_PROJECT_ID,
    DEFAULT_SECRET_KEY,
    Simulator,
)
from modelarts_sim.tags import MAX_TAGS, TAG_KEY_MAX, TAG_VALUE_MAX  # noqa: F401

# pylint: enable=unused-import


def load_seed(path):
    """Notebooks to create at start: a JSON list of add_notebook arguments, or {"notebooks": [...]}."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return data["notebooks"] if isinstance(data, dict) else data


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the ModelArts notebook simulator until SIGTERM or SIGINT.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed-file", help="JSON list of notebooks to create at start")
    parser.add_argument("--transition-seconds", type=float, default=0.0, help="duration of STARTING and STOPPING")
    parser.add_argument(
        "--endpoint-spelling",
        choices=ENDPOINT_SPELLINGS,
        default="both",
        help="how answers name an endpoint's fields: seed (dev_service, ssh_keys), sdk (service, key_pair_names) or both",
    )
    parser.add_argument("--project-id", default=DEFAULT_PROJECT_ID)
    parser.add_argument("--access-key", default=DEFAULT_ACCESS_KEY)
    parser.add_argument("--secret-key", default=DEFAULT_SECRET_KEY)
    parser.add_argument("--security-token", help="makes the access key temporary: X-Security-Token is required")
    parser.add_argument(
        "--auth-token", action="append", help="an accepted IAM token (repeatable; default %s)" % DEFAULT_AUTH_TOKEN
    )
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument(
        "--state-file", help="write {url, pid, project_id, access_key, exit_with_pid} as JSON here while running"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument(
        "--exit-with-pid",
        type=int,
        metavar="PID",
        help="exit once process PID has ended (the test runner that started it), so that it never outlives the run",
    )
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    sim = Simulator(
        project_id=args.project_id,
        access_key=args.access_key,
        secret_key=args.secret_key,
        security_token=args.security_token,
        auth_tokens=tuple(args.auth_token or (DEFAULT_AUTH_TOKEN,)),
        transition_seconds=args.transition_seconds,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        verbose=args.verbose,
        endpoint_spelling=args.endpoint_spelling,
    )
    if args.seed_file:
        for notebook in load_seed(args.seed_file):
            sim.add_notebook(**notebook)

    def process_exists(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, owned by someone else
            return True
        return True

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    sim.start()
    try:
        if args.state_file:
            with open(args.state_file, "w", encoding="utf-8") as handle:
                json.dump(
                    {
                        "url": sim.url,
                        "pid": os.getpid(),
                        "project_id": sim.project_id,
                        "access_key": args.access_key,
                        "exit_with_pid": args.exit_with_pid,
                    },
                    handle,
                )
        print("MODELARTS_SIMULATOR_URL=%s" % sim.url, flush=True)
        while not done.wait(0.5):
            if args.exit_with_pid and not process_exists(args.exit_with_pid):
                break
    finally:
        sim.stop()
        if args.state_file and os.path.exists(args.state_file):
            os.remove(args.state_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
