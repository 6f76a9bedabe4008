"""The simulator's pytest fixtures, shared by tests/simulator, tests/e2e and tests/unit (each conftest imports them)."""

import datetime
import ipaddress

import pytest

from modelarts_simulator import Simulator


@pytest.fixture
def simulator():
    """A fresh ModelArts simulator on a free loopback port (default credentials, instant transitions)."""
    with Simulator() as sim:
        yield sim


@pytest.fixture
def simulator_tls_files(tmp_path):
    """(cert.pem, key.pem): a self-signed certificate for 127.0.0.1 and localhost, to run the simulator over HTTPS."""
    # Imported here: the unit tests' environment has no cryptography and never asks for this fixture.
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "simulator-cert.pem", tmp_path / "simulator-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)
