from sameboat import policy
from sameboat.groups.models import Group
from sameboat.groups.selectors import groups_visible, membership_of


def test_the_list_holds_exactly_the_groups_the_policy_lets_each_visitor_see(
    network,
    member,
    facilitator,
    coordinator,
    admin_member,
    insider,
    counsellor,
    confidential,
    open_group,
):
    for viewer in (member, facilitator, coordinator, admin_member, insider, counsellor):
        listed = set(groups_visible(network=network, viewer=viewer))
        allowed = {
            group
            for group in Group.objects.all()
            if policy.can_see_group(viewer, group, membership_of(group=group, member=viewer))
        }
        assert listed == allowed, viewer.display_name
