# -*- coding: utf-8 -*-
# Copyright: Contributors to the hwcloud.modelarts collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Decide, then act unless check mode: ``changed``, ``diff`` and ``actions`` come out the same either way.

Every writing module (and each definition of notebook_instances, in its own thread) holds one Decision. It
decides once, from what it read: the writes to do and the diff; in check mode it stops there. Each write
done is recorded, so that a run that ends early, or finds a write already done by someone else, reports
exactly what it did.
"""

from __future__ import annotations


class Decision:
    def __init__(self, check_mode=False, diff=False):
        self.check_mode = check_mode
        self.diff = diff
        # The writes decided on (check mode reports them); None until decided.
        self.planned = None
        # The writes done, in order.
        self.done = []
        self.before_after = None

    def decide(self, actions, before=None, after=None):
        """Record the decision; True when the writes are to be done now (there are some, and not check mode)."""
        self.planned = list(actions)
        if self.diff:
            self.before_after = {"before": dict(before or {}), "after": dict(after or {})}
        return bool(self.planned) and not self.check_mode

    def did(self, action):
        """Record a write done."""
        self.done.append(action)

    @property
    def changed(self):
        """In check mode, whether writes were decided on; in a run, whether any was done."""
        return bool(self.planned) if self.check_mode else bool(self.done)

    def result(self):
        """``changed``, ``actions`` (planned in check mode, done otherwise) and ``diff`` (in diff mode, once decided)."""
        result = {"changed": self.changed, "actions": list(self.planned or ()) if self.check_mode else list(self.done)}
        if self.before_after is not None:
            result["diff"] = self.before_after
        return result
