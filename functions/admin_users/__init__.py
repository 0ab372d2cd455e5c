"""Admin API for user accounts: disable and enable (spec §4 `/v1/admin/users…`)."""
