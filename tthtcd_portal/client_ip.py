"""The client's address for the login lockout (django-axes).

Behind nginx every request comes from 127.0.0.1, which would lock an account for everyone at once. With
DJANGO_TRUST_X_REAL_IP=1 the address nginx puts in X-Real-IP is used (nginx *sets* that header, so a client
cannot forge it; docs/deployment.md). Without it the header is ignored: directly exposed, it is forgeable.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    if settings.TRUST_X_REAL_IP:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
