"""Content labels (issue 13 item 2): C2PA manifests signed at test time with a CA and an ES256 certificate of
our own, read back valid but untrusted, trusted with our CA as anchor, invalid after one byte is flipped; IPTC/XMP
DigitalSourceType in JPEG and PNG; unmarked files three-valued; the duties cited from the pack; bad files exit 2
naming the file, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # the sample maker, shared with the examples
from content_samples import (
    CAPTURE,
    COMPOSITE,
    TRAINED,
    credentials,
    flip,
    jpeg,
    png_with_xmp,
    scan_data_offset,
    sign_edited_jpeg,
    sign_jpeg,
    write,
    xmp_packet,
)

from regatlas.errors import RegatlasError
from regatlas.evidence.content_labels import VISIBLE_LABEL, check_content
from regatlas.evidence.content_law import DUTIES

DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def creds():
    return credentials()


@pytest.fixture(scope="module")
def signed(creds) -> bytes:
    return sign_jpeg(creds)


def one(path: Path, pack, anchors: Path | None = None) -> dict:
    result = check_content([path], anchors, pack, DAY)
    assert result["files"][0]["visible_label"] == VISIBLE_LABEL  # said in every result
    return result["files"][0]


def anchors_file(tmp_path: Path, pem: bytes, name: str = "anchors.pem") -> Path:
    return write(tmp_path, name, pem)


# --- the three states of a signed manifest ------------------------------------------------------------------


def test_a_signed_ai_image_without_anchors_is_valid_but_untrusted(tmp_path, pack, signed):
    entry = one(write(tmp_path, "generated.jpg", signed), pack)
    c2pa = entry["c2pa"]
    assert (c2pa["status"], c2pa["validation_state"], c2pa["signature"], c2pa["signer"]) == (
        "read",
        "Valid",
        "valid",
        "untrusted",
    )
    assert [(a["action"], a["source_type"]) for a in c2pa["actions"]] == [("c2pa.created", TRAINED)]
    assert [f["code"] for f in c2pa["failures"]] == ["signingCredential.untrusted"]
    assert entry["ai_marking"] == "yes"
    assert "signer untrusted" in entry["says"] and "trainedAlgorithmicMedia" in entry["says"]
    assert c2pa["signer_name"] == "regatlas test generator"


def test_the_same_image_is_trusted_with_the_test_ca_as_anchor(tmp_path, pack, signed, creds):
    entry = one(write(tmp_path, "generated.jpg", signed), pack, anchors_file(tmp_path, creds.ca_pem))
    c2pa = entry["c2pa"]
    assert (c2pa["validation_state"], c2pa["signature"], c2pa["signer"]) == ("Trusted", "valid", "trusted")
    assert c2pa["failures"] == []
    assert entry["ai_marking"] == "yes"


def test_another_ca_as_anchor_does_not_make_the_signer_trusted(tmp_path, pack, signed):
    other = credentials("another CA")
    entry = one(write(tmp_path, "generated.jpg", signed), pack, anchors_file(tmp_path, other.ca_pem))
    assert (entry["c2pa"]["validation_state"], entry["c2pa"]["signer"]) == ("Valid", "untrusted")


def test_one_flipped_byte_of_the_image_data_makes_the_manifest_invalid(tmp_path, pack, signed, creds):
    changed = flip(signed, scan_data_offset(signed) + 10)
    entry = one(write(tmp_path, "changed.jpg", changed), pack, anchors_file(tmp_path, creds.ca_pem))
    c2pa = entry["c2pa"]
    assert (c2pa["validation_state"], c2pa["signature"]) == ("Invalid", "invalid")
    assert "assertion.dataHash.mismatch" in [f["code"] for f in c2pa["failures"]]
    # A manifest that fails validation still says AI, but cannot be relied on: unknown, not yes.
    assert entry["ai_marking"] == "unknown"
    assert "fails validation" in entry["says"]
    assert all("no evidence either way" in duty["bears"] for duty in entry["duties"])


def test_one_flipped_byte_of_the_manifest_makes_it_invalid(tmp_path, pack, signed):
    changed = flip(signed, signed.index(b"trainedAlgorithmicMedia"))
    entry = one(write(tmp_path, "changed.jpg", changed), pack)
    assert (entry["c2pa"]["validation_state"], entry["c2pa"]["signature"]) == ("Invalid", "invalid")
    assert "assertion.hashedURI.mismatch" in [f["code"] for f in entry["c2pa"]["failures"]]
    assert entry["ai_marking"] == "unknown"


def test_a_composite_with_ai_elements_is_an_ai_marking(tmp_path, pack, creds):
    entry = one(write(tmp_path, "composite.jpg", sign_jpeg(creds, COMPOSITE)), pack)
    assert entry["ai_marking"] == "yes"
    assert "c2pa.created with compositeWithTrainedAlgorithmicMedia" in entry["says"]


def test_an_edit_of_an_ai_image_keeps_its_origin_in_the_ingredient(tmp_path, pack, creds, signed):
    entry = one(write(tmp_path, "edited.jpg", sign_edited_jpeg(creds, signed)), pack)
    actions = [(a["action"], a["source_type"], a["ingredient"]) for a in entry["c2pa"]["actions"]]
    assert actions == [
        ("c2pa.opened", None, None),
        ("c2pa.color_adjustments", None, None),
        ("c2pa.created", TRAINED, "generated.jpg"),
    ]
    assert entry["ai_marking"] == "yes"
    assert "c2pa.created with trainedAlgorithmicMedia" in entry["says"] and "ingredient generated.jpg" in entry["says"]


def test_a_valid_manifest_stating_a_camera_capture_is_no_ai_marking(tmp_path, pack, creds):
    entry = one(write(tmp_path, "photo.jpg", sign_jpeg(creds, CAPTURE)), pack)
    assert entry["c2pa"]["signature"] == "valid"
    assert entry["ai_marking"] == "no"
    assert "records no AI source" in entry["says"] and "digitalCapture" in entry["says"]


def test_what_a_signed_file_shows_of_each_duty(tmp_path, pack, signed):
    entry = one(write(tmp_path, "generated.jpg", signed), pack)
    duties = {duty["rule"]: duty for duty in entry["duties"]}
    california = duties["us_ca_sb942:latent_disclosure"]["parts"]
    assert california["system name and version"] == "Example Image Model 2.1"  # the action's software agent
    assert california["provider"].startswith("signer regatlas test generator")
    assert california["unique identifier"] == entry["c2pa"]["instance_id"]
    # No time-stamp authority was used and the action has no 'when': the time is not in the file.
    assert california["time and date"] is None
    assert "not found in the file: time and date" in duties["us_ca_sb942:latent_disclosure"]["bears"]
    assert duties["eu_ai_act:art50_2_synthetic_content_marking"]["parts"] == {"machine-readable": "found"}


@pytest.mark.parametrize("extension", [x509.ExtendedKeyUsage, x509.KeyUsage, x509.AuthorityKeyIdentifier])
def test_the_sdk_refuses_to_sign_without_what_c2pa_asks_of_the_certificate(extension):
    """The samples' signing certificate carries these because the SDK checks them: without one it refuses."""
    import c2pa

    with pytest.raises(c2pa.C2paError, match="certificate is invalid"):
        sign_jpeg(credentials(leave_out=extension))


