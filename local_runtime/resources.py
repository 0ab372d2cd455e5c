"""Create the declared tables and queues (from `infra_cdk.wiring`) in whatever AWS boto3 reaches:
moto in tests and in the local runtime."""

from __future__ import annotations

import json
from typing import Any

import boto3

from infra_cdk.wiring import (
    BUCKETS,
    CAPTCHA_SECRET_ENV_VAR,
    CURSOR_SECRET_ENV_VAR,
    KYC_PROVIDER_SECRET_ENV_VAR,
    PAYOUT_KEY_ENV_VAR,
    QUEUES,
    SETTINGS,
    TABLES,
    TOPICS,
    TWILIO_SECRET_ENV_VAR,
    USER_POOL,
    QueueSpec,
    TableSpec,
)
from local_runtime.kyc_provider import create_provider_secret

REGION = "us-east-1"
CLIENT_SECRET_NAME = "twtc-app-client-secret"
# The same in every fresh moto (like the HASH ids below), so a function's cached copy never goes stale.
# Local only: in AWS, Cognito generates the secret.
LOCAL_CLIENT_SECRET = "twtcLocalAppClientSecretForMotoOnly0001"


ORIGIN_SECRET_NAME = "twtc-cloudfront-origin-secret"
# The local gateway stands in for CloudFront: it adds this secret to every request it forwards.
LOCAL_ORIGIN_SECRET = "local-cloudfront-origin-secret"
CAPTCHA_SECRET_NAME = "twtc-captcha-secret"
# hCaptcha's documented test secret: with it the local siteverify (local_runtime/captcha.py) answers.
LOCAL_CAPTCHA_SECRET = "0x0000000000000000000000000000000000000000"
CURSOR_SECRET_NAME = "twtc-cursor-key"
# Local only: in AWS, Secrets Manager generates it. Fixed, so cursors survive a fresh moto (each test).
LOCAL_CURSOR_SECRET = "twtcLocalCursorKeyForMotoOnly0001"
TWILIO_SECRET_NAME = "twtc-twilio"
# Local only, fixed fakes (the Twilio simulator signs with this auth token); ops put the real ones in AWS.
LOCAL_TWILIO_CREDENTIALS = {
    "account_sid": "AC00000000000000000000000000000001",
    "api_key_sid": "SK00000000000000000000000000000001",
    "api_key_secret": "twtcLocalTwilioApiKeySecretForMotoOnly",
    "twiml_app_sid": "AP00000000000000000000000000000001",
    "auth_token": "twtcLocalTwilioAuthTokenForMotoOnly",
}
# Functions name the payout key by this alias: moto gives every fresh key a new id, the alias stays.
PAYOUT_KEY_ALIAS = "alias/twtc-payout-destinations"


def environment() -> dict[str, str]:
    """The variables a deployed function would get for its resources, with the local names."""
    env = {spec.env_var: spec.physical_name for spec in TABLES}
    env.update({spec.env_var: spec.physical_name for spec in BUCKETS})
    env.update({name: str(value) for name, value in SETTINGS.items()})
    env.update(
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_NAMESPACE="TWTC",
        POWERTOOLS_SERVICE_NAME="twtc-local",
        CLOUDFRONT_ORIGIN_SECRET_ID=ORIGIN_SECRET_NAME,
        # moto derives pool and client ids from their names, so every fresh moto (each test, each
        # restart) gets the same ids and settings read at import time never go stale.
        MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY="HASH",
        MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY="HASH",
        # A deployed-looking management endpoint, which moto serves in tests; the local runtime replaces
        # it with its own /@connections.
        WEBSOCKET_MANAGEMENT_ENDPOINT=f"https://local.execute-api.{REGION}.amazonaws.com",
    )
    return env


def create_user_pool(client: Any) -> dict[str, str]:
    """The user pool (spec §3) with its groups and the confidential app client, whose secret goes to
    Secrets Manager; returns USER_POOL_ID, USER_POOL_CLIENT_ID and USER_POOL_CLIENT_SECRET_ID."""
    pool_id = client.create_user_pool(
        PoolName="twtc-users",
        UsernameAttributes=["email", "phone_number"],
        AutoVerifiedAttributes=["email", "phone_number"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": USER_POOL.password_min_length,
                "RequireLowercase": True,
                "RequireUppercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
    )["UserPool"]["Id"]
    client.add_custom_attributes(
        UserPoolId=pool_id,
        CustomAttributes=[
            {"Name": name, "AttributeDataType": "String", "Mutable": False}
            for name in USER_POOL.custom_attributes
        ],
    )
    for group in USER_POOL.groups:
        client.create_group(UserPoolId=pool_id, GroupName=group)
    app_client = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="twtc-app",
        GenerateSecret=True,
        ClientSecret=LOCAL_CLIENT_SECRET,
        WriteAttributes=list(USER_POOL.client_write_attributes),
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AccessTokenValidity=USER_POOL.access_token_minutes,
        IdTokenValidity=USER_POOL.id_token_minutes,
        RefreshTokenValidity=USER_POOL.refresh_token_days,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    )["UserPoolClient"]
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=CLIENT_SECRET_NAME, SecretString=app_client["ClientSecret"]
    )
    return {
        "USER_POOL_ID": pool_id,
        "USER_POOL_CLIENT_ID": app_client["ClientId"],
        USER_POOL.client_secret_env_var: CLIENT_SECRET_NAME,
    }


