/**
 * The TWTC admin console: React Admin on the platform's /v1/admin API, under /admin/ on the API's own origin.
 * Admins see everything; moderators only the review screens (users to look up, fraud events, KYC) — the API
 * enforces the same split on every route.
 *
 * Real paths (/admin/users/…) rather than React Admin's default hash router: links can be shared, and the edge
 * answers index.html for every path under /admin/ that is not a file. No `requireAuth`: with screens chosen by
 * role (function children) it logs an anonymous visitor out in a loop on the login page; every list and show
 * page checks the session itself and any 401 ends it (api/authProvider.ts).
 */
import { Admin, Layout, type LayoutProps, Menu, Resource } from "react-admin";
import { BrowserRouter, Route, Routes } from "react-router-dom";

import { authProvider } from "./api/authProvider";
import { dataProvider } from "./api/dataProvider";
import { QuizCreate, QuizEdit, QuizList } from "./content/quizQuestions";
import { TaskTypeCreate, TaskTypeEdit, TaskTypeList } from "./content/taskTypes";
import { VideoCreate, VideoEdit, VideoList } from "./content/videos";
import { Dashboard } from "./dashboard/Dashboard";
import { FraudEventList } from "./review/fraudEvents";
import { KycList, KycShow } from "./review/kyc";
import { WithdrawalList } from "./review/withdrawals";
import { UserList } from "./users/UserList";
import { UserShow } from "./users/UserShow";

const reviewScreens = [
  <Resource key="users" name="users" list={UserList} show={UserShow} recordRepresentation="email" />,
  <Resource key="fraud-events" name="fraud-events" options={{ label: "Fraud events" }} list={FraudEventList} />,
  <Resource key="kyc" name="kyc" options={{ label: "KYC" }} list={KycList} show={KycShow} />,
];

const adminScreens = [
  <Resource key="withdrawals" name="withdrawals" list={WithdrawalList} />,
  <Resource key="videos" name="videos" list={VideoList} create={VideoCreate} edit={VideoEdit} />,
  <Resource
    key="quiz-questions"
    name="quiz-questions"
    options={{ label: "Quiz bank" }}
    list={QuizList}
    create={QuizCreate}
    edit={QuizEdit}
  />,
  <Resource
    key="task-types"
    name="task-types"
    options={{ label: "Task types" }}
    list={TaskTypeList}
    create={TaskTypeCreate}
    edit={TaskTypeEdit}
  />,
];

// The menu inside a navigation landmark, so screen readers and keyboard users can jump to it.
const NavigationMenu = () => (
  <nav aria-label="Main">
    <Menu />
  </nav>
);
const ConsoleLayout = (props: LayoutProps) => <Layout {...props} menu={NavigationMenu} />;

const Console = () => (
  <Admin
    basename="/admin"
    title="TWTC admin"
    dataProvider={dataProvider}
    authProvider={authProvider}
    dashboard={Dashboard}
    layout={ConsoleLayout}
    disableTelemetry
  >
    {(permissions: string | null) => (permissions === "admin" ? [...reviewScreens, ...adminScreens] : reviewScreens)}
  </Admin>
);

export const App = () => (
  <BrowserRouter>
    <Routes>
      <Route path="/admin/*" element={<Console />} />
    </Routes>
  </BrowserRouter>
);
