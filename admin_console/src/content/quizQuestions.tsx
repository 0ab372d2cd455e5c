import { BooleanField, BooleanInput, Datagrid, List, TextField, TextInput, required } from "react-admin";

import { ContentCreate, ContentEdit } from "./forms";
import { QuestionInputs } from "./QuestionInputs";

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

const QuizInputs = () => (
  <>
    <TextInput source="topic" validate={required()} />
    <BooleanInput source="active" defaultValue />
    <QuestionInputs />
  </>
);

export const QuizCreate = () => (
  <ContentCreate idSource="question_id">
    <QuizInputs />
  </ContentCreate>
);

export const QuizEdit = () => (
  <ContentEdit idSource="question_id">
    <QuizInputs />
  </ContentEdit>
);
