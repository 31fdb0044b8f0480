"""Error reporting to Sentry (or a compatible service), only when SENTRY_DSN is set.

Nothing personal leaves the site: no user, cookie, address or header that identifies someone
(send_default_pii), no request body (forms hold names, emails, passwords), no local variables of the
failing code, and not the URL either (a link may carry a token): the page is named by its URL pattern.
What is sent: the error, its stack of file names and lines, the pattern, the method, and the request id
that finds the request's log lines.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(dsn, environment):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(transaction_style="url")],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=_without_request_details,
    )


def _without_request_details(event, hint):
    if "request" in event:
        event["request"] = {"method": event["request"].get("method")}
    return event
