"""Recover a stack after `pulumi up` was killed mid-flight, without duplicating anything.

    python -m retool_pulumi.recover [--stack STACK] [--cwd PROJECT_DIR] [--force-cancel] [--json]

then run `pulumi up` again. It runs `pulumi` from PATH in the project directory with the usual
environment (backend, passphrase), reaches Retool as the program does (the stack's config
`retool:*`, read with `pulumi config --show-secrets` and kept in memory, then the RETOOL_*
variables) and:

1. deletes an empty checkpoint sidecar (`<stack>.json.attrs`) of a file backend: a kill between
   writing it and renaming the new checkpoint leaves "failed to load checkpoint: EOF";
2. removes the killed update's lock (`pulumi cancel`), but only once it is sure no update is
   still running: on a file backend the lock names its process and host, and a lock whose
   process is alive on this host, or that was taken on another host, is left alone unless
   `--force-cancel` is given (it says what it found); on other backends it cancels only with
   `--force-cancel` (an update still in progress makes the import below fail, saying so);
3. settles every pending create of `pulumi stack export`:
   - a type with a natural key: looked up in Retool; one the server applied is recorded in the
     state with its id (adopted), the others are dropped. A natural key inside a secret input
     (ObservabilityConfig's provider) is read from `pulumi stack export --show-secrets`, held
     in memory only: nothing decrypted is written anywhere;
   - a create that is safe to repeat (a grant, a membership, an organisation singleton): dropped,
     the next `pulumi up` sends it again;
   - an AccessToken: its value was only in the answer the kill lost, so a token Retool minted
     cannot be adopted. Tokens like it made since the update started (that this stack does not
     manage) are named with their ids: revoke them in Retool (Settings > API). It is dropped and
     the next `pulumi up` mints a new one;
   then `pulumi stack import`;
4. `pulumi refresh` reads the recorded objects in full.

(`pulumi refresh --import-pending-creates` is meant to do step 3, but with 3.274 on a file
backend it was seen dropping the pending creates without recording them, so the next up made
those objects a second time.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from . import connection
from .client import RetoolClient
from .engine.spec import ResourceSpec, spec_for
from .errors import ConfigurationError, RetoolError
from .stack_config import StackConfigError, read_stack_config

__all__ = ["LiveUpdateError", "Lock", "Recovery", "main", "recover"]

_DYNAMIC = "dynamic/retool:"


@dataclass(frozen=True)
class Lock:
    """A file backend's update lock: who took it, and whether that process still runs."""

    path: str
    pid: int
    username: str
    hostname: str
    timestamp: str
    alive: bool | None  # None: taken on another host, so this one cannot tell

    def describe(self) -> str:
        state = {True: "still running", False: "gone", None: "on another host: cannot tell"}[self.alive]
        who = f"{self.username}@{self.hostname}"
        return f"{self.path}: pid {self.pid} ({state}) of {who} since {self.timestamp}"


@dataclass
class Recovery:
    """What recovery did with each pending create (by URN), and with the lock."""

    adopted: list[dict[str, str]] = field(default_factory=list)  # urn, type, id: applied, now recorded
    dropped: list[dict[str, str]] = field(default_factory=list)  # urn, type: never applied
    repeated: list[dict[str, str]] = field(default_factory=list)  # urn, type: safe to send again
    # urn, type, found [{id, created_at}]: made in Retool but not adoptable (a token's lost value)
    unadoptable: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)  # the locks removed


class LiveUpdateError(RuntimeError):
    """An update may still be running: its lock was left alone."""


def _pulumi(cwd: Path, stack: str | None, *args: str) -> str:
    cmd = ["pulumi", "--non-interactive", *args] + (["--stack", stack] if stack else [])
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603 (our args)
    if out.returncode != 0:
        # Never echo stdout of an export with secrets; errors go to stderr.
        shown = "" if "--show-secrets" in args else out.stdout[-2000:]
        raise RuntimeError(f"`{' '.join(cmd)}` failed:\n{shown}\n{out.stderr[-2000:]}")
    return out.stdout


def _backend_dir(cwd: Path) -> Path | None:
    """The directory of a file backend (`file://...`), None for any other backend."""
    url = str(json.loads(_pulumi(cwd, None, "whoami", "--json")).get("url", ""))
    if not url.startswith("file://"):
        return None
    parsed = urlparse(url)
    path = unquote(parsed.netloc + parsed.path)
    return Path(path.replace("~", str(Path.home()), 1) if path.startswith("~") else path)


