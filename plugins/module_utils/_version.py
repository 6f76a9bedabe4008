# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's version, sent in the User-Agent.

A module runs from a zip that holds neither galaxy.yml nor MANIFEST.json, so the version is written here;
galaxy.yml is the source, and a unit test fails when the two differ.
"""

from __future__ import annotations

COLLECTION_VERSION = "1.2.0"
