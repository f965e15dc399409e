"""The Ed25519 key that signs audit exports.

The private key lives in a PEM file (PKCS #8, unencrypted, mode 0600) that the exporting operator keeps; it is
never stored in the database, so someone who can rewrite the database cannot sign a rewritten log. The public
key travels in each export's checkpoint (raw 32 bytes, base64) and beside the private key as a PEM file, which
an auditor keeps to check that an export was signed by the expected key.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import Problem, RegatlasError

ALGORITHM = "Ed25519"


def generate() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_path(key_path: Path) -> Path:
    """Where the public key of a private key file is written: `audit.pem` -> `audit.pub.pem`."""
    stem = key_path.name[: -len(".pem")] if key_path.name.endswith(".pem") else key_path.name
    return key_path.with_name(stem + ".pub.pem")


def _read(path: Path, option: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RegatlasError(Problem(f"cannot read {path}: {exc.strerror}", path=option)) from None


def load_private(path: Path, option: str) -> Ed25519PrivateKey:
    """The signing key in a PEM file; exit 2 naming the option when the file holds anything else."""
    try:
        key = serialization.load_pem_private_key(_read(path, option), password=None)
    except TypeError:  # the file is encrypted: there is no one to type a passphrase in a scheduled export
        raise RegatlasError(Problem(f"{path} is an encrypted key; give an unencrypted one", path=option)) from None
    except (ValueError, UnsupportedAlgorithm):
        raise RegatlasError(Problem(f"{path} is not a PEM private key", path=option)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise RegatlasError(Problem(f"{path} is not an {ALGORITHM} key", path=option))
    return key


def load_public(path: Path, option: str) -> Ed25519PublicKey:
    """A public key in a PEM file (as written beside the signing key)."""
    try:
        key = serialization.load_pem_public_key(_read(path, option))
    except (ValueError, UnsupportedAlgorithm):
        raise RegatlasError(Problem(f"{path} is not a PEM public key", path=option)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise RegatlasError(Problem(f"{path} is not an {ALGORITHM} public key", path=option))
    return key


def raw_public(key: Ed25519PublicKey) -> str:
    """The public key as the checkpoint carries it: the raw 32 bytes, base64."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_from_raw(text: str) -> Ed25519PublicKey | None:
    """The public key a checkpoint names, or None when it is not one."""
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        return None


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message)).decode()


def verifies(key: Ed25519PublicKey, signature: str, message: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
