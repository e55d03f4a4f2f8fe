"""Background work for exports (django.tasks): making one export's file. Arguments are plain ids."""

from django.tasks import task

from exports.running import export_run


@task
def run_export(export_id: int) -> str:
    return export_run(export_id).state
