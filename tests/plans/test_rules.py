"""Who may read and change which plan: province staff their province's (pre-reform units included), the
department viewer reads, a commune officer their commune's; nobody another province's."""
import pytest

from .factories import PlanFactory


@pytest.mark.parametrize("unit, expected", [
    ("province", {"staff": (True, True), "viewer": (True, False), "officer": (False, False), "other_viewer": (False, False)}),
    ("cho_lach", {"staff": (True, True), "viewer": (True, False), "officer": (False, False), "other_viewer": (False, False)}),
    ("a", {"staff": (True, True), "viewer": (True, False), "officer": (True, True), "other_viewer": (False, False)}),
    ("hoa_nghia", {"staff": (True, True), "viewer": (True, False), "officer": (True, True), "other_viewer": (False, False)}),
    ("far", {"staff": (False, False), "viewer": (False, False), "officer": (False, False), "other_viewer": (True, False)}),
])
def test_plan_permissions(world, unit, expected):
    plan = PlanFactory(issuing_unit=getattr(world, unit))
    got = {who: (getattr(world, who).has_perm("plans.view_plan", plan),
                 getattr(world, who).has_perm("plans.change_plan", plan)) for who in expected}
    assert got == expected
