import { Stack, TextField as Field, Typography } from "@mui/material";
import { useState } from "react";
import { Datagrid, DateField, FunctionField, List, SelectInput, TextField, useRecordContext } from "react-admin";

import { ActionDialog, useApiAction } from "../actions";
import { call } from "../api/http";
import { UserLink } from "../users/UserLink";
import type { components } from "../api/schema";
import { formatCoins } from "../money";

type Withdrawal = components["schemas"]["WithdrawalReviewOut"];
type Destination = components["schemas"]["PayoutDestinationOut"];
const STATUSES = ["REQUESTED", "APPROVED", "PAID", "REJECTED"].map((id) => ({ id, name: id }));

/** REQUESTED → APPROVED → PAID; REQUESTED or APPROVED → REJECTED (the API refuses any other step). */
function ReviewButtons() {
  const withdrawal = useRecordContext<Withdrawal>();
  const { run } = useApiAction();
  const [reason, setReason] = useState("");
  const [destination, setDestination] = useState<Destination | null>(null);
  if (!withdrawal) return null;
  const post = (step: string, body?: unknown) => () =>
    call(`/v1/admin/withdrawals/${withdrawal.id}/${step}`, { method: "POST", body });
  const amount = formatCoins(withdrawal.amount);
  return (
    <Stack direction="row" spacing={1}>
      {withdrawal.status === "REQUESTED" && (
        <ActionDialog label="Approve" title={`Approve ${amount}?`} confirmLabel="Approve" color="success" onConfirm={() => run(post("approve"), "Approved: pay it, then mark it paid.")}>
          <Typography>To {withdrawal.destination_masked}.</Typography>
        </ActionDialog>
      )}
      {withdrawal.status === "APPROVED" && (
        <>
          <ActionDialog
            label="Destination"
            title="Payout destination"
            confirmLabel="Done"
            onOpen={() => {
              setDestination(null);
              call<Destination>(`/v1/admin/withdrawals/${withdrawal.id}/destination`).then(setDestination, () => setDestination(null));
            }}
            onConfirm={async () => true}
          >
            <Typography role="status">
              {destination
                ? destination.type === "UPI"
                  ? `UPI ${destination.upi_id}`
                  : `Account ${destination.account_number}, IFSC ${destination.ifsc}`
                : "Loading…"}
            </Typography>
          </ActionDialog>
          <ActionDialog label="Mark paid" title={`Mark ${amount} paid?`} confirmLabel="Mark paid" color="success" onConfirm={() => run(post("paid"), "Marked paid: the coins have left the wallet.")}>
            <Typography>Only once the money has reached {withdrawal.destination_masked}.</Typography>
          </ActionDialog>
        </>
      )}
      {(withdrawal.status === "REQUESTED" || withdrawal.status === "APPROVED") && (
        <ActionDialog
          label="Reject"
          title={`Reject ${amount}?`}
          confirmLabel="Reject"
          color="error"
          ready={reason.trim().length > 0}
          onOpen={() => setReason("")}
          onConfirm={() => run(post("reject", { reason: reason.trim() }), "Rejected: the coins are back in the wallet.")}
        >
          <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} helperText="Shown to the user" fullWidth sx={{ mt: 1 }} />
        </ActionDialog>
      )}
    </Stack>
  );
}

export const WithdrawalList = () => (
  <List
    filters={[<SelectInput key="status" source="status" choices={STATUSES} alwaysOn emptyText="Requested" />]}
    filterDefaultValues={{ status: "REQUESTED" }}
    exporter={false}
    title="Withdrawals"
  >
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <DateField source="created_at" label="Requested" showTime />
      <UserLink label="User" />
      <FunctionField<Withdrawal> label="Amount" render={(withdrawal) => formatCoins(withdrawal.amount)} />
      <TextField source="destination_masked" label="To" />
      <TextField source="status" />
      <TextField source="reason" emptyText="" />
      <ReviewButtons />
    </Datagrid>
  </List>
);
