"""Write tests/integration/integration_config.yml for a run of the integration tests against the real service.

ansible-test gives the targets none of the caller's environment variables, only the variables of
integration_config.yml. `make integration` calls this when HW_ACCESS_KEY or HW_AUTH_TOKEN is set: every
HW_* connection variable that is set becomes a variable of the same name in lower case (hw_region_name,
hw_access_key, ...), and so does each MODELARTS_TEST_* variable that is set: MODELARTS_TEST_NOTEBOOK names an
existing notebook that the parts of 1.0.0 may change (without it they are skipped), MODELARTS_TEST_FLAVOR and
MODELARTS_TEST_IMAGE_ID the flavor and image of the notebooks the targets create (without them, the info modules
choose), MODELARTS_TEST_SSH_KEY the key pair of the SSH endpoint of a created notebook, MODELARTS_TEST_OBS_BUCKET
the OBS bucket that notebook_instance_mounts mounts (without it, that target is skipped), MODELARTS_TEST_IAM_USERS
two IAM user names (comma-separated) that a workspace the tests create may grant, MODELARTS_TEST_SWR_NAMESPACE the
SWR organization that notebook_image saves images into, MODELARTS_TEST_SWR_PATH an image pushed to SWR that it
registers (without them those parts are skipped).
The file holds credentials: it is written with mode 0600 into the copy of the tree that ansible-test
runs in (build/), never into the working tree.

Usage: python tools/integration_config.py PATH
"""

import json
import os
import sys

VARIABLES = (
    "HW_REGION_NAME",
    "HW_PROJECT_ID",
    "HW_ACCESS_KEY",
    "HW_SECRET_KEY",
    "HW_SECURITY_TOKEN",
    "HW_AUTH_TOKEN",
    "HW_CLOUD",
    "HW_MODELARTS_ENDPOINT",
    "MODELARTS_TEST_NOTEBOOK",
    "MODELARTS_TEST_FLAVOR",
    "MODELARTS_TEST_IMAGE_ID",
    "MODELARTS_TEST_SSH_KEY",
    "MODELARTS_TEST_OBS_BUCKET",
    "MODELARTS_TEST_IAM_USERS",
    "MODELARTS_TEST_SWR_NAMESPACE",
    "MODELARTS_TEST_SWR_PATH",
)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__.rsplit("Usage: ", 1)[1])
        return 2
    if not (os.environ.get("HW_ACCESS_KEY") or os.environ.get("HW_AUTH_TOKEN")):
        sys.stderr.write(
            "neither HW_ACCESS_KEY nor HW_AUTH_TOKEN is set: the integration tests run against the simulator\n"
        )
        return 2
    config = {name.lower(): os.environ[name] for name in VARIABLES if os.environ.get(name)}
    descriptor = os.open(argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        # JSON is YAML, and quotes every value.
        json.dump(config, handle, indent=2, sort_keys=True)
        handle.write("\n")
    print(
        "==> Integration tests against the real service (%s), %s"
        % (
            config.get("hw_modelarts_endpoint") or config.get("hw_region_name", "no region"),
            "changing the notebook %s" % config["modelarts_test_notebook"]
            if config.get("modelarts_test_notebook")
            else "without MODELARTS_TEST_NOTEBOOK: the parts that change an existing notebook are skipped",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
