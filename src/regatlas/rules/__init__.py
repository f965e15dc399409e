"""Rule packs: the pack format, its loader and validation, and the pack revision."""
