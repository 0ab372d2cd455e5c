/**
 * A link to a user's page, showing their id. Not a ReferenceField: that would fetch every row's user (one
 * request per row, the API has no batch read), and the edge's per-IP limit counts the console's requests too.
 */
import { Link } from "@mui/material";
import { useCreatePath, useRecordContext } from "react-admin";
import { Link as RouterLink } from "react-router-dom";

export function UserLink({ source = "user_id" }: { source?: string; label?: string }) {
  const record = useRecordContext();
  const createPath = useCreatePath();
  const id = record?.[source] as string | undefined;
  if (!id) return null;
  return (
    <Link component={RouterLink} to={createPath({ resource: "users", id, type: "show" })} onClick={(event) => event.stopPropagation()}>
      {id}
    </Link>
  );
}
