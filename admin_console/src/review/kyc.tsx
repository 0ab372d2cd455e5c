import { Link, Stack, TextField as Field, Typography } from "@mui/material";
import { useState } from "react";
import {
  Datagrid,
  DateField,
  Labeled,
  List,
 
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
} from "react-admin";

import { ActionDialog, useApiAction } from "../actions";
import { call } from "../api/http";
import { UserLink } from "../users/UserLink";
import type { components } from "../api/schema";

type Submission = components["schemas"]["SubmissionDetailOut"] & { id: string };
const STATUSES = ["PENDING", "VERIFIED", "REJECTED", "NOT_STARTED"].map((id) => ({ id, name: id }));

export const KycList = () => (
  <List
    filters={[<SelectInput key="status" source="status" choices={STATUSES} alwaysOn emptyText="Pending" />]}
    filterDefaultValues={{ status: "PENDING" }}
    exporter={false}
    title="KYC submissions"
  >
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <DateField source="created_at" label="Submitted" showTime />
      <UserLink label="User" />
      <TextField source="doc_type" label="Document" />
      <TextField source="masked_number" label="Number" />
      <TextField source="status" />
      <TextField source="reason" emptyText="" />
    </Datagrid>
  </List>
);

function DecisionButton({ status }: { status: "VERIFIED" | "REJECTED" }) {
  const submission = useRecordContext<Submission>();
  const { run } = useApiAction();
  const [reason, setReason] = useState("");
  if (!submission || submission.status !== "PENDING") return null;
  const approving = status === "VERIFIED";
  return (
    <ActionDialog
      label={approving ? "Approve" : "Reject"}
      title={`${approving ? "Approve" : "Reject"} the ${submission.doc_type} ${submission.masked_number}`}
      confirmLabel={approving ? "Approve" : "Reject"}
      color={approving ? "success" : "error"}
      ready={reason.trim().length > 0}
      onOpen={() => setReason(approving ? "Document checked against the profile." : "")}
      onConfirm={() =>
        run(
          () => call(`/v1/admin/kyc/${submission.id}/decision`, { method: "POST", body: { status, reason: reason.trim() } }),
          approving ? "Verified: the user may withdraw." : "Rejected: the user is told why.",
        )
      }
    >
      <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} helperText={approving ? "" : "Shown to the user"} fullWidth multiline sx={{ mt: 1 }} />
    </ActionDialog>
  );
}

function DocumentLink() {
  const submission = useRecordContext<Submission>();
  if (!submission) return null;
  return (
    <Labeled label="Document">
      <Stack>
        <Link href={submission.document_url} target="_blank" rel="noopener noreferrer">
          Open the uploaded document
        </Link>
        <Typography variant="caption">A short-lived link: reopen this page for a new one.</Typography>
      </Stack>
    </Labeled>
  );
}

export const KycShow = () => (
  <Show
    title="KYC submission"
    actions={
      <TopToolbar>
        <DecisionButton status="VERIFIED" />
        <DecisionButton status="REJECTED" />
      </TopToolbar>
    }
  >
    <SimpleShowLayout>
      <UserLink label="User" />
      <TextField source="doc_type" label="Document type" />
      <TextField source="masked_number" label="Number (masked)" />
      <TextField source="status" />
      <TextField source="provider" />
      <TextField source="provider_reference" label="Provider reference" emptyText="—" />
      <DateField source="created_at" label="Submitted" showTime />
      <TextField source="reason" emptyText="—" />
      <TextField source="decided_by" label="Decided by" emptyText="—" />
      <DocumentLink />
    </SimpleShowLayout>
  </Show>
);
