"""The HTTP and WebSocket APIs carry exactly the declared routes, to the declared functions, and every
authorized route goes through the Cognito JWT authorizer."""

from __future__ import annotations

from typing import Any

from infra_cdk.wiring import FUNCTIONS, USER_POOL
from tests.infrastructure.conftest import Synthesized


def _routes(synthesized: Synthesized, api: Any) -> dict[str, dict[str, Any]]:
    api_id = synthesized.logical_id(api)
    return {
        route["Properties"]["RouteKey"]: route["Properties"]
        for route in synthesized.resources("AWS::ApiGatewayV2::Route").values()
        if route["Properties"]["ApiId"] == {"Ref": api_id}
    }


def _target_function(synthesized: Synthesized, route: dict[str, Any]) -> str:
    """The logical id of the function behind a route (route -> integration -> function ARN)."""
    integration_id = route["Target"]["Fn::Join"][1][1]["Ref"]
    uri = synthesized.template["Resources"][integration_id]["Properties"]["IntegrationUri"]
    if "Fn::Join" in uri:  # WebSocket: arn:...:lambda:path/2015-03-31/functions/<arn>/invocations
        uri = next(part for part in uri["Fn::Join"][1] if isinstance(part, dict) and "Fn::GetAtt" in part)
    return uri["Fn::GetAtt"][0]


def test_http_api_has_exactly_the_declared_routes_to_their_functions(synthesized: Synthesized) -> None:
    # Given the declared HTTP routes
    declared = {
        f"{route.method} {route.path}": synthesized.function_id(spec.name)
        for spec in FUNCTIONS
        for route in spec.routes
    }
    # When the stack is synthesized
    routes = _routes(synthesized, synthesized.stack.http_api.api)
    # Then the API has those routes and no other, each to its own function
    assert {key: _target_function(synthesized, route) for key, route in routes.items()} == declared


def test_authorized_routes_use_the_jwt_authorizer_and_only_declared_public_routes_do_not(
    synthesized: Synthesized,
) -> None:
    routes = _routes(synthesized, synthesized.stack.http_api.api)
    authorizer_ids = set(synthesized.resources("AWS::ApiGatewayV2::Authorizer"))
    for spec in FUNCTIONS:
        for route in spec.routes:
            properties = routes[f"{route.method} {route.path}"]
            if route.authorized:
                assert properties["AuthorizationType"] == "JWT"
                assert properties["AuthorizerId"]["Ref"] in authorizer_ids
                # only access tokens carry this scope: an id token is refused at the gateway
                assert properties["AuthorizationScopes"] == [USER_POOL.access_token_scope]
            else:
                assert properties.get("AuthorizationType", "NONE") == "NONE"
    public = {f"{r.method} {r.path}" for spec in FUNCTIONS for r in spec.routes if not r.authorized}
    # The versioned API, and third parties' signed webhooks (their URLs are configured at the provider).
    assert all(key.split(" ")[1].startswith(("/v1/", "/webhooks/")) for key in routes)
    assert {key for key, route in routes.items() if route.get("AuthorizationType") != "JWT"} == public


def test_the_authorizer_trusts_only_this_user_pool_and_its_app_client(synthesized: Synthesized) -> None:
    (authorizer,) = synthesized.resources("AWS::ApiGatewayV2::Authorizer").values()
    properties = authorizer["Properties"]
    pool_id = synthesized.logical_id(synthesized.stack.identity.user_pool)
    client_id = synthesized.logical_id(synthesized.stack.identity.client)
    assert properties["AuthorizerType"] == "JWT"
    assert properties["IdentitySource"] == ["$request.header.Authorization"]
    assert properties["JwtConfiguration"]["Audience"] == [{"Ref": client_id}]
    assert properties["JwtConfiguration"]["Issuer"] == {
        "Fn::Join": [
            "",
            ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": pool_id}],
        ]
    }


def test_stages_throttle_and_write_access_logs(synthesized: Synthesized) -> None:
    stages = synthesized.resources("AWS::ApiGatewayV2::Stage").values()
    assert {stage["Properties"]["StageName"] for stage in stages} == {"$default", "v1"}
    for stage in stages:
        properties = stage["Properties"]
        assert properties["AutoDeploy"] is True
        assert properties["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
        assert properties["DefaultRouteSettings"]["ThrottlingBurstLimit"] > 0
        assert "$context.requestId" in properties["AccessLogSettings"]["Format"]
        log_group_id = properties["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
        assert synthesized.template["Resources"][log_group_id]["Properties"]["RetentionInDays"] > 0


def test_websocket_api_has_exactly_the_declared_routes_to_their_functions(synthesized: Synthesized) -> None:
    declared = {
        route_key: synthesized.function_id(spec.name)
        for spec in FUNCTIONS
        for route_key in spec.websocket_routes
    }
    websocket = synthesized.stack.websocket
    if websocket is None:  # only built when some function declares a WebSocket route
        assert not declared
        return
    routes = _routes(synthesized, websocket.api)
    assert {key: _target_function(synthesized, route) for key, route in routes.items()} == declared


def test_every_function_behind_the_authorizer_can_read_the_session_cutoffs() -> None:
    # Every authorized route checks the caller's session against the users table (twtc_core.api), so
    # a function wired without it would answer its first request with a 500.
    behind_authorizer = [spec for spec in FUNCTIONS if any(route.authorized for route in spec.routes)]
    assert behind_authorizer
    assert [spec.name for spec in behind_authorizer if "users" not in spec.tables] == []
