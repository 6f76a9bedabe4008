# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a notebook of the lifecycle families is created with: every create-time option that costs a call of its
own (tags) or goes in the body (auto_stop)."""

LIFECYCLE_FLAVOR, LIFECYCLE_IMAGE = "modelarts.vm.cpu.8u", "e1a07296-22a8-4f05-8bc8-e936c8e54202"
LIFECYCLE_TAGS = {"team": "bench", "cost-center": "4711"}
LIFECYCLE_AUTO_STOP = {"enabled": True, "hours": 8, "type": "IDLE"}


def creating(conn, name, tags=True):
    """The arguments of a create by name (with the lifecycle's tags unless ``tags`` is false)."""
    args = dict(
        conn,
        name=name,
        flavor=LIFECYCLE_FLAVOR,
        image_id=LIFECYCLE_IMAGE,
        description="lifecycle",
        auto_stop=LIFECYCLE_AUTO_STOP,
    )
    if tags:
        args["tags"] = LIFECYCLE_TAGS
    return args
