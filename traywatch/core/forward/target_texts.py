"""What the owner is told when a URL cannot be a forwarding target (a TargetRefused's words),
each a whole sentence. Service names, web domains and Apprise's own complaint are parameters,
said as they are."""

from __future__ import annotations

from traywatch.i18n import Template

NOT_APPRISE = Template(
    "forward.refused.not_apprise",
    'not an Apprise URL (it starts with a service, e.g. "ntfys://" or "mailtos://")',
)
META_SERVICE = Template(
    "forward.refused.meta_service",
    "{service} is a Meta service: it would fail in exactly the outage it should report. Use a "
    "channel that does not depend on Meta (ntfy, email, Telegram, Signal, SMS…)",
)
META_HOST = Template(
    "forward.refused.meta_host",
    "it points at {name} ({domain}), a Meta service: it would fail in exactly the outage it should "
    "report. Use a channel that does not depend on Meta",
)
WHATSAPP_AWS = Template("forward.refused.whatsapp_aws", "WhatsApp (through AWS)")
NO_APPRISE = Template(
    "forward.refused.no_apprise", "forwarding needs the apprise package, which is missing ({error})"
)
UNUSABLE = Template(
    "forward.refused.unusable",
    "Apprise cannot use this URL: check the service name and its parts (see "
    "https://github.com/caronc/apprise/wiki for each service's URL)",
)
UNUSABLE_WHY = Template(
    "forward.refused.unusable_why",
    "Apprise cannot use this URL ({reason}): check the service name and its parts (see "
    "https://github.com/caronc/apprise/wiki for each service's URL)",
)
