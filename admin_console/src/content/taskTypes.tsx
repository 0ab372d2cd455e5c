import {
  BooleanField,
  BooleanInput,
  Datagrid,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  SelectInput,
  TextField,
  TextInput,
  required,
} from "react-admin";

import type { components } from "../api/schema";
import { formatCoins } from "../money";
import { ContentCreate, ContentEdit } from "./forms";

type TaskType = components["schemas"]["TaskTypeAdminOut"];
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

// The category is chosen once: the API does not change a task type's category.
export const TaskTypeCreate = () => (
  <ContentCreate idSource="task_type_id">
    <SelectInput source="category" choices={CATEGORIES} validate={required()} />
    <TaskTypeInputs />
  </ContentCreate>
);

export const TaskTypeEdit = () => (
  <ContentEdit idSource="task_type_id">
    <TextInput source="category" disabled />
    <TaskTypeInputs />
  </ContentEdit>
);
