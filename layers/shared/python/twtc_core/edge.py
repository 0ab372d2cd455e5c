"""HTTP edge trust (spec §9): which requests came through CloudFront, and so who the client is.

CloudFront adds the origin secret (`x-origin-verify`) to every request it forwards. Only a request that
carries it is believed about its viewer (`CloudFront-Viewer-Address`); once a distribution is configured,
a request without it skipped CloudFront and is refused. Separate from the resolver and the error map
(`twtc_core.api`), which only install `refuse_direct_calls`.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities import parameters
from pydantic_settings import BaseSettings, SettingsConfigDict

from twtc_core import errors
from twtc_core.origin import RequestOrigin

ORIGIN_SECRET_HEADER = "x-origin-verify"
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"
VIEWER_COUNTRY_HEADER = "cloudfront-viewer-country"
VIEWER_LATITUDE_HEADER = "cloudfront-viewer-latitude"
VIEWER_LONGITUDE_HEADER = "cloudfront-viewer-longitude"
# Per-IP counters treat one IPv6 /64 (what a single subscriber is usually given) as one client.
IPV6_CLIENT_PREFIX = 64
MAX_PORT = 65535
COUNTRY_CODE_LENGTH = 2  # ISO 3166-1 alpha-2, as CloudFront sends it


class EdgeSettings(BaseSettings):
    """Where the origin secret CloudFront adds is kept (Secrets Manager). Empty: no distribution in front
    of the API, so viewer headers are never believed and direct calls are the only calls."""

    model_config = SettingsConfigDict(frozen=True)

    cloudfront_origin_secret_id: str = ""


EDGE = EdgeSettings()


class NotThroughCloudFront(errors.Forbidden):
    code = "not_through_cloudfront"


@cache
def origin_secret() -> str:
    """Read once per container: rotating the secret redeploys the distribution and the functions."""
    if not EDGE.cloudfront_origin_secret_id:
        return ""
    return str(parameters.get_secret(EDGE.cloudfront_origin_secret_id))


def through_cloudfront(headers: Mapping[str, str]) -> bool:
    secret = origin_secret()
    presented = headers.get(ORIGIN_SECRET_HEADER, "")
    return bool(secret) and hmac.compare_digest(presented.encode(), secret.encode())


def refuse_direct_calls(
    app: APIGatewayHttpResolver, next_middleware: Callable[[APIGatewayHttpResolver], Response]
) -> Response:
    """Powertools middleware: with a distribution configured, only what CloudFront forwarded is served."""
    if origin_secret() and not through_cloudfront(app.current_event.headers):
        raise NotThroughCloudFront("Call the API through its CloudFront address.")
    return next_middleware(app)


def parsed_ip(value: str) -> str | None:
    """`value` as one IP address, or None. CloudFront sends `ip:port` (IPv6 unbracketed:
    `2001:db8::1:443`), so a trailing `:port` is read as the port when what precedes it is an address;
    a bare or bracketed address parses too. Two addresses, a name or garbage do not."""
    text = value.strip()
    host, colon, port = text.rpartition(":")
    candidates = [text]
    if colon and port.isascii() and port.isdigit() and int(port) <= MAX_PORT:
        candidates.insert(0, host)
    for candidate in candidates:
        try:
            return ipaddress.ip_address(candidate.removeprefix("[").removesuffix("]")).compressed
        except ValueError:
            continue
    return None


def forwarded_viewer_ip(viewer_address: str, source_ip: str) -> str:
    """The viewer address CloudFront forwarded when it is one IP address, else the address API Gateway
    saw (a repeated header arrives comma-joined, so it is not one address)."""
    return parsed_ip(viewer_address) or source_ip


def viewer_ip(headers: Mapping[str, str], source_ip: str) -> str:
    """The client-IP rule (spec §9): the forwarded viewer address only when the request provably came
    through the distribution, else the address API Gateway saw."""
    if through_cloudfront(headers):
        return forwarded_viewer_ip(headers.get(VIEWER_ADDRESS_HEADER, ""), source_ip)
    return source_ip


def client_ip(app: APIGatewayHttpResolver) -> str:
    """The viewer's IP for this request; a caller of API Gateway cannot choose it by sending the header."""
    event = app.current_event
    return viewer_ip(event.headers, event.request_context.http.source_ip)


def counted_client(ip: str) -> str:
    """The key per-IP counters use: an IPv4 address itself, an IPv6 address's /64 network."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)


def user_agent(app: APIGatewayHttpResolver) -> str:
    return app.current_event.request_context.http.user_agent or ""


@dataclass(frozen=True)
class ViewerLocation:
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def _coordinate(value: str | None, bound: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if math.isfinite(number) and -bound <= number <= bound else None


def viewer_location(headers: Mapping[str, str]) -> ViewerLocation:
    """Where CloudFront placed the viewer, believed (like the address) only on requests it forwarded.
    Coordinates come as a pair or not at all: half a position cannot be used for travel."""
    if not through_cloudfront(headers):
        return ViewerLocation()
    country = headers.get(VIEWER_COUNTRY_HEADER, "").strip().upper()
    latitude = _coordinate(headers.get(VIEWER_LATITUDE_HEADER), 90)
    longitude = _coordinate(headers.get(VIEWER_LONGITUDE_HEADER), 180)
    located = latitude is not None and longitude is not None
    return ViewerLocation(
        country=country if len(country) == COUNTRY_CODE_LENGTH and country.isalpha() else None,
        latitude=latitude if located else None,
        longitude=longitude if located else None,
    )


def request_origin(app: APIGatewayHttpResolver, device_id: str | None = None) -> RequestOrigin:
    """Who is acting from where, for the activity log: IP, viewer location, user agent, the device the
    client named and the login (session) the access token belongs to."""
    event = app.current_event
    location = viewer_location(event.headers)
    claims = event.request_context.authorizer.jwt_claim or {}
    return RequestOrigin(
        ip=client_ip(app),
        user_agent=user_agent(app),
        device_id=device_id,
        country=location.country,
        latitude=location.latitude,
        longitude=location.longitude,
        session_id=claims.get("origin_jti") or None,
    )
