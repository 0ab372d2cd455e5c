"""AdMob server-side verification callback: `GET /webhooks/admob/ssv`."""
