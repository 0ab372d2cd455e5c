"""The price table the cost model uses: us-east-1, arm64, on-demand, no free tier, no savings plan.

Checked on PRICES_DATED against the AWS pricing pages named in SOURCES (and the providers' public price
pages for third parties). Update the figures and the date together; nothing else holds a price.
"""

from __future__ import annotations

from decimal import Decimal

PRICES_DATED = "2026-12-05"
SOURCES = (
    "aws.amazon.com/lambda/pricing (Arm, us-east-1)",
    "aws.amazon.com/api-gateway/pricing (HTTP APIs; WebSocket APIs)",
    "aws.amazon.com/dynamodb/pricing/on-demand",
    "aws.amazon.com/sqs/pricing (standard queues)",
    "aws.amazon.com/eventbridge/pricing (Scheduler)",
    "aws.amazon.com/s3/pricing (S3 Standard)",
    "aws.amazon.com/cloudfront/pricing (pay as you go, North America)",
    "aws.amazon.com/waf/pricing",
    "aws.amazon.com/cognito/pricing (Essentials and Lite tiers)",
    "aws.amazon.com/cloudwatch/pricing (Logs: standard and infrequent access)",
    "twilio.com/en-us/voice/pricing (Voice SDK, client minutes)",
    "karza.in KYC API rate card (PAN verification, INR converted at 84/USD)",
)

MILLION = Decimal(1_000_000)

# Price per unit, in US dollars. Keys are what bench.cost_model counts.
PRICES: dict[str, Decimal] = {
    "lambda.gb_second": Decimal("0.0000133334"),  # Arm
    "lambda.request": Decimal("0.20") / MILLION,
    "apigw.http_request": Decimal("1.00") / MILLION,  # first 300 million a month
    "apigw.websocket_message": Decimal("1.00") / MILLION,  # first billion a month, per 32 KB
    "apigw.websocket_connection_minute": Decimal("0.25") / MILLION,
    "dynamodb.write_request_unit": Decimal("0.625") / MILLION,
    "dynamodb.read_request_unit": Decimal("0.125") / MILLION,
    "dynamodb.gb_month": Decimal("0.25"),
    "sqs.request": Decimal("0.40") / MILLION,  # per 64 KB chunk
    "eventbridge.invocation": Decimal("1.00") / MILLION,  # Scheduler
    "s3.put_request": Decimal("0.005") / 1_000,
    "s3.get_request": Decimal("0.0004") / 1_000,
    "s3.gb_month": Decimal("0.023"),
    "cloudfront.https_request": Decimal("0.0100") / 10_000,
    "cloudfront.gb_out": Decimal("0.085"),
    "waf.request": Decimal("0.60") / MILLION,
    "waf.web_acl_month": Decimal("5.00"),
    "waf.rule_month": Decimal("1.00"),
    "cognito.essentials_mau": Decimal("0.015"),  # beyond the 10,000 free MAU
    "cognito.lite_mau": Decimal("0.0046"),  # the 100,001 - 1,000,000 band of the Lite tier
    "cloudwatch.log_gb_ingested": Decimal("0.50"),
    "cloudwatch.log_gb_ingested_infrequent": Decimal("0.25"),
    "cloudwatch.log_gb_month": Decimal("0.03"),
    "twilio.client_minute": Decimal("0.004"),  # per leg
    "kyc.verification": Decimal("0.06"),
}