def _clear_empty_sidecars(backend: Path) -> None:
    for sidecar in (backend / ".pulumi").rglob("*.attrs"):
        if sidecar.stat().st_size == 0:
            sidecar.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _locks(backend: Path, cwd: Path, stack: str | None) -> list[Lock]:
    """The update locks of the stack on a file backend (`.pulumi/locks/<stack>/*.json`)."""
    try:
        name = _pulumi(cwd, stack, "stack", "--show-name", "--fully-qualify-stack-names").strip()
    except RuntimeError:  # an engine without the flag: the stack's own name
        name = _pulumi(cwd, stack, "stack", "--show-name").strip()
    host = socket.gethostname()
    found = []
    root = backend / ".pulumi" / "locks"
    for dir_ in {root / name, root / name.rsplit("/", 1)[-1]}:  # project-scoped or not
        for path in sorted(dir_.glob("*.json")) if dir_.is_dir() else []:
            try:
                data = json.loads(path.read_text())
            except (OSError, ValueError):
                data = {}
            pid, hostname = int(data.get("pid") or 0), str(data.get("hostname", "?"))
            found.append(
                Lock(
                    path=str(path),
                    pid=pid,
                    username=str(data.get("username", "?")),
                    hostname=hostname,
                    timestamp=str(data.get("timestamp", "")),
                    alive=(pid > 0 and _pid_alive(pid)) if hostname == host else None,
                )
            )
    return found


def _instant(text: str) -> datetime | None:
    """A lock's RFC 3339 timestamp (nanoseconds and all) as an aware datetime."""
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$", text.strip())
    if not match:
        return None
    value = datetime.fromisoformat(match.group(1) + (match.group(2) or "Z").replace("Z", "+00:00"))
    return value.astimezone(timezone.utc)


def _settle_locks(cwd: Path, stack: str | None, force: bool, result: Recovery) -> datetime | None:
    """Remove the lock of a killed update (see step 2); returns when that update started."""
    backend = _backend_dir(cwd)
    if backend is None:
        if force:
            _pulumi(cwd, stack, "cancel", "--yes")
            result.cancelled.append("(the update in progress, cancelled on the backend)")
        return None
    _clear_empty_sidecars(backend)
    locks = _locks(backend, cwd, stack)
    live = [lock for lock in locks if lock.alive is not False]
    if live and not force:
        raise LiveUpdateError(
            "the stack is locked by an update that may still be running, so recovery changed nothing:\n  "
            + "\n  ".join(lock.describe() for lock in live)
            + "\nWait for it to end. If you are sure it is not running (it was killed), run again "
            "with --force-cancel."
        )
    if locks:
        _pulumi(cwd, stack, "cancel", "--yes")
        result.cancelled.extend(lock.describe() for lock in locks)
    starts = [t for t in (_instant(lock.timestamp) for lock in locks) if t is not None]
    return min(starts) if starts else None


def _kind(res: Mapping[str, Any]) -> str | None:
    type_ = str(res.get("type", ""))
    return type_.rsplit(":", 1)[-1] if _DYNAMIC in type_ else None


_SECRET_SIG = "4dabf18193072939515e22adb298388d"  # Pulumi's marker of a secret value in a checkpoint


def _revealed(value: Any) -> Any:
    """`value` of a `--show-secrets` export with each secret (`{sig, plaintext: JSON}`) decoded."""
    if isinstance(value, dict):
        if _SECRET_SIG in value and "plaintext" in value:
            return _revealed(json.loads(value["plaintext"]))
        return {k: _revealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_revealed(v) for v in value]
    return value


def _key_in_secret(spec: ResourceSpec) -> bool:
    return bool(set(spec.natural_key) & set(spec.secret_fields))


class _Clients:
    """Clients of the stack's connections, its config read at the first need."""

    def __init__(self, cwd: Path, stack: str | None) -> None:
        self.cwd, self.stack = cwd, stack
        self.source = ""

    def get(self, name: Any) -> RetoolClient:
        if not self.source:
            found = read_stack_config(self.stack, self.cwd)
            connection.set_stack_config(found.values)
            self.source = found.source
        try:
            return connection.get_client(str(name) if name else None)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{exc} ({self.source})") from None


def recover(cwd: Path, stack: str | None = None, *, force_cancel: bool = False) -> Recovery:
    """Run the recovery flow for `stack` of the project in `cwd` (see the module docstring).
    Raises `LiveUpdateError`, having changed nothing, while an update may still be running."""
    try:
        return _recover(cwd, stack, force_cancel, _Clients(cwd, stack))
    finally:
        connection.set_stack_config(None)
        connection.reset_clients()


