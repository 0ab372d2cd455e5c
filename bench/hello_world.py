"""The baseline handler cold start is compared with (issue 8): Powertools' hello world with Logger, Tracer
and an HTTP API resolver that validates. The bench imports it in a fresh interpreter, like each handler."""

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver(enable_validation=True)


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"message": "hello world"}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
