from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top layer: root URLs, navigation, the home page, the centre page that gathers every app's section,
    and the demo data (seed_demo). Nothing below imports it (docs/architecture.md, "Layers")."""

    name = "portal"
    verbose_name = _("Cổng thông tin")
