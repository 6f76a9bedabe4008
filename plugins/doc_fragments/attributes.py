# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # What every module shares: check mode, diff mode, and membership of the action group.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and predict C(changed) without changing anything.
  diff_mode:
    description: Returns C(before) and C(after) of what changes (or would change, in check mode) in diff mode.
  action_group:
    description: Use C(group/hwcloud.modelarts.all) in C(module_defaults) to set the connection options once for every module.
    support: full
    membership:
      - hwcloud.modelarts.all
"""

    # Modules that change instances.
    WRITE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The same reads, decision, C(changed), C(actions) and diff as a real run, and no write request.
  diff_mode:
    support: full
"""

    # Modules that only read.
    READ_ONLY = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, so it does the same in check mode.
  diff_mode:
    support: none
    details:
      - The module changes nothing.
"""
