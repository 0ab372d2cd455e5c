import { Card, CardContent, Grid, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import type { components } from "../api/schema";

type DayStats = components["schemas"]["DayStatsOut"];
const COLORS = ["#1976d2", "#2e7d32", "#ed6c02", "#9c27b0", "#d32f2f", "#0288d1", "#689f38", "#5d4037"];

function Chart({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Grid size={{ xs: 12, md: 6 }}>
      <Card variant="outlined" component="figure" aria-label={title} sx={{ m: 0 }}>
        <CardContent>
          <Typography variant="subtitle1" component="figcaption">
            {title}
          </Typography>
          <ResponsiveContainer width="100%" height={240}>
            {children as never}
          </ResponsiveContainer>
        </CardContent>
      </Card>
    </Grid>
  );
}

const day = (date: string) => date.slice(5); // MM-DD under each bar

export function SeriesCharts({ days }: { days: DayStats[] }) {
  const types = [...new Set(days.flatMap((d) => Object.keys(d.coins_distributed_by_type)))].sort();
  const rows = days.map((d) => ({
    date: day(d.date),
    dau: d.dau,
    ads: d.ads_watched,
    completion: Math.round(d.task_completion_rate * 100),
    minutes: d.call_minutes_billed,
    // coins in whole TWTC on the chart's axis (the figures above are exact)
    ...Object.fromEntries(Object.entries(d.coins_distributed_by_type as Record<string, number>).map(([t, v]) => [t, v / 100])),
  }));
  const line = (key: string, name: string, color: string) => (
    <LineChart data={rows}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="date" />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Line type="monotone" dataKey={key} name={name} stroke={color} isAnimationActive={false} />
    </LineChart>
  );
  return (
    <Grid container spacing={2}>
      <Chart title="Daily active users">{line("dau", "DAU", COLORS[0])}</Chart>
      <Chart title="Coins distributed by type (TWTC)">
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" />
          <YAxis />
          <Tooltip />
          <Legend />
          {types.map((type, n) => (
            <Bar key={type} dataKey={type} stackId="coins" fill={COLORS[n % COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </Chart>
      <Chart title="Ads watched">{line("ads", "Ads", COLORS[1])}</Chart>
      <Chart title="Task completion (%)">{line("completion", "Completed %", COLORS[2])}</Chart>
      <Chart title="Call minutes billed">{line("minutes", "Minutes", COLORS[3])}</Chart>
    </Grid>
  );
}
