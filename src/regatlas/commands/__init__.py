"""Command groups of the CLI, each only parsing options and calling the rooms below."""
