"""The IPTC Digital Source Type vocabulary, as far as a content check needs it.

C2PA actions and IPTC/XMP metadata state where content came from with an IRI of the IPTC NewsCodes vocabulary
(https://cv.iptc.org/newscodes/digitalsourcetype/). Two of its terms say that a trained model made the content
or part of it; those are the ones the labelling rules are about. Other terms (a camera capture, a scan, a
composite of non-AI elements) are reported as written, never read as "not AI-generated" by themselves.
"""

from __future__ import annotations

VOCABULARY = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# The vocabulary's IRIs are http; some tools write https. Both name the same term.
PREFIXES = (VOCABULARY, "https://cv.iptc.org/newscodes/digitalsourcetype/")

AI_TERMS = {
    "trainedAlgorithmicMedia": "made by a trained model (generative AI)",
    "compositeWithTrainedAlgorithmicMedia": "a composite that includes elements made by a trained model",
}


def term(source_type: str) -> str | None:
    """The IPTC term of a digital source type IRI ('trainedAlgorithmicMedia'), or None if it is not one."""
    for prefix in PREFIXES:
        if source_type.startswith(prefix) and len(source_type) > len(prefix):
            return source_type[len(prefix) :]
    return None


def is_ai(source_type: str | None) -> bool:
    """Whether a digital source type says a trained model made the content or part of it."""
    return source_type is not None and term(source_type) in AI_TERMS


def describe(source_type: str) -> str:
    """A short reading of a source type for the report: the term and, for the AI terms, what it means."""
    name = term(source_type)
    if name is None:
        return f"{source_type} (not an IPTC digital source type)"
    meaning = AI_TERMS.get(name)
    return f"{name}: {meaning}" if meaning else name
