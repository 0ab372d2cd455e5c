"""Admin platform stats: `GET /v1/admin/stats?date=`, `GET /v1/admin/stats/series?from=&to=`."""
