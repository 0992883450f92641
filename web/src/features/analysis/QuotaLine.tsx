// "3 of 5 analyses left today, resets at 00:00 UTC", from GET /api/me; the reason Analyze is
// disabled when none are left.

import {Typography} from "@mui/material";
import {useQuery, type UseQueryResult} from "@tanstack/react-query";
import {useTranslation} from "react-i18next";
import {api} from "../../api/endpoints";
import type {Me} from "../../api/types";
import {formatUtcTime} from "../../format";

export interface QuotaState {
  me: Me | undefined;
  limit: number | null;
  left: number | null;
  usedUp: boolean;
  refetch: UseQueryResult<Me>["refetch"];
}

export function useQuota(): QuotaState {
  const me = useQuery({queryKey: ["me"], queryFn: api.me});
  const quota = me.data?.quota;
  const limit = quota ? (quota.limit ?? quota.daily_analyses ?? null) : null;
  const used = quota ? (quota.used ?? quota.used_today ?? 0) : 0;
  const left = limit === null ? null : Math.max(0, limit - used);
  return {me: me.data, limit, left, usedUp: left === 0, refetch: me.refetch};
}

export function QuotaLine({quota}: {quota: QuotaState}) {
  const {t} = useTranslation();
  if (!quota.me) return null;
  const time = formatUtcTime(quota.me.quota.resets_at ?? null);
  const plan = quota.me.plan?.name ?? quota.me.user.role;
  const text = quota.limit === null ? t("quota_unlimited")
    : quota.usedUp ? t("quota_used_up", {limit: quota.limit, time})
      : t("quota_left", {count: quota.left ?? 0, limit: quota.limit, time});
  return (
    <Typography id="quota-line" data-testid="quota" variant="body2" color={quota.usedUp
      ? "error" : "text.secondary"} sx={{mt: 1}} data-left={quota.left ?? ""}>
      {text} · {t("plan", {plan: t(`role_${plan}`, {defaultValue: plan})})}
    </Typography>
  );
}
