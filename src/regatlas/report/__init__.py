"""Renderings of an assessment: JSON (stable), text (terminal), Markdown."""
