import { MenuItem, Stack, TextField as Field } from "@mui/material";
import { useState } from "react";
import { Datagrid, DateField, FunctionField, List, SelectInput, TextField, useRecordContext } from "react-admin";

import { ActionDialog, useApiAction } from "../actions";
import { call } from "../api/http";
import { UserLink } from "../users/UserLink";
import type { components } from "../api/schema";

type FraudEvent = components["schemas"]["FraudEventOut"];
const choices = (values: string[]) => values.map((id) => ({ id, name: id }));

const filters = [
  <SelectInput key="status" source="status" choices={choices(["OPEN", "CONFIRMED", "DISMISSED"])} alwaysOn emptyText="Open" />,
  <SelectInput key="severity" source="severity" choices={choices(["LOW", "MEDIUM", "HIGH", "CRITICAL"])} alwaysOn emptyText="Any" />,
];

function ResolveButton() {
  const event = useRecordContext<FraudEvent & { id: string }>();
  const { run } = useApiAction();
  const [action, setAction] = useState<"dismiss" | "confirm">("dismiss");
  const [note, setNote] = useState("");
  if (!event || event.status !== "OPEN") return null;
  return (
    <ActionDialog
      label="Resolve"
      title={`Resolve ${event.type} (${event.severity})`}
      confirmLabel="Resolve"
      ready={note.trim().length > 0}
      onOpen={() => {
        setAction("dismiss");
        setNote("");
      }}
      onConfirm={() =>
        run(
          () => call(`/v1/admin/fraud-events/${event.id}/resolve`, { method: "POST", body: { action, note: note.trim() } }),
          action === "dismiss" ? "Dismissed: the user's score no longer counts it." : "Confirmed.",
        )
      }
    >
      <Stack spacing={2} sx={{ pt: 1, minWidth: 360 }}>
        <Field select label="Outcome" value={action} onChange={(e) => setAction(e.target.value as "dismiss" | "confirm")}>
          <MenuItem value="dismiss">Dismiss (not fraud)</MenuItem>
          <MenuItem value="confirm">Confirm (fraud)</MenuItem>
        </Field>
        <Field label="Note" value={note} onChange={(e) => setNote(e.target.value)} multiline />
      </Stack>
    </ActionDialog>
  );
}

/** The review queue: newest first, open events by default (the API's default), filtered by severity. */
export const FraudEventList = () => (
  <List filters={filters} filterDefaultValues={{ status: "OPEN" }} exporter={false} title="Fraud events">
    <Datagrid bulkActionButtons={false} rowClick={false}>
      <DateField source="created_at" label="When" showTime />
      <UserLink label="User" />
      <TextField source="type" />
      <TextField source="severity" />
      <TextField source="status" />
      <FunctionField<FraudEvent> label="Evidence" render={(event) => JSON.stringify(event.evidence)} />
      <TextField source="note" emptyText="" />
      <ResolveButton />
    </Datagrid>
  </List>
);
