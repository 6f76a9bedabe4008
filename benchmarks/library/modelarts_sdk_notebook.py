# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark baseline: the smallest module that reads one notebook instance through the official Huawei SDK.

It does what an already-matching ``notebook_instance`` task does (one signed GET, compare, report) and
nothing more, so the two can be timed against each other.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

try:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import SdkException
    from huaweicloudsdkmodelarts.v1 import ModelArtsClient, ShowNotebookRequest

    HAS_SDK = True
except ImportError:
    HAS_SDK = False


def main():
    module = AnsibleModule(
        argument_spec={
            "endpoint": {"type": "str", "required": True},
            "project_id": {"type": "str", "required": True},
            "access_key": {"type": "str", "required": True, "no_log": False},
            "secret_key": {"type": "str", "required": True, "no_log": True},
            "id": {"type": "str", "required": True},
            "description": {"type": "str"},
        },
        supports_check_mode=True,
    )
    if not HAS_SDK:
        module.fail_json(msg="huaweicloudsdkmodelarts is required (pip install -r benchmarks/requirements.txt)")
    params = module.params
    credentials = BasicCredentials(params["access_key"], params["secret_key"], params["project_id"])
    client = ModelArtsClient.new_builder().with_credentials(credentials).with_endpoint(params["endpoint"]).build()
    try:
        notebook = client.show_notebook(ShowNotebookRequest(id=params["id"])).to_dict()
    except SdkException as error:
        module.fail_json(msg="Reading notebook instance %s failed: %s" % (params["id"], error))
    notebook.pop("token", None)
    changed = params["description"] is not None and params["description"] != notebook.get("description")
    module.exit_json(changed=changed, notebook=notebook)


if __name__ == "__main__":
    main()
