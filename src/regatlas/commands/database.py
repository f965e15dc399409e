"""`regatlas audit export`, `regatlas audit verify-export` and `regatlas db copy`: the service's database handed
on, as a signed record of its audit log or as a whole copy in another database.

The work is in regatlas.serve (export.py, signing.py, copy.py); this module reads the options, writes through
regatlas.outputs (all or nothing) and turns the outcomes into the CLI's exit codes: 2 for a bad option or
database, 4 for a failed write, 6 for a broken audit chain or export (as `audit verify`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import Problem, RegatlasError
from .serve import EXIT_AUDIT_BROKEN, DbOption, _open, audit_app

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ..serve.copy import CopyReport
    from ..serve.db import Database

Output = tuple[Path, Callable[[Path], None], str]  # a file for regatlas.outputs.write_files: path, writer, option
db_app = typer.Typer(help="The service's database: copy it into another (SQLite to PostgreSQL).", no_args_is_help=True)
KEY_NAME = "audit-signing-key.pem"


def default_key() -> Path:
    """The signing key's default home: the user's configuration folder, never the database or the work tree."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "regatlas" / KEY_NAME


def _signing_key(path: Path) -> tuple[Ed25519PrivateKey, list[Output]]:
    """The key in `path`, and the files to write when it is new: (key, [(path, writer, option)])."""
    from ..outputs import bytes_writer
    from ..serve import signing

    if path.exists():
        key, files = signing.load_private(path, "--key"), []
    else:
        if path == default_key():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = signing.generate()
        files = [(path, _private_writer(signing.private_pem(key)), "--key")]
    public = signing.public_path(path)
    if not public.exists():
        files.append((public, bytes_writer(signing.public_pem(key.public_key())), "--key"))
    return key, files


def _private_writer(pem: bytes) -> Callable[[Path], None]:
    def write(temporary: Path) -> None:
        os.chmod(temporary, 0o600)  # before the secret is in it; the rename keeps the mode
        temporary.write_bytes(pem)

    return write


def audit_export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write (JSON lines).")],
    db: DbOption = "sqlite:///regatlas.db",
    key: Annotated[
        Path | None,
        typer.Option(
            "--key", help=f"The Ed25519 signing key (PEM); made if missing. Default: ~/.config/regatlas/{KEY_NAME}"
        ),
    ] = None,
) -> None:
    """Write the audit log as JSON lines with a signed checkpoint; exit 6 (nothing written) if the chain is broken."""
    from ..outputs import check_target, write_files
    from ..serve.export import ChainBroken, exporter

    check_target(output, "--output")
    database = _open(db, migrate=False)
    key_path = key or default_key()
    signing_key, files = _signing_key(key_path)
    checkpoint: dict = {}
    try:
        write_files([*files, (output, exporter(database, signing_key, checkpoint), "--output")])
    except ChainBroken as broken:
        print(f"audit log broken at entry {broken.seq}: {broken.reason}; nothing was exported")
        raise typer.Exit(EXIT_AUDIT_BROKEN) from None
    for path, _, _ in files:
        print(f"created {path}" + (" (mode 0600: keep it safe; it signs exports)" if path == key_path else ""))
    print(f"exported {checkpoint['entries']} audit entries to {output} (last hash {checkpoint['last_hash']})")
    print(f"signed with {key_path}: Ed25519 public key {checkpoint['public_key']}")


def audit_verify_export_cmd(
    file: Annotated[Path, typer.Argument(help="A file written by `regatlas audit export`.")],
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="The PEM public key the export must be signed with.")
    ] = None,
) -> None:
    """Recompute an export's chain and check its signed checkpoint; name the first broken line (exit 6)."""
    from ..serve import signing
    from ..serve.export import verify_export

    expected = signing.load_public(public_key, "--public-key") if public_key is not None else None
    try:
        verdict = verify_export(file, expected)
    except OSError as exc:
        raise RegatlasError(Problem(f"cannot read {file}: {exc.strerror}", path="FILE")) from None
    if not verdict.ok:
        intact = f"{verdict.entries} entries before it intact"
        print(f"export broken at line {verdict.broken_line}: {verdict.reason} ({intact})")
        raise typer.Exit(EXIT_AUDIT_BROKEN)
    signed = verdict.checkpoint
    print(f"export intact: {verdict.entries} entries, last hash {signed['last_hash']}")
    print(f"signed on {signed['exported_at']} with Ed25519 public key {signed['public_key']}")
    if expected is None:
        print("(no --public-key given: the signature is sound, but whose key it is was not checked)")


def _opened(url: str, option: str, migrate: bool) -> Database:
    """_open for another option than --db: the same checks, the message naming this option."""
    try:
        return _open(url, migrate=migrate)
    except RegatlasError as exc:
        for problem in exc.problems:
            problem.path = option if problem.path == "--db" else problem.path
        raise


def db_copy_cmd(
    source: Annotated[str, typer.Option("--from", help="The database to copy: sqlite:///PATH or postgresql://...")],
    target: Annotated[str, typer.Option("--to", help="An empty database to copy into (migrated first).")],
) -> None:
    """Copy every row of one service database into an empty one (ids kept, one transaction), then verify the
    audit chain there; e.g. a SQLite file into PostgreSQL."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..serve.copy import CopyRefused, SourceChainBroken, copy_database

    origin, destination = _opened(source, "--from", migrate=False), _opened(target, "--to", migrate=True)
    try:
        report = copy_database(origin, destination)
    except CopyRefused as refused:
        raise RegatlasError(Problem(refused.message, path="--from" if refused.side == "source" else "--to")) from None
    except SourceChainBroken as broken:
        verdict = broken.verdict
        print(f"the source's audit log is broken at entry {verdict.broken_seq}: {verdict.reason}; nothing was copied")
        raise typer.Exit(EXIT_AUDIT_BROKEN) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise RegatlasError(Problem(f"the copy failed and was rolled back: {reason}", path="--to")) from None
    _print_report(origin, destination, report)
    if not report.verdict.ok:
        raise typer.Exit(EXIT_AUDIT_BROKEN)


def _print_report(origin: Database, destination: Database, report: CopyReport) -> None:
    where = (database.engine.url.render_as_string() for database in (origin, destination))  # passwords as ***
    print("copied {} into {}:".format(*where))
    width = max(len(name) for name in report.counts)
    for name, count in report.counts.items():
        print(f"  {name:<{width}}  {count}")
    verdict = report.verdict
    if verdict.ok:
        print(f"audit log intact on the target: {verdict.entries} entries")
    else:
        print(f"audit log broken on the target at entry {verdict.broken_seq}: {verdict.reason}")


def register(app: typer.Typer) -> None:
    audit_app.command("export")(audit_export_cmd)
    audit_app.command("verify-export")(audit_verify_export_cmd)
    app.add_typer(db_app, name="db")
    db_app.command("copy")(db_copy_cmd)
