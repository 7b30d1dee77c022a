"""Masked secrets in lists: a value Retool answers with its mask keeps the declared value of the
same item, matched by `environment_id` when items carry one (Retool may list them in any order),
else by position."""

from __future__ import annotations

from retool_pulumi.engine.values import MASK, unmask


def test_masked_values_are_matched_by_environment_in_any_order() -> None:
    declared = [{"environment_id": "a", "value": "va"}, {"environment_id": "b", "value": "vb"}]
    live = [{"environment_id": "b", "value": MASK}, {"environment_id": "a", "value": MASK}]
    assert unmask(live, declared) == [
        {"environment_id": "b", "value": "vb"},
        {"environment_id": "a", "value": "va"},
    ]


def test_masked_items_without_an_environment_are_matched_by_position() -> None:
    declared = [{"name": "X-Key", "value": "k1"}, {"name": "X-Other", "value": "k2"}]
    live = [{"name": "X-Key", "value": MASK}, {"name": "X-Other", "value": MASK}]
    assert unmask(live, declared) == declared
    assert unmask([MASK, "plain"], ["s3cr3t"]) == ["s3cr3t", "plain"]


def test_an_item_of_an_environment_never_declared_keeps_nothing_of_another() -> None:
    declared = [{"environment_id": "a", "value": "va"}]
    live = [{"environment_id": "c", "value": MASK}, {"environment_id": "a", "value": MASK}]
    assert unmask(live, declared) == [
        {"environment_id": "c", "value": None},
        {"environment_id": "a", "value": "va"},
    ]
