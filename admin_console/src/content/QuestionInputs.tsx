/** A quiz question as the API takes it: the text, options A–D and the correct one (videos and the quiz bank). */
import { Typography } from "@mui/material";
import { RadioButtonGroupInput, TextInput, required } from "react-admin";

const OPTIONS = ["A", "B", "C", "D"] as const;

export const QuestionInputs = ({ source = "question" }: { source?: string }) => (
  <>
    <Typography variant="subtitle1" component="h3">
      Quiz question
    </Typography>
    <TextInput source={`${source}.text`} label="Question" validate={required()} multiline fullWidth />
    {OPTIONS.map((option) => (
      <TextInput key={option} source={`${source}.options.${option}`} label={`Option ${option}`} validate={required()} fullWidth />
    ))}
    <RadioButtonGroupInput
      source={`${source}.correct_option`}
      label="Correct option"
      choices={OPTIONS.map((option) => ({ id: option, name: option }))}
      validate={required()}
    />
  </>
);
