/**
 * What every content form shares (videos, the quiz bank, task types): the item's permanent id — chosen on
 * creation in the API's slug shape, shown read-only when editing — then the resource's own inputs. Edits
 * wait for the API's answer (pessimistic), so a refusal shows its message before anything looks saved.
 */
import type { ReactNode } from "react";
import { Create, Edit, SimpleForm, TextInput, regex, required } from "react-admin";

const SLUG = regex(/^[a-z0-9][a-z0-9-]{1,63}$/, "Lower-case letters, digits and dashes (2–64)");

interface ContentFormProps {
  /** The API's id field, e.g. `video_id`. */
  idSource: string;
  idHelp?: string;
  children: ReactNode;
}

export const ContentCreate = ({ idSource, idHelp, children }: ContentFormProps) => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source={idSource} label="Id" helperText={idHelp} validate={[required(), SLUG]} />
      {children}
    </SimpleForm>
  </Create>
);

export const ContentEdit = ({ idSource, children }: ContentFormProps) => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source={idSource} label="Id" disabled />
      {children}
    </SimpleForm>
  </Edit>
);
