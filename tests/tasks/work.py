"""A task for the worker tests that does nothing but say it ran (imported by the worker by path)."""

from django.tasks import task


@task
def ping(n: int) -> int:
    return n
