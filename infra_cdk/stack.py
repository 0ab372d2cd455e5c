"""The TWTC stack: composes one construct per domain from the wiring declaration, nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import CfnOutput, NestedStack, Stack
from constructs import Construct

from infra_cdk import wiring
from infra_cdk.constructs.admin_console import AdminConsole
from infra_cdk.constructs.captcha import CaptchaSecret
from infra_cdk.constructs.cursors import CursorKey
from infra_cdk.constructs.dashboards import Dashboards
from infra_cdk.constructs.edge import Edge
from infra_cdk.constructs.function_factory import FunctionResources, Functions
from infra_cdk.constructs.http_api import HttpApi
from infra_cdk.constructs.identity import Identity
from infra_cdk.constructs.kyc import Kyc
from infra_cdk.constructs.operations import Operations
from infra_cdk.constructs.payouts import PayoutKey
from infra_cdk.constructs.queues import Queues
from infra_cdk.constructs.schedules import Schedules
from infra_cdk.constructs.tables import Tables
from infra_cdk.constructs.topics import Topics
from infra_cdk.constructs.twilio import TwilioAccount
from infra_cdk.constructs.websocket_api import WebSocketApi


class PlatformStack(Stack):
    """Resources first, then the functions wired to them, then everything that invokes the functions."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        tables: Sequence[wiring.TableSpec] = wiring.TABLES,
        queues: Sequence[wiring.QueueSpec] = wiring.QUEUES,
        topics: Sequence[wiring.TopicSpec] = wiring.TOPICS,
        buckets: Sequence[wiring.BucketSpec] = wiring.BUCKETS,
        functions: Sequence[wiring.FunctionSpec] = wiring.FUNCTIONS,
        user_pool: wiring.UserPoolSpec = wiring.USER_POOL,
        edge: wiring.EdgeSpec = wiring.EDGE,
        admin_console: wiring.AdminConsoleSpec = wiring.ADMIN_CONSOLE,
        settings: Mapping[str, int | str] = wiring.SETTINGS,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        # Monitoring references everything and nothing references it (but the ops topic output): alone in a
        # nested stack, its alarms and dashboards leave the parent room under CloudFormation's 500 resources.
        self.monitoring = NestedStack(self, "Monitoring", description="TWTC: ops topic, alarms, dashboards")
        self.operations = Operations(self.monitoring, "Operations")
        self.tables = Tables(self, "Tables", specs=tables)
        self.queues = Queues(self, "Queues", specs=queues, operations=self.operations)
        self.topics = Topics(self, "Topics", specs=topics)
        self.identity = Identity(self, "Identity", spec=user_pool)
        self.cursor_key = CursorKey(self, "CursorKey")
        self.captcha_secret = CaptchaSecret(self, "CaptchaSecret")
        self.twilio = TwilioAccount(self, "Twilio")
        self.kyc = Kyc(self, "Kyc", buckets=buckets)
        self.payout_key = PayoutKey(self, "PayoutKey")
        self.websocket = (
            WebSocketApi(self, "WebSocket") if any(f.websocket_routes for f in functions) else None
        )
        self.functions = Functions(
            self,
            "Functions",
            specs=functions,
            resources=FunctionResources(
                tables=self.tables,
                queues=self.queues,
                topics=self.topics,
                identity=self.identity,
                websocket=self.websocket,
                cursor_key=self.cursor_key,
                captcha_secret=self.captcha_secret,
                kyc=self.kyc,
                settings=settings,
                twilio=self.twilio,
                payout_key=self.payout_key,
            ),
        ).by_name

        self.identity.attach_triggers(functions, self.functions)
        self.http_api = HttpApi(
            self, "HttpApi", specs=functions, functions=self.functions, identity=self.identity
        )
        self.edge = Edge(self, "Edge", api=self.http_api.api, spec=edge)
        self.edge.admit(self.functions[spec.name] for spec in functions if spec.routes)
        self.admin_console = AdminConsole(
            self,
            "AdminConsole",
            spec=admin_console,
            distribution=self.edge.distribution,
            access_logs=self.kyc.access_logs,
        )
        self.queues.subscribe(functions, self.functions)
        self.tables.subscribe(functions, self.functions, self.operations)
        Schedules(self, "Schedules", specs=functions, functions=self.functions)
        self.operations.watch_functions(functions, self.functions)
        self.dashboards = Dashboards(
            self.monitoring,
            "Dashboards",
            specs=functions,
            functions=self.functions,
            queues=self.queues,
            stream_failures=self.tables.stream_failures,
        )
        self.operations.watch_http_api(self.http_api.api)
        if self.websocket is not None:
            self.websocket.add_routes(functions, self.functions)
            self.operations.watch_websocket_api(self.websocket.stage)
            CfnOutput(self, "WebSocketUrl", value=self.websocket.stage.url)

        CfnOutput(self, "ApiUrl", value=f"https://{self.edge.distribution.domain_name}")
        CfnOutput(self, "UserPoolId", value=self.identity.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=self.identity.client.user_pool_client_id)
        CfnOutput(self, "OpsTopicArn", value=self.operations.topic.topic_arn)
