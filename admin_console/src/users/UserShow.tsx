import { Card, CardContent, Grid, Stack, Typography } from "@mui/material";
import {
  ArrayField,
  BooleanField,
  Datagrid,
  DateField,
  FunctionField,
  Labeled,
  NumberField,
  Show,
  TextField,
  TopToolbar,
  usePermissions,
  useRecordContext,
} from "react-admin";

import type { components } from "../api/schema";
import { formatCoins } from "../money";
import { AccessButton, AdjustWalletButton } from "./UserActions";

type Wallet = components["schemas"]["WalletOut"];
type Transaction = components["schemas"]["TransactionOut"];

/** Moderators look; only admins disable, enable and adjust wallets (the API refuses them too). */
function UserActions() {
  const { permissions } = usePermissions();
  if (permissions !== "admin") return <TopToolbar />;
  return (
    <TopToolbar>
      <AccessButton />
      <AdjustWalletButton />
    </TopToolbar>
  );
}

const WALLET_FIGURES = [
  ["balance", "Balance"],
  ["available", "Available"],
  ["held", "Held"],
  ["total_earned", "Total earned"],
  ["total_spent", "Total spent"],
] as const;

function WalletCard() {
  const wallet = useRecordContext()?.wallet as Wallet | null | undefined;
  return (
    <Card variant="outlined" component="section" aria-label="Wallet">
      <CardContent>
        <Typography variant="h6" component="h2">
          Wallet
        </Typography>
        {wallet ? (
          <Stack direction="row" spacing={4} sx={{ flexWrap: "wrap" }}>
            {WALLET_FIGURES.map(([name, label]) => (
              <Labeled key={name} label={label}>
                <Typography data-field={name}>{formatCoins(wallet[name])}</Typography>
              </Labeled>
            ))}
          </Stack>
        ) : (
          <Typography>No wallet yet.</Typography>
        )}
      </CardContent>
    </Card>
  );
}

const Section = ({ title, children }: { title: string; children: React.ReactNode }) => (
  <Card variant="outlined" component="section" aria-label={title}>
    <CardContent>
      <Typography variant="h6" component="h2" gutterBottom>
        {title}
      </Typography>
      {children}
    </CardContent>
  </Card>
);

export const UserShow = () => (
  <Show actions={<UserActions />} title={<UserTitle />}>
    <Stack spacing={2} sx={{ p: 2 }}>
      <Grid container spacing={3}>
        {[
          ["email", "E-mail"],
          ["name", "Name"],
          ["phone", "Phone"],
          ["referral_code", "Referral code"],
          ["kyc_status", "KYC"],
        ].map(([source, label]) => (
          <Grid key={source}>
            <Labeled label={label}>
              <TextField source={source} emptyText="—" />
            </Labeled>
          </Grid>
        ))}
        <Grid>
          <Labeled label="Joined">
            <DateField source="created_at" showTime />
          </Labeled>
        </Grid>
        <Grid>
          <Labeled label="Alert level">
            <NumberField source="alert_level" />
          </Labeled>
        </Grid>
        <Grid>
          <Labeled label="Fraud score">
            <NumberField source="score" />
          </Labeled>
        </Grid>
        <Grid>
          <Labeled label="Disabled">
            <BooleanField source="disabled" looseValue />
          </Labeled>
        </Grid>
      </Grid>
      <WalletCard />
      <Section title="Recent transactions">
        <ArrayField source="recent_transactions">
          <Datagrid bulkActionButtons={false} empty={<Typography>None yet.</Typography>}>
            <DateField source="created_at" label="When" showTime />
            <TextField source="type" />
            <FunctionField<Transaction> label="Amount" render={(entry) => formatCoins(entry.amount)} />
            <FunctionField<Transaction> label="Balance after" render={(entry) => formatCoins(entry.balance_after)} />
            <TextField source="description" />
          </Datagrid>
        </ArrayField>
      </Section>
      <Section title="Recent fraud events">
        <ArrayField source="recent_fraud_events">
          <Datagrid bulkActionButtons={false} empty={<Typography>None.</Typography>}>
            <DateField source="created_at" label="When" showTime />
            <TextField source="type" />
            <TextField source="severity" />
            <TextField source="status" />
          </Datagrid>
        </ArrayField>
      </Section>
      <Section title="Devices">
        <ArrayField source="devices">
          <Datagrid bulkActionButtons={false} empty={<Typography>None.</Typography>}>
            <TextField source="device_id" label="Device" />
            <DateField source="first_seen_at" label="First seen" showTime />
            <DateField source="last_seen_at" label="Last seen" showTime />
            <TextField source="last_ip" label="Last IP" emptyText="—" />
          </Datagrid>
        </ArrayField>
      </Section>
    </Stack>
  </Show>
);

function UserTitle() {
  const user = useRecordContext();
  return <span>{user ? `User ${user.email ?? user.id}` : "User"}</span>;
}