# --- XMP and unmarked files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("as_attribute", [True, False], ids=["attribute", "element"])
def test_xmp_digital_source_type_in_a_jpeg(tmp_path, pack, as_attribute):
    entry = one(write(tmp_path, "xmp.jpg", jpeg(xmp_packet(TRAINED, as_attribute))), pack)
    assert entry["c2pa"]["status"] == "absent"
    assert (entry["xmp"]["status"], entry["xmp"]["source_types"]) == ("read", [TRAINED])
    assert entry["ai_marking"] == "yes"
    assert "unsigned metadata" in entry["says"]
    assert entry["provenance"]["system"] == "Example Image Model 2.1"


def test_xmp_digital_source_type_in_a_png(tmp_path, pack):
    entry = one(write(tmp_path, "xmp.png", png_with_xmp(xmp_packet(TRAINED))), pack)
    assert entry["ai_marking"] == "yes"
    assert entry["provenance"]["identifier"] == "xmp.iid:0b7c5d6e-1111-4a2b-9c3d-000000000001"
    assert entry["provenance"]["time"] == "2026-11-30T10:00:00Z"


def test_xmp_stating_a_capture_is_no_ai_marking(tmp_path, pack):
    entry = one(write(tmp_path, "photo.jpg", jpeg(xmp_packet(CAPTURE))), pack)
    assert entry["ai_marking"] == "no"
    assert "digitalCapture" in entry["says"]


def test_an_unmarked_image_is_no_marking_found_not_human_made(tmp_path, pack):
    result = check_content([write(tmp_path, "plain.jpg", jpeg())], None, pack, DAY)
    entry = result["files"][0]
    assert (entry["ai_marking"], entry["c2pa"]["status"], entry["xmp"]["status"]) == ("no", "absent", "absent")
    assert entry["says"].startswith("no marking found")
    assert "not AI" not in json.dumps(entry) and "human-made" not in entry["says"]
    assert any("not shown to be human-made" in limit for limit in result["cannot_tell"])
    for duty in entry["duties"]:
        assert "no evidence that the duty is met" in duty["bears"]
        assert all(value is None for value in duty["parts"].values())


def test_broken_xmp_is_unknown_not_absent(tmp_path, pack):
    entry = one(write(tmp_path, "broken.jpg", jpeg(b"<x:xmpmeta><rdf:RDF>not closed")), pack)
    assert (entry["xmp"]["status"], entry["ai_marking"]) == ("unreadable", "unknown")


# --- the duties come from the pack --------------------------------------------------------------------------


