/**
 * Today's figures and the last 30 days as charts (admins; moderators land on their review queues). The day is
 * the server's: the series ends on the day /v1/admin/stats answers for.
 */
import { Card, CardContent, Grid, Link, Stack, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { Loading, Title, usePermissions } from "react-admin";
import { Link as RouterLink } from "react-router-dom";

import { call } from "../api/http";
import type { components } from "../api/schema";
import { formatCoins } from "../money";

// recharts is a third of the bundle and only this screen draws: it loads after sign-in, not with the login page
const SeriesCharts = lazy(() => import("./SeriesCharts").then((module) => ({ default: module.SeriesCharts })));

type DayStats = components["schemas"]["DayStatsOut"];
type Series = components["schemas"]["StatsSeriesOut"];
const SERIES_DAYS = 30;

function daysBefore(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - days);
  return day.toISOString().slice(0, 10);
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <Card variant="outlined" component="section" aria-label={label} sx={{ minWidth: 170 }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" component="p" data-figure={label}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

function Today({ today }: { today: DayStats }) {
  return (
    <Grid container spacing={2}>
      <Figure label="Daily active users" value={today.dau} />
      <Figure label="New users" value={today.new_users} />
      <Figure label="Coins distributed" value={formatCoins(sum(today.coins_distributed_by_type as Record<string, number>))} />
      <Figure label="Ads watched" value={today.ads_watched} />
      <Figure label="Tasks completed" value={`${today.tasks_completed} / ${today.tasks_assigned}`} />
      <Figure label="Mining sessions" value={today.mining_sessions} />
      <Figure label="Call minutes" value={today.call_minutes_billed} />
      <Figure label="Withdrawals" value={today.withdrawals} />
      <Figure label="Fraud events" value={sum(today.fraud_events_by_type as Record<string, number>)} />
    </Grid>
  );
}

function ReviewerHome() {
  return (
    <Card>
      <Title title="Review" />
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          Review queues
        </Typography>
        <Stack spacing={1}>
          <Link component={RouterLink} to="/fraud-events">Fraud events</Link>
          <Link component={RouterLink} to="/kyc">KYC submissions</Link>
          <Link component={RouterLink} to="/users">Find a user</Link>
        </Stack>
      </CardContent>
    </Card>
  );
}

function AdminDashboard() {
  const today = useQuery({ queryKey: ["stats", "today"], queryFn: () => call<DayStats>("/v1/admin/stats") });
  const to = today.data?.date;
  const series = useQuery({
    queryKey: ["stats", "series", to],
    enabled: Boolean(to),
    queryFn: () => call<Series>("/v1/admin/stats/series", { query: { from: daysBefore(to!, SERIES_DAYS - 1), to } }),
  });
  if (today.error || series.error) {
    return <Typography role="alert">{(today.error ?? series.error)?.message}</Typography>;
  }
  if (!today.data || !series.data) return <Loading />;
  return (
    <Stack spacing={3} sx={{ mt: 2 }}>
      <Title title="Dashboard" />
      <Typography variant="h5" component="h1">
        Today ({today.data.date} UTC)
      </Typography>
      <Today today={today.data} />
      <Typography variant="h5" component="h2">
        The last {SERIES_DAYS} days
      </Typography>
      <Suspense fallback={<Loading />}>
        <SeriesCharts days={series.data.items} />
      </Suspense>
    </Stack>
  );
}

export function Dashboard() {
  const { permissions } = usePermissions();
  return permissions === "admin" ? <AdminDashboard /> : <ReviewerHome />;
}
