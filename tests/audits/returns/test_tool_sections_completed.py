"""An audit tool's task list says how many of its sections are completed (each section's own
rule, ``SectionProgress.is_complete``): "You have completed n of m sections"."""

from audits.returns import selectors
from audits.returns import services as tool_services
from tests.audits.returns.test_lifecycle import answer_everything


def _counter(client, tool, user):
    client.force_login(user)
    response = client.get(tool.get_absolute_url())
    assert response.status_code == 200
    return response.context["sections_completed"], len(response.context["sections"]), response.text


def test_the_task_list_counts_completed_sections(client, tool_a, auditor_a):
    sections = selectors.sections_of(tool_a)
    total = len(sections)
    assert total > 1
    done, shown, page = _counter(client, tool_a, auditor_a)
    assert (done, shown) == (0, total)
    assert f"You have completed 0 of {total} sections." in page

    first = sections[0]
    answers = {
        q.pk: (q.choices[0][0] if q.choices else "", "Evidence from the case file.") for q in first.questions.all()
    }
    tool_services.tool_section_save(actor=auditor_a, tool=tool_a, section=first, revision=0, answers=answers)
    done, _, page = _counter(client, tool_a, auditor_a)
    assert done == 1 == sum(row.is_complete for row in selectors.tool_progress(tool_a))
    assert f"You have completed 1 of {total} sections." in page

    answer_everything(tool_a, auditor_a)
    done, _, page = _counter(client, tool_a, auditor_a)
    assert done == total
    assert f"You have completed {total} of {total} sections." in page


def test_someone_who_cannot_edit_reads_the_count_without_you(client, tool_a, coordinator):
    _, total, page = _counter(client, tool_a, coordinator)
    assert f"Completed: 0 of {total} sections." in page
