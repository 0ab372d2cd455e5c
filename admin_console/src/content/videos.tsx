import { BooleanField, BooleanInput, Datagrid, List, NumberField, NumberInput, TextField, TextInput, required } from "react-admin";

import { ContentCreate, ContentEdit } from "./forms";
import { QuestionInputs } from "./QuestionInputs";

export const VideoList = () => (
  <List exporter={false} title="Tourism videos">
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="video_id" label="Id" />
      <TextField source="title" />
      <TextField source="country" />
      <TextField source="place" />
      <TextField source="category" />
      <NumberField source="duration_seconds" label="Seconds" />
      <NumberField source="boost_multiplier_percent" label="Boost %" />
      <BooleanField source="active" />
    </Datagrid>
  </List>
);

const VideoInputs = () => (
  <>
    <TextInput source="title" validate={required()} fullWidth />
    <TextInput source="country" helperText="Two letters, e.g. IN" validate={required()} />
    <TextInput source="place" validate={required()} />
    <TextInput source="category" helperText="e.g. HERITAGE" validate={required()} />
    <NumberInput source="duration_seconds" label="Duration (seconds)" min={5} max={3600} validate={required()} />
    <NumberInput source="boost_multiplier_percent" label="Boost (%; 150 = 1.5x)" min={110} max={200} validate={required()} />
    <TextInput source="video_url" label="Video URL" type="url" validate={required()} fullWidth />
    <TextInput source="thumbnail_url" label="Thumbnail URL" type="url" validate={required()} fullWidth />
    <BooleanInput source="active" defaultValue />
    <QuestionInputs />
  </>
);

export const VideoCreate = () => (
  <ContentCreate idSource="video_id" idHelp="Permanent, e.g. taj-mahal">
    <VideoInputs />
  </ContentCreate>
);

export const VideoEdit = () => (
  <ContentEdit idSource="video_id">
    <VideoInputs />
  </ContentEdit>
);
