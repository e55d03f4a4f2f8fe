"""Access matrix of an audit tool's PDF: agency A's tool is printed by A's lead and auditor and by
coordinators (a POST that queues the export and goes to its status page); administrators, who read
it on screen, and board viewers 403; agency B's lead 404."""

from tests import access
from tests.access import REDIRECT, round_roles


def tool_kwargs(tool):
    return {"pk": tool.pk}


MATRIX = {
    "audits:tool-pdf": (
        "post",
        tool_kwargs,
        round_roles(coordinator=REDIRECT, lead_a=REDIRECT, auditor_a=REDIRECT),
        {"POST"},
    ),
}

AREA = access.Area(("tool_a",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX, AREA, wrong_method_as="lead_a"
)
