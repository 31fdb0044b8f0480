"""Each request gets an id, returned in its response and written in every log line of that request.

The id is the X-Request-ID the client or the proxy sent, when it looks like one, or a new one. Each request
ends with one log line: method, URL pattern (never the path itself, which may hold a token), status and
duration; nothing about the person.
"""

import contextvars
import logging
import re
import time
import uuid

import sentry_sdk

logger = logging.getLogger("telecentre.request")

# Letters, digits and . _ - only, so an id sent by anyone cannot forge a log line or a header.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# Set for each request and left in place after it: Django logs its 4xx/5xx line once the middleware has
# returned, and that line must carry the id too. The next request on the thread replaces it.
current_request_id = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        request.id = sent if VALID_ID.fullmatch(sent) else uuid.uuid4().hex
        current_request_id.set(request.id)
        sentry_sdk.set_tag("request_id", request.id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        match = request.resolver_match
        logger.info(
            "%s %s %s",
            request.method,
            match.route if match else "-",
            response.status_code,
            extra={
                "method": request.method,
                "route": match.route if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