def _recover(cwd: Path, stack: str | None, force_cancel: bool, clients: _Clients) -> Recovery:
    result = Recovery()
    since = _settle_locks(cwd, stack, force_cancel, result)
    exported: dict[str, Any] = json.loads(_pulumi(cwd, stack, "stack", "export"))
    deployment = exported["deployment"]
    resources: list[dict[str, Any]] = deployment.setdefault("resources", [])
    ops = deployment.get("pending_operations") or []
    pending = [op for op in ops if op.get("type") == "creating" and _kind(op["resource"])]
    # Ids already recorded: an object another resource manages (the one being replaced) is
    # never adopted for a pending create.
    managed = {(_kind(r), str(r.get("id"))) for r in resources if _kind(r) and r.get("id")}
    plain: dict[str, Any] = {}
    if any(_key_in_secret(spec_for(str(_kind(op["resource"])))) for op in pending):
        decrypted = json.loads(_pulumi(cwd, stack, "stack", "export", "--show-secrets"))
        for op in decrypted["deployment"].get("pending_operations") or []:
            plain[op["resource"]["urn"]] = _revealed(op["resource"].get("inputs") or {})
        del decrypted
    for op in pending:
        res: dict[str, Any] = op["resource"]
        kind = str(_kind(res))
        spec = spec_for(kind)
        inputs = res.get("inputs") or {}
        name = inputs.get("connection")
        entry = {"urn": str(res["urn"]), "type": kind}
        if spec.natural_key:
            readable = plain.get(res["urn"], inputs) if _key_in_secret(spec) else inputs
            client = clients.get(name)
            found = spec.find_existing(client, spec.inputs_of(readable))
            if found is not None and (kind, spec.object_id(found)) not in managed:
                # The create reached Retool: record the object; the refresh below reads it in full.
                res["id"] = spec.object_id(found)
                res["outputs"] = dict(inputs)  # secrets stay as the export has them: encrypted
                resources.append(res)
                result.adopted.append({**entry, "id": res["id"]})
            else:
                result.dropped.append(entry)
        elif spec.singleton or spec.create_repeatable:
            result.repeated.append(entry)
        else:  # returned_once: look for what Retool made, to name it
            client = clients.get(name)
            try:
                like = spec.find_created_since(client, spec.inputs_of(inputs), since)
            except RetoolError as exc:  # e.g. a token that may not list them
                result.unadoptable.append({**entry, "found": [], "unchecked": str(exc)})
                continue
            made = [
                {"id": spec.object_id(o), "created_at": str(o.get("created_at", "?"))}
                for o in like
                if (kind, spec.object_id(o)) not in managed
            ]
            if made:
                result.unadoptable.append({**entry, "found": made})
            else:
                result.dropped.append(entry)
    if pending:
        deployment["pending_operations"] = [op for op in ops if op not in pending]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fixed:
            json.dump(exported, fixed)
        try:
            _pulumi(cwd, stack, "stack", "import", "--file", fixed.name)
        finally:
            os.unlink(fixed.name)
    _pulumi(cwd, stack, "refresh", "--yes", "--skip-preview")
    return result


def _report(result: Recovery) -> str:
    lines = [f"Removed the lock of a killed update: {lock}" for lock in result.cancelled]
    lines += [f"Adopted {e['type']} {e['id']}, its create reached Retool: {e['urn']}" for e in result.adopted]
    lines += [f"Dropped {e['type']}, its create never reached Retool: {e['urn']}" for e in result.dropped]
    lines += [f"Dropped {e['type']}, `pulumi up` repeats it safely: {e['urn']}" for e in result.repeated]
    for e in result.unadoptable:
        made = ", ".join(f"{t['id']} (created at {t['created_at']})" for t in e["found"])
        if "unchecked" in e:
            made = f"one (listing them to check failed: {e['unchecked']}; look in Retool)"
        lines.append(
            f"ACTION NEEDED: the interrupted update may have made {e['type']} {made} ({e['urn']}). "
            "Its value was only in the answer the kill lost, so it cannot be adopted: revoke it in "
            "Retool (Settings > API; Retool's API cannot). `pulumi up` makes a new one."
        )
    lines.append(
        f"Recovered: {len(result.adopted)} pending create(s) found in Retool and recorded, "
        f"{len(result.dropped) + len(result.repeated) + len(result.unadoptable)} dropped "
        f"({len(result.unadoptable)} needing action above). Now run `pulumi up`."
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m retool_pulumi.recover", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--stack", help="the stack (default: the selected one)")
    parser.add_argument("--cwd", default=".", help="the Pulumi project directory")
    parser.add_argument(
        "--force-cancel",
        action="store_true",
        help="remove the stack's lock even if its update may still be running (only if you know it is not)",
    )
    parser.add_argument("--json", action="store_true", help="print what was done as JSON")
    args = parser.parse_args(argv)
    try:
        result = recover(Path(args.cwd), args.stack, force_cancel=args.force_cancel)
    except (LiveUpdateError, StackConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (RuntimeError, RetoolError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        if not args.force_cancel:
            print(
                "If an update of this stack is still in progress, wait for it to end; if it was killed, "
                "run again with --force-cancel.",
                file=sys.stderr,
            )
        return 1
    print(json.dumps(asdict(result), indent=2) if args.json else _report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
