"""What the spec calls for, derived here independently of the module's planner and compare: the writes a task
needs, the fields that differ, the auto-stop and tags asked, and whether a live instance has them."""

from .constants import HOUR_MS


def expected_plan(status, params, changed, tag=False, untag=False, lease_differs=False):
    """The writes the spec calls for on an existing instance, from its status, the request, the fields that differ,
    the tags to add or remove and whether the auto-stop asked for differs from its lease; None: a refusal."""
    needs_update = bool(changed) or bool(params.get("hooks") and params.get("force_update_hooks"))
    state = params["state"]
    running = status == "RUNNING"
    stays_running = running and state != "stopped"
    tags = (["tag"] if tag else []) + (["untag"] if untag else [])
    # Only a start without auto-stop turns it off: a restart, like an update of a running instance.
    restart_for_lease = stays_running and lease_differs and not params["auto_stop"]["enabled"]
    if stays_running and (needs_update or restart_for_lease):
        if not params["allow_restart"]:
            return None
        return tags + ["stop"] + (["update"] if needs_update else []) + ["start"]
    plan = list(tags)
    if stays_running and lease_differs:
        plan.append("renew_lease")
    if running and state == "stopped":
        plan.append("stop")
    if needs_update:
        plan.append("update")
    if not running and state == "running":
        plan.append("start")
    return plan


def differing(initial, params, by_name):
    """The requested fields that differ from the instance (written here independently of the module's compare)."""
    changed = []
    if params.get("name") is not None and not by_name and params["name"] != initial["name"]:
        changed.append("name")
    for field in ("description", "flavor"):
        if params.get(field) is not None and params[field] != initial[field]:
            changed.append(field)
    if params.get("image_id") is not None and params["image_id"] != initial["image_id"]:
        changed.append("image_id")
    if params.get("storage_size") is not None and params["storage_size"] != initial["capacity"]:
        changed.append("storage_size")
    if params.get("endpoints") is not None:
        live = {ep["dev_service"]: ep for ep in initial["endpoints"]}
        for request in params["endpoints"]:
            if request["dev_service"] not in live:
                changed.append("endpoints")  # a service the instance does not have yet is added
                continue
            current = live[request["dev_service"]]
            for key in ("allowed_access_ips", "ssh_keys"):
                if request.get(key) is not None and set(request[key]) != set(current.get(key, [])):
                    changed.append("endpoints")
        changed = sorted(set(changed), key=changed.index)
    return changed


def lease_wanted(auto_stop):
    """The lease (as lease_view() shows it) that ``auto_stop`` asks for."""
    if not auto_stop["enabled"]:
        return {"enable": False}
    return {"enable": True, "duration": auto_stop.get("hours", 1) * HOUR_MS, "type": auto_stop.get("type", "TIMING")}


def tags_wanted(current, asked, purge):
    result = {} if purge else dict(current)
    result.update(asked)
    return result


def tag_changes(current, asked, purge):
    """(tags to add or change, tags to remove), as booleans."""
    return (
        any(current.get(key) != value for key, value in asked.items()),
        purge and any(key not in asked for key in current),
    )


def existing_plan(initial, params, changed, status=None):
    """expected_plan() for an existing instance with the request's tags and auto-stop."""
    status = status or initial["status"]
    tag = untag = False
    if params.get("tags") is not None:
        tag, untag = tag_changes(initial["tags"], params["tags"], params.get("purge_tags", True))
    lease_differs = params.get("auto_stop") is not None and lease_view(initial["lease"]) != lease_wanted(
        params["auto_stop"]
    )
    return expected_plan(status, params, changed, tag, untag, lease_differs)


def lease_view(lease):
    """What a start may not change of a lease: whether auto-stop is on, and then its duration and type."""
    lease = lease or {}
    if not lease.get("enable"):
        return {"enable": False}
    return {"enable": True, "duration": lease.get("duration"), "type": lease.get("type")}


