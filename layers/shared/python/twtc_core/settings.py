"""Settings shared by every function: the names of the resources it was wired to.

Each function extends `BaseFunctionSettings` with the values its logic needs and instantiates it once at
cold start, so a missing or malformed variable fails the deployment's first invocation loudly instead of
a request later.
"""

from pydantic_settings import BaseSettings, SettingsConfigDict


class TableNames(BaseSettings):
    """Table names, from `<NAME>_TABLE_NAME` variables (set by the CDK helper and the local runtime)."""

    model_config = SettingsConfigDict(frozen=True)

    ledger_table_name: str
    # Empty when the function is not wired to the table: its first call then fails, naming no table.
    users_table_name: str = ""
    security_table_name: str = ""
    connections_table_name: str = ""
    content_table_name: str = ""
    tasks_table_name: str = ""
    stats_table_name: str = ""
    calls_table_name: str = ""
    withdrawals_table_name: str = ""
    earning_table_name: str = ""
    aws_region: str = "us-east-1"


class BaseFunctionSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True)

    aws_region: str = "us-east-1"


TABLES = TableNames()
