"""The API Gateway WebSocket API (presence and pushes, spec §5): declared routes to their functions, and
the management endpoint for the functions that push."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Stack
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra_cdk.constructs.logs import AccessLogs, log_group
from infra_cdk.constructs.naming import acknowledge, construct_id, logical_id
from infra_cdk.wiring import FunctionSpec

STAGE = "v1"
THROTTLE = apigw.ThrottleSettings(rate_limit=50, burst_limit=100)
ACCESS_LOG_FIELDS = {"eventType": "$context.eventType", "connectionId": "$context.connectionId"}


class WebSocketApi(Construct):
    """Created before the functions (pushers need its endpoint); `add_routes` wires the handlers after."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.api = apigw.WebSocketApi(self, "Api", description="TWTC presence and pushes")
        self.stage = apigw.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=STAGE,
            auto_deploy=True,
            throttle=THROTTLE,
            access_log_settings=AccessLogs(log_group(self, "AccessLogs"), ACCESS_LOG_FIELDS),
        )
        # Built from the literal stage name: referencing the stage would make every pusher depend on the
        # stage, which depends on the routes, which depend on the functions (a cycle).
        region = Stack.of(self).region
        self.management_endpoint = f"https://{self.api.api_id}.execute-api.{region}.amazonaws.com/{STAGE}"

    def grant_push(self, function: lambda_.Function) -> None:
        function.add_environment("WEBSOCKET_MANAGEMENT_ENDPOINT", self.management_endpoint)
        self.api.grant_manage_connections(function)
        acknowledge(
            function.role or function,
            "Connection ids exist only at run time: ManageConnections is scoped to this API's @connections.",
            f"IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:"
            f"<{logical_id(self.api)}>/*/*/@connections/*]",
        )

    def add_routes(self, specs: Sequence[FunctionSpec], functions: Mapping[str, lambda_.Function]) -> None:
        for spec in specs:
            for route_key in spec.websocket_routes:
                integration = integrations.WebSocketLambdaIntegration(
                    f"{construct_id(spec.name)}{construct_id(route_key.strip('$'))}", functions[spec.name]
                )
                route = self.api.add_route(route_key, integration=integration)
                acknowledge(
                    route,
                    "Browsers cannot set headers on a WebSocket: $connect verifies the Cognito token from "
                    "the query string in the function (spec §5); later messages use that connection.",
                    "APIG4",
                )
