import { BooleanField, Datagrid, List, NumberField, TextField, TextInput } from "react-admin";

const filters = [
  <TextInput key="q" source="q" alwaysOn label="Find a user" helperText="E-mail, phone, user id or referral code" />,
];

/** The API looks users up exactly (never a scan): a search names one account or none. */
export const UserList = () => (
  <List filters={filters} empty={false} exporter={false} disableSyncWithLocation={false} title="Users">
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="email" />
      <TextField source="name" />
      <TextField source="phone" />
      <TextField source="referral_code" label="Referral code" />
      <NumberField source="alert_level" label="Alert level" />
      <BooleanField source="disabled" />
    </Datagrid>
  </List>
);
