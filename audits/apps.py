from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = "Audit programme"

    def ready(self):
        from audits.actions import exports as action_exports  # noqa: F401  (register the plans' exports)
        from audits.meetings import exports as meeting_exports  # noqa: F401  (the meeting pack)
        from audits.returns import exports as returns_exports  # noqa: F401  (and the integrated chronology's)
        from audits.seed.default_template import ensure_default_template
        from audits.seed.needs import ensure_needs
        from audits.seed.themes import ensure_themes

        post_migrate.connect(ensure_needs, sender=self, dispatch_uid="audits.ensure_needs")
        post_migrate.connect(ensure_themes, sender=self, dispatch_uid="audits.ensure_themes")
        post_migrate.connect(ensure_default_template, sender=self, dispatch_uid="audits.ensure_default_template")
