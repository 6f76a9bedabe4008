"""Jobs and inventory updates as AWX runs them: a private data directory handed to ansible-runner.

AWX turns a job template into a private data directory and gives it to ansible-runner: ``project/`` (the
project's checkout), ``inventory/`` (the job's inventory), ``env/envvars`` (the credential's env injectors),
``env/extravars`` (the template's extra variables merged with the survey's answers), ``env/cmdline`` (what the
template's fields add to the command line, ``--check`` for the job type Check) and ``env/settings``. The set-up
is read from the files that docs/awx.md shows, so that a guide that drifts from what works fails the tests:
examples/awx_setup.yml (credential, project, inventory source, job templates with their surveys) and
extensions/awx/credential_type.yml (through test_awx_credential_type.render_env). Where AWX writes the hosts of
the inventory's last update into ``inventory/``, these jobs get the source's file itself, which the plugin reads
as the job starts.
"""

import glob
import json
import os
import shutil

import ansible_runner
import yaml
from test_awx_credential_type import load_credential_type, render_env

from ansible_e2e import REPO_DIR, collections_path

EXAMPLES_DIR = os.path.join(REPO_DIR, "examples")
SETUP = os.path.join(EXAMPLES_DIR, "awx_setup.yml")
JOB_TIMEOUT = 180
# What AWX hands ansible-runner besides the files: no console output (it reads the events), and a job timeout.
SETTINGS = {"suppress_ansible_output": True, "job_timeout": JOB_TIMEOUT}


