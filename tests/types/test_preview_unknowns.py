"""During preview the SDK hands check/diff `pulumi.output.Unknown` objects for values computed by
other resources; they must pass check and make diff report a change."""

from __future__ import annotations

from pulumi.output import Unknown

from retool_pulumi.engine import RetoolProvider


def test_check_passes_unknown_objects_for_ids_of_other_resources() -> None:
    provider = RetoolProvider("Folder")
    result = provider.check(
        {}, {"__provider": "p", "name": "Reports", "folder_type": "app", "parent_folder_id": Unknown()}
    )
    assert result.failures == []
    assert isinstance(result.inputs["parent_folder_id"], Unknown)


def test_check_passes_unknown_inside_lists() -> None:
    provider = RetoolProvider("ConfigurationVariable")
    news = {
        "__provider": "p",
        "name": "k",
        "secret": False,
        "values": [{"environment_id": Unknown(), "value": "v"}],
    }
    assert provider.check({}, news).failures == []


def test_check_still_reports_known_bad_fields_next_to_unknown_ones() -> None:
    provider = RetoolProvider("Permission")
    news = {
        "__provider": "p",
        "subject_type": "group",
        "subject_id": Unknown(),
        "object_type": "folder",
        "object_id": Unknown(),
        "access_level": "admin",
    }
    failures = provider.check({}, news).failures
    assert [f.property for f in failures] == ["access_level"]


def test_diff_reports_a_change_for_an_unknown_value() -> None:
    provider = RetoolProvider("Folder")
    olds = {"name": "Reports", "folder_type": "app", "parent_folder_id": "app_9"}
    news = {"name": "Reports", "folder_type": "app", "parent_folder_id": Unknown()}
    diff = provider.diff("app_10", olds, news)
    assert diff.changes is True and diff.replaces == []
