"""The cost model's arithmetic (bench.cost_model): price table x usage = bill, to the cent."""

from __future__ import annotations

from decimal import Decimal

from bench.behaviour import Behaviour
from bench.cost_model import DayUsage, bill, by_category, monthly_quantities, total
from bench.prices import PRICES


def test_the_bill_is_each_quantity_times_its_price_to_the_cent_dearest_first() -> None:
    # Given 5 million Lambda requests, 2 million write units and 123,457 Essentials MAU
    quantities = {
        "lambda.request": Decimal(5_000_000),
        "dynamodb.write_request_unit": Decimal(2_000_000),
        "cognito.essentials_mau": Decimal(123_457),
        "waf.web_acl_month": Decimal(0),
    }
    # When they are billed with a table of known prices
    lines = bill(quantities, {**PRICES, "cognito.essentials_mau": Decimal("0.015")})
    # Then each line is quantity x price rounded to the cent, the dearest first, nothing for zero
    assert [(line.price, line.cost) for line in lines] == [
        ("cognito.essentials_mau", Decimal("1851.86")),  # 1,851.855 rounds half up
        ("dynamodb.write_request_unit", Decimal("1.25")),
        ("lambda.request", Decimal("1.00")),
    ]
    assert total(lines) == Decimal("1854.11")
    assert by_category(lines)["compute"] == Decimal("1.00")
    assert by_category(lines)["database"] == Decimal("1.25")
    assert by_category(lines)["identity"] == Decimal("1851.86")


def test_a_day_scales_linearly_to_the_month_of_the_target_but_schedules_do_not() -> None:
    # Given a day of 1,000 users: 10 requests of a 1,024 MB function (1 s each) and 2 scheduled ticks
    day = DayUsage(
        users=1_000,
        invocations={"reconcile": 2, "wallet": 10},
        billed_ms={"reconcile": 2_000, "wallet": 0},
        http_requests=10,
        http_response_bytes=0,
        websocket_messages=0,
        connection_minutes=0,
        read_units=0,
        write_units=4,
        stored_bytes=0,
        sqs_requests=0,
        s3_puts=0,
        s3_gets=0,
        log_bytes=0,
        call_minutes=0,
    )
    # When the month of 1,000,000 users is derived
    quantities = monthly_quantities(day, Behaviour(hosts=0.01), target=1_000_000)
    # Then user-driven counts grow x 1,000 x 30, scheduled invocations x 30 only, run time x 1,000 x 30
    assert quantities["lambda.request"] == 10 * 30_000 + 2 * 30
    assert quantities["eventbridge.invocation"] == 60
    assert quantities["lambda.gb_second"] == 2 * 30_000  # reconcile: 1,024 MB
    assert quantities["dynamodb.write_request_unit"] == 4 * 30_000
    assert quantities["apigw.http_request"] == quantities["cloudfront.https_request"] == 300_000
    assert quantities["cognito.essentials_mau"] == 990_000  # the first 10,000 are free
    assert quantities["kyc.verification"] == 10_000  # each host once a month
