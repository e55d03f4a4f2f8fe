"""Partnership roles are Django groups; this module is the one place that says what each may do.

Agency staff (leads and auditors) hold no group: what they may touch follows from their
membership of an agency, checked record by record in each app's ``permissions.py``.
"""

from django.contrib.auth.models import Group, Permission

COORDINATOR = "Coordinator"
BOARD_VIEWER = "Board viewer"
# A board member who signs briefings off: reads them once sent for approval, approves, publishes.
BOARD_APPROVER = "Board approver"
ADMINISTRATOR = "Administrator"

ROLE_PERMISSIONS = {
    COORDINATOR: [
        "audits.manage_rounds",
        "audits.view_all_rounds",
        "audits.view_restricted_identifiers",
        "audits.manage_templates",
        "audits.manage_themes",
        "briefings.view_published",
    ],
    BOARD_VIEWER: ["briefings.view_published"],
    BOARD_APPROVER: ["briefings.view_published", "briefings.approve_briefing"],
    ADMINISTRATOR: [
        "audits.view_all_rounds",
        "audits.manage_templates",
        "audits.manage_themes",
        "briefings.view_published",
        "briefings.manage_branding",
        "agencies.view_user",
        "agencies.add_user",
        "agencies.change_user",
        "agencies.view_agency",
        "agencies.add_agency",
        "agencies.change_agency",
        "agencies.view_area",
        "agencies.add_area",
        "agencies.change_area",
        "agencies.view_membership",
        "agencies.add_membership",
        "agencies.change_membership",
        "agencies.delete_membership",
        # The access log, read only: it is not in the admin site, and nobody may change it.
        "agencies.view_accessevent",
    ],
}


def sync_roles(**kwargs):
    """Create the role groups and give each exactly its permissions (run after every migrate)."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                # The app's permissions are not created yet (partial migrate); the next migrate adds them.
                continue
            permissions.append(permission)
        group.permissions.set(permissions)


def role_names(user) -> list[str]:
    return [group.name for group in user.groups.all()]
