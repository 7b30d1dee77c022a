"""Reading a Terraform state (format version 4, what `terraform state pull` prints and what
`terraform.tfstate` holds) into its resource instances. Nothing here knows about Retool.

The format: `{"version": 4, "resources": [{"mode", "type", "name", "module"?, "each"?,
"instances": [{"index_key"?, "attributes", "sensitive_attributes"?}]}]}`;
`sensitive_attributes` is a list of paths, each a list of steps `{"type": "get_attr", "value":
name}` or `{"type": "index", "value": {"value": key, "type": ...}}`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Instance", "StateError", "load_state", "parse_state"]

Path_ = tuple[str | int, ...]


class StateError(ValueError):
    """The file is not a Terraform state this converter reads (the message says why)."""


@dataclass(frozen=True)
class Instance:
    """One instance of a resource (or data source) in the state. `index_key` is its `count`
    index (int) or `for_each` key (str), None for a single instance; `sensitive` holds the
    attribute paths the state marks sensitive."""

    mode: str
    type: str
    name: str
    module: str
    index_key: str | int | None
    attributes: dict[str, Any]
    sensitive: frozenset[Path_] = field(default_factory=frozenset)

    @property
    def index(self) -> str:
        """The index as Terraform writes it in an address: `[0]`, `["east"]`, or nothing."""
        if self.index_key is None:
            return ""
        if isinstance(self.index_key, int):
            return f"[{self.index_key}]"
        return f"[{json.dumps(self.index_key, ensure_ascii=False)}]"

    @property
    def address(self) -> str:
        """Its Terraform address: `module.team.retool_group.admins["east"]`."""
        prefix = f"{self.module}." if self.module else ""
        data = "data." if self.mode == "data" else ""
        return f"{prefix}{data}{self.type}.{self.name}{self.index}"

    @property
    def local_name(self) -> str:
        """Its address without the type: the resource name with module and index."""
        prefix = f"{self.module}." if self.module else ""
        return f"{prefix}{self.name}{self.index}"


def _path(steps: Any) -> Path_ | None:
    out: list[str | int] = []
    if not isinstance(steps, list):
        return None
    for step in steps:
        if not isinstance(step, Mapping):
            return None
        value = step.get("value")
        if step.get("type") == "get_attr" and isinstance(value, str):
            out.append(value)
        elif step.get("type") == "index" and isinstance(value, Mapping):
            key = value.get("value")
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                out.append(int(key))
            elif isinstance(key, str):
                out.append(key)
            else:
                return None
        else:
            return None
    return tuple(out)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise StateError(f"{what} is {type(value).__name__}, not text")
    return value


def parse_state(data: Any) -> list[Instance]:
    """The instances of a parsed state document, in the state's order."""
    if not isinstance(data, Mapping):
        raise StateError("not a Terraform state: the document is not a JSON object")
    version = data.get("version")
    if version != 4:
        hint = (
            " (format 3 is Terraform 0.11 and older: upgrade the state with Terraform 0.12+ first)"
            if version == 3
            else ""
        )
        raise StateError(f"unsupported Terraform state format version {version!r}: only 4 is read{hint}")
    resources = data.get("resources", [])
    if not isinstance(resources, list):
        raise StateError("resources is not a list")
    out: list[Instance] = []
    for i, res in enumerate(resources):
        if not isinstance(res, Mapping):
            raise StateError(f"resources[{i}] is not an object")
        mode = _text(res.get("mode", "managed"), f"resources[{i}].mode")
        rtype = _text(res.get("type"), f"resources[{i}].type")
        name = _text(res.get("name"), f"resources[{i}].name")
        module = _text(res.get("module", ""), f"resources[{i}].module")
        instances = res.get("instances", [])
        if not isinstance(instances, list):
            raise StateError(f"resources[{i}].instances is not a list")
        for j, inst in enumerate(instances):
            where = f"resources[{i}].instances[{j}]"
            if not isinstance(inst, Mapping):
                raise StateError(f"{where} is not an object")
            key = inst.get("index_key")
            if isinstance(key, float) and key.is_integer():
                key = int(key)
            if key is not None and (isinstance(key, bool) or not isinstance(key, (str, int))):
                raise StateError(f"{where}.index_key is {type(key).__name__}, not a number or text")
            attributes = inst.get("attributes")
            if attributes is None and "attributes_flat" in inst:
                raise StateError(f"{where} has only flat attributes (a state written by Terraform 0.11)")
            if not isinstance(attributes, Mapping):
                raise StateError(f"{where}.attributes is not an object")
            sensitive = {p for p in map(_path, inst.get("sensitive_attributes") or []) if p}
            out.append(Instance(mode, rtype, name, module, key, dict(attributes), frozenset(sensitive)))
    return out


def load_state(path: str | Path) -> list[Instance]:
    """The instances of the state file at `path` (StateError when it is not one)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StateError(f"{path}: not a Terraform state (not UTF-8 text: {exc.reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(f"{path}: not a Terraform state (not JSON: {exc})") from None
    return parse_state(data)
