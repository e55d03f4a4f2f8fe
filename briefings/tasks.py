"""Background work for briefings (django.tasks): making a briefing's PDF. Arguments are plain ids."""

from django.tasks import task

from briefings.rendering import render_run


@task
def render_briefing(render_id: int) -> str:
    return render_run(render_id).state
