"""What `check` promises for every type: `connection` and `adopt_id` pass through as given (an
empty adopt_id is none, an unknown one waits for its value), numbers from the engine are ids as
text, preview fills no value for a missing required field, and a failure never echoes an object
or a list the program passed."""

from __future__ import annotations

import json

import pytest
from pulumi.output import Unknown
from types_support import check, checked, create, writes

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine.values import UNKNOWN


def test_connection_and_adopt_id_pass_check_unchanged(em: Emulator) -> None:
    inputs = checked("Group", {"name": "g", "connection": "eu", "adopt_id": "12"})
    assert inputs["connection"] == "eu" and inputs["adopt_id"] == "12"
    assert checked("Group", {"name": "g", "connection": "eu"})["connection"] == "eu"


def test_an_engine_number_as_adopt_id_is_the_id_as_text_and_a_fraction_is_refused(em: Emulator) -> None:
    assert checked("Group", {"name": "g", "adopt_id": 12.0})["adopt_id"] == "12"
    result = check("Group", {"name": "g", "adopt_id": 12.5})
    assert [f.property for f in result.failures] == ["adopt_id"] and "'12.5'" in result.failures[0].reason


def test_an_empty_adopt_id_means_create(em: Emulator) -> None:
    result = check("Group", {"name": "fresh", "adopt_id": ""})
    assert result.failures == []
    _, _, created = create("Group", {"name": "fresh", "adopt_id": ""})
    assert writes(em) == ["POST /groups"] and created.id


@pytest.mark.parametrize("unknown", [UNKNOWN, Unknown()], ids=["sentinel", "object"])
def test_an_unknown_adopt_id_passes_check_in_preview(em: Emulator, unknown: object) -> None:
    result = check("ConfigurationVariable", {"name": "K", "secret": False, "values": [], "adopt_id": unknown})
    assert result.failures == []
    assert result.inputs["adopt_id"] is unknown


def test_preview_fills_no_value_for_a_missing_required_field(em: Emulator) -> None:
    result = check("Folder", {"name": Unknown()})
    assert [f.property for f in result.failures] == ["folder_type"]
    assert "folder_type" not in result.inputs
    json.dumps({k: v for k, v in result.inputs.items() if k != "name"})  # only JSON values besides


@pytest.mark.parametrize("value", [{"token": "s3cr3t-in-a-dict"}, ["s3cr3t-in-a-list"]], ids=["dict", "list"])
def test_a_wrongly_typed_object_or_list_is_not_echoed(em: Emulator, value: object) -> None:
    result = check("Group", {"name": value})
    assert [f.property for f in result.failures] == ["name"]
    assert "s3cr3t" not in result.failures[0].reason and "(got" not in result.failures[0].reason


def test_a_wrongly_typed_plain_value_is_echoed(em: Emulator) -> None:
    result = check("Group", {"name": "g", "universal_app_access": "owner"})
    assert "(got 'owner')" in result.failures[0].reason


def test_unknowns_inside_lists_pass_while_known_errors_next_to_them_are_reported(em: Emulator) -> None:
    values = [{"environment_id": Unknown(), "value": "v"}, {"environment_id": "e2", "value": 5}]
    result = check("ConfigurationVariable", {"name": "K", "secret": False, "values": values})
    assert [f.property for f in result.failures] == ["values"]
    assert "values[1].value" in result.failures[0].reason
    # A list made of unknowns is one unknown value: nothing to report.
    assert (
        check("ConfigurationVariable", {"name": "K", "secret": False, "values": [Unknown()]}).failures == []
    )
    assert check("ConfigurationVariable", {"name": "K", "secret": False, "values": Unknown()}).failures == []


def test_a_known_error_inside_an_object_next_to_an_unknown_is_reported(em: Emulator) -> None:
    result = check(
        "ConfigurationVariable",
        {"name": "K", "secret": False, "values": [{"environment_id": Unknown(), "value": "v", "extra": 1}]},
    )
    assert [f.property for f in result.failures] == ["values"] and "extra" in result.failures[0].reason
