"""The one dynamic provider behind every Retool type.

Its pickled form (stored by Pulumi in each resource's state as `__provider`) is this class by
reference plus the type's name: no client, no credential. The client comes from the connection
settings at call time (stack config passed to `configure`, or `RETOOL_*` variables).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pydantic import ValidationError

from .. import connection
from ..client import RetoolClient
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RetoolConnectionError,
    RetoolError,
    RetoolTimeoutError,
    ServerError,
)
from . import process
from .cache import LISTINGS
from .spec import META_FIELDS, ResourceSpec, id_text, spec_for
from .values import MASK, ROTATED, contains_unknown, fingerprint, normalize, same, unmask

log = logging.getLogger("retool_pulumi.provider")

PROVIDER_KEY = "__provider"
FINGERPRINTS = "server_fingerprints"  # output: digests of encrypted secrets as last seen
RETOOL_HOST = "retool_host"  # output: the address of the Retool the object lives in
_AMBIGUOUS = (RetoolConnectionError, RetoolTimeoutError, ServerError)
_CREATE_ATTEMPTS = 4
_CLOCK_SKEW = timedelta(minutes=2)
_T = TypeVar("_T")


class RetoolProvider(ResourceProvider):
    """CRUD for one Retool type, driven by its `ResourceSpec`."""

    serialize_as_secret_always = False  # nothing secret is pickled; keep `__provider` readable

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    @property
    def spec(self) -> ResourceSpec:
        return spec_for(self.kind)

    def configure(self, req: ConfigureRequest) -> None:
        _configure_logging()
        raw = getattr(req.config, "_props", None)
        if isinstance(raw, Mapping):
            connection.set_stack_config(raw)

    # ---- check: validation, no API call --------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        spec = self.spec
        props = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        meta = {k: props.pop(k) for k in META_FIELDS if props.get(k) is not None}
        outputs = set(spec.outputs) | {FINGERPRINTS, RETOOL_HOST}
        props = {k: v for k, v in props.items() if k not in outputs and v is not None}
        failures = [
            CheckFailure(k, f"{spec.kind} has no property {k!r}; allowed: {', '.join(spec.fields)}")
            for k in props
            if k not in spec.inputs.model_fields
        ]
        if meta.get("adopt_id") not in (None, "") and not contains_unknown(meta["adopt_id"]):
            meta["adopt_id"] = id_text(meta["adopt_id"])
            problem = spec.id_problem(meta["adopt_id"])
            if problem:
                failures.append(CheckFailure("adopt_id", f"{spec.kind}.adopt_id: {problem}"))
        data = {k: v for k, v in props.items() if k in spec.inputs.model_fields}
        checked: dict[str, Any] = dict(normalize(data))
        try:
            model = spec.inputs.model_validate(checked)
        except ValidationError as exc:
            hidden = spec.hidden_fields(checked)
            for err in exc.errors():
                if _passes_unknown(data, err["loc"]):
                    continue  # decided once the value is known
                failures.append(_failure(spec.kind, spec.fields, hidden, err))
        else:
            if not contains_unknown(data):
                checked = model.model_dump(mode="json", exclude_none=True)
        if contains_unknown(data):
            # Preview: keep the unknowns as they are, but fill the defaults as a known value would,
            # so the preview shows no change of a defaulted field.
            for name, info in spec.inputs.model_fields.items():
                if name not in checked and not info.is_required():
                    default = info.get_default(call_default_factory=True)
                    if default is not None:
                        checked[name] = default
        return CheckResult({**checked, **meta}, failures)

    # ---- diff: no API call ----------------------------------------------------------------------
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        spec = self.spec
        changes: list[str] = []
        for field in [*spec.fields, "connection"]:
            new = news.get(field)
            if contains_unknown(new) or not same(olds.get(field), new):
                changes.append(field)
        if "connection" not in changes:  # a new connection replaces it: made there, deleted here
            try:
                settings = connection.resolve_settings(_connection_name(news))
            except ConfigurationError:
                pass  # nothing to compare with; an operation that needs Retool will say why
            else:
                self._check_home(id_, olds, settings)
        replaces = list(spec.replaces(olds, news, [f for f in changes if f != "connection"]))
        if "connection" in changes:
            replaces.append("connection")
        return DiffResult(
            changes=bool(changes),
            replaces=replaces,
            stables=[],
            delete_before_replace=bool(replaces) and spec.delete_before_replace,
        )

    # ---- create ---------------------------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        with self._advice(props):
            return self._create(props)

    def _create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec
        client = self._client(props)
        inputs = spec.inputs_of(props)
        adopt_id = props.get("adopt_id")
        problem = spec.id_problem(id_text(adopt_id)) if adopt_id else None
        if problem:  # unknown at check (preview): checked here, before any request
            raise RetoolError(f"{spec.kind}.adopt_id: {problem}")
        try:
            if adopt_id or spec.singleton:
                obj = self._adopt(client, id_text(adopt_id) if adopt_id else "", inputs)
            else:
                obj = self._create_once(client, inputs)
        finally:
            LISTINGS.invalidate(client, spec.collection)
        return CreateResult(spec.object_id(obj), self._outs(inputs, obj, props))

    def _create_once(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """POST, and after an ambiguous failure (the server may have applied it) make sure before
        trying again that a retry cannot make a duplicate, as the type says (see `ResourceSpec`):
        look the object up by its natural key (found: that is it), send a repeatable create
        again, or, for an object whose value only the lost answer carried (a token), look for one
        made since the first try (found: an error naming it, as it cannot be adopted)."""
        spec = self.spec
        body = spec.resolve(client, inputs)
        # Server clocks differ from ours: anything minted a little before the first try counts.
        since = datetime.now(timezone.utc) - _CLOCK_SKEW
        # As many tries as the client gives any other request (RETOOL_MAX_RETRIES), at least 4.
        attempts = max(_CREATE_ATTEMPTS, client.max_retries + 1)
        for attempt in range(1, attempts + 1):
            try:
                return spec.create_object(client, body)
            except _AMBIGUOUS as exc:
                if not getattr(exc, "sent", True):
                    raise  # never reached Retool (the client tried it again already): nothing to look for
                if not (spec.natural_key or spec.create_repeatable or spec.singleton or spec.returned_once):
                    raise
                log.debug("create of %s was ambiguous (%s); looking it up", spec.kind, type(exc).__name__)
                time.sleep(min(0.2 * 2**attempt, 2.0))
                # Looked for after the last try too: what it made is no less there.
                if spec.returned_once:
                    try:
                        made = _lookup(client, lambda: spec.find_created_since(client, inputs, since))
                    except RetoolError as lookup_exc:
                        raise _unadoptable(spec, None, since, exc, inputs, lookup_exc) from exc
                    if made:
                        raise _unadoptable(spec, made, since, exc, inputs) from exc
                elif spec.natural_key:
                    found = _lookup(client, lambda: spec.find_existing(client, inputs))
                    if found is not None:
                        return found
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    def _adopt(self, client: RetoolClient, id_: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Bring an existing object (or the singleton) under management: read it, then update it
        to the declared inputs."""
        spec = self.spec
        live = spec.read_object(client, id_, inputs)
        if live is None and spec.singleton:
            return self._create_once(client, inputs)
        if live is None:
            raise NotFoundError(
                404,
                "GET",
                spec.item_path(id_) if id_ else spec.collection,
                f"cannot adopt {spec.kind} {id_!r}: it does not exist; remove adopt_id to create a new one",
            )
        # Only declared fields are compared and sent (the rest stay as they are in Retool), with
        # masks intact: a masked secret may differ from the declared one, so it is always sent.
        current = {
            k: v
            for k, v in spec.to_inputs(spec.unresolve(client, live)).items()
            if k in inputs or k in spec.managed_when_none
        }
        if not same(spec.body(current), spec.body(inputs)):
            updated = spec.update_object(
                client,
                id_ or spec.object_id(live),
                spec.resolve(client, current),
                spec.resolve(client, inputs),
            )
            return {**live, **updated}
        return live

    # ---- read -----------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with self._advice(props):
            return self._read(id_, props)

    def _read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        spec = self.spec
        client = self._client(props, id_, props)
        obj = self._read_object(client, id_, props)
        if obj is None:
            return ReadResult(id_="", outs={})
        obj = spec.unresolve(client, obj)
        declared = spec.inputs_of(props)
        live = self._reconcile(spec.to_inputs(obj), declared, props.get(FINGERPRINTS) or {}, obj)
        meta = {k: props[k] for k in META_FIELDS if props.get(k) is not None}
        outs = {**live, **self._computed(obj, props), **meta}
        return ReadResult(
            id_=spec.object_id(obj) if spec.id_field in obj else id_, outs=outs, inputs={**live, **meta}
        )

    def _read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        """The live object: from a recent listing of its collection when the type allows it
        (batched refresh: one list request per 100 objects instead of one GET each), else, and
        on any miss, from its own GET."""
        spec = self.spec
        if spec.batch_reads and id_:
            try:
                hit = LISTINGS.find(
                    client, spec.collection, lambda o: spec.id_field in o and spec.object_id(o) == id_
                )
            except RetoolError as exc:  # e.g. a token that may read objects but not list them
                log.debug(
                    "listing %s failed (%s); reading %s alone", spec.collection, type(exc).__name__, id_
                )
                hit = None
            if hit is not None:
                return hit
        return spec.read_object(client, id_, props)

    def _reconcile(
        self,
        live: dict[str, Any],
        declared: Mapping[str, Any],
        prints: Mapping[str, Any],
        obj: Mapping[str, Any],
    ) -> dict[str, Any]:
        """The live inputs in the form the program declares them, so that an unchanged object
        refreshes without a diff: masked secrets and fields the API never returns keep their
        declared values, server-added defaults the program did not declare are dropped, and an
        encrypted secret keeps its declared value unless the server's copy changed (rotation)."""
        spec = self.spec
        out = unmask(live, declared)
        for field in spec.write_only:
            if field in declared:
                out[field] = declared[field]
        for path in spec.read_omits:
            _keep_declared(out, declared, path.split("."))
        for field in spec.encrypted:
            if field not in obj:
                continue
            seen = prints.get(field)
            if seen is None or seen == fingerprint(obj[field]) or obj[field] == MASK:
                if field in declared:
                    out[field] = declared[field]
                else:
                    out.pop(field, None)
            else:
                out[field] = ROTATED
        for path, default in spec.server_defaults.items():
            _drop_default(out, declared, path.split("."), default)
        # Only declared fields are managed: check fills every default, so an absent optional
        # field is one the program leaves to Retool (unless None is itself a declaration).
        managed = set(declared) | set(spec.managed_when_none)
        return {k: v for k, v in out.items() if v is not None and k in managed}

    # ---- update ---------------------------------------------------------------------------------
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        with self._advice(news):
            return self._update(id_, olds, news)

    def _update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = self.spec
        client = self._client(news, id_, olds)
        old_inputs, new_inputs = spec.inputs_of(olds), spec.inputs_of(news)
        # A secret that refresh saw rotated must be re-sent; compare against something that differs.
        for field in spec.encrypted:
            if old_inputs.get(field) == ROTATED:
                old_inputs.pop(field)
        try:
            obj = spec.update_object(
                client, id_, spec.resolve(client, old_inputs), spec.resolve(client, new_inputs)
            )
        finally:
            LISTINGS.invalidate(client, spec.collection)
        return UpdateResult(self._outs(new_inputs, obj, news))

    # ---- delete ---------------------------------------------------------------------------------
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with self._advice(props):
            self._delete(id_, props)

    def _delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self._client(props, id_, props)
        try:
            self.spec.delete_object(client, id_, props)
        finally:
            LISTINGS.invalidate(client, self.spec.collection)

    # ---- helpers --------------------------------------------------------------------------------
    def _client(
        self, props: Mapping[str, Any], id_: str | None = None, recorded: Mapping[str, Any] | None = None
    ) -> RetoolClient:
        """The client of the resource's connection; with `recorded` (the state's outputs), only
        once they say the object lives in the Retool that connection reaches."""
        name = _connection_name(props)
        if recorded is not None:
            self._check_home(id_ or "", recorded, connection.resolve_settings(name))
        return connection.get_client(name)

    def _check_home(
        self, id_: str, recorded: Mapping[str, Any], settings: connection.ConnectionSettings
    ) -> None:
        """Refuse (ConfigurationError) to touch an object recorded in another Retool than the one
        the connection reaches now, unless `movedFrom` names the recorded address. An object
        recorded before addresses were (older states) is taken to live where the connection is."""
        was = recorded.get(RETOOL_HOST)
        if not was:
            return
        now = connection.address_of(settings)
        if was == now or was in settings.moved_from:
            return
        name = _connection_name(recorded)
        host_from = settings.origins.get("host") or settings.origins.get("unix_socket_path") or "the host"
        moved = connection.setting_key("moved_from", name)
        raise ConfigurationError(
            f"{self.spec.kind} {id_} lives in the Retool at {was} (recorded in the state), but "
            f"{host_from} now points at {now}: nothing was sent to either. To keep managing it, "
            f"point {host_from} back at {was}. If {now} is a new address of the same Retool, say "
            f"so: `pulumi config set {moved} {was}`, then `pulumi refresh --run-program` records "
            f"the new address (then `pulumi config rm {moved}`). To move it to another Retool, destroy it "
            f"through the old address first, or forget it (`pulumi state delete <urn>`), and let "
            f"`pulumi up` make it there. (`pulumi refresh` and `pulumi destroy` without "
            f"--run-program use the stack config saved at the last `pulumi up`.)"
        )

    @contextlib.contextmanager
    def _advice(self, props: Mapping[str, Any]) -> Iterator[None]:
        """Add to a refused token's error what a stale stack config looks like: `pulumi refresh`
        and `pulumi destroy` configure the provider with the config saved at the last `up`."""
        try:
            yield
        except (AuthenticationError, PermissionDeniedError) as exc:
            try:
                source = connection.resolve_settings(_connection_name(props)).origins.get("access_token", "")
            except ConfigurationError:
                source = ""
            if source.startswith(f"{connection.NAMESPACE}:"):
                exc.hint = f"{exc.hint} {_STALE_CONFIG.format(source=source)}".strip()
                exc.args = (str(exc),)
            raise

    def _computed(self, obj: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        spec = self.spec
        outs = {k: obj.get(k, props.get(k)) for k in spec.outputs}
        outs[RETOOL_HOST] = connection.address_of(connection.resolve_settings(_connection_name(props)))
        prints = {f: fingerprint(obj[f]) for f in spec.encrypted if f in obj and obj[f] != MASK}
        if spec.encrypted:
            outs[FINGERPRINTS] = prints
        return outs

    def _outs(
        self, inputs: Mapping[str, Any], obj: Mapping[str, Any], props: Mapping[str, Any]
    ) -> dict[str, Any]:
        meta = {k: props[k] for k in META_FIELDS if props.get(k) is not None}
        return {**inputs, **self._computed(obj, props), **meta}


_STALE_CONFIG = (
    "The token came from {source}: if this is `pulumi refresh` or `pulumi destroy` run without "
    "--run-program, it is the one saved at the last `pulumi up`, not the current config; run "
    "`pulumi refresh --run-program` (or `pulumi up`) to use the current config."
)


def _connection_name(props: Mapping[str, Any]) -> str | None:
    name = props.get("connection")
    return str(name) if name else None


LOG_LEVEL_ENV = "RETOOL_PULUMI_LOG_LEVEL"
_log_handler: logging.Handler | None = None
_log_lock = threading.Lock()


def _configure_logging() -> None:
    """Send the package's logs (method, path, status and timing of each request; never headers
    or bodies) to the provider's stderr, which the engine records in its verbose logs, when
    RETOOL_PULUMI_LOG_LEVEL names a level (DEBUG, INFO, ...)."""
    global _log_handler
    level = logging.getLevelName(os.environ.get(LOG_LEVEL_ENV, "").strip().upper() or "NOTSET")
    if not isinstance(level, int) or level == logging.NOTSET:
        return
    with _log_lock:
        if _log_handler is not None:
            return
        _log_handler = logging.StreamHandler(sys.stderr)
        _log_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        package = logging.getLogger("retool_pulumi")
        package.addHandler(_log_handler)
        package.setLevel(level)


def _lookup(client: RetoolClient, find: Callable[[], _T]) -> _T:
    """`find()`, tried again after ambiguous failures as many times as a create."""
    for attempt in range(max(_CREATE_ATTEMPTS, client.max_retries + 1)):
        try:
            return find()
        except _AMBIGUOUS:
            time.sleep(min(0.2 * 2**attempt, 2.0))
    return find()


def _unadoptable(
    spec: ResourceSpec,
    made: list[dict[str, Any]] | None,
    since: datetime,
    exc: Exception,
    inputs: Mapping[str, Any],
    lookup_exc: Exception | None = None,
) -> RetoolError:
    """The error for a create whose lost answer carried the only copy of a value (a token's):
    naming what Retool made (`made`), or, when that could not be listed, what to look for."""
    after = f"since {since:%Y-%m-%dT%H:%M:%SZ}"
    if made is None:
        like = {k: v for k, v in inputs.items() if k not in spec.secret_fields}
        what = (
            f"Retool may have made it, and listing them to check failed ({lookup_exc}). Look in "
            f"Retool for a {spec.kind} made {after} like {like}"
        )
    else:
        found = ", ".join(f"{spec.object_id(o)} (created at {o.get('created_at', '?')})" for o in made)
        what = f"Retool now holds {len(made)} {spec.kind} like it made {after}: {found}"
    return RetoolError(
        f"creating {spec.kind} got no answer ({type(exc).__name__}). {what}. "
        f"Its {', '.join(spec.returned_once)} was only in the lost answer and cannot be read again, "
        f"so it is not adopted. Revoke it in Retool (Settings > API; Retool's API cannot), then "
        "run `pulumi up` again to make a new one."
    )


def _passes_unknown(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Whether the value at `loc` (or one on the way to it) is unknown during preview."""
    cur = data
    for part in loc:
        if contains_unknown(cur) and not isinstance(cur, (dict, list)):
            return True
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            cur = cur[part]
        else:
            return False
    return contains_unknown(cur)


def _failure(kind: str, fields: list[str], hidden: set[str], err: Any) -> CheckFailure:
    """A check failure naming the property, saying what is allowed, never echoing a secret."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    loc = err["loc"]
    if not loc:
        # A rule across fields (a model validator): its message starts with the field it is about.
        match = re.match(r"[A-Za-z_]\w*", msg)
        top = match.group(0) if match and match.group(0) in fields else ""
        return CheckFailure(top or kind, f"{kind}.{msg}" if top else f"{kind}: {msg}")
    top = str(loc[0])
    value = err.get("input")
    quiet = top in hidden or err["type"] == "missing" or isinstance(value, (dict, list))
    got = "" if quiet else f" (got {value!r})"
    return CheckFailure(top, f"{kind}.{_dotted(loc)}: {msg}{got}")


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _keep_declared(live: Any, declared: Any, path: list[str]) -> None:
    """Put the declared value at `path` into `live` where the read left it out."""
    if not isinstance(live, dict) or not isinstance(declared, Mapping) or path[0] not in declared:
        return
    head, rest = path[0], path[1:]
    if not rest:
        if live.get(head) is None:
            live[head] = declared[head]
        return
    _keep_declared(live.get(head), declared[head], rest)


def _drop_default(live: Any, declared: Any, path: list[str], default: Any) -> None:
    """Remove `path` from `live` when it holds the server's default and `declared` lacks it."""
    if not isinstance(live, dict):
        return
    head, rest = path[0], path[1:]
    decl = declared.get(head) if isinstance(declared, Mapping) else None
    if not rest:
        if head in live and decl is None and same(live[head], default):
            del live[head]
        return
    _drop_default(live.get(head), decl, rest, default)


# Loaded in the engine's provider process: one-line errors, and an end when the engine is gone.
process.install()

__all__ = ["FINGERPRINTS", "RETOOL_HOST", "RetoolError", "RetoolProvider"]
