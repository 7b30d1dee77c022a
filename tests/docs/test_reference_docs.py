"""docs/reference is what tools/gen_docs.py writes from the type models and the bundled spec, and
what it writes is right: examples pass the types' own checks, the Terraform table names real
arguments, every type, lookup and action has a page, and the README links the index."""

from __future__ import annotations

import re

import pytest

from retool_pulumi import actions, lookups
from retool_pulumi.engine.spec import all_specs
from tests.engine import REPO
from tools import gen_docs
from tools.terraform_mapping import TERRAFORM


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return gen_docs.render()


def test_docs_reference_is_fresh(pages: dict[str, str]) -> None:
    diff = gen_docs.differences(pages)
    assert not diff, (
        "docs/reference differs from what the models and the spec say: "
        + ", ".join(diff)
        + ". Regenerate it with `make docs` (or `.venv/bin/python -m tools.gen_docs`) and commit docs/."
    )


def test_every_type_lookup_and_action_has_a_page_linked_from_the_index(pages: dict[str, str]) -> None:
    index = pages["reference/README.md"]
    functions = gen_docs.public_functions(lookups) + gen_docs.public_functions(actions)
    names = [s.kind for s in all_specs()] + functions
    for name in names:
        assert f"reference/{name}.md" in pages
        assert f"]({name}.md)" in index, name
    assert "docs/reference/README.md" in (REPO / "README.md").read_text()


@pytest.mark.parametrize("spec", all_specs(), ids=lambda s: s.kind)
def test_each_example_passes_the_types_own_check(spec) -> None:
    arguments = gen_docs.example_arguments(spec, all_specs())
    vague = [name for name, value in arguments.items() if value is ...]
    assert not vague, (
        f"{spec.kind}: no generic example value passes the check of {vague}; give the field an "
        "example in its model (pydantic `Field(examples=[...])`), which the generator uses first"
    )
    spec.inputs.model_validate(arguments)


def test_the_terraform_table_covers_the_twelve_resources_and_names_real_arguments() -> None:
    assert sorted(m["resource"] for m in TERRAFORM.values()) == sorted(
        f"retool_{n}"
        for n in (
            "folder group permissions space sso source_control source_control_settings environment "
            "configuration_variable resource resource_configuration user"
        ).split()
    )
    specs = {s.kind: s for s in all_specs()}
    for kind, mapping in TERRAFORM.items():
        spec = specs[kind]
        known = {*spec.inputs.model_fields, *spec.outputs, "id"}
        for attribute, target in mapping["attributes"].items():
            if target.get("to") is None:
                assert target.get("note"), f"{kind}.{attribute}: say why there is no equivalent"
                continue
            head = re.split(r"[.\[]", target["to"])[0]
            assert head in known, f"{kind}: Terraform {attribute} maps to unknown {target['to']!r}"
