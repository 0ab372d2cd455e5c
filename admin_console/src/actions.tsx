/**
 * What the console does beyond reading and editing lists: one dialog that asks for what an action needs
 * (a reason, a note, an amount), runs it against the API and shows the API's own message when it fails.
 */
import { Dialog, DialogActions, DialogContent, DialogTitle } from "@mui/material";
import { type ReactNode, useId, useState } from "react";
import { Button, useNotify, useRefresh } from "react-admin";

export function useApiAction() {
  const notify = useNotify();
  const refresh = useRefresh();
  const run = async (action: () => Promise<unknown>, success: string): Promise<boolean> => {
    try {
      await action();
      notify(success, { type: "success" });
      refresh();
      return true;
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: "error" });
      return false;
    }
  };
  return { run };
}

interface ActionDialogProps {
  /** The button that opens the dialog. */
  label: string;
  title: string;
  /** The dialog's fields or message; `confirmLabel` runs `onConfirm`. */
  children: ReactNode;
  confirmLabel: string;
  /** False keeps the confirm button disabled (a required field is empty). */
  ready?: boolean;
  onConfirm: () => Promise<boolean>;
  onOpen?: () => void;
  color?: "primary" | "error" | "success" | "warning";
}

export function ActionDialog(props: ActionDialogProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const confirm = async () => {
    setBusy(true);
    const done = await props.onConfirm();
    setBusy(false);
    if (done) setOpen(false);
  };
  return (
    <>
      <Button
        label={props.label}
        color={props.color ?? "primary"}
        onClick={(event) => {
          event.stopPropagation(); // a button in a list row must not open the row
          props.onOpen?.();
          setOpen(true);
        }}
      />
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} onClick={(e) => e.stopPropagation()}>
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>{props.children}</DialogContent>
        <DialogActions>
          <Button label="Cancel" onClick={() => setOpen(false)} disabled={busy} />
          <Button
            label={props.confirmLabel}
            variant="contained"
            color={props.color ?? "primary"}
            onClick={confirm}
            disabled={busy || props.ready === false}
          />
        </DialogActions>
      </Dialog>
    </>
  );
}
