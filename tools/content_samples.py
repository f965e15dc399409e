"""Real signed samples for `regatlas evidence content`: a CA and an ES256 signing certificate made with
`cryptography`, small images made with Pillow, C2PA manifests signed with c2pa-python's Builder.

The tests (tests/test_content_labels.py) make fresh ones at test time; `python tools/content_samples.py FOLDER`
writes the bundled examples of examples/evidence/content/ (a signed AI image, an image marked only in XMP, an
unmarked one, and the test CA to pass as --trust-anchors). The private key is thrown away: nobody can sign more
with that CA. The samples' certificates are valid for 20 years so that the examples do not expire.

The signing certificate carries what the C2PA specification asks of a claim signer (X.509 v3, not a CA, key
usage digitalSignature, an extended key usage the SDK accepts: id-kp-emailProtection here, subject and
authority key identifiers), so the SDK validates it as it would a commercial one; only the trust anchor is ours.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image
from PIL.PngImagePlugin import PngInfo

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
COMPOSITE = IPTC + "compositeWithTrainedAlgorithmicMedia"
CAPTURE = IPTC + "digitalCapture"


@dataclass
class Credentials:
    ca_pem: bytes
    chain_pem: bytes  # the signing certificate, then the CA
    key_pem: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "regatlas tests"),
        ]
    )


def _usage(**granted: bool) -> x509.KeyUsage:
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement"]
    names += ["key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    return x509.KeyUsage(**{name: granted.get(name, False) for name in names})


def _leaf_extensions(key, issuer_key) -> list[tuple[x509.ExtensionType, bool]]:
    """What C2PA asks of a claim-signing certificate beyond the basics, each with its criticality."""
    return [
        (_usage(digital_signature=True), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False),
    ]


def _certificate(
    subject: str, issuer: str, key, issuer_key, ca: bool, days: int, leave_out: type | None = None
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    extensions = [(_usage(key_cert_sign=True, crl_sign=True), True)] if ca else _leaf_extensions(key, issuer_key)
    for extension, critical in extensions:
        if not isinstance(extension, leave_out or ()):
            builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def credentials(ca_name: str = "regatlas test CA", days: int = 30, leave_out: type | None = None) -> Credentials:
    """A fresh CA and an ES256 (P-256) signing certificate issued by it, valid for `days`; `leave_out` (an
    extension class such as x509.ExtendedKeyUsage) makes a signing certificate without that extension."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(ca_name, ca_name, ca_key, ca_key, ca=True, days=days)
    leaf = _certificate("regatlas test generator", ca_name, leaf_key, ca_key, ca=False, days=days, leave_out=leave_out)
    pem = serialization.Encoding.PEM
    return Credentials(
        ca_pem=ca.public_bytes(pem),
        chain_pem=leaf.public_bytes(pem) + ca.public_bytes(pem),
        key_pem=leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def jpeg(xmp: bytes | None = None) -> bytes:
    """A small JPEG with some detail (a gradient), optionally with an XMP packet."""
    image = Image.linear_gradient("L").resize((96, 64)).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **({"xmp": xmp} if xmp is not None else {}))
    return out.getvalue()


def png_with_xmp(xmp: bytes) -> bytes:
    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
    out = io.BytesIO()
    Image.linear_gradient("L").resize((32, 32)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def xmp_packet(source_type: str, as_attribute: bool = True) -> bytes:
    """An XMP packet stating IPTC DigitalSourceType, as an attribute or as an element, with a creator tool."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    namespaces = (
        f'xmlns:rdf="{rdf}" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
    )
    if as_attribute:
        description = (
            f'<rdf:Description rdf:about="" {namespaces} Iptc4xmpExt:DigitalSourceType="{source_type}" '
            'xmp:CreatorTool="Example Image Model 2.1" xmp:CreateDate="2026-11-30T10:00:00Z" '
            'xmpMM:InstanceID="xmp.iid:0b7c5d6e-1111-4a2b-9c3d-000000000001"/>'
        )
    else:
        description = (
            f'<rdf:Description rdf:about="" {namespaces}>'
            f"<Iptc4xmpExt:DigitalSourceType>{source_type}</Iptc4xmpExt:DigitalSourceType>"
            "<xmp:CreatorTool>Example Image Model 2.1</xmp:CreatorTool></rdf:Description>"
        )
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{rdf}">{description}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def sign_jpeg(creds: Credentials, source_type: str = TRAINED, action: str = "c2pa.created") -> bytes:
    """A JPEG signed through c2pa-python's Builder, its manifest recording one action with the source type."""
    import c2pa

    manifest = {
        "claim_generator_info": [{"name": "regatlas test generator", "version": "1.0"}],
        "title": "generated.jpg",
        "format": "image/jpeg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": action,
                            "digitalSourceType": source_type,
                            "softwareAgent": {"name": "Example Image Model", "version": "2.1"},
                        }
                    ]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, creds.chain_pem, creds.key_pem, None))
    # No thumbnail (the test image is its own), and no network: no time-stamp authority, no remote lookups.
    settings = {"builder": {"thumbnail": {"enabled": False}}, "verify": {"remote_manifest_fetch": False}}
    with c2pa.Context.from_dict(settings) as context, c2pa.Builder(manifest, context=context) as builder:
        signed = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(jpeg()), signed)
    return signed.getvalue()


def sign_edited_jpeg(creds: Credentials, parent: bytes) -> bytes:
    """An edit of a signed image: a new manifest (c2pa.opened, then a colour adjustment, no source type of its
    own) with the parent as ingredient, so the AI origin is only in the ingredient's manifest."""
    import c2pa

    manifest = {
        "claim_generator_info": [{"name": "regatlas test editor", "version": "1.0"}],
        "title": "edited.jpg",
        "format": "image/jpeg",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {"action": "c2pa.opened", "parameters": {"ingredientIds": ["parent"]}},
                        {"action": "c2pa.color_adjustments"},
                    ]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, creds.chain_pem, creds.key_pem, None))
    settings = {"builder": {"thumbnail": {"enabled": False}}, "verify": {"remote_manifest_fetch": False}}
    with c2pa.Context.from_dict(settings) as context, c2pa.Builder(manifest, context=context) as builder:
        ingredient = {"title": "generated.jpg", "relationship": "parentOf", "label": "parent"}
        builder.add_ingredient(ingredient, "image/jpeg", io.BytesIO(parent))
        signed = io.BytesIO()
        builder.sign(signer, "image/jpeg", io.BytesIO(parent), signed)
    return signed.getvalue()


def scan_data_offset(data: bytes) -> int:
    """The first byte of the JPEG's entropy-coded image data (after the start-of-scan header), so a test can
    change the picture without touching the manifest."""
    start = data.rindex(b"\xff\xda")
    header_length = int.from_bytes(data[start + 2 : start + 4], "big")
    return start + 2 + header_length


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def write_examples(folder: Path) -> list[Path]:
    """The bundled examples: signed AI image, XMP-only AI image, unmarked image, and the CA."""
    folder.mkdir(parents=True, exist_ok=True)
    creds = credentials("regatlas example CA", days=20 * 365)
    return [
        write(folder, "generated.jpg", sign_jpeg(creds)),
        write(folder, "generated-xmp.png", png_with_xmp(xmp_packet(TRAINED))),
        write(folder, "unmarked.jpg", jpeg()),
        write(folder, "example-ca.pem", creds.ca_pem),
    ]


if __name__ == "__main__":
    for written in write_examples(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/evidence/content")):
        print(f"wrote {written}")
