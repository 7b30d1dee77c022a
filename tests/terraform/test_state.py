"""`retool_pulumi.terraform.state`: reading a Terraform state of format version 4 into resource
instances, and clear errors for what is not one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retool_pulumi.terraform import StateError, load_state, parse_state
from tests.terraform.terraform_support import ORG_STATE


def test_the_fixture_reads_into_instances_with_addresses() -> None:
    instances = load_state(ORG_STATE)
    addresses = [i.address for i in instances]
    assert "data.retool_environments.all" in addresses
    assert 'retool_group.teams["east"]' in addresses
    assert "retool_folder.team_folders[1]" in addresses
    assert "module.reporting.retool_folder.archive" in addresses
    archive = next(i for i in instances if i.module)
    assert archive.local_name == "module.reporting.archive"
    east = next(i for i in instances if i.index_key == "east" and i.type == "retool_group")
    assert east.local_name == 'teams["east"]'
    assert east.attributes["name"] == "Team East"
    key = next(i for i in instances if i.address == "retool_configuration_variable.api_key")
    assert ("values", 0, "value") in key.sensitive


def test_index_keys_are_written_the_way_terraform_writes_addresses() -> None:
    state = {
        "version": 4,
        "resources": [
            {
                "mode": "managed",
                "type": "retool_group",
                "name": "g",
                "instances": [
                    {"index_key": 2.0, "attributes": {}},
                    {"index_key": 'a "quoted" key', "attributes": {}},
                ],
            }
        ],
    }
    first, second = parse_state(state)
    assert first.address == "retool_group.g[2]"
    assert second.address == 'retool_group.g["a \\"quoted\\" key"]'


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "not a Terraform state: the document is not a JSON object"),
        ({"version": 3}, "format version 3: only 4 is read (format 3 is Terraform 0.11"),
        ({"resources": []}, "format version None"),
        ({"version": 4, "resources": {}}, "resources is not a list"),
        ({"version": 4, "resources": [{"type": 1, "name": "x"}]}, "resources[0].type is int, not text"),
        (
            {"version": 4, "resources": [{"type": "t", "name": "x", "instances": [{"attributes_flat": {}}]}]},
            "flat attributes (a state written by Terraform 0.11)",
        ),
        (
            {"version": 4, "resources": [{"type": "t", "name": "x", "instances": [{"index_key": True}]}]},
            "index_key is bool, not a number or text",
        ),
    ],
)
def test_what_is_not_a_state_of_format_4_is_a_clear_error(document: object, message: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_state(document)
    assert message in str(caught.value)


def test_files_that_are_not_json_say_so(tmp_path: Path) -> None:
    path = tmp_path / "terraform.tfstate"
    path.write_text("# a .tf file, not a state\n")
    with pytest.raises(StateError, match=r"not a Terraform state \(not JSON"):
        load_state(path)
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(StateError, match="not UTF-8"):
        load_state(path)
    path.write_text(json.dumps({"version": 4}))
    assert load_state(path) == []
