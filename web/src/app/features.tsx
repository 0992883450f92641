// The app's pages. A feature adds itself with one entry here (and its folder under
// src/features/): `path`, the page (lazy for anything not on the first screen, so its code is
// its own chunk), and `nav` with its label key to appear in the top bar. `shownTo` only hides
// the entry; the API is the authority on who may call what.

import {lazy, type ComponentType, type LazyExoticComponent} from "react";
import type {User} from "../api/types";
import {AdminEntry, staffRole} from "../features/admin/entry";
import {Dashboard} from "../features/analysis/Dashboard";
import "../features/screener/texts"; // the screener's nav label, before its page loads

export interface Feature {
  path: string;
  page: ComponentType | LazyExoticComponent<ComponentType>;
  nav?: string;
  /** Whom the nav entry is shown to (everyone when absent). */
  shownTo?: (user: User | null) => boolean;
}

/** A page whose code loads the first time it is opened. */
export const lazyPage = (load: () => Promise<{default: ComponentType}>) => lazy(load);

export const FEATURES: Feature[] = [
  {path: "/", page: Dashboard, nav: "dashboard"},
  {path: "/analysis/:id", page: Dashboard},
  {path: "/screener", page: lazyPage(() => import("../features/screener/ScreenerPage")), nav: "screener"},
  {path: "/track-record", page: lazyPage(() => import("../features/trackrecord/TrackRecordPage")), nav: "track_record"},
  // admins, and moderators (for the moderation section)
  {path: "/admin/*", page: AdminEntry, nav: "admin", shownTo: (user) => staffRole(user) !== null},
];
