"""`regatlas serve`: the inventory of AI systems, their answers and assessments, behind a token-protected JSON API.

A layer of its own (docs/architecture.md): it uses the pack, the engine and the JSON report below it and is used
only by regatlas.commands.serve. docs/serve.md describes the API, the roles and the audit log.
"""
