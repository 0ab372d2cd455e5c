"""A declaration that cannot deploy fails when the stack is built, with a message naming the problem."""

from __future__ import annotations

import pytest
from aws_cdk import App

from infra_cdk.stack import PlatformStack
from infra_cdk.wiring import FunctionSpec, HttpRoute, QueueSource, QueueSpec

WALLET_HANDLER = "functions.wallet.handler.lambda_handler"


def _build(*functions: FunctionSpec, queues: tuple[QueueSpec, ...] = ()) -> PlatformStack:
    app = App(context={"aws:cdk:disable-asset-staging": True})
    return PlatformStack(app, "Guard", tables=(), queues=queues, functions=functions)


@pytest.mark.parametrize(
    ("spec", "queues", "error", "message"),
    [
        pytest.param(
            FunctionSpec("probe", WALLET_HANDLER, "x", routes=(HttpRoute("POST", "/_local/clock"),)),
            (),
            ValueError,
            "local-only",
            id="local-only route",
        ),
        # A trigger can neither read the pool id nor call Cognito as the app client (its secret).
        *(
            pytest.param(
                FunctionSpec(
                    "probe", WALLET_HANDLER, "x", cognito_triggers=("PostConfirmation",), **{needs: True}
                ),
                (),
                ValueError,
                "dependency cycle",
                id=f"trigger with {needs}",
            )
            for needs in ("uses_user_pool", "calls_app_client")
        ),
        pytest.param(
            FunctionSpec("probe", WALLET_HANDLER, "x", pushes_to_websocket=True),
            (),
            ValueError,
            "no function declares a route",
            id="push without a WebSocket API",
        ),
        pytest.param(
            FunctionSpec(
                "probe", WALLET_HANDLER, "x", queue_sources=(QueueSource("jobs"),), timeout_seconds=120
            ),
            (QueueSpec("jobs", visibility_timeout_seconds=60),),
            ValueError,
            "visibility timeout",
            id="queue hides messages for less than the function runs",
        ),
        pytest.param(
            FunctionSpec("probe", "functions.nowhere.handler.lambda_handler", "x"),
            (),
            FileNotFoundError,
            "functions/nowhere",
            id="handler package missing",
        ),
    ],
)
def test_undeployable_declaration_is_refused(
    spec: FunctionSpec, queues: tuple[QueueSpec, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        _build(spec, queues=queues)
