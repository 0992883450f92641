// The admin route's entry: tiny and in the main bundle. It checks the signed-in user's role
// before any admin code is requested, so a user's browser never downloads the panel and
// never asks for admin data; the API still checks every call.

import {Alert, Box} from "@mui/material";
import {lazy, Suspense} from "react";
import {useTranslation} from "react-i18next";
import type {User} from "../../api/types";
import {useSession} from "../../auth/session";
import {i18n} from "../../i18n";

i18n.addResources("en", "translation", {
  admin: "Admin",
  admin_not_allowed: "Not allowed: this part of ChartGenius is for administrators (moderation also for moderators).",
});
i18n.addResources("ru", "translation", {
  admin: "Админка",
  admin_not_allowed: "Нет доступа: этот раздел ChartGenius только для администраторов (модерация — и для модераторов).",
});

const AdminPanel = lazy(() => import("./AdminPanel"));

export type StaffRole = "admin" | "moderator";

export function staffRole(user: User | null): StaffRole | null {
  if (!user) return null;
  if (user.role === "admin") return "admin";
  return user.moderator ? "moderator" : null;
}

export function AdminEntry() {
  const {user} = useSession();
  const {t} = useTranslation();
  const role = staffRole(user);
  if (role === null) {
    return <Alert severity="error" data-testid="not-allowed" role="alert">{t("admin_not_allowed")}</Alert>;
  }
  return (
    <Suspense fallback={<Box role="status">{t("loading")}</Box>}>
      <AdminPanel role={role} />
    </Suspense>
  );
}
