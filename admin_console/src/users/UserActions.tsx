/** An admin's actions on an account: disable or enable it, adjust its wallet (with a confirmation step). */
import { MenuItem, Stack, TextField as Field, Typography } from "@mui/material";
import { useEffect, useState } from "react";
import { useRecordContext } from "react-admin";

import { ActionDialog, useApiAction } from "../actions";
import { call } from "../api/http";
import type { components } from "../api/schema";
import { formatCoins, parseCoins } from "../money";

// The user detail with its summary's fields at the top (api/dataProvider.ts), which is also what a row of
// the search list holds while the detail loads.
type UserDetail = components["schemas"]["UserSummaryOut"] & { id: string };

export function AccessButton() {
  const user = useRecordContext<UserDetail>();
  const { run } = useApiAction();
  if (!user) return null;
  const disabled = user.disabled;
  const verb = disabled ? "enable" : "disable";
  return (
    <ActionDialog
      label={disabled ? "Enable" : "Disable"}
      title={`${disabled ? "Enable" : "Disable"} ${user.email ?? user.id}?`}
      confirmLabel={disabled ? "Enable account" : "Disable account"}
      color={disabled ? "success" : "error"}
      onConfirm={() =>
        run(
          () => call(`/v1/admin/users/${user.id}/${verb}`, { method: "POST" }),
          disabled ? "The account is enabled." : "The account is disabled; its sessions have ended.",
        )
      }
    >
      <Typography>
        {disabled
          ? "The user can log in again. Tokens they held when disabled stay refused."
          : "The user is signed out everywhere at once and cannot log in until enabled."}
      </Typography>
    </ActionDialog>
  );
}

const CONFIRM_ARMING_MS = 700;

export function AdjustWalletButton() {
  const user = useRecordContext<UserDetail>();
  const { run } = useApiAction();
  const [direction, setDirection] = useState<"credit" | "debit">("credit");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [reviewing, setReviewing] = useState(false);
  // "Review" and "Confirm adjustment" sit in one place: the confirmation is armed only after a pause, so the
  // second click of a double click on "Review" cannot move coins the operator has not seen summarised.
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!reviewing) return;
    const timer = setTimeout(() => setArmed(true), CONFIRM_ARMING_MS);
    return () => clearTimeout(timer);
  }, [reviewing]);
  // one key per intended adjustment: a retried or double-clicked confirmation never moves coins twice
  const [idempotencyKey, setIdempotencyKey] = useState("");
  if (!user) return null;
  const minor = parseCoins(amount);
  const valid = minor !== null && minor > 0 && reason.trim().length >= 3;
  const signed = (direction === "credit" ? 1 : -1) * (minor ?? 0);
  const start = () => {
    setDirection("credit");
    setAmount("");
    setReason("");
    setReviewing(false);
    setArmed(false);
    setIdempotencyKey(crypto.randomUUID());
  };
  const confirm = async () => {
    if (!reviewing) {
      setReviewing(true);
      return false; // the first press shows the summary; the second moves the coins
    }
    return run(
      () =>
        call(`/v1/admin/users/${user.id}/adjustments`, {
          method: "POST",
          body: { amount: signed, reason: reason.trim() },
          headers: { "Idempotency-Key": idempotencyKey },
        }),
      `Adjusted by ${formatCoins(signed)}.`,
    );
  };
  return (
    <ActionDialog
      label="Adjust wallet"
      title={`Adjust the wallet of ${user.email ?? user.id}`}
      confirmLabel={reviewing ? "Confirm adjustment" : "Review"}
      ready={valid && (!reviewing || armed)}
      onOpen={start}
      onConfirm={confirm}
      color="warning"
    >
      {reviewing ? (
        <Stack spacing={1} role="status">
          <Typography>
            {direction === "credit" ? "Credit" : "Debit"} <strong>{formatCoins(minor ?? 0)}</strong>{" "}
            {direction === "credit" ? "to" : "from"} {user.email ?? user.id}.
          </Typography>
          <Typography>Reason: {reason.trim()}</Typography>
          <Typography variant="body2">The user sees it in their transactions as an adjustment.</Typography>
        </Stack>
      ) : (
        <Stack spacing={2} sx={{ pt: 1, minWidth: 360 }}>
          <Field select label="Direction" value={direction} onChange={(e) => setDirection(e.target.value as "credit" | "debit")}>
            <MenuItem value="credit">Credit (add coins)</MenuItem>
            <MenuItem value="debit">Debit (remove coins)</MenuItem>
          </Field>
          <Field
            label="Amount (TWTC)"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={amount !== "" && (minor === null || minor === 0)}
            helperText="Up to two decimals, e.g. 12.50"
            slotProps={{ htmlInput: { inputMode: "decimal" } }}
          />
          <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} helperText="Kept in the audit log" />
        </Stack>
      )}
    </ActionDialog>
  );
}
