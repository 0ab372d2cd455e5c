"""The API Gateway HTTP API (spec §4): every declared route to its function, the Cognito JWT authorizer
on every authorized route, stage throttling and JSON access logs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.constructs.identity import Identity
from infra_cdk.constructs.logs import AccessLogs, log_group
from infra_cdk.constructs.naming import acknowledge, construct_id
from infra_cdk.wiring import FunctionSpec, HttpRoute

LOCAL_ONLY_PREFIX = "/_local"
# A global backstop only: HTTP API stage throttling is one budget shared by every client (it cannot tell
# them apart), so the per-client limit is the WAF's rate-based rule on CloudFront (constructs/edge.py),
# and the per-IP and per-user business limits are the functions' (spec §9).
THROTTLE = apigw.ThrottleSettings(rate_limit=100, burst_limit=200)
ACCESS_LOG_FIELDS = {
    "latencyMs": "$context.responseLatency",
    "userAgent": "$context.identity.userAgent",
    "authorizerError": "$context.authorizer.error",
}


class HttpApi(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        specs: Sequence[FunctionSpec],
        functions: Mapping[str, lambda_.Function],
        identity: Identity,
    ) -> None:
        super().__init__(scope, id)
        self.api = apigw.HttpApi(self, "Api", description="TWTC HTTP API (/v1)", create_default_stage=False)
        self.stage = apigw.HttpStage(
            self,
            "DefaultStage",
            http_api=self.api,
            stage_name="$default",
            auto_deploy=True,
            throttle=THROTTLE,
            access_log_settings=AccessLogs(log_group(self, "AccessLogs"), ACCESS_LOG_FIELDS),
        )
        self._access_token_scope = identity.spec.access_token_scope
        self.authorizer = authorizers.HttpJwtAuthorizer(
            "CognitoJwt",
            identity.issuer,
            jwt_audience=[identity.client.user_pool_client_id],
        )
        for spec in specs:
            if spec.routes:
                # One invoke permission per function for this API's routes, not one per route: the stack
                # stays under CloudFormation's 500 resources as routes are added.
                integration = integrations.HttpLambdaIntegration(
                    f"{construct_id(spec.name)}Integration",
                    functions[spec.name],
                    scope_permission_to_route=False,
                )
                for route in spec.routes:
                    self._add_route(route, integration)

    def _add_route(self, route: HttpRoute, integration: integrations.HttpLambdaIntegration) -> None:
        if route.path.startswith(LOCAL_ONLY_PREFIX):
            raise ValueError(f"{route.path}: local-only controls are never deployed")
        added = self.api.add_routes(
            path=route.path,
            methods=[apigw.HttpMethod[route.method]],
            integration=integration,
            authorizer=self.authorizer if route.authorized else None,
            # Id tokens (they carry the e-mail and sign-up IP) have no scope: API Gateway refuses them.
            authorization_scopes=[self._access_token_scope] if route.authorized else None,
        )
        if not route.authorized:
            for public in added:
                acknowledge(
                    public,
                    f"{route.method} {route.path} is reached before a user has a token (sign-up, login) or "
                    "by a provider that signs its calls (checked in the function).",
                    "APIG4",
                )
