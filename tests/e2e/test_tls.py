"""The simulator over HTTPS with a self-signed certificate made for the test: verification on, a CA bundle, verification off."""

import certifi
import pytest

from ansible_e2e import Ansible, info_task, module_task
from modelarts_simulator import Simulator


@pytest.fixture
def tls_sim(simulator_tls_files):
    cert, key = simulator_tls_files
    with Simulator(tls_cert=cert, tls_key=key) as sim:
        yield sim, cert


def test_certificate_checks(tls_sim, tmp_path):
    sim, cert = tls_sim
    assert sim.url.startswith("https://")
    nb_id = sim.add_notebook(name="nb-tls")["id"]
    run = Ansible(sim, tmp_path).playbook(
        [
            module_task("verified, unknown issuer", id=nb_id, description="verified"),
            info_task("info verified, unknown issuer", id=nb_id),
            module_task("with ca_path", id=nb_id, description="ca path", ca_path=cert),
            info_task("info with ca_path", id=nb_id, ca_path=cert),
            module_task("not verified", id=nb_id, description="not verified", validate_certs=False),
        ],
        verbosity=2,
        env={"REQUESTS_CA_BUNDLE": certifi.where()},
    )

    for name in ("verified, unknown issuer", "info verified, unknown issuer"):
        result = run[name]
        assert run.status(name) == "failed", (name, run.describe())
        assert "certificate verify failed" in result["msg"].lower(), result["msg"]
        assert "TLS error talking to %s" % sim.url in result["msg"] and "Reading notebook instance" in result["msg"], (
            result["msg"]
        )
        assert result["error"]["status"] is None and result["error"]["reason"]
    assert "Traceback" not in run.output

    assert run["with ca_path"]["changed"] is True and run["with ca_path"]["notebook"]["description"] == "ca path", run[
        "with ca_path"
    ]
    assert not run["with ca_path"].get("warnings")
    assert run["info with ca_path"]["notebooks"][0]["id"] == nb_id

    unverified = run["not verified"]
    assert unverified["changed"] is True and unverified["notebook"]["description"] == "not verified", unverified
    assert any("validate_certs is false" in warning and sim.url in warning for warning in unverified["warnings"]), (
        unverified
    )
    # The CA bundle is honoured even when REQUESTS_CA_BUNDLE, as set on many hosts, names another one.
    # Only the verified runs were refused: the failed handshakes sent nothing the service recorded.
    assert [r.body for r in sim.requests if r.method == "PUT"] == [
        {"description": "ca path"},
        {"description": "not verified"},
    ]
