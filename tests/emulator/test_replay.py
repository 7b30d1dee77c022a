"""Replay every recorded interaction against a fresh emulator and compare status and JSON shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from emulator_support import RECORDINGS, call

from retool_pulumi.emulator import Emulator

yaml = pytest.importorskip("yaml")

# Mismatches we understand, keyed "<cassette>#<interaction index>", one sentence each.
KNOWN_DIVERGENCES: dict[str, str] = {}


def _cassettes() -> list[Path]:
    if not RECORDINGS.is_dir():
        return []
    return sorted(RECORDINGS.glob("*.yaml"))


def _load(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text())["interactions"])


def _parse(text: str) -> Any:
    text = (text or "").strip()
    return json.loads(text) if text else None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def shape_diff(recorded: Any, actual: Any, loc: str = "$") -> list[str]:
    """Differences in keys and value types; list elements must match some recorded element."""
    if _kind(recorded) != _kind(actual):
        return [f"{loc}: recorded {_kind(recorded)}, emulator {_kind(actual)}"]
    if isinstance(recorded, dict):
        diffs = []
        missing = sorted(set(recorded) - set(actual))
        extra = sorted(set(actual) - set(recorded))
        if missing:
            diffs.append(f"{loc}: emulator lacks keys {missing}")
        if extra:
            diffs.append(f"{loc}: emulator has extra keys {extra}")
        for key in set(recorded) & set(actual):
            diffs += shape_diff(recorded[key], actual[key], f"{loc}.{key}")
        return diffs
    if isinstance(recorded, list) and recorded and actual:
        diffs = []
        for i, item in enumerate(actual):
            per = [shape_diff(r, item, f"{loc}[{i}]") for r in recorded]
            if not any(not d for d in per):
                diffs += min(per, key=len)
        return diffs
    return []


class IdMap:
    """Recorded id -> emulator id, learned from responses and seeded names."""

    def __init__(self) -> None:
        self.ids: dict[Any, Any] = {}

    def learn(self, recorded: Any, actual: Any) -> None:
        if isinstance(recorded, dict) and isinstance(actual, dict):
            rid, aid = recorded.get("id"), actual.get("id")
            if rid is not None and aid is not None and rid != aid and _kind(rid) == _kind(aid):
                self.ids.setdefault(rid, aid)
            for key in set(recorded) & set(actual):
                if key != "id":
                    self.learn(recorded[key], actual[key])
        elif isinstance(recorded, list) and isinstance(actual, list):
            by_name = {_name(a): a for a in actual if _name(a) is not None}
            for r in recorded:
                if _name(r) in by_name:
                    self.learn(r, by_name[_name(r)])

    def apply(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.apply(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v) for v in value]
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value in self.ids:
            return self.ids[value]
        return value

    def apply_path(self, path: str) -> str:
        parts = []
        for seg in path.split("/"):
            mapped = self.ids.get(seg, self.ids.get(int(seg)) if seg.isdigit() else None)
            parts.append(str(mapped) if mapped is not None else seg)
        return "/".join(parts)


def _name(item: Any) -> Any:
    if not isinstance(item, dict):
        return None
    key = item.get("name")
    return (item.get("folder_type"), item.get("parent_folder_id") is None, key) if key is not None else None


def _seeded_map(em: Emulator, cassettes: list[Path]) -> IdMap:
    """Map ids of objects that pre-existed in the recorded org (environments, system folders, apps)."""
    ids = IdMap()
    store = em.store
    for path in cassettes:
        for it in _load(path):
            body = _parse(it["response"]["body"])
            data = body.get("data") if isinstance(body, dict) else None
            items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
            for item in items:
                if not isinstance(item, dict):
                    continue
                if "environment" in item and isinstance(item["environment"], dict):
                    items.append(item["environment"])
                if "color" in item and "default" in item:
                    env = store.find("environments", name=item["name"])
                    if env is not None:
                        ids.ids.setdefault(item["id"], env["id"])
                if item.get("is_system_folder") and item.get("name") in ("root", "archive", "personalRoot"):
                    folder = store.find(
                        "folders", name=item["name"], folder_type=item["folder_type"], is_system_folder=True
                    )
                    if folder is not None:
                        ids.ids.setdefault(item["id"], folder["id"])
            req_body = _parse(it["request"]["body"])
            obj = req_body.get("object") if isinstance(req_body, dict) else None
            if isinstance(obj, dict) and obj.get("type") == "screen":
                # The recorded org had an app with a screen; use the first seeded app.
                app = next(iter(store.apps.values()))
                ids.ids.setdefault(obj["appId"], app["id"])
                ids.ids.setdefault(obj["id"], app["_screens"][0])
    return ids


def replay(path: Path, em: Emulator, seeded: IdMap) -> tuple[int, list[str]]:
    """Replay one cassette; returns (interaction count, unexplained mismatches)."""
    ids = IdMap()
    ids.ids.update(seeded.ids)
    problems: list[str] = []
    interactions = _load(path)
    for index, it in enumerate(interactions):
        rq, rs = it["request"], it["response"]
        url = urlsplit(rq["url"])
        target = ids.apply_path(url.path) + (f"?{url.query}" if url.query else "")
        body = _parse(rq["body"])
        status, actual, _ = call(
            em.base_url, rq["method"], target, ids.apply(body) if body is not None else None
        )
        recorded = _parse(rs["body"])
        diffs = []
        if status != rs["code"]:
            diffs.append(f"status: recorded {rs['code']}, emulator {status} ({actual})")
        else:
            diffs += shape_diff(recorded, actual)
        if status == rs["code"] and recorded is not None and actual is not None:
            ids.learn(recorded, actual)
        key = f"{path.name}#{index}"
        if diffs and key not in KNOWN_DIVERGENCES:
            problems.append(f"{key} {rq['method']} {url.path}: " + "; ".join(diffs[:5]))
    return len(interactions), problems


@pytest.mark.skipif(not _cassettes(), reason=f"recordings not found at {RECORDINGS} (../shared is absent)")
def test_every_recorded_interaction_replays_with_same_status_and_shape() -> None:
    cassettes = _cassettes()
    total = 0
    problems: list[str] = []
    violations: list[str] = []
    with Emulator(validate_responses=True) as em:
        seeded = _seeded_map(em, cassettes)
        for path in cassettes:
            em.reset()
            count, issues = replay(path, em, seeded)
            total += count
            problems += issues
            violations += [f"{path.name}: {v}" for v in em.violations]
    known = sum(1 for k in KNOWN_DIVERGENCES if k.split("#")[0] in {p.name for p in cassettes})
    matched = total - len(problems) - known
    rate = (
        f"replay match rate: {matched}/{total} = {100.0 * matched / total:.1f}% ({known} known divergences)"
    )
    print(rate)
    assert not problems, rate + "\n" + "\n".join(problems)
    assert not violations, "strict response validation failed:\n" + "\n".join(violations)
