// The admin panel (its own lazy chunk): the sections as tabs, each at its own URL under
// /admin. Moderators see the moderation section only. Its words are the "admin" namespace.

import {Box, Tab, Tabs, Typography} from "@mui/material";
import {lazy, Suspense} from "react";
import {Navigate, Route, Routes, useLocation, useNavigate} from "react-router";
import {useTranslation} from "react-i18next";
import {i18n} from "../../i18n";
import type {StaffRole} from "./entry";
import {en, ru} from "./i18n";
import {Flags} from "./sections/Flags";
import {Health} from "./sections/Health";
import {Messages} from "./sections/Messages";
import {Moderation} from "./sections/Moderation";
import {Sources} from "./sections/Sources";
import {Tasks} from "./sections/Tasks";
import {Users} from "./sections/Users";

i18n.addResourceBundle("en", "admin", en, true, true);
i18n.addResourceBundle("ru", "admin", ru, true, true);

// the prompt editor brings CodeMirror and the diff: loaded when that tab opens
const Prompts = lazy(() => import("./sections/Prompts"));

const SECTIONS = [
  {path: "health", label: "s_health", page: Health, roles: ["admin"]},
  {path: "users", label: "s_users", page: Users, roles: ["admin"]},
  {path: "prompts", label: "s_prompts", page: Prompts, roles: ["admin"]},
  {path: "sources", label: "s_sources", page: Sources, roles: ["admin"]},
  {path: "tasks", label: "s_tasks", page: Tasks, roles: ["admin"]},
  {path: "flags", label: "s_flags", page: Flags, roles: ["admin"]},
  {path: "moderation", label: "s_moderation", page: Moderation, roles: ["admin", "moderator"]},
  {path: "messages", label: "s_messages", page: Messages, roles: ["admin"]},
] as const;

export default function AdminPanel({role}: {role: StaffRole}) {
  const {t} = useTranslation("admin");
  const location = useLocation();
  const navigate = useNavigate();
  const sections = SECTIONS.filter((s) => (s.roles as readonly string[]).includes(role));
  const current = sections.find((s) => location.pathname.startsWith(`/admin/${s.path}`));
  return (
    <Box data-testid="admin-panel">
      <Typography variant="h5" component="h1" sx={{mb: 1}}>{t("title")}</Typography>
      <Tabs value={current?.path ?? false} variant="scrollable" scrollButtons="auto"
        allowScrollButtonsMobile aria-label={t("sections")} sx={{mb: 2}}
        onChange={(_, value: string) => navigate(`/admin/${value}`)}>
        {sections.map((s) => <Tab key={s.path} value={s.path} label={t(s.label)}
          data-testid={`tab-${s.path}`} />)}
      </Tabs>
      <Suspense fallback={<Box role="status">{t("loading")}</Box>}>
        <Routes>
          {sections.map(({path, page: Page}) => <Route key={path} path={path} element={<Page />} />)}
          <Route path="*" element={<Navigate to={sections[0]?.path ?? "moderation"} replace />} />
        </Routes>
      </Suspense>
    </Box>
  );
}
