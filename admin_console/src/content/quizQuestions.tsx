import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  Edit,
  List,
  SimpleForm,
  TextField,
  TextInput,
  regex,
  required,
} from "react-admin";

import { QuestionInputs } from "./QuestionInputs";

const SLUG = regex(/^[a-z0-9][a-z0-9-]{1,63}$/, "Lower-case letters, digits and dashes (2–64)");

export const QuizList = () => (
  <List exporter={false} title="Quiz bank">
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="question_id" label="Id" />
      <TextField source="topic" />
      <TextField source="question.text" label="Question" />
      <TextField source="question.correct_option" label="Answer" />
      <BooleanField source="active" />
    </Datagrid>
  </List>
);

export const QuizCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="question_id" label="Id" validate={[required(), SLUG]} />
      <TextInput source="topic" validate={required()} />
      <BooleanInput source="active" defaultValue />
      <QuestionInputs />
    </SimpleForm>
  </Create>
);

export const QuizEdit = () => (
  <Edit mutationMode="pessimistic">
    <SimpleForm>
      <TextInput source="question_id" label="Id" disabled />
      <TextInput source="topic" validate={required()} />
      <BooleanInput source="active" />
      <QuestionInputs />
    </SimpleForm>
  </Edit>
);
