import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  Edit,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  regex,
  required,
} from "react-admin";

import type { components } from "../api/schema";
import { formatCoins } from "../money";

type TaskType = components["schemas"]["TaskTypeAdminOut"];
const SLUG = regex(/^[a-z0-9][a-z0-9-]{1,63}$/, "Lower-case letters, digits and dashes (2–64)");
const CATEGORIES = ["AD", "CONTENT", "QUIZ", "SOCIAL"].map((id) => ({ id, name: id }));

export const TaskTypeList = () => (
  <List exporter={false} title="Task types">
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="task_type_id" label="Id" />
      <TextField source="category" />
      <TextField source="title" />
      <NumberField source="min_seconds" label="Min seconds" />
      <FunctionField<TaskType> label="Reward" render={(task) => formatCoins(task.reward)} />
      <BooleanField source="active" />
    </Datagrid>
  </List>
);

const TaskTypeInputs = () => (
  <>
    <TextInput source="title" validate={required()} fullWidth />
    <NumberInput source="min_seconds" label="Minimum seconds" min={0} validate={required()} />
    <NumberInput source="reward" label="Reward (hundredths of a TWTC)" min={1} step={1} validate={required()} />
    <TextInput source="body" label="Body (shown to the user)" multiline fullWidth />
    <BooleanInput source="active" defaultValue />
  </>
);

export const TaskTypeCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="task_type_id" label="Id" validate={[required(), SLUG]} />
      <SelectInput source="category" choices={CATEGORIES} validate={required()} />
      <TaskTypeInputs />
    </SimpleForm>
  </Create>
);

export const TaskTypeEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="task_type_id" label="Id" disabled />
      <TextInput source="category" disabled />
      <TaskTypeInputs />
    </SimpleForm>
  </Edit>
);
