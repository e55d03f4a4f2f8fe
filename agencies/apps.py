from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Partnership and agencies"

    def ready(self):
        from agencies.access_log import exports, signals  # noqa: F401  (the log's receivers and its export)
        from agencies.accounts import (
            access_cache,  # noqa: F401  (what makes sessions look again)
            two_factor,  # noqa: F401  (connect the two-factor receivers)
        )
        from agencies.administration import signals as administration_signals  # noqa: F401
        from agencies.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="agencies.sync_roles")
