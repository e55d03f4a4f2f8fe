"""Background work for briefings (django.tasks): making a briefing's PDF. Arguments are plain ids."""

from django.tasks import task


@task
def render_briefing(render_id: int) -> str:
    from briefings.services import render_run

    return render_run(render_id).state
