"""Benchmark: the cost of managing N Retool objects through the real Pulumi engine.

For N = 50 and 200 objects (a third each of folders, groups and environments) against the
emulator: `pulumi up` (create), a no-op preview, refresh, an update of every object, and
destroy. It reports HTTP requests per create / update / delete / read from the emulator's
request log, the requests of a no-op preview, the bytes of `__provider` and of the state per
resource (from `pulumi stack export`, secrets encrypted), and the wall time of each operation
against the same engine running N no-op dynamic resources (`retool_pulumi.smoke.Echo`).

    make bench                      # writes BENCHMARKS.md
    .venv/bin/python tools/bench.py --sizes 50 --output -   # print only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import retool_pulumi as retool  # noqa: E402
from retool_pulumi.emulator import Emulator  # noqa: E402
from retool_pulumi.engine.resource import reset_dynamic_pickler  # noqa: E402
from retool_pulumi.smoke import Echo  # noqa: E402
from tests.engine import TOOLS, export_state, new_stack  # noqa: E402

OPS = ("up", "preview", "refresh", "update", "destroy")


def retool_program(n: int, version: dict[str, int]) -> Callable[[], None]:
    def program() -> None:
        v = version["v"]
        for i in range(n):
            kind = i % 3
            if kind == 0:
                retool.Folder(f"folder-{i}", name=f"bench-folder-{i:03d}-v{v}", folder_type="app")
            elif kind == 1:
                access = "use" if v == 1 else "edit"
                retool.Group(f"group-{i}", name=f"bench-group-{i:03d}", universal_app_access=access)
            else:
                retool.Environment(
                    f"env-{i}", name=f"bench-env-{i:03d}", color="#1E88E5", description=f"bench v{v}"
                )

    return program


def echo_program(n: int, version: dict[str, int]) -> Callable[[], None]:
    def program() -> None:
        for i in range(n):
            # Echo is a plain dynamic resource: give it the same pickler fix as RetoolResource,
            # or the process would fail past ~970 of them (and each would pickle slower).
            reset_dynamic_pickler()
            Echo(f"echo-{i}", message=f"m-{i}-v{version['v']}")

    return program


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.monotonic()
    result = fn()
    return time.monotonic() - start, result


def run_ops(
    workdir: Path,
    program: Callable[[int, dict[str, int]], Callable[[], None]],
    n: int,
    env: dict[str, str],
    em: Emulator | None,
) -> dict[str, Any]:
    """Time (and count the requests of) up, no-op preview, refresh, update and destroy."""
    version = {"v": 1}
    st = new_stack(workdir, program(n, version), env=env)
    out: dict[str, Any] = {"seconds": {}, "requests": {}, "methods": {}}

    def op(name: str, fn: Callable[[], Any]) -> Any:
        if em is not None:
            em.clear_requests()
        seconds, result = timed(fn)
        out["seconds"][name] = seconds
        if em is not None:
            reqs = em.requests()
            out["requests"][name] = len(reqs)
            out["methods"][name] = dict(Counter(r["method"] for r in reqs))
        return result

    op("up", lambda: st.up())
    state = export_state(st)
    op("preview", lambda: st.preview())
    op("refresh", lambda: st.refresh())
    version["v"] = 2
    op("update", lambda: st.up())
    op("destroy", lambda: st.destroy())
    out["state"] = state
    return out


def state_sizes(state: dict[str, Any], n: int) -> dict[str, float]:
    managed = [r for r in state.get("resources", []) if "dynamic" in str(r.get("type", ""))]
    provider = [
        len(str(r.get(part, {}).get("__provider", ""))) for r in managed for part in ("inputs", "outputs")
    ]
    total = len(json.dumps(state, separators=(",", ":")))
    traces = sum(
        len(json.dumps(r.get(k), separators=(",", ":")))
        for r in managed
        for k in ("stackTrace", "sourcePosition")
        if k in r
    )
    return {
        "traces_per_resource": traces / max(1, len(managed)),
        "provider_value": max(provider) if provider else 0,
        "provider_per_resource": sum(provider) / max(1, len(managed)),
        "state_per_resource": total / max(1, n),
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    engine = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}, Python {platform.python_version()}, "
        f"Pulumi {engine}; 1-minute load average at the end of the run: {load:.1f}"
    )


def bench(n: int, repeat: int) -> dict[str, Any]:
    """`repeat` rounds of both programs; request counts from the first round (they are the same
    every round), times the median of the rounds (the machine may be shared)."""
    rounds = [bench_once(n) for _ in range(repeat)]
    first = rounds[0]
    for side in ("retool", "echo"):
        first[side]["seconds"] = {op: statistics.median(r[side]["seconds"][op] for r in rounds) for op in OPS}
    first["leftover"] = max(r["leftover"] for r in rounds)
    first["repeat"] = repeat
    return first


def bench_once(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, Emulator(token="bench-token") as em:
        env = {
            "RETOOL_HOST": em.host,
            "RETOOL_ACCESS_TOKEN": em.token,
            "RETOOL_SCHEME": "http",
            # Measure the provider, not the client's pacing (300 requests a minute by default).
            "RETOOL_REQUESTS_PER_MINUTE": "0",
        }
        print(f"N={n}: retool objects ...", file=sys.stderr, flush=True)
        r = run_ops(Path(tmp) / "retool", retool_program, n, env, em)
        leftover = sum(1 for f in em.store.folders.values() if str(f["name"]).startswith("bench-"))
        leftover += sum(1 for g in em.store.groups.values() if str(g["name"]).startswith("bench-"))
        leftover += sum(1 for e in em.store.environments.values() if str(e["name"]).startswith("bench-"))
        print(f"N={n}: no-op Echo resources ...", file=sys.stderr, flush=True)
        e = run_ops(Path(tmp) / "echo", echo_program, n, {}, None)
    return {"n": n, "retool": r, "echo": e, "sizes": state_sizes(r["state"], n), "leftover": leftover}


def _methods(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def render(results: list[dict[str, Any]], command: str) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Cost of managing N Retool objects (a third each of folders, groups and environments) through",
        "the real Pulumi engine against the bundled emulator, and wall time against the same engine",
        "running N no-op dynamic resources (`retool_pulumi.smoke.Echo`).",
        "",
        f"Reproduce: `{command}` (this file is written by it).",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "- Client pacing off (`RETOOL_REQUESTS_PER_MINUTE=0`): the figures measure the provider. At",
        "  Retool's default of 300 requests a minute, N creates take at least N/5 seconds.",
        f"- Wall times are the median of {results[0]['repeat']} rounds (the machine may be shared);"
        " request counts are exact.",
        "",
        "## HTTP requests (emulator request log)",
        "",
        "| N | per create (up) | per update | per delete (destroy) | per read (refresh) | no-op preview |",
        "|---|---|---|---|---|---|",
    ]
    for res in results:
        n, req = res["n"], res["retool"]["requests"]
        lines.append(
            f"| {n} | {req['up'] / n:.2f} | {req['update'] / n:.2f} | {req['destroy'] / n:.2f} "
            f"| {req['refresh'] / n:.3f} ({req['refresh']} total) | {req['preview']} |"
        )
    lines += [
        "",
        "By method (whole operation):",
        "",
        "| N | up | update | refresh | destroy |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        m = res["retool"]["methods"]
        row = " | ".join(_methods(m[op]) for op in ("up", "update", "refresh", "destroy"))
        lines.append(f"| {res['n']} | {row} |")
    lines += [
        "",
        "## State size (`pulumi stack export`, secrets encrypted)",
        "",
        "| N | `__provider` value | `__provider` bytes per resource (inputs + outputs) "
        "| state bytes per resource | of which the engine's source positions |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        s = res["sizes"]
        lines.append(
            f"| {res['n']} | {s['provider_value']} B | {s['provider_per_resource']:.0f} B "
            f"| {s['state_per_resource']:.0f} B | {s['traces_per_resource']:.0f} B |"
        )
    lines += [
        "",
        "## Wall time against no-op dynamic resources",
        "",
        "| N | operation | Retool (s) | Echo (s) | ratio |",
        "|---|---|---|---|---|",
    ]
    for res in results:
        for op in OPS:
            a, b = res["retool"]["seconds"][op], res["echo"]["seconds"][op]
            lines.append(f"| {res['n']} | {op} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
    lines += [
        "",
        "## Notes",
        "",
        "- A create costs one POST; folders add one list of `/folders` per run to find the root",
        "  folder (cached for the rest of the run). An update costs one PATCH. A delete costs one",
        "  DELETE.",
        "- Refresh reads through a short-lived listing cache (`retool_pulumi/engine/cache.py`): one",
        "  list request per type and page of 100 instead of one GET per object. Entries live in",
        "  one provider process, expire after `RETOOL_READ_CACHE_SECONDS` (default 10) and are",
        "  dropped by any write to their collection; a miss falls back to a GET.",
        "- A no-op preview calls only `check` and `diff`, which never touch the API.",
        "- `__provider` is the class by reference plus the type name (no client, no credential),",
        "  stored by the engine in inputs and outputs. Most of the state per resource is the",
        "  `stackTrace` and `sourcePosition` the Python SDK records for every resource.",
        f"- Objects left in Retool after destroy: {', '.join(str(r['leftover']) for r in results)}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50,200", help="comma-separated N values (default 50,200)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per N; times are medians (default 3)")
    parser.add_argument(
        "--output", default=str(REPO / "BENCHMARKS.md"), help="file to write, or - for stdout"
    )
    args = parser.parse_args()
    results = [bench(int(n), args.repeat) for n in args.sizes.split(",")]
    default = args.sizes == "50,200" and args.repeat == 3
    command = (
        "make bench" if default else f"python tools/bench.py --sizes {args.sizes} --repeat {args.repeat}"
    )
    text = render(results, command)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text)
        print(text)
        print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
