"""What every scenario shares: the simulator's catalog, the secrets to look for, limits and the call targets."""

import re

from modelarts_simulator import DEFAULT_FLAVORS, DEFAULT_IMAGES

# Distinctive secrets: any of them in an output is a leak.
SECRET_KEY = "SweepSecretKey-7f3a9c51e2"
SECURITY_TOKEN = "SweepSecurityToken-2b8e41d7"
IAM_TOKEN = "SweepIamToken-9d04c6aa31"
NOTEBOOK_TOKEN = "SweepNotebookToken-%05d-c0ffee"

FLAVORS = [f["id"] for f in DEFAULT_FLAVORS]
IMAGES = sorted(DEFAULT_IMAGES)
IPS = ["203.0.113.%d" % i for i in range(1, 9)] + ["2001:db8::%d" % i for i in range(1, 4)]
KEYS = ["team-a-keypair", "team-b-keypair", "ops-keypair"]

TIMEOUT = 0.6  # the module's per-request timeout
TRANSITION_SECONDS = 0.3  # the simulator's STARTING and STOPPING
# The instance's own auto-stop, which no start of the module may change: off, IDLE 2 h, TIMING 24 h.
LEASES = [
    {"enable": False},
    {"enable": True, "duration": 7200000, "type": "IDLE"},
    {"enable": True, "duration": 86400000, "type": "TIMING"},
]
# How the simulator spells an answer's endpoints (the seed's, the SDK's, or both).
SPELLINGS = ["seed", "sdk", "both"]
SCENARIO_LIMIT = 90  # seconds a module run may take before it counts as hung
MAX_REQUESTS = 80  # requests a scenario may send

HOUR_MS = 3600000
TAG_POOL = {"team": "a", "env": "dev", "owner": "alice", "cost-center": "4711"}
AUTO_STOPS = [
    {"enabled": False},
    {"enabled": True},
    {"enabled": True, "hours": 2, "type": "IDLE"},
    {"enabled": True, "hours": 24, "type": "TIMING"},
    {"enabled": True, "hours": 8, "type": "IDLE"},
]
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# What a failure message must name: the call or step attempted, or the rule broken.
ATTEMPTED = re.compile(
    r"(Reading|Updating|Starting|Stopping|Listing|Waiting for|Creating|Deleting|Tagging|Removing tags from"
    r"|Setting the auto-stop of|after a create of) notebook instance|is RUNNING and the update API works only"
    r"|storage_size cannot shrink|no notebook instance is named|notebook instance \S+ is [A-Z_]+"
    r"|(Attaching \S+ at|Detaching|Listing the mounts of|Reading mount \S+ of) \S+|mount \S+ is [A-Z_]+"
    r"|mounts: \S+ is a mount made at the notebook's creation|not running yet, and mounts"
)

# The calls a fault can hit: name -> (method, path regex). The order is part of the draw.
TARGETS = {
    "GET": ("GET", r"/notebooks/[^/]+$"),
    "LIST": ("GET", r"/notebooks/?$"),
    "PUT": ("PUT", r"/notebooks/[^/]+$"),
    "stop": ("POST", r"/stop$"),
    "start": ("POST", r"/start$"),
    "create": ("POST", r"/notebooks/?$"),
    "delete": ("DELETE", r"/notebooks/[^/]+$"),
    "tag": ("POST", r"/tags/create$"),
    "untag": ("DELETE", r"/tags/delete$"),
    "renew_lease": ("PATCH", r"/lease$"),
    "attach": ("POST", r"/storage$"),
    "detach": ("DELETE", r"/storage/[^/]+$"),
    "STORAGE": ("GET", r"/storage$"),
    "MOUNT": ("GET", r"/storage/[^/]+$"),
}