def test_the_duties_are_cited_from_the_pack(pack, tmp_path):
    result = check_content([write(tmp_path, "plain.jpg", jpeg())], None, pack, DAY)
    for duty in result["duties"]:
        rule = pack.find_rule(duty["rule"])
        assert (duty["citation"], duty["url"], duty["title"]) == (
            rule.citation_label,
            rule.rule.citation.url,
            rule.rule.title,
        )
    assert [d["rule"] for d in result["duties"]] == list(DUTIES)
    california = next(d for d in result["duties"] if d["jurisdiction"] == "US-CA")
    assert (california["citation"], california["applies_from"]) == ("§ 22757.3(b)", "2026-08-02")


def test_every_part_of_a_marking_is_named_in_its_rule(pack):
    for key, parts in DUTIES.items():
        title = pack.find_rule(key).rule.title
        for name, _ in parts:
            assert name in title, f"{key}: '{name}' is not in the rule's title {title!r}"


# --- the command -----------------------------------------------------------------------------------------------


def regatlas(*args: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400"}
    command = [sys.executable, "-m", "regatlas", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_the_command_prints_text_and_writes_json(tmp_path, signed, creds):
    image = write(tmp_path, "generated.jpg", signed)
    plain = write(tmp_path, "plain.png", png_with_xmp(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"))
    output = tmp_path / "check.json"
    done = regatlas(
        "evidence", "content", image, plain, "--trust-anchors", anchors_file(tmp_path, creds.ca_pem), "-o", output
    )
    assert done.returncode == 0, done.stderr
    assert f"{image}: AI marking found" in done.stdout
    assert f"{plain}: no AI marking found" in done.stdout
    assert "validation Trusted: signature valid, signer trusted" in done.stdout
    assert done.stdout.count("visible label: not checked") == 2
    written = json.loads(output.read_text())
    assert written["format"] == "regatlas.content-check/1"
    assert [f["ai_marking"] for f in written["files"]] == ["yes", "no"]


def test_the_command_prints_json(tmp_path, signed):
    done = regatlas("evidence", "content", write(tmp_path, "generated.jpg", signed), "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["c2pa"]["signer"] == "untrusted"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"just some text, no media", "unsupported file"),
        ("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "cannot read"),
        ("empty.png", b"", "unsupported file"),
    ],
)
def test_a_bad_file_exits_2_naming_it(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    done = regatlas("evidence", "content", path)
    assert done.returncode == 2, done.stdout
    assert str(path) in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_file_exits_2_naming_it(tmp_path):
    done = regatlas("evidence", "content", tmp_path / "nowhere.jpg")
    assert done.returncode == 2
    assert "nowhere.jpg: no such file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "content", [b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
)
def test_bad_trust_anchors_exit_2_naming_the_option(tmp_path, signed, content):
    done = regatlas(
        "evidence", "content", write(tmp_path, "g.jpg", signed), "--trust-anchors", anchors_file(tmp_path, content)
    )
    assert done.returncode == 2, done.stdout
    assert "--trust-anchors" in done.stderr and "Traceback" not in done.stderr


def test_a_bad_file_among_good_ones_is_refused(tmp_path, pack, signed):
    good = write(tmp_path, "generated.jpg", signed)
    bad = write(tmp_path, "notes.txt", b"text")
    with pytest.raises(RegatlasError, match=r"notes\.txt"):
        check_content([good, bad], None, pack, DAY)


def test_the_bundled_examples(pack):
    """examples/evidence/content/ (written by tools/content_samples.py): a signed AI image trusted with the bundled
    CA, an image marked only in XMP, and an unmarked image."""
    folder = Path(__file__).resolve().parents[1] / "examples" / "evidence" / "content"
    names = ["generated.jpg", "generated-xmp.png", "unmarked.jpg"]
    result = check_content([folder / name for name in names], folder / "example-ca.pem", pack, DAY)
    assert [entry["ai_marking"] for entry in result["files"]] == ["yes", "yes", "no"]
    signed_entry = result["files"][0]["c2pa"]
    assert (signed_entry["validation_state"], signed_entry["signer"]) == ("Trusted", "trusted")
    assert [entry["xmp"]["status"] for entry in result["files"]] == ["absent", "read", "absent"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255), cut=st.booleans())
def test_any_damage_to_a_signed_file_gives_a_result_or_a_located_error(tmp_path, pack, signed, offset, value, cut):
    """One byte of the signed file set to any value, or the file cut there: a three-valued result, or exit-2
    error naming the file, never another exception."""
    at = offset % len(signed)
    data = signed[:at] if cut else signed[:at] + bytes([value]) + signed[at + 1 :]
    path = write(tmp_path, "damaged.jpg", data)
    try:
        entry = check_content([path], None, pack, DAY)["files"][0]
    except RegatlasError as error:
        assert str(path) in str(error)
        return
    assert entry["ai_marking"] in ("yes", "no", "unknown")
    if entry["c2pa"]["signature"] == "invalid":
        assert entry["ai_marking"] == "unknown"
