"""Read IPTC/XMP DigitalSourceType and the provenance fields beside it with Pillow's XMP reader.

An image without a C2PA manifest may still say where it came from in its XMP packet: the IPTC Photo Metadata
Extension's `Iptc4xmpExt:DigitalSourceType`, written as an attribute or as an element. Unlike a C2PA manifest,
XMP is not signed: anyone can write or remove it, and the report says so. Pillow needs defusedxml to parse XMP
(it protects against XML entity attacks); without it Pillow would return nothing, which this module refuses to
mistake for "no metadata".
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, RegatlasError

IPTC_EXT = "{http://iptc.org/std/Iptc4xmpExt/2008-02-29/}"
XMP_BASIC = "{http://ns.adobe.com/xap/1.0/}"
XMP_MM = "{http://ns.adobe.com/xap/1.0/mm/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@dataclass
class XmpReading:
    """status: absent (an image without XMP), read, unreadable (XMP that does not parse), or not_image."""

    status: str
    source_types: list[str] = field(default_factory=list)
    creator_tool: str | None = None
    create_date: str | None = None
    instance_id: str | None = None
    note: str | None = None


def read_xmp(path: Path) -> XmpReading:
    """The XMP of an image file, or not_image when Pillow does not read the file as an image. Only the headers
    are read: no pixel is decoded, so the size of the image costs nothing."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # no pixels are decoded
            with Image.open(path) as image:
                return _from_image(image)
    except UnidentifiedImageError:
        return XmpReading("not_image")
    except (OSError, Image.DecompressionBombError) as error:
        raise RegatlasError(Problem(f"cannot read the image: {error}", file=str(path))) from None


def _from_image(image: Any) -> XmpReading:
    if "xmp" not in image.info:
        return XmpReading("absent")
    try:
        import defusedxml  # noqa: F401  (Pillow's getxmp returns {} without it; see the module's docstring)
    except ImportError:
        return XmpReading("unreadable", note="XMP present but not read: the defusedxml package is not installed")
    try:
        tree = image.getxmp(strip_namespaces=False)
    except Exception as error:  # any XML parse error means the packet is broken: reported, not raised
        return XmpReading("unreadable", note=f"the XMP packet does not parse: {error}")
    return XmpReading(
        status="read",
        source_types=_values(tree, IPTC_EXT + "DigitalSourceType"),
        creator_tool=_first(tree, XMP_BASIC + "CreatorTool"),
        create_date=_first(tree, XMP_BASIC + "CreateDate"),
        instance_id=_first(tree, XMP_MM + "InstanceID") or _first(tree, XMP_MM + "DocumentID"),
    )


def _text(value: Any) -> list[str]:
    # Pillow gives an element's text as a string, an element with attributes as a dict (its text under "text"),
    # and repeated elements as a list; a property may also be a resource reference (rdf:resource).
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [text for item in value for text in _text(item)]
    if isinstance(value, dict):
        for key in ("text", RDF + "resource"):
            if key in value:
                return _text(value[key])
    return []


def _values(tree: Any, name: str) -> list[str]:
    found: list[str] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _text(value) if key == name else _values(value, name)
    elif isinstance(tree, list):
        for item in tree:
            found += _values(item, name)
    return list(dict.fromkeys(found))


def _first(tree: Any, name: str) -> str | None:
    values = _values(tree, name)
    return values[0] if values else None