def setup_tasks():
    """The tasks of examples/awx_setup.yml: {module: [arguments of each task that calls it]}."""
    with open(SETUP, encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    tasks = {}
    for play in plays:
        for task in play["tasks"]:
            module = next(key for key in task if key.startswith("awx.awx."))
            tasks.setdefault(module, []).append(task[module])
    return tasks


def setup_object(module, name=None):
    """The arguments of the one task of examples/awx_setup.yml that calls ``module`` (for ``name``)."""
    found = [args for args in setup_tasks().get(module, []) if name is None or args["name"] == name]
    assert len(found) == 1, "examples/awx_setup.yml: %d tasks of %s named %r" % (len(found), module, name)
    return found[0]


def survey_extra_vars(template, answers=None):
    """The extra variables of a job launched from ``template``: its ``extra_vars``, then each survey question's
    answer (or its default when the question is not answered), typed and checked as AWX does."""
    answers = dict(answers or {})
    extra_vars = dict(template.get("extra_vars") or {})
    spec = template["survey_spec"]["spec"] if template.get("survey_enabled") else []
    for question in spec:
        variable = question["variable"]
        value = answers.pop(variable, question.get("default"))
        if value in (None, ""):
            assert not question.get("required"), "survey: %s is required" % variable
            continue
        if question["type"] == "integer":
            value = int(value)
            assert question.get("min", value) <= value <= question.get("max", value), (
                "survey: %s out of range" % variable
            )
        elif question["type"] == "float":
            value = float(value)
        else:
            value = str(value)
        if question["type"] == "multiplechoice":
            assert value in question["choices"], "survey: %r is not a choice of %s" % (value, variable)
        extra_vars[variable] = value
    assert not answers, "survey: no question for %s" % sorted(answers)
    return extra_vars


def template_cmdline(template, job_type=None):
    """What the template's fields (and a job type given at launch) add to ansible-playbook's command line."""
    args = []
    if (job_type or template.get("job_type", "run")) == "check":
        args.append("--check")
    if template.get("diff_mode"):
        args.append("--diff")
    if template.get("forks"):
        args.extend(["--forks", str(template["forks"])])
    if template.get("limit"):
        args.extend(["--limit", template["limit"]])
    if template.get("verbosity"):
        args.append("-" + "v" * int(template["verbosity"]))
    return " ".join(args)


def credential_env(sim, **inputs):
    """The job environment of a credential of the collection's type for ``sim``, with AK/SK unless ``inputs``
    say otherwise: the type's env injectors rendered over the inputs, as AWX renders them."""
    values = {
        "project_id": sim.project_id,
        "access_key": sim.auth.access_key,
        "secret_key": sim.auth.secret_key,
        "endpoint": sim.url,
    }
    values.update(inputs)
    return render_env(load_credential_type(), {k: v for k, v in values.items() if v is not None})


def execution_env(tmp_path):
    """What the execution environment adds to every job's environment: the collection and private Ansible paths."""
    return {
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_HOME": os.path.join(str(tmp_path), "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": os.path.join(str(tmp_path), "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "true",
    }


def write_private_data_dir(path, *, envvars, extravars=None, cmdline="", inventory_files=()):
    """A private data directory at ``path``: the project (the example playbooks, and the inventory source's file
    at its ``source_path``), ``inventory/`` with ``inventory_files``, and the ``env/`` files."""
    source_path = setup_object("awx.awx.inventory_source")["source_path"]
    project = os.path.join(path, "project")
    os.makedirs(os.path.join(project, os.path.dirname(source_path)))
    for example in glob.glob(os.path.join(EXAMPLES_DIR, "*.yml")):
        shutil.copy(example, project)
    shutil.copy(os.path.join(EXAMPLES_DIR, os.path.basename(source_path)), os.path.join(project, source_path))
    os.makedirs(os.path.join(path, "inventory"))
    for name in inventory_files:
        shutil.copy(os.path.join(project, name), os.path.join(path, "inventory"))
    env = os.path.join(path, "env")
    os.makedirs(env)
    files = {"envvars": envvars, "extravars": extravars or {}, "settings": SETTINGS}
    for name, content in files.items():
        with open(os.path.join(env, name), "w", encoding="utf-8") as handle:
            yaml.safe_dump(content, handle)
    if cmdline:
        with open(os.path.join(env, "cmdline"), "w", encoding="utf-8") as handle:
            handle.write(cmdline)
    return path


class Job:
    """A job launched from a job template of examples/awx_setup.yml, run by ansible-runner; ``run()`` returns self."""

    def __init__(self, sim, tmp_path, template_name, answers=None, job_type=None, extra_vars=None, credential=None):
        self.template = setup_object("awx.awx.job_template", template_name)
        source = setup_object("awx.awx.inventory_source")
        assert source["inventory"] == self.template["inventory"], "the template's inventory has the plugin's source"
        self.extravars = survey_extra_vars(self.template, answers)
        # Variables given at launch (with ask_variables_on_launch) come last and win.
        self.extravars.update(extra_vars or {})
        self.envvars = dict(credential_env(sim, **(credential or {})), **execution_env(tmp_path))
        self.cmdline = template_cmdline(self.template, job_type)
        self.path = write_private_data_dir(
            os.path.join(str(tmp_path), "job"),
            envvars=self.envvars,
            extravars=self.extravars,
            cmdline=self.cmdline,
            inventory_files=[source["source_path"]],
        )
        self.runner = None
        self.events = []

    def run(self):
        self.runner = ansible_runner.run(private_data_dir=self.path, playbook=self.template["playbook"], ident="1")
        self.events = list(self.runner.events)
        return self

    @property
    def artifacts(self):
        return os.path.join(self.path, "artifacts", "1")

    @property
    def stdout(self):
        with open(os.path.join(self.artifacts, "stdout"), encoding="utf-8") as handle:
            return handle.read()

    def describe(self):
        return "job %r: status %s, rc %s\n%s" % (self.template["name"], self.runner.status, self.runner.rc, self.stdout)

    def host_events(self, event, task=None):
        """{host: [event_data of each ``event`` event]} (of ``task`` only, when given)."""
        found = {}
        for item in self.events:
            data = item.get("event_data", {})
            if item["event"] == event and (task is None or data.get("task") == task):
                found.setdefault(data["host"], []).append(data)
        return found


def artifact_files(path):
    """Every file ansible-runner wrote under ``path``/artifacts: {path relative to it: text}."""
    root = os.path.join(path, "artifacts")
    files = {}
    for directory, _subdirs, names in os.walk(root):
        for name in names:
            full = os.path.join(directory, name)
            with open(full, encoding="utf-8", errors="replace") as handle:
                files[os.path.relpath(full, root)] = handle.read()
    return files


def assert_no_secret(path, secrets, credential_names):
    """No secret in any artifact (stdout, stderr, job_events, fact cache, inventory output): only the ``command``
    artifact, ansible-runner's record of the process environment, holds them, and there only as the values of
    the variables the credential injects."""
    secrets = [s for s in secrets if s]
    assert secrets
    files = artifact_files(path)
    assert any(name.endswith("stdout") for name in files), sorted(files)
    for name, text in files.items():
        if os.path.basename(name) == "command":
            env = json.loads(text)["env"]
            holders = {key for key, value in env.items() if any(secret in value for secret in secrets)}
            assert holders <= set(credential_names), "%s: secrets in %s" % (
                name,
                sorted(holders - set(credential_names)),
            )
            continue
        for secret in secrets:
            assert secret not in text, "a secret in the artifact %s" % name
