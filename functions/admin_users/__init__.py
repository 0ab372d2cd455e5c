"""Admin API for user accounts: find, inspect, disable and enable (spec §4 `/v1/admin/users…`)."""
