"""Logger, tracer and metrics: created once per process and imported everywhere.

The service name comes from POWERTOOLS_SERVICE_NAME, which the CDK function helper sets per function.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="TWTC")