def tags_of(instance):
    return {tag["key"]: tag.get("value", "") for tag in (instance or {}).get("tags") or []}


def live_matches(live, params, by_name):
    """Whether the live instance has every requested field (independent of the module's compare)."""
    problems = []
    if params.get("name") is not None and not by_name and live["name"] != params["name"]:
        problems.append("name")
    for field in ("description", "flavor"):
        if params.get(field) is not None and (live.get(field) or "") != params[field]:
            problems.append(field)
    if params.get("image_id") is not None and live["image"]["id"] != params["image_id"]:
        problems.append("image_id")
    if params.get("storage_size") is not None and live["volume"]["capacity"] != params["storage_size"]:
        problems.append("storage_size")
    for request in params.get("endpoints") or []:
        current = next((ep for ep in live["endpoints"] if ep.get("dev_service") == request["dev_service"]), {})
        for key in ("allowed_access_ips", "ssh_keys"):
            if request.get(key) is not None and set(request[key]) != set(current.get(key) or []):
                problems.append("endpoints.%s" % key)
    return problems


def check_put_body(body, scenario, allowed_fields):
    params, problems = scenario["params"], []
    wire = {"storage_size": "storage_new_size"}
    allowed = {wire.get(field, field) for field in allowed_fields}
    if params.get("hooks"):
        allowed.add("hooks")
    if not isinstance(body, dict) or not body:
        return ["a PUT with an empty or non-object body"]
    for key, value in body.items():
        if key not in allowed:
            problems.append("a PUT sent %s, which did not need changing" % key)
        elif key == "storage_new_size" and value != params["storage_size"]:
            problems.append("a PUT sent storage_new_size=%r, not the requested %r" % (value, params["storage_size"]))
        elif key in ("name", "description", "flavor", "image_id") and value != params[key]:
            problems.append("a PUT sent %s=%r, not the requested %r" % (key, value, params[key]))
        elif key == "endpoints":
            for request in params["endpoints"]:
                sent = next((ep for ep in value if ep.get("dev_service") == request["dev_service"]), None)
                for field in ("allowed_access_ips", "ssh_keys"):
                    if request.get(field) is not None and (
                        sent is None or sorted(set(sent.get(field) or [])) != sorted(set(request[field]))
                    ):
                        problems.append("a PUT sent endpoints %r for %r" % (sent, request))
        elif (
            key == "hooks"
            and value.get("container_hooks", {}).get("post_start") != params["hooks"]["container_hooks"]["post_start"]
        ):
            problems.append("a PUT sent hooks %r, not the requested ones" % value)
    return problems


def check_untouched_settings(scenario, live, violations):
    """The lease changes only when auto_stop asks (then to what it asks); tags keep what the request does not purge."""
    params, initial = scenario["params"], scenario["initial"]
    lease_now = lease_view(live.get("lease"))
    if params.get("auto_stop") is None:
        # No start changed the instance's auto-stop: a start without a duration would turn it on for an hour.
        if lease_now != lease_view(initial["lease"]):
            violations.append("the auto-stop lease changed from %s to %s" % (lease_view(initial["lease"]), lease_now))
    elif lease_now not in (lease_view(initial["lease"]), lease_wanted(params["auto_stop"])):
        violations.append(
            "the auto-stop lease became %s: neither %s nor the asked %s"
            % (lease_now, lease_view(initial["lease"]), lease_wanted(params["auto_stop"]))
        )
    now = tags_of(live)
    if params.get("tags") is None:
        if now != initial["tags"]:
            violations.append("the tags changed from %s to %s without tags asked" % (initial["tags"], now))
    else:
        wanted = tags_wanted(initial["tags"], params["tags"], params.get("purge_tags", True))
        for key in set(now) | set(initial["tags"]) | set(wanted):
            if now.get(key) not in (initial["tags"].get(key), wanted.get(key)):
                violations.append(
                    "the tag %s became %r: neither %r nor the asked %r"
                    % (key, now.get(key), initial["tags"].get(key), wanted.get(key))
                )