def create_table(client: Any, spec: TableSpec) -> None:
    key_attributes = {spec.partition_key, spec.sort_key}
    for index in spec.indexes:
        key_attributes.update((index.partition_key, index.sort_key))
    request: dict[str, Any] = {
        "TableName": spec.physical_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in sorted(key_attributes)
        ],
        "KeySchema": [
            {"AttributeName": spec.partition_key, "KeyType": "HASH"},
            {"AttributeName": spec.sort_key, "KeyType": "RANGE"},
        ],
    }
    if spec.indexes:
        request["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ]
    if spec.stream:
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    client.create_table(**request)
    if spec.ttl_attribute:
        client.update_time_to_live(
            TableName=spec.physical_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
        )


def create_resources() -> dict[str, str]:
    """Create the user pool, the cursor and payout keys, the Twilio, KYC provider and CAPTCHA secrets and
    every declared table, bucket, topic and queue (with its DLQ); returns the variables that name them
    (USER_POOL_ID, USER_POOL_CLIENT_ID, USER_POOL_CLIENT_SECRET_ID, CURSOR_SECRET_ID, TWILIO_SECRET_ID,
    KYC_PROVIDER_SECRET_ID, CAPTCHA_SECRET_ID, PAYOUT_KEY_ID, <NAME>_QUEUE_URL, <NAME>_TOPIC_ARN)."""
    env = create_user_pool(boto3.client("cognito-idp", region_name=REGION))
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=ORIGIN_SECRET_NAME, SecretString=LOCAL_ORIGIN_SECRET
    )
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=CURSOR_SECRET_NAME, SecretString=LOCAL_CURSOR_SECRET
    )
    env[CURSOR_SECRET_ENV_VAR] = CURSOR_SECRET_NAME
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=CAPTCHA_SECRET_NAME, SecretString=LOCAL_CAPTCHA_SECRET
    )
    env[CAPTCHA_SECRET_ENV_VAR] = CAPTCHA_SECRET_NAME
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name=TWILIO_SECRET_NAME, SecretString=json.dumps(LOCAL_TWILIO_CREDENTIALS)
    )
    env[TWILIO_SECRET_ENV_VAR] = TWILIO_SECRET_NAME
    env[KYC_PROVIDER_SECRET_ENV_VAR] = create_provider_secret()
    env[PAYOUT_KEY_ENV_VAR] = create_payout_key()
    s3 = boto3.client("s3", region_name=REGION)
    for bucket in BUCKETS:
        s3.create_bucket(Bucket=bucket.physical_name)
        # Versioned as deployed (infra_cdk/constructs/kyc.py): erasure must remove every version.
        s3.put_bucket_versioning(Bucket=bucket.physical_name, VersioningConfiguration={"Status": "Enabled"})
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for spec in TABLES:
        create_table(dynamodb, spec)
    sqs = boto3.client("sqs", region_name=REGION)
    for queue in QUEUES:
        env[queue.env_var] = create_queue(sqs, queue)
    sns = boto3.client("sns", region_name=REGION)
    for topic in TOPICS:
        env[topic.env_var] = sns.create_topic(Name=f"twtc-{topic.name}")["TopicArn"]
    return env


def create_payout_key() -> str:
    """The symmetric key that seals withdrawals' full destinations (infra_cdk/constructs/payouts.py)."""
    kms = boto3.client("kms", region_name=REGION)
    key_id = kms.create_key(Description="Seals withdrawals' full payout destinations")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName=PAYOUT_KEY_ALIAS, TargetKeyId=key_id)
    return PAYOUT_KEY_ALIAS


def create_queue(sqs: Any, queue: QueueSpec) -> str:
    """The queue and its DLQ (`twtc-<name>-dlq`, redrive after maxReceiveCount); returns the queue URL."""
    dlq_url = sqs.create_queue(QueueName=f"twtc-{queue.name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return str(
        sqs.create_queue(
            QueueName=f"twtc-{queue.name}",
            Attributes={
                "VisibilityTimeout": str(queue.visibility_timeout_seconds),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}
                ),
            },
        )["QueueUrl"]
    )
