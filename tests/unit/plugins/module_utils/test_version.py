# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""galaxy.yml is the version's source; the copy a module sends in its User-Agent must match it."""

from __future__ import annotations

import os
import re

from ansible_collections.hwcloud.modelarts.plugins.module_utils._http import ModelArtsClient
from ansible_collections.hwcloud.modelarts.plugins.module_utils._version import COLLECTION_VERSION

GALAXY_YML = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")


def test_the_user_agent_carries_the_version_of_galaxy_yml():
    with open(GALAXY_YML, encoding="utf-8") as handle:
        version = re.search(r"^version:\s*(\S+)\s*$", handle.read(), re.M).group(1)
    assert COLLECTION_VERSION == version, "plugins/module_utils/_version.py says %s, galaxy.yml says %s" % (
        COLLECTION_VERSION,
        version,
    )
    client = ModelArtsClient("https://modelarts.example.com", "p", auth=None)
    assert client._user_agent == "hwcloud.modelarts/%s" % version  # pylint: disable=protected-access
